import ArgumentParser

/// `--format table|json|yaml` for profiles.
enum ProfileFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, yaml
}
