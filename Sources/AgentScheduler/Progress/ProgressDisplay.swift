import ServiceLifecycle

/// Redraws a live `ProgressBoard` every `interval` while `run` works; stops on graceful shutdown
/// after a last frame.
public struct ProgressDisplay: Service {
    public var board: ProgressBoard
    public var interval: Duration

    public init(board: ProgressBoard, interval: Duration = .milliseconds(250)) {
        self.board = board
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await board.redraw()
                try? await Task.sleep(for: interval)
            }
        }
        await board.redraw()
    }
}
