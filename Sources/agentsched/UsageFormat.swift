import ArgumentParser

/// `usage --format table|csv|json|markdown|github-csv`.
enum UsageFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, markdown
    case githubCSV = "github-csv"
    case githubCreditsCSV = "github-credits-csv"
}
