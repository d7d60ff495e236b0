import AgentSchedulerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A started child: its id (also its process group's id), the read ends of its output pipes and,
/// when it takes input, the write end of its input pipe.
struct SpawnedChild: Sendable {
    var processID: pid_t
    var outputDescriptor: Int32
    /// `nil` when standard error goes into the output pipe.
    var errorDescriptor: Int32?
    /// `nil` when standard input is `/dev/null`.
    var inputDescriptor: Int32? = nil
}

extension ChildProcess {
    /// Starts the program in a new process group, its output (and input, when it takes input)
    /// going through fresh pipes, all non-blocking on this side.
    func spawn() -> Result<SpawnedChild, ChildProcessError> {
        var pipes: [(read: Int32, write: Int32)] = []
        func closeAll() {
            for pipe in pipes {
                close(pipe.read)
                close(pipe.write)
            }
        }
        for _ in 0..<(1 + (mergesStandardError ? 0 : 1) + (takesStandardInput ? 1 : 0)) {
            switch makePipe() {
            case .success(let pipe): pipes.append(pipe)
            case .failure(let error):
                closeAll()
                return .failure(error)
            }
        }
        let outputPipe = pipes[0]
        let errorPipe = mergesStandardError ? nil : pipes[1]
        let inputPipe = takesStandardInput ? pipes[pipes.count - 1] : nil
        let status = startProcess(
            outputWrite: outputPipe.write, errorWrite: errorPipe?.write ?? outputPipe.write, inputRead: inputPipe?.read)
        close(outputPipe.write)
        if let errorPipe { close(errorPipe.write) }
        if let inputPipe { close(inputPipe.read) }
        switch status {
        case .success(let processID):
            for descriptor in [outputPipe.read, errorPipe?.read, inputPipe?.write].compactMap({ $0 }) {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            }
            return .success(
                SpawnedChild(
                    processID: processID, outputDescriptor: outputPipe.read, errorDescriptor: errorPipe?.read,
                    inputDescriptor: inputPipe?.write))
        case .failure(let error):
            close(outputPipe.read)
            if let errorPipe { close(errorPipe.read) }
            if let inputPipe { close(inputPipe.write) }
            return .failure(error)
        }
    }

    private func startProcess(
        outputWrite: Int32, errorWrite: Int32, inputRead: Int32?
    ) -> Result<
        pid_t, ChildProcessError
    > {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }

        if let inputRead {
            posix_spawn_file_actions_adddup2(&actions, inputRead, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outputWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, errorWrite, 2)
        if let standardOutputFile {
            posix_spawn_file_actions_addopen(&actions, 1, standardOutputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        #if canImport(Darwin)
            posix_spawn_file_actions_addchdir_np(&actions, directory)
        #else
            guard let changeDirectory = LibC.addChangeDirectory else {
                return .failure(
                    .spawnFailed(executable: executable, reason: "the C library cannot set a child's working folder"))
            }
            _ = changeDirectory(&actions, directory)
            // Descriptors this process opened without close-on-exec (other libraries') stay here.
            if let closeFrom = LibC.addCloseFrom { _ = closeFrom(&actions, 3) }
        #endif

        // A process group of its own, no blocked signals, default dispositions for the signals a
        // parent commonly ignores or handles.
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2, SIGTSTP] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var processID = pid_t()
        let status = LibC.withSpawnVectors(arguments: [executable] + arguments, environment: environment) {
            argv, envp in
            executable.contains("/")
                ? posix_spawn(&processID, executable, &actions, &attributes, argv, envp)
                : posix_spawnp(&processID, executable, &actions, &attributes, argv, envp)
        }
        guard status == 0 else {
            return .failure(.spawnFailed(executable: executable, reason: String(cString: strerror(status))))
        }
        return .success(processID)
    }

    private func makePipe() -> Result<(read: Int32, write: Int32), ChildProcessError> {
        var descriptors: [Int32] = [-1, -1]
        let status: Int32
        if let pipe2 = LibC.pipe2 {
            status = pipe2(&descriptors, O_CLOEXEC)
        } else {
            status = pipe(&descriptors)
            if status == 0 {
                for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            }
        }
        guard status == 0 else {
            return .failure(.spawnFailed(executable: executable, reason: String(cString: strerror(errno))))
        }
        return .success((descriptors[0], descriptors[1]))
    }
}
