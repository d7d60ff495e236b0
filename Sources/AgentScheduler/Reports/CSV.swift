/// Comma-separated values as RFC 4180 has them: CRLF after every record, and a field quoted when it
/// holds a comma, a double quote, CR or LF, with its quotes doubled.
public enum CSV {
    /// The records as CSV text, each ending in CRLF.
    public static func text(_ records: [[String]]) -> String {
        records.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field, quoted when it must be.
    public static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
