import AgentSchedulerCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP methods WebDriver commands use (`GET`, `POST`, `DELETE`).
typealias WebDriverMethod = NIOHTTP1.HTTPMethod

/// A real headless Chromium for tests, driven by chromedriver over W3C WebDriver (JSON over HTTP).
///
/// ``launch(arguments:)`` starts `chromedriver --port=P` on a free loopback port, waits for its
/// `GET /status` to say ready, and opens a session on a fresh profile folder: headless, no sandbox
/// (the tests run as root), 1280×900, every browser console message kept (``consoleMessages()``),
/// and prompts left open (`unhandledPromptBehavior: ignore`) so that ``alertText()`` sees them.
/// Every command checks the HTTP status and decodes `{"value": …}`; a WebDriver error is thrown as
/// ``BrowserError/webDriver(code:message:command:)``.
///
/// Call ``close()`` when done (``withBrowser(arguments:_:)`` does): it ends the session, waits for
/// Chromium's processes to go and stops chromedriver. A browser dropped without `close()` kills
/// them all when it is deinitialised, so a failing test leaves no Chromium behind. Commands are
/// sent one at a time by the caller; WebDriver runs them in order.
public final class Browser: Sendable {
    /// chromedriver's process.
    public var driverProcessID: pid_t { driver.processIdentifier }
    /// The WebDriver session's id.
    public let sessionID: String
    /// Chromium's browser process (chromedriver's `goog:processID`), when chromedriver reported it.
    public let browserProcessID: pid_t?
    /// `http://127.0.0.1:PORT/session/ID`: what every session command's path follows.
    let sessionURL: String
    private let driver: SpawnedProgram
    /// The folder holding the profile, the `HOME` Chromium writes to and chromedriver's log.
    private let scratch: URL
    private let closed = Mutex(false)

    /// How long one command may take before the browser is considered hung (page loads included).
    static let commandTimeout: Duration = .seconds(90)

