import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stopping chromedriver and every Chromium process of one browser.
///
/// Chromium's processes are found by the browser's scratch folder in their command lines: the
/// browser, zygote, renderer and utility processes carry `--user-data-dir=SCRATCH/profile`, and the
/// crash handlers, which detach from the process tree at once, `--database=SCRATCH/home/…`.
/// Killing chromedriver alone would leave Chromium running (it does not take its browser down on
/// `SIGTERM`).
extension Browser {
    /// After the session ended: waits for Chromium's processes to exit (at most 15 s, then kills
    /// them), kills chromedriver and removes `scratch`. Without `gracefully`, kills at once.
    static func stop(driver: SpawnedProgram, scratch: URL, gracefully: Bool) async {
        if gracefully {
            try? await waitUntil("Chromium's processes to exit", timeout: .seconds(15)) {
                processes(using: scratch).isEmpty
            }
        }
        for process in processes(using: scratch) { Glibc.kill(process, SIGKILL) }
        // chromedriver may not exit on SIGTERM while a client (HTTPClient's pool) keeps a
        // connection open; with its session ended and Chromium gone, nothing is lost by SIGKILL.
        driver.signal(SIGKILL)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                _ = driver.waitForExit()
                continuation.resume()
            }
        }
        try? FileManager.default.removeItem(at: scratch)
    }

    /// For a browser never closed: kills Chromium's processes and chromedriver, reaps chromedriver
    /// and removes `scratch`, blocking briefly (the processes are gone once killed).
    static func kill(driver: SpawnedProgram, scratch: URL) {
        for process in processes(using: scratch) { Glibc.kill(process, SIGKILL) }
        driver.signal(SIGKILL)
        _ = driver.waitForExit()
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The live processes whose command line mentions `scratch` (zombies have none).
    static func processes(using scratch: URL) -> [pid_t] {
        let marker = Data(scratch.path.utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let process = pid_t(entry), process != getpid(),
                let handle = FileHandle(forReadingAtPath: "/proc/\(entry)/cmdline")
            else { return nil }
            defer { try? handle.close() }
            // `/proc` files report a size of 0: read them to their end.
            guard TestProcess.readAll(handle).range(of: marker) != nil
            else { return nil }
            return process
        }
    }
}
