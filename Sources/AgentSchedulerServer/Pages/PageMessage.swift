/// A line shown at the top of a page's `<main>`: what an action did, or why it was refused.
public enum PageMessage: Sendable, Hashable {
    /// What happened (`message 3 queued`): `<p class="notice" role="status">`.
    case notice(String)
    /// What went wrong: `<p class="error" role="alert">`.
    case error(String)

    /// The paragraph.
    var html: HTML {
        switch self {
        case .notice(let text): HTML.element("p", ["class": "notice", "role": "status"], .text(text))
        case .error(let text): HTML.element("p", ["class": "error", "role": "alert"], .text(text))
        }
    }
}
