/// Durations as people write them in profiles and catalogs: `90s`, `30m`, `1h30m`, `2h`, `500ms`.
public enum DurationText {
    /// Parses a sum of `<number><unit>` parts (units `ms`, `s`, `m`, `h`, `d`); a bare number is seconds.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: " \t")
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        var total = Duration.zero
        var digits = ""
        var unit = ""
        var parts = 0
        func flush() -> Bool {
            guard let value = Int64(digits) else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86400)
            default: return false
            }
            digits = ""
            unit = ""
            parts += 1
            return true
        }
        for character in trimmed {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty, !flush() { return nil }
                digits.append(character)
            } else if character.isLetter {
                guard !digits.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, flush(), parts > 0 else { return nil }
        return total
    }

    /// The shortest text `parse` reads back as the same duration: `1h30m`, `45s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        var milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
