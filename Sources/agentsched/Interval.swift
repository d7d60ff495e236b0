import AgentSchedulerCore
import ArgumentParser

/// A positive duration on the command line, written as in profiles: `60s`, `5m`, `1h30m`.
struct Interval: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let duration = DurationText.parse(argument), duration > .zero else { return nil }
        self.duration = duration
    }

    var defaultValueDescription: String { "\(duration.components.seconds)s" }
}
