/// The report's summary table: one row per run with its outcome and figures, the best final loss
/// and the best accuracy highlighted, diverged runs marked.
///
/// ```swift
/// let table = ReportSummaryTable(runs: ReportRun.prepare(records)).render()
/// ```
struct ReportSummaryTable: Sendable {
  /// The runs, in order.
  var runs: [ReportRun]

  /// The column headings; numeric columns are right-aligned.
  private static let headings: [(title: String, numeric: Bool)] = [
    ("Run", false), ("Outcome", false), ("Steps", true), ("Final loss", true), ("Best loss", true),
    ("Accuracy", true), ("Diverged at", true), ("Clipped", true), ("Skipped", true), ("Max grad norm", true),
    ("Time", true),
  ]

  /// The table as HTML.
  func render() -> String {
    let head = Self.headings.map { "<th\($0.numeric ? " class=\"num\"" : "")>\($0.title)</th>" }.joined()
    let bestLoss = runs.compactMap(\.summary.finalLoss).filter(\.isFinite).min()
    let bestAccuracy = runs.compactMap(\.summary.accuracy).filter(\.isFinite).max()
    let rows = runs.map { row($0, bestLoss: bestLoss, bestAccuracy: bestAccuracy) }.joined()
    return "<div class=\"table-wrap\"><table class=\"summary\"><thead><tr>\(head)</tr></thead>"
      + "<tbody>\(rows)</tbody></table></div>"
  }

  private func row(_ run: ReportRun, bestLoss: Double?, bestAccuracy: Double?) -> String {
    let summary = run.summary
    let isBestLoss = runs.count > 1 && summary.finalLoss != nil && summary.finalLoss == bestLoss
    let isBestAccuracy = runs.count > 1 && summary.accuracy != nil && summary.accuracy == bestAccuracy
    let cells = [
      nameCell(run), "<td>\(Self.outcomeBadge(run))</td>",
      number(String(summary.stepCount)),
      number(ReportNumberFormat.figure(summary.finalLoss), best: isBestLoss),
      number(ReportNumberFormat.figure(summary.bestLoss)),
      number(ReportNumberFormat.percent(summary.accuracy), best: isBestAccuracy),
      number(summary.divergenceStep.map(String.init) ?? ReportNumberFormat.missing),
      number(ReportNumberFormat.percent(summary.stepCount == 0 ? nil : summary.clippedShare)),
      number(ReportNumberFormat.percent(summary.stepCount == 0 ? nil : summary.skippedShare)),
      number(ReportNumberFormat.figure(summary.largestGradientNorm)),
      number(ReportNumberFormat.duration(run.record.seconds)),
    ]
    let marked = run.record.outcome == .diverged ? " class=\"diverged\"" : ""
    return "<tr\(marked) data-run=\"\(HTMLEscaping.escape(run.record.name))\">\(cells.joined())</tr>"
  }

  private func nameCell(_ run: ReportRun) -> String {
    "<td class=\"name\"><span class=\"swatch\" style=\"background: \(run.colour)\"></span>"
      + "<a href=\"#run-\(run.slug)\">\(HTMLEscaping.escape(run.record.name))</a></td>"
  }

  private func number(_ text: String, best: Bool = false) -> String {
    "<td class=\"num\(best ? " best" : "")\">\(HTMLEscaping.escape(text))</td>"
  }

  /// The outcome as a coloured badge: completed, diverged, interrupted, or unstable (completed
  /// although the loss rose above ten times its start).
  static func outcomeBadge(_ run: ReportRun) -> String {
    let outcome = run.record.outcome
    let kind = outcome == .completed && run.summary.divergenceStep != nil ? "unstable" : outcome.rawValue
    return "<span class=\"badge \(kind)\">\(kind)</span>"
  }
}
