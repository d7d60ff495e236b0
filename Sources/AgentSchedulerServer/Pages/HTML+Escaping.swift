extension HTML {
    /// Elements that have no end tag.
    static let voidElements: Set<String> = ["area", "base", "br", "col", "hr", "img", "input", "link", "meta", "wbr"]

    /// Attributes whose value is a URL the browser follows or loads.
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction"]

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted attributes.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { [0x26, 0x3C, 0x3E, 0x22, 0x27].contains($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `\r\n` as `\n`: form fields arrive with CRLF, which is not a control sequence to show.
    static func normalizingLineBreaks(_ text: String) -> String {
        text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// ASCII letters, digits and `-`, starting with a letter.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// A valid name that is neither an event handler (`on…`) nor `style`.
    static func isAllowedAttribute(_ name: String) -> Bool {
        let lower = name.lowercased()
        return isValidName(name) && !lower.hasPrefix("on") && lower != "style"
    }

    /// Whether `value` may stand in `attribute`: a URL attribute takes only a same-site path
    /// (`/…`, not `//…`), a fragment (`#…`), or an `http:`/`https:` URL.
    static func isSafe(_ value: String, for attribute: String) -> Bool {
        guard urlAttributes.contains(attribute.lowercased()) else { return true }
        return isSafeURL(value)
    }

    /// A same-site path, a fragment, or an absolute `http(s)` URL without control characters or spaces.
    static func isSafeURL(_ value: String) -> Bool {
        guard !value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            return false
        }
        if value.hasPrefix("#") { return true }
        if value.hasPrefix("/") { return !value.hasPrefix("//") }
        let lower = value.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