    /// The key W3C WebDriver marks an element reference with.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    private init(sessionID: String, browserProcessID: pid_t?, port: Int, driver: SpawnedProgram, scratch: URL) {
        self.sessionID = sessionID
        self.browserProcessID = browserProcessID
        self.sessionURL = "http://127.0.0.1:\(port)/session/\(sessionID)"
        self.driver = driver
        self.scratch = scratch
    }

    /// Starts chromedriver and a Chromium session; `arguments` are added to Chromium's.
    ///
    /// Allows a minute for chromedriver to listen and two for Chromium to start, for a loaded
    /// machine. Throws ``BrowserError/missing(_:)`` when the programs are not installed and
    /// ``BrowserError/didNotStart(detail:)`` (with chromedriver's log) when they do not come up.
    public static func launch(arguments: [String] = []) async throws -> Browser {
        try requirePrograms()
        let scratch = FileManager.default.temporaryDirectory.appending(path: "agentsched-browser-\(UUID().uuidString)")
        let profile = scratch.appending(path: "profile")
        let home = scratch.appending(path: "home")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let log = scratch.appending(path: "chromedriver.log")
        let port = try MCPPeer.freePort()
        let driver = try SpawnedProgram(
            executable: chromedriverPath, arguments: ["--port=\(port)"],
            environment: [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path,
                "LANG": "C.UTF-8", "TMPDIR": scratch.path,
            ],
            standardOutput: .file(log), standardError: .output)
        do {
            let driverURL = "http://127.0.0.1:\(port)"
            try await waitUntil("chromedriver to answer GET /status ready", timeout: .seconds(60)) {
                if driver.termination != nil { throw BrowserError.didNotStart(detail: "chromedriver exited") }
                let status = try await send(.GET, driverURL + "/status", timeout: .seconds(5))
                return status["ready"]?.boolValue == true
            }
            let chromium: [String] = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=\(profile.path)",
            ]
            let capabilities: JSONValue = .object([
                ("browserName", .string("chrome")),
                ("unhandledPromptBehavior", .string("ignore")),
                ("timeouts", .object([("pageLoad", .number("60000")), ("script", .number("30000"))])),
                (
                    "goog:chromeOptions",
                    .object([
                        ("binary", .string(chromiumPath)),
                        ("args", .array((chromium + arguments).map(JSONValue.string))),
                    ])
                ),
                ("goog:loggingPrefs", .object([("browser", .string("ALL"))])),
            ])
            let session = try await send(
                .POST, driverURL + "/session",
                body: .object([("capabilities", .object([("alwaysMatch", capabilities)]))]), timeout: .seconds(120))
            guard let sessionID = session["sessionId"]?.stringValue else {
                throw BrowserError.badResponse(command: "POST /session", status: 200, detail: "no sessionId")
            }
            let processID = session["capabilities"]?["goog:processID"]?.intValue.map { pid_t($0) }
            return Browser(
                sessionID: sessionID, browserProcessID: processID, port: port, driver: driver, scratch: scratch)
        } catch {
            let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            await stop(driver: driver, scratch: scratch, gracefully: false)
            throw BrowserError.didNotStart(detail: "\(error); chromedriver logged: \(logged.suffix(2000))")
        }
    }

    /// Runs `body` with a launched browser and closes it whether `body` returns or throws.
    public static func withBrowser<T>(
        arguments: [String] = [], _ body: (Browser) async throws -> T
    ) async throws -> T {
        let browser = try await launch(arguments: arguments)
        do {
            let result = try await body(browser)
            await browser.close()
            return result
        } catch {
            await browser.close()
            throw error
        }
    }

    /// Ends the session, waits (at most 15 s) for Chromium's processes to exit, killing any that
    /// stay, stops chromedriver and removes the profile. Calling it again does nothing.
    public func close() async {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        _ = try? await Self.send(.DELETE, sessionURL, timeout: .seconds(30))
        await Self.stop(driver: driver, scratch: scratch, gracefully: true)
    }

    deinit {
        let forgotten = closed.withLock { $0 == false }
        if forgotten { Self.kill(driver: driver, scratch: scratch) }
    }

    /// Sends one session command: `path` follows `/session/ID` (`/url`, `/element/ID/click`).
    func command(_ method: WebDriverMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        guard closed.withLock({ $0 == false }) else { throw BrowserError.closed }
        return try await Self.send(method, sessionURL + path, body: body, timeout: Self.commandTimeout)
    }

    /// One WebDriver request: the answer's `value`, or the WebDriver error it carries, thrown.
    ///
    /// A `POST` without a body sends `{}`, as WebDriver requires.
    static func send(
        _ method: WebDriverMethod, _ url: String, body: JSONValue? = nil, timeout: Duration
    ) async throws(BrowserError) -> JSONValue {
        let name = "\(method.rawValue) \(URLComponents(string: url)?.path ?? url)"
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body = body ?? (method == .POST ? .object([]) : nil) {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body.jsonData))
        }
        let status: Int
        let data: Data
        do {
            let response = try await HTTPClient.shared.execute(
                request, timeout: .seconds(timeout.components.seconds))
            status = Int(response.status.code)
            let bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
            data = Data(bytes.readableBytesView)
        } catch {
            throw .badResponse(command: name, status: 0, detail: "\(error)")
        }
        guard let answer = try? JSONValue(parsing: data), let value = answer["value"] else {
            throw .badResponse(
                command: name, status: status,
                detail: "not WebDriver JSON: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        guard (200..<300).contains(status) else {
            guard let code = value["error"]?.stringValue else {
                throw .badResponse(command: name, status: status, detail: "an error without a code: \(value.jsonText)")
            }
            throw .webDriver(code: code, message: value["message"]?.stringValue ?? "", command: name)
        }
        return value
    }

    /// Calls `condition` every `interval` until it returns true, or throws
    /// ``BrowserError/timedOut(waiting:timeout:lastError:)`` naming `what` after `timeout`.
    ///
    /// A condition that throws (an element not there yet) counts as not yet; the last error is
    /// in the timeout's message. The timeout guards against a hang, it is not a speed check.
    /// ``waitUntil(_:timeout:pollEvery:_:)`` is the same on a browser.
    public static func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), pollEvery interval: Duration = .milliseconds(100),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while true {
            do {
                if try await condition() { return }
                lastError = nil
            } catch let error as BrowserError {
                if case .didNotStart = error { throw error }
                lastError = error
            } catch {
                lastError = error
            }
            if ContinuousClock.now >= deadline {
                throw BrowserError.timedOut(waiting: what, timeout: timeout, lastError: lastError.map { "\($0)" })
            }
            try await Task.sleep(for: interval)
        }
    }
}
