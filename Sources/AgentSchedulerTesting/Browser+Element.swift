import AgentSchedulerCore
import Foundation

extension Browser {
    /// One DOM element of the page, by its WebDriver element id.
    ///
    /// The id is valid while the element is in the document: after a navigation or a re-render
    /// that replaced it, commands fail with `stale element reference`; find it again.
    public struct Element: Sendable {
        /// WebDriver's id for the element.
        public let id: String
        private let browser: Browser

        /// The element from a WebDriver element reference (`{"element-6066-…": ID}`).
        init(_ reference: JSONValue, browser: Browser) throws {
            guard let id = reference[Browser.elementKey]?.stringValue else {
                throw BrowserError.badResponse(
                    command: "find element", status: 200, detail: "not an element: \(reference.jsonText)")
            }
            self.id = id
            self.browser = browser
        }

        /// The elements of an array of element references.
        static func all(_ references: JSONValue, browser: Browser) throws -> [Element] {
            guard case .array(let references) = references else {
                throw BrowserError.badResponse(
                    command: "find elements", status: 200, detail: "not an array: \(references.jsonText)")
            }
            return try references.map { try Element($0, browser: browser) }
        }

        /// The element as a script argument for ``Browser/execute(_:arguments:)``.
        public var json: JSONValue { .object([(Browser.elementKey, .string(id))]) }

        /// Clicks the element's centre (scrolling it into view); throws `element not interactable`
        /// when it is hidden or covered.
        public func click() async throws {
            _ = try await command(.POST, "/click")
        }

        /// Types `text` into the element (after what it holds), as key presses.
        public func type(_ text: String) async throws {
            _ = try await command(.POST, "/value", .object([("text", .string(text))]))
        }

        /// Empties an input or textarea.
        public func clear() async throws {
            _ = try await command(.POST, "/clear")
        }

        /// The element's rendered text (`innerText`: hidden parts left out).
        public func text() async throws -> String {
            try await browser.string(command(.GET, "/text"), from: "GET element text")
        }

        /// The HTML attribute `name` as written in the markup, or `nil` when it is absent.
        public func attribute(_ name: String) async throws -> String? {
            let value = try await command(.GET, "/attribute/\(name)")
            if value == .null { return nil }
            return try browser.string(value, from: "GET element attribute")
        }

        /// The DOM property `name` now (`value` of an input as typed, `checked`, `selected`).
        public func property(_ name: String) async throws -> JSONValue {
            try await command(.GET, "/property/\(name)")
        }

        /// The first element inside this one matching `css`; throws `no such element` when none does.
        public func find(_ css: String) async throws -> Element {
            try await Element(command(.POST, "/element", Browser.locator(css)), browser: browser)
        }

        /// Every element inside this one matching `css`.
        public func findAll(_ css: String) async throws -> [Element] {
            try await Element.all(command(.POST, "/elements", Browser.locator(css)), browser: browser)
        }

        /// On a `<select>`: chooses the `<option>` whose `value` attribute is `value`, by clicking
        /// it (which fires `change` as a user's choice does); throws ``BrowserError/noSuchOption(value:)``.
        public func select(value: String) async throws {
            for option in try await findAll("option") {
                guard try await option.attribute("value") == value else { continue }
                try await option.click()
                return
            }
            throw BrowserError.noSuchOption(value: value)
        }

        private func command(
            _ method: WebDriverMethod, _ path: String, _ body: JSONValue? = nil
        ) async throws -> JSONValue {
            try await browser.command(method, "/element/\(id)" + path, body)
        }
    }
}
