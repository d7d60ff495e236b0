import Foundation

/// The current UTC time, passed in wherever time matters so tests control it.
///
/// Budget periods, leases and event timestamps all read this, never `Date()` directly.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move: for tests of periods, leases and alerts.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        current = start
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    public func set(_ date: Date) {
        lock.withLock { current = date }
    }

    public func advance(by interval: TimeInterval) {
        lock.withLock { current += interval }
    }
}
