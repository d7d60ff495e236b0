import AgentSchedulerCore

extension DemoWorkspace {
    /// The model catalog of the demo: every model of `catalog` on the `replay` provider, answering
    /// from `transcripts`, with its own name, aliases, multiplier and pricing, and the same default.
    ///
    /// Only what a replay model uses is kept: endpoints, keys and rate limits are dropped. Each
    /// replay model keeps the price of the model it stands in for, so an organisation billed in
    /// AI credits is charged as it would be; retired entries stay retired, on the same replacement.
    static func replayCatalog(from catalog: ModelCatalog, transcripts: String) -> String {
        var lines = [
            "# Written by `agentsched demo`: the example catalog (policies/models.yaml) with every model on",
            "# the replay provider, answering from recorded transcripts. Names, aliases, multipliers and",
            "# prices are the example catalog's own, so budgets and usage count as they would with the real",
            "# models.",
            "default: \(yamlQuoted(catalog.defaultModel))",
        ]
        if let framingTokens = catalog.framingTokens { lines.append("framing-tokens: \(framingTokens)") }
        lines.append("models:")
        for model in catalog.models {
            var fields = [
                "provider: \(ModelProvider.replay.rawValue)", "transcripts: \(yamlQuoted(transcripts))",
            ]
            if let multiplier = model.multiplier { fields.append("multiplier: \(multiplier)") }
            if let pricing = model.pricing { fields.append("pricing: \(pricing.catalogText)") }
            if let framingTokens = model.framingTokens, framingTokens != catalog.framingTokens {
                fields.append("framing-tokens: \(framingTokens)")
            }
            if let retired = model.retired, let replacedBy = model.replacedBy {
                fields.append("retired: \(yamlQuoted(retired))")
                fields.append("replaced-by: \(yamlQuoted(replacedBy))")
            }
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
