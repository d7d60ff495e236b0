import Foundation

/// The markup of a page taken apart as a browser's tokenizer would see it: every tag with its
/// attributes, and the text between them. Parsing fails on anything `HTML` must never write: an
/// unquoted attribute, a stray quote or `>` in text, a `<` that starts no tag.
struct PageMarkup {
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [(name: String, value: String?)]
        /// Where the tag starts in the markup (characters from the start).
        var offset: Int

        func value(_ name: String) -> String? {
            attributes.first { $0.name == name }?.value ?? nil
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var tags: [Tag] = []
    var texts: [String] = []

    init(_ markup: String) throws {
        let characters = Array(markup)
        var index = 0
        var text = ""
        let tagPattern = try NSRegularExpression(
            pattern: #"^(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"<>]*")?)*)\s*$"#)
        let attributePattern = try NSRegularExpression(pattern: #"([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?"#)
        while index < characters.count {
            let character = characters[index]
            if character != "<" {
                guard character != ">", character != "\"", character != "'" else {
                    throw Malformed(
                        description:
                            "raw \(character) in text at \(index): …\(String(characters[max(0, index - 40)..<index]))")
                }
                text.append(character)
                index += 1
                continue
            }
            texts.append(text)
            text = ""
            guard let end = characters[index...].firstIndex(of: ">") else {
                throw Malformed(description: "unterminated tag at \(index)")
            }
            let inside = String(characters[(index + 1)..<end])
            if inside.hasPrefix("!DOCTYPE") {
                index = end + 1
                continue
            }
            let range = NSRange(inside.startIndex..., in: inside)
            guard let match = tagPattern.firstMatch(in: inside, range: range),
                let closingRange = Range(match.range(at: 1), in: inside),
                let nameRange = Range(match.range(at: 2), in: inside),
                let attributesRange = Range(match.range(at: 3), in: inside)
            else { throw Malformed(description: "malformed tag <\(inside)>") }
            let attributeText = String(inside[attributesRange])
            var attributes: [(name: String, value: String?)] = []
            for found in attributePattern.matches(
                in: attributeText, range: NSRange(attributeText.startIndex..., in: attributeText))
            {
                guard let name = Range(found.range(at: 1), in: attributeText) else { continue }
                let value = Range(found.range(at: 2), in: attributeText).map { String(attributeText[$0]) }
                attributes.append((String(attributeText[name]), value))
            }
            tags.append(
                Tag(
                    name: String(inside[nameRange]).lowercased(), closing: !inside[closingRange].isEmpty,
                    attributes: attributes, offset: index))
            index = end + 1
        }
        texts.append(text)
    }

    /// The opening tags named `name`.
    func opening(_ name: String) -> [Tag] { tags.filter { $0.name == name && !$0.closing } }
}
