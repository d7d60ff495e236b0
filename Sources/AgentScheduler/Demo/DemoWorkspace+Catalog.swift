import AgentSchedulerCore

extension DemoWorkspace {
    /// The model catalog of the demo: every model of `catalog` on the `replay` provider, answering
    /// from `transcripts`, with its own name, aliases and multiplier, and the same default.
    ///
    /// Only what a replay model uses is kept: endpoints, keys and rate limits are dropped.
    static func replayCatalog(from catalog: ModelCatalog, transcripts: String) -> String {
        var lines = [
            "# Written by `agentsched demo`: the example catalog (policies/models.yaml) with every model on",
            "# the replay provider, answering from recorded transcripts. Names, aliases and multipliers are",
            "# the example catalog's own, so budgets and usage count as they would with the real models.",
            "default: \(yamlQuoted(catalog.defaultModel))",
            "models:",
        ]
        for model in catalog.models {
            var fields = [
                "provider: \(ModelProvider.replay.rawValue)", "transcripts: \(yamlQuoted(transcripts))",
            ]
            if let multiplier = model.multiplier { fields.append("multiplier: \(multiplier)") }
            if !model.aliases.isEmpty {
                fields.append("aliases: [" + model.aliases.map(yamlQuoted).joined(separator: ", ") + "]")
            }
            lines.append("  \(yamlQuoted(model.name)): { \(fields.joined(separator: ", ")) }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a double-quoted YAML scalar, which reads back as exactly `text`.
    static func yamlQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}
