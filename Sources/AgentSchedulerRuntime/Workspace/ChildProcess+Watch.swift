#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ChildProcess {
    /// How long to wait for the output pipes to close after `SIGKILL`: past it, a process that left
    /// the group (`setsid`) still holds them, and they are abandoned.
    static let pipeDrainLimit: Duration = .seconds(1)

    /// Reads the child's output until the child and its group are gone; blocks the calling thread.
    ///
    /// The group leader is waited for with `WNOWAIT` and reaped only at the very end, so its id —
    /// the group's id — cannot be reused while signals are still sent to the group.
    func watch(_ child: SpawnedChild, stop: StopRequest) -> ChildProcessOutcome {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        var output = CapturedOutput(headLimit: outputLimit.head, tailLimit: outputLimit.tail)
        var errors = CapturedOutput(headLimit: outputLimit.head, tailLimit: outputLimit.tail)
        var outputDescriptor: Int32? = child.outputDescriptor
        var errorDescriptor = child.errorDescriptor
        var leaderExited = false
        var ending: ChildProcessOutcome.Ending?
        var terminatedAt: ContinuousClock.Instant?
        var killedAt: ContinuousClock.Instant?
        var idleWait: Int32 = 1
        let group = -child.processID

        while true {
            let open = [outputDescriptor, errorDescriptor].compactMap { $0 }
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if polled.isEmpty {
                // Only the process is left to wait for: back off from 1 ms to 20 ms.
                _ = poll(nil, 0, idleWait)
                idleWait = min(idleWait * 2, 20)
            } else {
                _ = poll(&polled, nfds_t(polled.count), 20)
            }
            if let descriptor = outputDescriptor, !drain(descriptor, into: &output) {
                close(descriptor)
                outputDescriptor = nil
            }
            if let descriptor = errorDescriptor, !drain(descriptor, into: &errors) {
                close(descriptor)
                errorDescriptor = nil
            }
            if !leaderExited { leaderExited = Self.hasExited(child.processID) }

            let now = clock.now
            if ending == nil {
                if leaderExited {
                    ending = .finished
                } else if stop.isRequested {
                    ending = .cancelled
                } else if let deadline, now >= deadline {
                    ending = .timedOut
                }
                if ending != nil {
                    // Whatever the program left running in its group is ended with it.
                    kill(group, SIGTERM)
                    terminatedAt = now
                }
            }
            guard let terminatedAt else { continue }
            if leaderExited && outputDescriptor == nil && errorDescriptor == nil { break }
            if killedAt == nil, now - terminatedAt >= killGracePeriod {
                kill(group, SIGKILL)
                killedAt = now
            }
            if let killedAt, leaderExited, now - killedAt >= Self.pipeDrainLimit { break }
        }

        // Members that ignored SIGTERM and closed their output are still here: end them too.
        kill(group, SIGKILL)
        if let outputDescriptor { close(outputDescriptor) }
        if let errorDescriptor { close(errorDescriptor) }
        output.finish()
        errors.finish()
        return ChildProcessOutcome(
            processID: child.processID, termination: Self.reap(child.processID), ending: ending ?? .finished,
            standardOutput: output, standardError: errors)
    }

    /// Reads what is available, at most 1 MiB so that a fast writer cannot hold off the timeout;
    /// `false` at end of file.
    private func drain(_ descriptor: Int32, into captured: inout CapturedOutput) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        for _ in 0..<16 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBufferPointer { captured.append(UnsafeBufferPointer(rebasing: $0[..<count])) }
            } else if count == 0 {
                return false
            } else if errno == EINTR {
                continue
            } else {
                return errno == EAGAIN || errno == EWOULDBLOCK
            }
        }
        return true
    }

    /// Whether the process has exited, leaving it unreaped.
    static func hasExited(_ processID: pid_t) -> Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(processID), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else {
            return errno == ECHILD
        }
        #if canImport(Darwin)
            return info.si_pid == processID
        #else
            return info._sifields._sigchld.si_pid == processID
        #endif
    }

    /// Reaps the exited process and decodes its status.
    private static func reap(_ processID: pid_t) -> ChildProcessOutcome.Termination {
        var status: Int32 = 0
        while waitpid(processID, &status, 0) == -1 {
            guard errno == EINTR else { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
