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
    /// Where the icon is served (and at `/favicon.ico`, where browsers look by themselves).
    public static let iconPath = "/assets/icon.svg"

    /// The icon: a small SVG, so no binary file ships with the binary.
    public static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f6feb"/>\
        <path d="M4 11.5 8 4l4 7.5H9.6L8 8.4 6.4 11.5z" fill="#fff"/></svg>
        """
}
