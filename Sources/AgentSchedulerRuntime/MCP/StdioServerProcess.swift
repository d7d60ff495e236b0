import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stdio MCP server's process: started in a process group of its own, spoken to line by line over
/// its standard input and output, and ended as a whole group.
///
/// A thread of its own blocks in `poll` on the server's output, its standard error and a wake-up
/// pipe, so an idle server costs no wake-ups. Each line of output is one message; a line that is
/// not a JSON object or array, or one longer than `messageLimit`, ends the stream with an error, as
/// does the server closing its output. The last 4 KiB of standard error are kept for the reason.
/// `terminate()` sends the group `SIGTERM`, then `SIGKILL` after the grace period, and reaps it;
/// call it exactly once, when done.
final class StdioServerProcess: Sendable {
    /// The largest message accepted from a server.
    static let messageLimit = 16 << 20

    let processID: pid_t
    private let input: Int32
    private let wake: (read: Int32, write: Int32)
    private let state = Mutex(State())
    let messages: AsyncThrowingStream<Data, any Error>
    private let gracePeriod: Duration

    private struct State {
        var errorTail = Data()
        var exited = false
        var terminated = false
    }

    /// Starts `program` (which must have `takesStandardInput` set).
    init(_ program: ChildProcess, closure: ClosureSignal, gracePeriod: Duration = .seconds(2)) throws(MCPTransportError)
    {
        Self.ignoreBrokenPipes
        let child: SpawnedChild
        switch program.spawn() {
        case .success(let spawned): child = spawned
        case .failure(let error): throw .spawnFailed("\(error)")
        }
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0, let input = child.inputDescriptor else {
            kill(-child.processID, SIGKILL)
            var status: Int32 = 0
            waitpid(child.processID, &status, 0)
            throw .spawnFailed(String(cString: strerror(errno)))
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        processID = child.processID
        self.input = input
        wake = (descriptors[0], descriptors[1])
        self.gracePeriod = gracePeriod
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
        messages = stream
        let reader = Reader(
            output: child.outputDescriptor, errors: child.errorDescriptor, wake: descriptors[0], process: self,
            continuation: continuation, closure: closure)
        Thread.detachNewThread { reader.run() }
    }

    /// Writes `message` and a newline; waits while the server's input pipe is full.
    ///
    /// Throws `MCPTransportError.serverExited` when the server no longer reads, and
    /// `CancellationError` when the task is cancelled while waiting.
    func write(_ message: Data) async throws {
        var bytes = message
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                writeBytes(input, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EINTR {
                try await Task.sleep(for: .milliseconds(2))
            } else {
                throw MCPTransportError.serverExited("it stopped reading its input (\(exitDescription))")
            }
        }
    }

    /// The end of what the server wrote to standard error.
    var errorTail: String {
        state.withLock { String(decoding: $0.errorTail, as: UTF8.self) }
    }

    /// How the server ended, or that it still runs; it is not reaped.
    var exitDescription: String {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(processID), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return "it exited" }
        #if canImport(Darwin)
            let (pid, status) = (info.si_pid, info.si_status)
        #else
            let (pid, status) = (info._sifields._sigchld.si_pid, info._sifields._sigchld.si_status)
        #endif
        guard pid == processID else { return "it still runs" }
        return info.si_code == CLD_EXITED ? "exit status \(status)" : "killed by signal \(status)"
    }

    /// Ends the server's whole process group and reaps it; waits at most the grace period before
    /// `SIGKILL`. Safe to call more than once.
    func terminate() async {
        let first = state.withLock { state -> Bool in
            defer { state.terminated = true }
            return !state.terminated
        }
        guard first else { return }
        close(input)
        kill(-processID, SIGTERM)
        let deadline = ContinuousClock.now + gracePeriod
        while !ChildProcess.hasExited(processID), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(-processID, SIGKILL)
        var status: Int32 = 0
        while waitpid(processID, &status, 0) < 0, errno == EINTR {}
        var one: UInt8 = 1
        _ = writeBytes(wake.write, &one, 1)
        close(wake.write)
    }

    fileprivate func keepError(_ bytes: Data) {
        state.withLock { state in
            state.errorTail.append(bytes)
            if state.errorTail.count > 4096 { state.errorTail = state.errorTail.suffix(4096) }
        }
    }

    /// Writing to a server that has gone must be an error, not the end of this process.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}

/// The thread side of `StdioServerProcess`: reads until the output ends or it is woken.
private struct Reader: @unchecked Sendable {
    let output: Int32
    let errors: Int32?
    let wake: Int32
    let process: StdioServerProcess
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    let closure: ClosureSignal

    func run() {
        var pending = Data()
        var errorOpen = errors != nil
        defer {
            close(output)
            if let errors { close(errors) }
            close(wake)
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var polled = [
                pollfd(fd: output, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            if errorOpen, let errors { polled.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else {
                return finish(MCPTransportError.serverExited(String(cString: strerror(errno))))
            }
            if polled[1].revents != 0 { return finish(MCPTransportError.closed) }
            if errorOpen, let errors, polled.count > 2, polled[2].revents != 0 {
                let count = read(errors, &buffer, buffer.count)
                if count > 0 {
                    process.keepError(Data(buffer[..<count]))
                } else if count == 0 || errno != EAGAIN && errno != EINTR {
                    errorOpen = false
                }
            }
            guard polled[0].revents != 0 else { continue }
            let count = read(output, &buffer, buffer.count)
            if count < 0, errno == EAGAIN || errno == EINTR { continue }
            if count <= 0 {
                return finish(MCPTransportError.serverExited(ending()))
            }
            pending.append(contentsOf: buffer[..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                let trimmed = line.drop {
                    $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t")
                }
                guard let first = trimmed.first else { continue }
                guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
                    return finish(MCPTransportError.notJSONRPC(String(decoding: line.prefix(120), as: UTF8.self)))
                }
                continuation.yield(Data(line))
            }
            if pending.count > StdioServerProcess.messageLimit {
                return finish(MCPTransportError.messageTooLong(limit: StdioServerProcess.messageLimit))
            }
        }
    }

    /// The server's exit and the end of its standard error, once it closed its output.
    private func ending() -> String {
        // Give the process a moment to exit, and standard error to drain, after closing its output.
        var exit = process.exitDescription
        for _ in 0..<20 where exit == "it still runs" {
            usleep(10_000)
            exit = process.exitDescription
        }
        if let errors {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(errors, &buffer, buffer.count)
                guard count > 0 else { break }
                process.keepError(Data(buffer[..<count]))
            }
        }
        let tail = process.errorTail.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
        return (exit == "it still runs" ? "it closed its output" : exit) + (tail.isEmpty ? "" : "; it said: \(tail)")
    }

    private func finish(_ error: MCPTransportError) {
        closure.fire(error)
        continuation.finish(throwing: error)
    }
}

/// `write(2)`, under a name the transport's own `write` does not hide.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
