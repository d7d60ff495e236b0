/// The Agents page's static files, served by the server: `script` at `/assets/app.js`
/// (`text/javascript; charset=utf-8`) and `stylesheet` at `/assets/app.css`
/// (`text/css; charset=utf-8`).
///
/// Both are plain text with no build step and load nothing else, so they work under
/// `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'`. The script
/// reads the markup `AgentsPages` writes (ids, classes and `data-` attributes documented there)
/// and builds everything with DOM APIs and `textContent`, never `innerHTML`.
public enum AgentsPageAssets {
    /// The path the script is served at.
    public static let scriptPath = "/assets/app.js"
    /// The path the stylesheet is served at.
    public static let stylesheetPath = "/assets/app.css"
}
