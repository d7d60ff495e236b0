import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide protections applied once at start-up.
enum ProcessHardening {
    /// Makes the process non-dumpable on Linux (`prctl(PR_SET_DUMPABLE, 0)`): no core dumps, and other
    /// processes of the same non-root user can no longer read its `/proc/PID/environ`, `mem` or `maps`,
    /// where the API keys live. Returns whether it took effect; elsewhere it does nothing.
    ///
    /// `prctl` is variadic, which Swift does not import; it is called through its symbol with the
    /// fixed five-argument shape the kernel takes.
    @discardableResult
    static func makeNonDumpable() -> Bool {
        #if os(Linux)
            typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
            // A null handle is glibc's RTLD_DEFAULT: the symbol as the process resolves it.
            guard let symbol = dlsym(nil, "prctl") else { return false }
            let prctl = unsafeBitCast(symbol, to: Prctl.self)
            let setDumpable: Int32 = 4  // PR_SET_DUMPABLE
            return prctl(setDumpable, 0, 0, 0, 0) == 0
        #else
            return false
        #endif
    }
}
