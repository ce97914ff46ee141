/// The report's style sheet, inlined in its `<head>`: a light, print-friendly layout with the
/// charts in a responsive grid. It contains neither `<` nor `&`, so the page stays valid XML.
///
/// ```swift
/// let head = "<style>" + ReportStyle.css + "</style>"
/// ```
enum ReportStyle {
  /// The CSS.
  static let css = """
    :root { --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --bad: #B3261E; \
    --good: #1a7f37; }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--soft); color: var(--text); \
    font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main, header.page, footer { max-width: 1280px; margin: 0 auto; padding: 0 28px; }
    header.page { padding-top: 28px; padding-bottom: 8px; }
    h1 { font-size: 26px; line-height: 1.25; margin: 0 0 4px; letter-spacing: -0.01em; }
    h2 { font-size: 18px; margin: 0 0 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    h3 { font-size: 13px; font-weight: 600; margin: 0 0 2px; color: var(--text); }
    .subtitle { font-size: 16px; color: var(--muted); margin: 0 0 8px; }
    .notes { max-width: 860px; margin: 6px 0; }
    .meta { color: var(--muted); font-size: 12px; margin: 10px 0 0; }
    section.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; \
    margin: 18px 0; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    .table-wrap { overflow-x: auto; }
    table.summary { width: 100%; font-size: 13px; }
    table.summary th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; \
    border-bottom: 1px solid var(--line); padding: 6px 10px; white-space: nowrap; }
    table.summary td { padding: 7px 10px; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
    table.summary tr:last-child td { border-bottom: none; }
    table.summary .num { text-align: right; }
    table.summary td.best { font-weight: 700; color: var(--good); }
    table.summary td.best::after { content: " \\2605"; font-size: 11px; }
    table.summary tr.diverged td { background: #fdf1f0; }
    table.summary tr.diverged td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
    td.name a { color: var(--text); text-decoration: none; font-weight: 600; }
    td.name a:hover { text-decoration: underline; }
    .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 3px; margin-right: 8px; \
    vertical-align: -1px; }
    .badge { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 999px; \
    border: 1px solid currentColor; white-space: nowrap; }
    .badge.completed { color: var(--good); }
    .badge.diverged { color: var(--bad); background: #fdf1f0; }
    .badge.interrupted { color: #9a6700; }
    .badge.unstable { color: #9a6700; }
    .legend { list-style: none; margin: 0 0 12px; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 20px; \
    font-size: 12.5px; }
    .legend li { display: flex; align-items: center; gap: 7px; }
    .legend .key { display: inline-block; width: 24px; border-top: 3px solid; }
    .legend .key.dashed { border-top: 2px dashed var(--muted); }
    .legend .note { color: var(--muted); }
    .legend.small { font-size: 11.5px; margin: 4px 0 0 54px; gap: 4px 14px; }
    .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px 28px; }
    @media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
    figure { margin: 0; min-width: 0; }
    figcaption { margin-bottom: 4px; }
    figcaption .hint { color: var(--muted); font-size: 12px; }
    .run-facts { color: var(--muted); margin: -6px 0 14px; font-size: 13px; }
    .run-settings { margin: 0 0 16px; }
    table.settings { width: 100%; font-size: 12.5px; }
    table.settings tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); \
    column-gap: 28px; }
    table.settings tr { display: flex; gap: 12px; border-bottom: 1px solid #eef1f4; padding: 4px 0; }
    table.settings th { flex: 0 0 96px; text-align: left; font-weight: 500; color: var(--muted); \
    overflow-wrap: anywhere; }
    table.settings td { flex: 1; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; \
    font-size: 12px; overflow-wrap: anywhere; }
    table.settings tr.differs td { font-weight: 700; }
    table.settings tr.differs th { color: var(--text); }
    .settings-note { color: var(--muted); font-size: 11.5px; margin: 6px 0 0; }
    .empty-note { color: var(--muted); font-style: italic; }
    svg.chart { display: block; width: 100%; height: auto; font-size: 11px; overflow: visible; }
    svg.chart .plot { fill: #fff; stroke: #c8d1da; }
    svg.chart .grid { fill: none; stroke: #e6eaef; stroke-width: 1; }
    svg.chart .grid.minor { stroke: #f2f4f7; }
    svg.chart .ticks text { fill: var(--muted); }
    svg.chart .ticks.y text { text-anchor: end; }
    svg.chart .ticks.x text { text-anchor: middle; }
    svg.chart .axis-title { fill: var(--muted); text-anchor: middle; font-size: 11.5px; }
    svg.chart .series { fill: none; stroke-width: 1.4; stroke-linejoin: round; stroke-linecap: round; \
    stroke-opacity: 0.9; }
    svg.chart .raw { fill: none; stroke-width: 1; stroke-opacity: 0.22; stroke-linejoin: round; }
    svg.chart .threshold { fill: none; stroke-width: 1.6; stroke-dasharray: 6 4; }
    svg.chart .marker line { stroke-width: 1.2; stroke-dasharray: 3 3; }
    svg.chart .marker text { font-size: 11px; font-weight: 600; stroke: #fff; stroke-width: 3px; \
    paint-order: stroke; stroke-linejoin: round; }
    svg.chart .empty { fill: #8c959f; text-anchor: middle; font-style: italic; font-size: 13px; }
    footer { color: var(--muted); font-size: 12px; padding-bottom: 28px; }
    @media print { body { background: #fff; } section.card { break-inside: avoid; border: none; } }
    """
}
