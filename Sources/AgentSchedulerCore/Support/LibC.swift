#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// C library functions the Swift overlay does not expose on Linux (they are GNU extensions), looked
/// up once at run time.
///
/// Each is `nil` when the C library lacks it; callers fall back or report the gap.
public enum LibC {
    public typealias SpawnFileActions = UnsafeMutablePointer<posix_spawn_file_actions_t>
    public typealias AddChangeDirectory = @convention(c) (SpawnFileActions?, UnsafePointer<CChar>?) -> Int32
    public typealias AddCloseFrom = @convention(c) (SpawnFileActions?, Int32) -> Int32
    public typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29, macOS 10.15): the child's working folder.
    public static let addChangeDirectory: AddChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): close every descriptor from N up in
    /// the child, so it inherits none of ours.
    public static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    /// `pipe2`: a pipe whose ends are close-on-exec from the start, with no window in which a
    /// process spawned by another thread could inherit them.
    public static let pipe2: Pipe2? = symbol("pipe2")

    /// Calls `body` with `arguments` and `environment` (sorted by name, as `NAME=value`) as the
    /// nil-terminated C vectors `posix_spawn` takes, freed when it returns.
    public static func withSpawnVectors<Result>(
        arguments: [String], environment: [String: String],
        _ body: ([UnsafeMutablePointer<CChar>?], [UnsafeMutablePointer<CChar>?]) -> Result
    ) -> Result {
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        return body(argv, envp)
    }

    private static func symbol<Function>(_ name: String) -> Function? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: Function.self)
    }
}
