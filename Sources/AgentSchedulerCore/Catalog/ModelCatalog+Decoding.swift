import Foundation

extension ModelCatalog {
    static let modelKeys = [
        "provider", "id", "base-url", "api-key-env", "multiplier", "pricing", "long-context", "aliases",
        "transcripts", "rpm", "tpm", "timeout", "max-retries", "max-connections", "stream", "max-output-tokens",
        "framing-tokens", "retired", "replaced-by",
    ]
    /// The prices of one tier: `pricing:` itself, and each `long-context:` tier.
    static let rateKeys = ["input", "cached-input", "output", "cache-write"]
    /// The most framing tokens per message a catalog may give: far above any chat template.
    static let framingTokensRange = 0...10_000

    /// Whether `url` names this machine (`localhost`, `127.x.x.x`, `::1`): a local server needs no key.
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
            || host == "[::1]" || host == "0.0.0.0"
    }

    /// One model entry as read, with the places its cross-entry checks report at.
    private struct Entry {
        var model: ModelDefinition
        var aliases: [Located<String>]
        var node: YAMLNode
        /// Whether `provider:` was written; a retired entry without one takes its replacement's.
        var providerWritten: Bool
        var replacedBy: Located<String>?
    }

    /// Reads `policies/models.yaml`, reporting every problem; `nil` when nothing usable could be read.
    static func read(path: String, limits: YAMLLimits, decoder: DocumentDecoder) -> ModelCatalog? {
        guard
            let root = decoder.readRoot(
                limits: limits, whenEmpty: ("model catalog is empty", "list the models under 'models:'"))
        else { return nil }
        guard var keys = decoder.mapping(root, key: "model catalog", known: ["default", "framing-tokens", "models"])
        else { return nil }
        var framingTokens: Int?
        if let node = keys.take("framing-tokens") {
            framingTokens = decoder.integer(node, key: "framing-tokens", in: framingTokensRange)
        }
        var entries: [Entry] = []
        if let node = keys.take("models"), let pairs = decoder.mapping(node, key: "models", known: [])?.entries {
            var owners: [String: Located<String>] = [:]
            for (name, value) in pairs {
                guard let entry = readModel(name: name, node: value, decoder: decoder) else { continue }
                for label in [name] + entry.aliases {
                    let key = label.value.lowercased()
                    if let owner = owners[key], owner.value.lowercased() != name.value.lowercased() {
                        decoder.report(
                            .error(
                                .duplicate, "'\(label.value)' names both '\(owner.value)' and '\(name.value)'",
                                hint: "each name and alias may select one model only", at: label.location))
                    } else {
                        owners[key] = name
                    }
                }
                entries.append(entry)
            }
            if pairs.isEmpty {
                decoder.error(.invalidValue, "the catalog lists no models", at: node)
            }
        } else {
            keys.missing("models", hint: "list the models the scheduler may call under 'models:'")
        }
        var models = checkReplacements(entries, decoder: decoder)
        if let framingTokens {
            for index in models.indices where models[index].framingTokens == nil {
                models[index].framingTokens = framingTokens
            }
        }
        var catalog = ModelCatalog(defaultModel: "", models: models, framingTokens: framingTokens)
        catalog.defaultModel = models.first { $0.retired == nil }?.name ?? ""
        if let node = keys.take("default"), let name = decoder.nonEmptyString(node, key: "default") {
            if let resolution = catalog.resolve(name) {
                catalog.defaultModel = resolution.model.name
                if let warning = resolution.retirementWarning(for: Located(name, at: node.location)) {
                    decoder.report(warning)
                }
            } else if !models.isEmpty {
                decoder.error(
                    .unknownModel, "default model '\(name)' is not in the catalog",
                    hint: Suggestion.hint(for: name, among: catalog.allNames), at: node)
            }
        } else if !models.isEmpty {
            keys.missing("default", hint: "name the model that 'inherit' and profiles without 'model' use")
        }
        keys.reportUnknownKeys(in: "model catalog")
        return catalog
    }

    /// The models, with each retired entry checked against its replacement: `replaced-by` must
    /// name a live catalog model. A retired entry that fails is left out (reported), so its name
    /// is unknown rather than silently running something else.
    private static func checkReplacements(_ entries: [Entry], decoder: DocumentDecoder) -> [ModelDefinition] {
        let all = ModelCatalog(defaultModel: "", models: entries.map(\.model))
        var models: [ModelDefinition] = []
        for var entry in entries {
            let name = entry.model.name
            guard entry.model.retired != nil else {
                if let replacedBy = entry.replacedBy {
                    decoder.report(
                        .error(
                            .missingKey, "'replaced-by' needs 'retired': model '\(name)' is not retired",
                            hint: "give the date the model was retired, e.g. 'retired: 2026-01-15', or remove it",
                            at: replacedBy.location))
                    entry.model.replacedBy = nil
                }
                models.append(entry.model)
                continue
            }
            guard let replacedBy = entry.replacedBy else {
                decoder.error(
                    .missingKey, "retired model '\(name)' needs 'replaced-by'",
                    hint: "name the catalog model that runs in its place, e.g. 'replaced-by: gpt-4.1'",
                    at: entry.node)
                continue
            }
            guard let replacement = all.entry(named: replacedBy.value) else {
                decoder.report(
                    .error(
                        .unknownModel, "'replaced-by' model '\(replacedBy.value)' is not in the catalog",
                        hint: Suggestion.hint(for: replacedBy.value, among: all.allNames)
                            ?? "name a model this catalog lists", at: replacedBy.location))
                continue
            }
            guard replacement.retired == nil else {
                let current = all.resolve(replacement.name).map { "name the model that runs now: '\($0.model.name)'" }
                decoder.report(
                    .error(
                        .invalidValue, "'replaced-by' names '\(replacement.name)', which is itself retired",
                        hint: current ?? "name a model that is not retired", at: replacedBy.location))
                continue
            }
            entry.model.replacedBy = replacement.name
            if !entry.providerWritten { entry.model.provider = replacement.provider }
            models.append(entry.model)
        }
        return models
    }

    /// The model and its aliases with their places, or `nil` (reported) when it lacks what a model
    /// needs: a provider and a multiplier or pricing (or both), or, for a retired entry, only
    /// `retired` and `replaced-by`.
    private static func readModel(name: Located<String>, node: YAMLNode, decoder: DocumentDecoder) -> Entry? {
        guard var keys = decoder.mapping(node, key: name.value, known: modelKeys) else { return nil }
        var retired: String?
        var retiredOK = true
        if let value = keys.take("retired") {
            retired = readDate(value, key: "retired", decoder: decoder)
            retiredOK = retired != nil
        }
        let providerNode = keys.take("provider")
        if providerNode == nil, retired == nil, retiredOK {
            keys.missing("provider", hint: "use openai, anthropic or replay")
            return nil
        }
        let multiplierNode = keys.take("multiplier")
        let pricingNode = keys.take("pricing")
        let longContextNode = keys.take("long-context")
        if multiplierNode == nil, pricingNode == nil, retired == nil, retiredOK {
            decoder.error(
                .missingKey, "missing required key 'multiplier' or 'pricing'",
                hint:
                    "give the premium requests one request costs ('multiplier: 1'), the US dollars per million tokens ('pricing: { input: 2.50, output: 15.00 }'), or both",
                at: node)
            return nil
        }
        var ok = retiredOK
        var provider: ModelProvider?
        if let providerNode {
            provider = decoder.choice(providerNode, key: "provider", as: ModelProvider.self)
            ok = ok && provider != nil
        }
        var multiplier: PremiumRequests?
        if let multiplierNode {
            multiplier = decoder.amount(multiplierNode, key: "multiplier")
            ok = ok && multiplier != nil
        }
        var pricing: TokenPricing?
        if let pricingNode {
            pricing = readPricing(pricingNode, sibling: longContextNode, model: name.value, decoder: decoder)
            ok = ok && pricing != nil
        } else if let longContextNode {
            decoder.error(
                .missingKey, "'long-context' needs 'pricing'",
                hint: "write the standard prices under 'pricing:' and the tier inside it", at: longContextNode)
            ok = false
        }
        guard ok else { return nil }
        // A retired entry that names no provider takes its replacement's in `checkReplacements`.
        var model = ModelDefinition(
            name: name.value, provider: provider ?? .openai, multiplier: multiplier, pricing: pricing, retired: retired)
        var replacedBy: Located<String>?
        if let value = keys.take("replaced-by"), let text = decoder.nonEmptyText(value, key: "replaced-by") {
            replacedBy = Located(text.trimmingSpaces, at: value.location)
            model.replacedBy = text.trimmingSpaces
        }
        readConnection(&keys, into: &model, decoder: decoder)
        var aliases: [Located<String>] = []
        if let value = keys.take("aliases") {
            aliases = decoder.stringList(value, key: "aliases", commaSeparated: true) ?? []
            model.aliases = aliases.map(\.value)
        }
        if let value = keys.take("transcripts") {
            model.transcripts = decoder.nonEmptyString(value, key: "transcripts")
        }
        if model.provider == .replay, providerNode != nil, model.transcripts == nil {
            decoder.error(
                .missingKey, "a replay model needs 'transcripts'",
                hint: "name the folder of transcript files, e.g. 'transcripts: examples/transcripts'", at: node)
        }
        readLimits(&keys, into: &model, decoder: decoder)
        keys.reportUnknownKeys(in: "model '\(name.value)'")
        return Entry(
            model: model, aliases: aliases, node: node, providerWritten: providerNode != nil, replacedBy: replacedBy)
    }

    /// `id`, `base-url` and `api-key-env`: where requests go and with which key.
    private static func readConnection(
        _ keys: inout MappingReader, into model: inout ModelDefinition, decoder: DocumentDecoder
    ) {
        if let value = keys.take("id") { model.providerModel = decoder.nonEmptyString(value, key: "id") }
        let baseURLNode = keys.take("base-url")
        if let value = baseURLNode, let url = decoder.nonEmptyString(value, key: "base-url") {
            if url.hasPrefix("https://") || url.hasPrefix("http://") {
                model.baseURL = url
            } else {
                decoder.error(
                    .invalidValue, "'base-url' is '\(url)'; it must start with https:// or http://", at: value)
            }
        }
        if let value = keys.take("api-key-env"), let variable = decoder.nonEmptyString(value, key: "api-key-env") {
            if variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                model.apiKeyEnvironment = variable
            } else {
                decoder.error(
                    .invalidValue, "'api-key-env' must name an environment variable, not hold a key",
                    hint: "write the variable's name, e.g. GITHUB_TOKEN, and export the key in it", at: value)
            }
        }
        if let value = baseURLNode, let url = model.baseURL, model.apiKeyEnvironment == nil, model.provider != .replay,
            !Self.isLoopback(url)
        {
            decoder.warning(
                .missingKey, "model '\(model.name)' calls \(url) without a key: it has no 'api-key-env'",
                hint: "name the variable that holds the key, e.g. 'api-key-env: OPENAI_API_KEY'", at: value)
        }
    }

    /// Throttles, retries, streaming, output cap and framing allowance.
    private static func readLimits(
        _ keys: inout MappingReader, into model: inout ModelDefinition, decoder: DocumentDecoder
    ) {
        if let value = keys.take("rpm") {
            model.requestsPerMinute = decoder.integer(value, key: "rpm", in: 1...Int.max)
        }
        if let value = keys.take("tpm") { model.tokensPerMinute = decoder.integer(value, key: "tpm", in: 1...Int.max) }
        if let value = keys.take("timeout") {
            model.timeout = decoder.duration(value, key: "timeout").map(HumanDuration.init)
        }
        if let value = keys.take("max-retries") {
            model.maxRetries = decoder.integer(value, key: "max-retries", in: 0...100)
        }
        if let value = keys.take("max-connections") {
            model.maxConnections = decoder.integer(value, key: "max-connections", in: 1...10_000)
        }
        if let value = keys.take("stream") { model.stream = decoder.bool(value, key: "stream") }
        if let value = keys.take("max-output-tokens") {
            model.maxOutputTokens = decoder.integer(value, key: "max-output-tokens", in: 1...10_000_000)
        }
        if let value = keys.take("framing-tokens") {
            model.framingTokens = decoder.integer(value, key: "framing-tokens", in: framingTokensRange)
        }
    }

    /// `pricing:`, with its `long-context:` tier inside it or, as `sibling`, beside it at the
    /// model's level; `nil` (reported) when any of it is wrong. An organisation's
    /// `models.pricing` entries are read by this too.
    static func readPricing(
        _ node: YAMLNode, sibling: YAMLNode?, model: String, decoder: DocumentDecoder
    ) -> TokenPricing? {
        guard var keys = decoder.mapping(node, key: "pricing", known: rateKeys + ["long-context"]) else { return nil }
        let standard = readRates(&keys, decoder: decoder)
        var ok = standard != nil
        var longContext: TokenPricing.LongContext?
        let inner = keys.take("long-context")
        if inner != nil, let sibling {
            decoder.error(
                .duplicate, "'long-context' is written both inside 'pricing' and beside it",
                hint: "keep the one inside 'pricing'", at: sibling)
            ok = false
        }
        if let tier = inner ?? sibling {
            longContext = readLongContext(tier, decoder: decoder)
            ok = ok && longContext != nil
        }
        keys.reportUnknownKeys(in: "pricing of model '\(model)'")
        guard ok, let standard else { return nil }
        return TokenPricing(standard: standard, longContext: longContext)
    }

    /// `long-context: { above: TOKENS, input, cached-input, output, cache-write }`.
    private static func readLongContext(_ node: YAMLNode, decoder: DocumentDecoder) -> TokenPricing.LongContext? {
        guard var keys = decoder.mapping(node, key: "long-context", known: ["above"] + rateKeys) else { return nil }
        let aboveNode = keys.take("above")
        if aboveNode == nil {
            keys.missing("above", hint: "give the prompt tokens past which these prices apply, e.g. 'above: 272000'")
        }
        let above = aboveNode.flatMap { decoder.integer($0, key: "above", in: 1...Int.max) }
        let rates = readRates(&keys, decoder: decoder)
        keys.reportUnknownKeys(in: "long-context")
        guard let above, let rates else { return nil }
        return TokenPricing.LongContext(above: above, rates: rates)
    }

    /// `input` and `output` (required), `cached-input` and `cache-write`, in US dollars per
    /// million tokens, exactly; `nil` (reported) when any is missing or wrong.
    private static func readRates(_ keys: inout MappingReader, decoder: DocumentDecoder) -> TokenPricing.Rates? {
        var ok = true
        func price(_ key: String, required hint: String?) -> TokenPrice? {
            guard let node = keys.take(key) else {
                if let hint {
                    keys.missing(key, hint: hint)
                    ok = false
                }
                return nil
            }
            let price = decoder.price(node, key: key)
            if price == nil { ok = false }
            return price
        }
        let input = price("input", required: "give the US dollars a million prompt tokens cost, e.g. 'input: 2.50'")
        let cachedInput = price("cached-input", required: nil)
        let output = price("output", required: "give the US dollars a million output tokens cost, e.g. 'output: 15.00'")
        let cacheWrite = price("cache-write", required: nil)
        guard ok, let input, let output else { return nil }
        return TokenPricing.Rates(input: input, cachedInput: cachedInput, output: output, cacheWrite: cacheWrite)
    }

    /// A calendar date written `YYYY-MM-DD`, kept as written; `nil` (reported) otherwise.
    private static func readDate(_ node: YAMLNode, key: String, decoder: DocumentDecoder) -> String? {
        guard let text = decoder.string(node, key: key)?.trimmingSpaces else { return nil }
        guard isCalendarDate(text) else {
            decoder.error(
                .invalidValue, "'\(key)' is '\(text)'; it must be a calendar date written YYYY-MM-DD",
                hint: "e.g. '\(key): 2026-01-15'", at: node)
            return nil
        }
        return text
    }

    /// Whether `text` is `YYYY-MM-DD` and a day that exists (`2026-02-29` does not).
    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...days[month - 1]).contains(day)
    }
}
