import AgentSchedulerLedger

extension AgentsPageAssets {
    /// `/assets/app.css`: the pages' look, light and dark; it also colours the SVG charts (their
    /// `.bar`, `.used`, `.reserved`, `.remaining` shapes) and the diff's lines.
    public static let stylesheet: String = #"""
        :root {
          --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
          --accent: #0969da; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --idle: #6e7781;
          --add-bg: #dafbe1; --del-bg: #ffebe9; --hunk-bg: #ddf4ff;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
            --accent: #4493f8; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --idle: #9198a1;
            --add-bg: #12261e; --del-bg: #25171c; --hunk-bg: #121d2f;
          }
        }
        [hidden] { display: none !important; }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: var(--bg); color: var(--fg);
          font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
        }
        a { color: var(--accent); text-decoration: none; }
        a:hover, a:focus { text-decoration: underline; }
        header.top {
          display: flex; align-items: center; gap: 1.5rem; padding: 0.6rem 1.5rem;
          border-bottom: 1px solid var(--line); background: var(--panel);
        }
        header.top .brand { font-weight: 600; color: var(--fg); }
        header.top nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        header.top nav a { color: var(--muted); padding: 0.3rem 0.5rem; border-radius: 6px; }
        header.top nav a[aria-current="page"] { color: var(--fg); background: var(--bg); font-weight: 600; }
        header.top .user { margin-left: auto; color: var(--muted); }
        main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
        .notice, .error { padding: 0.6rem 0.9rem; border-radius: 6px; border: 1px solid var(--line); }
        .notice { border-color: var(--ok); }
        .error { border-color: var(--bad); color: var(--bad); }
        .empty { color: var(--muted); }
        table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
        caption { text-align: left; color: var(--muted); padding: 0.2rem 0; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { color: var(--muted); font-weight: 600; font-size: 0.85rem; }
        th.number { text-align: right; }
        td.number, td.cost, td.age, td.used, td.reserved, td.remaining, td.limit { text-align: right;
          font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.issue { overflow-wrap: anywhere; }
        td.issue .ref { color: var(--muted); }
        td.issue .title { color: var(--fg); }
        .group h2 { display: none; }
        .badge {
          display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.8rem;
          border: 1px solid currentColor; color: var(--idle); white-space: nowrap;
        }
        .badge[data-state="running"] { color: var(--accent); }
        .badge[data-state="throttled"], .badge[data-state="blocked"], .badge[data-state="interrupted"] {
          color: var(--warn);
        }
        .badge[data-state="completed"] { color: var(--ok); }
        .badge[data-state="failed"], .badge[data-state="denied"], .badge[data-state="timed-out"] { color: var(--bad); }
        s.asked { color: var(--muted); }
        dl.details, dl.outputs { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        pre {
          background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem;
          overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.3rem 0;
          font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        }
        pre.diff { white-space: pre; }
        pre.diff .line { display: block; }
        pre.diff .add { background: var(--add-bg); }
        pre.diff .del { background: var(--del-bg); }
        pre.diff .hunk { background: var(--hunk-bg); color: var(--muted); }
        pre.diff .meta { font-weight: 600; }
        form { margin: 0.5rem 0 1rem; }
        form .field { display: flex; flex-direction: column; gap: 0.2rem; margin: 0.5rem 0; }
        label { color: var(--muted); }
        input, select, textarea, button { font: inherit; color: inherit; }
        input[type="text"], input[type="password"], select, textarea {
          background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.35rem 0.5rem;
          max-width: 40rem; width: 100%;
        }
        textarea { display: block; margin: 0.3rem 0; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; max-width: 42rem; }
        button {
          background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.35rem 0.9rem;
          cursor: pointer;
        }
        button.primary { background: var(--ok); border-color: var(--ok); color: #ffffff; }
        button.danger { color: var(--bad); }
        label.as { display: inline-flex; gap: 0.3rem; align-items: center; margin-right: 0.5rem; }
        label.as input { width: 10rem; }
        #controls form { display: block; }
        ol#log { list-style: none; padding: 0; margin: 0; font: 12px/1.45 ui-monospace, Menlo, Consolas, monospace; }
        ol#log > li { border-bottom: 1px solid var(--line); padding: 0.2rem 0.3rem; }
        ol#log .line { white-space: pre-wrap; overflow-wrap: anywhere; }
        ol#log li[data-kind="\#(EventKind.sessionState.rawValue)"] { color: var(--accent); }
        ol#log li[data-kind="\#(EventKind.modelFailed.rawValue)"], ol#log li[data-status="error"] .status { color: var(--bad); }
        ol#log li[data-kind="\#(EventKind.sessionSteered.rawValue)"] { background: var(--hunk-bg); }
        details.tool-call summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        details.tool-call .tool { font-weight: 600; }
        details.tool-call .call-args { color: var(--muted); }
        details.tool-call .status { float: right; color: var(--muted); }
        li[data-status="refused"] .status { color: var(--warn); }
        pre.output.error, pre.output.refused { border-color: var(--bad); }
        .record { color: var(--muted); margin: 0.2rem 0; }
        figure.spend { margin: 0.5rem 0 1rem; }
        figure.spend figcaption { color: var(--muted); font-size: 0.85rem; }
        svg.chart { max-width: 100%; height: auto; color: var(--line); }
        svg.chart .bar { fill: var(--accent); }
        svg.chart .bar:hover { fill: var(--ok); }
        svg.chart .axis { stroke: var(--line); }
        svg.chart text { fill: var(--muted); }
        svg.gauge { vertical-align: middle; border-radius: 3px; }
        svg.gauge .used { fill: var(--accent); }
        svg.gauge .reserved { fill: var(--warn); }
        svg.gauge .remaining { fill: var(--panel); stroke: var(--line); }
        """#
}
