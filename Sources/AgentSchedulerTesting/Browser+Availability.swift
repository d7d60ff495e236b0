import Foundation

/// Where the browser's programs are, and whether browser tests run.
///
/// The programs are `AGENTSCHED_CHROMEDRIVER` and `AGENTSCHED_CHROMIUM`, else Debian's
/// `/usr/bin/chromedriver` and `/usr/bin/chromium` (`apt-get install chromium chromium-driver`).
/// Suites that drive a browser are enabled only when both are there, unless
/// `AGENTSCHED_REQUIRE_BROWSER=1` (CI sets it): then a missing browser fails them instead.
/// A suite declares it with
/// `.enabled(if: Browser.enabled, Comment(rawValue: Browser.skipReason))`, so a skip prints one
/// line saying why.
extension Browser {
    /// The chromedriver executable the tests use.
    public static let chromedriverPath =
        ProcessInfo.processInfo.environment["AGENTSCHED_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    /// The Chromium executable chromedriver starts.
    public static let chromiumPath = ProcessInfo.processInfo.environment["AGENTSCHED_CHROMIUM"] ?? "/usr/bin/chromium"

    /// Whether the browser must be there (CI).
    public static let isRequired = ProcessInfo.processInfo.environment["AGENTSCHED_REQUIRE_BROWSER"] == "1"

    /// What is missing, or `nil` when both programs are there.
    public static let missingPrograms: String? = {
        let missing = [chromedriverPath, chromiumPath].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return missing.isEmpty ? nil : missing.joined(separator: " and ")
    }()

    /// Whether suites that drive a browser run: it is there, or it is required (and its absence
    /// then fails them).
    public static let enabled = missingPrograms == nil || isRequired

    /// The one line a skipped suite prints.
    public static let skipReason =
        "no headless browser: \(missingPrograms ?? "nothing") missing; apt-get install chromium chromium-driver, "
        + "or set AGENTSCHED_CHROMEDRIVER and AGENTSCHED_CHROMIUM (AGENTSCHED_REQUIRE_BROWSER=1 fails instead)"

    /// Throws ``BrowserError/missing(_:)`` unless both programs are there.
    public static func requirePrograms() throws(BrowserError) {
        if let missingPrograms {
            throw .missing(
                "the headless browser is required (AGENTSCHED_REQUIRE_BROWSER=1) but \(missingPrograms) "
                    + "is missing: apt-get install chromium chromium-driver")
        }
    }
}
