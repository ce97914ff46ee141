/// One run's section of the report: a heading with its colour and outcome, a line of key
/// figures, its settings (those that differ between runs in bold) and its own four charts.
///
/// ```swift
/// let html = ReportRunSection(run: runs[0], allRuns: runs).render()
/// ```
struct ReportRunSection: Sendable {
  /// The run shown.
  var run: ReportRun
  /// Every run of the report (to find the settings that differ between runs).
  var allRuns: [ReportRun]

  /// The section as HTML.
  func render() -> String {
    let record = run.record
    let heading =
      "<h2><span class=\"swatch\" style=\"background: \(run.colour)\"></span>"
      + "\(HTMLEscaping.escape(record.name)) \(ReportSummaryTable.outcomeBadge(run))</h2>"
    let body = "<div class=\"run-settings\">\(settingsTable())</div><div class=\"grid\">\(charts())</div>"
    return "<section class=\"card run\" id=\"run-\(run.slug)\">" + heading
      + "<p class=\"run-facts\">\(HTMLEscaping.escape(facts()))</p>" + body + "</section>"
  }

  /// Steps, final loss, accuracy, clipped share and time, joined with middle dots.
  private func facts() -> String {
    let summary = run.summary
    var facts = [summary.stepCount == 1 ? "1 step" : "\(summary.stepCount) steps"]
    if let loss = summary.finalLoss { facts.append("final loss \(ReportNumberFormat.figure(loss))") }
    if let accuracy = summary.accuracy { facts.append("accuracy \(ReportNumberFormat.percent(accuracy))") }
    if let label = run.divergenceLabel { facts.append(label) }
    if summary.stepCount > 0 { facts.append("clipped \(ReportNumberFormat.percent(summary.clippedShare))") }
    if summary.skippedShare > 0 { facts.append("skipped \(ReportNumberFormat.percent(summary.skippedShare))") }
    facts.append(ReportNumberFormat.duration(run.record.seconds))
    return facts.joined(separator: " · ")
  }

  private func settingsTable() -> String {
    let settings = run.record.settings
    guard !settings.isEmpty else { return "<p class=\"empty-note\">no settings recorded</p>" }
    let rows = settings.map { setting in
      let differs = differs(setting.name)
      return "<tr\(differs ? " class=\"differs\"" : "")><th>\(HTMLEscaping.escape(setting.name))</th>"
        + "<td>\(HTMLEscaping.escape(setting.value))</td></tr>"
    }
    let differing = settings.contains { differs($0.name) }
    let note = differing ? "<p class=\"settings-note\">Bold: differs between runs.</p>" : ""
    return "<table class=\"settings\"><tbody>\(rows.joined())</tbody></table>" + note
  }

  /// Whether the setting `name` has another value (or is missing) in some other run.
  private func differs(_ name: String) -> Bool {
    guard allRuns.count > 1 else { return false }
    let value = run.record.setting(name)
    return allRuns.contains { $0.record.setting(name) != value }
  }

  private func charts() -> String {
    let charts = ReportCharts(runs: allRuns).charts(of: run)
    let captions = [
      ("Training loss", "log scale"),
      (
        "Gradient norm before clipping",
        run.record.steps.contains { $0.threshold != nil } ? "log scale; dashed: threshold" : "log scale"
      ),
      ("Clipping coefficient", "1 = unchanged"),
      ("Gradient norm per layer", "log scale"),
    ]
    return zip(charts, captions).enumerated().map { index, pair in
      let legend = index == 3 ? layerLegend() : ""
      return ReportFigure.render(pair.0, title: pair.1.0, hint: pair.1.1, legend: legend)
    }.joined()
  }

  private func layerLegend() -> String {
    let names = ReportCharts.layerNames(of: run.record)
    guard !names.isEmpty, !run.record.steps.isEmpty else { return "" }
    let items = names.enumerated().map { index, name in
      "<li><span class=\"key\" style=\"border-color: \(ReportPalette.layer(index, of: names.count))\"></span>"
        + "\(HTMLEscaping.escape(name))</li>"
    }
    return "<ul class=\"legend small\">\(items.joined())</ul>"
  }
}
