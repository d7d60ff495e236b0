import AgentSchedulerCore
import Logging

/// A log handler that redacts every secret from a message and its metadata, then hands it on.
///
/// The process's redactor is read at each line (`Console`'s), so lines logged after the workspace
/// is loaded also know its models' keys.
struct RedactingLogHandler: LogHandler {
    var base: any LogHandler
    var redactor: @Sendable () -> Redactor

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let redactor = redactor()
        base.log(
            level: level, message: "\(redactor.redact(message.description))",
            metadata: metadata?.mapValues { .string(redactor.redact($0.description)) }, source: source, file: file,
            function: function, line: line)
    }
}
