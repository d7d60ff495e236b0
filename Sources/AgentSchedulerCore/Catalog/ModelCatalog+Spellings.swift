extension ModelCatalog {
    /// The lower-case spellings a model name is looked up by, in order, each once: as written;
    /// without a VS Code vendor suffix; and each of those as an Anthropic API id.
    ///
    /// Agent files write model names the way their tool shows them: VS Code's picker adds the
    /// vendor (`GPT-4.1 (copilot)`), Claude Code and the Anthropic API use dashed, often dated ids
    /// (`claude-sonnet-4-5`, `claude-sonnet-4-5-20250929`, Vertex's `claude-sonnet-4-5@20250929`)
    /// where the catalog writes `claude-sonnet-4.5`. The spelling as written always comes first,
    /// so a catalog alias that itself ends in parentheses (`Claude Opus 4.8 (fast mode)`) wins.
    static func spellings(of name: String) -> [String] {
        let written = name.trimmingSpaces.lowercased()
        var spellings = [written]
        if let stripped = withoutVendorSuffix(written) { spellings.append(stripped) }
        for spelling in spellings {
            if let id = anthropicSpelling(spelling) { spellings.append(id) }
        }
        var seen = Set<String>()
        return spellings.filter { seen.insert($0).inserted }
    }

    /// `name` without one trailing ` (vendor)`, or `nil` when it has none.
    ///
    /// The vendor is one word (`copilot`, `anthropic`, `ollama`, `azure`): a suffix with a space
    /// inside (`(fast mode)`, `(public preview)`) names a different model or price, and stays.
    static func withoutVendorSuffix(_ name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.range(of: " (", options: .backwards) else { return nil }
        let vendor = name[open.upperBound..<name.index(before: name.endIndex)]
        let base = name[..<open.lowerBound].trimmingSpaces
        guard !vendor.isEmpty, !base.isEmpty,
            vendor.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else { return nil }
        return base
    }

    /// An Anthropic API id (`claude-…`, no spaces) in the catalog's dotted spelling, or `nil`
    /// when that changes nothing: a date suffix (`-20250929`, `@20250929`) is dropped, and a version
    /// written `-N-M` becomes `-N.M` (`claude-sonnet-4-5` → `claude-sonnet-4.5`, the older
    /// `claude-3-5-sonnet` → `claude-3.5-sonnet`).
    static func anthropicSpelling(_ name: String) -> String? {
        guard name.hasPrefix("claude-"), !name.contains(" ") else { return nil }
        var id = Substring(name)
        let date = id.suffix(8)
        if date.count == 8, date.allSatisfy(\.isASCIIDigit), let separator = id.dropLast(8).last,
            separator == "-" || separator == "@"
        {
            id = id.dropLast(9)
        }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        var joined: [Substring] = []
        var index = 0
        while index < parts.count {
            if index > 0, index + 1 < parts.count, isVersionNumber(parts[index]), isVersionNumber(parts[index + 1]) {
                joined.append(parts[index] + "." + parts[index + 1])
                index += 2
            } else {
                joined.append(parts[index])
                index += 1
            }
        }
        let spelling = joined.joined(separator: "-")
        return spelling == name ? nil : spelling
    }

    /// One or two digits: a major or minor version, never a date.
    private static func isVersionNumber(_ part: Substring) -> Bool {
        (1...2).contains(part.count) && part.allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    /// `0` to `9` only (not other scripts' digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
