import Foundation

extension ModelCatalog {
    static let modelKeys = [
        "provider", "id", "base-url", "api-key-env", "multiplier", "aliases", "transcripts", "rpm", "tpm", "timeout",
        "max-retries", "max-connections", "stream", "max-output-tokens",
    ]

    /// Whether `url` names this machine (`localhost`, `127.x.x.x`, `::1`): a local server needs no key.
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
            || host == "[::1]" || host == "0.0.0.0"
    }

    /// Reads `policies/models.yaml`, reporting every problem; `nil` when nothing usable could be read.
    static func read(path: String, limits: YAMLLimits, decoder: DocumentDecoder) -> ModelCatalog? {
        guard
            let root = decoder.readRoot(
                limits: limits, whenEmpty: ("model catalog is empty", "list the models under 'models:'"))
        else { return nil }
        guard var keys = decoder.mapping(root, key: "model catalog", known: ["default", "models"]) else { return nil }
        var models: [ModelDefinition] = []
        if let node = keys.take("models"), let entries = decoder.mapping(node, key: "models", known: [])?.entries {
            var owners: [String: Located<String>] = [:]
            for (name, value) in entries {
                guard let (model, aliases) = readModel(name: name, node: value, decoder: decoder) else { continue }
                for label in [name] + aliases {
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
                models.append(model)
            }
            if entries.isEmpty {
                decoder.error(.invalidValue, "the catalog lists no models", at: node)
            }
        } else {
            keys.missing("models", hint: "list the models the scheduler may call under 'models:'")
        }
        var catalog = ModelCatalog(defaultModel: models.first?.name ?? "", models: models)
        if let node = keys.take("default"), let name = decoder.nonEmptyString(node, key: "default") {
            if let model = catalog.model(named: name) {
                catalog.defaultModel = model.name
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

    /// The model and its aliases with their places, or `nil` (reported) when it lacks what a model needs.
    private static func readModel(
        name: Located<String>, node: YAMLNode, decoder: DocumentDecoder
    ) -> (ModelDefinition, [Located<String>])? {
        guard var keys = decoder.mapping(node, key: name.value, known: modelKeys) else { return nil }
        guard let providerNode = keys.take("provider") else {
            keys.missing("provider", hint: "use openai, anthropic or replay")
            return nil
        }
        guard let multiplierNode = keys.take("multiplier") else {
            keys.missing("multiplier", hint: "give the premium requests one request costs, e.g. 'multiplier: 1'")
            return nil
        }
        guard let provider = decoder.choice(providerNode, key: "provider", as: ModelProvider.self),
            let multiplier = decoder.amount(multiplierNode, key: "multiplier")
        else { return nil }
        var model = ModelDefinition(name: name.value, provider: provider, multiplier: multiplier)
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
        if let value = baseURLNode, let url = model.baseURL, model.apiKeyEnvironment == nil, provider != .replay,
            !Self.isLoopback(url)
        {
            decoder.warning(
                .missingKey, "model '\(name.value)' calls \(url) without a key: it has no 'api-key-env'",
                hint: "name the variable that holds the key, e.g. 'api-key-env: OPENAI_API_KEY'", at: value)
        }
        var aliases: [Located<String>] = []
        if let value = keys.take("aliases") {
            aliases = decoder.stringList(value, key: "aliases", commaSeparated: true) ?? []
            model.aliases = aliases.map(\.value)
        }
        if let value = keys.take("transcripts") {
            model.transcripts = decoder.nonEmptyString(value, key: "transcripts")
        }
        if provider == .replay, model.transcripts == nil {
            decoder.error(
                .missingKey, "a replay model needs 'transcripts'",
                hint: "name the folder of transcript files, e.g. 'transcripts: examples/transcripts'", at: node)
        }
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
        keys.reportUnknownKeys(in: "model '\(name.value)'")
        return (model, aliases)
    }
}
