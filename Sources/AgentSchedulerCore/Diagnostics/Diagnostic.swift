/// One problem found in a file a user wrote, at its exact place.
///
/// A diagnostic says what is wrong (`message`) and, where one exists, how to fix it (`hint`).
/// Rendered as `PATH:LINE:COLUMN: error|warning: MESSAGE; HINT`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var hint: String?
    public var location: SourceLocation

    public init(
        _ severity: Severity,
        _ code: DiagnosticCode,
        _ message: String,
        hint: String? = nil,
        at location: SourceLocation
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }

    public static func error(
        _ code: DiagnosticCode,
        _ message: String,
        hint: String? = nil,
        at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(.error, code, message, hint: hint, at: location)
    }

    public static func warning(
        _ code: DiagnosticCode,
        _ message: String,
        hint: String? = nil,
        at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, hint: hint, at: location)
    }

    /// The message followed by the hint, as one line.
    public var fullMessage: String {
        guard let hint, !hint.isEmpty else { return message }
        return "\(message); \(hint)"
    }

    /// `PATH:LINE:COLUMN: error|warning: MESSAGE`.
    public var description: String {
        "\(location): \(severity.rawValue): \(fullMessage)"
    }

    /// The same diagnostic as an error: `--strict` turns every warning into one.
    public func escalated() -> Diagnostic {
        var copy = self
        copy.severity = .error
        return copy
    }
}

extension Diagnostic: Comparable {
    /// Orders by place in the file, so output follows the files top to bottom.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        return lhs.message < rhs.message
    }
}

extension Diagnostic: Codable {
    enum CodingKeys: String, CodingKey {
        case file, line, column, severity, code, message, hint
    }

    /// One flat object per problem: `{"file", "line", "column", "severity", "code", "message", "hint"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(location.path, forKey: .file)
        try container.encode(location.line, forKey: .line)
        try container.encode(location.column, forKey: .column)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(hint, forKey: .hint)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(Severity.self, forKey: .severity),
            try container.decode(DiagnosticCode.self, forKey: .code),
            try container.decode(String.self, forKey: .message),
            hint: try container.decodeIfPresent(String.self, forKey: .hint),
            at: SourceLocation(
                path: try container.decode(String.self, forKey: .file),
                line: try container.decode(Int.self, forKey: .line),
                column: try container.decode(Int.self, forKey: .column)))
    }
}
