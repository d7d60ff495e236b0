#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One session's bubblewrap sandbox: the command line that runs a program where it sees the
/// system read-only, the session's repository read-write, a private `/tmp`, and nothing else of
/// this machine (DESIGN §13).
///
/// Inside, the program runs in new user, PID, IPC, UTS, cgroup and network namespaces (network:
/// loopback only, unless `network` is `.host`), in a session of its own (no terminal to inject
/// into), with every capability dropped. Its PID namespace ends with it: `bwrap` is its init, so
/// when the program exits or `bwrap` is killed, everything it started — `setsid` and double-forked
/// daemons included — is killed by the kernel. `--die-with-parent` ends the sandbox when the
/// thread that started it goes away, so start sandboxes from a thread that lives as long as the
/// command (`ChildProcess` does).
///
/// Paths keep their names inside, so output the model sees names the same files as outside.
public struct Sandbox: Sendable, Hashable {
    /// The system folders bound read-only (or recreated as the symlinks they are on this machine).
    public static let systemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"]

    public var bubblewrap: Bubblewrap
    /// The session's own repository: bound read-write at its own path.
    public var writable: String
    /// Folders bound read-only at their own paths: the objects the session's repository borrows.
    public var readOnly: [String]
    /// Folders covered by an empty file system when they lie inside a system folder (the
    /// workspace, the state folder, the source repository), so that nothing of them shows.
    public var hidden: [String]
    public var network: SandboxNetwork

    public init(
        bubblewrap: Bubblewrap, writable: String, readOnly: [String] = [], hidden: [String] = [],
        network: SandboxNetwork = .loopback
    ) {
        self.bubblewrap = bubblewrap
        self.writable = writable
        self.readOnly = readOnly
        self.hidden = hidden
        self.network = network
    }

    /// The program and arguments that run `executable ARGUMENTS` in the sandbox, in `directory`
    /// (which must be `writable` or inside it).
    ///
    /// `executable` is looked up on the sandboxed program's `PATH` when it has no `/`.
    public func command(_ executable: String, _ arguments: [String], in directory: String) -> (String, [String]) {
        var options = ["--unshare-all"]
        if network == .host { options.append("--share-net") }
        options += ["--die-with-parent", "--new-session"]
        if geteuid() == 0 { options += ["--cap-drop", "ALL"] }
        for folder in Self.systemFolders {
            var info = stat()
            guard lstat(folder, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                if let target = Self.linkTarget(folder) { options += ["--symlink", target, folder] }
            case S_IFDIR:
                options += ["--ro-bind", folder, folder]
            default:
                continue
            }
        }
        options += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]
        for folder in hidden where Self.systemFolders.contains(where: { Self.isInside(folder, $0) }) {
            options += ["--tmpfs", folder]
        }
        for folder in readOnly { options += ["--ro-bind", folder, folder] }
        options += ["--bind", writable, writable, "--chdir", directory, "--", executable]
        return (bubblewrap.path, options + arguments)
    }

    /// Whether `path` is `folder` or inside it.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What network a sandboxed command has.
public enum SandboxNetwork: String, Sendable, Hashable, Codable {
    /// A network namespace of its own with only loopback: no other host is reachable.
    case loopback
    /// The machine's network (a profile asked for it and the organisation's policy allows it).
    case host
}
