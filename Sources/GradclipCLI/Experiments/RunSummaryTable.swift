import Experiments

/// The table that ends `demo` and `train`: one row per run with its final and best held-out loss,
/// accuracy, first diverging step, share of steps clipped, largest gradient norm and time.
enum RunSummaryTable {
  /// The table of `records`.
  static func table(_ records: [RunRecord]) -> TextTable {
    var table = TextTable(header: [
      "run", "outcome", "final loss", "best loss", "accuracy", "diverged at", "clipped", "max grad norm", "time",
    ])
    for record in records {
      let summary = record.summary
      table.rows.append([
        record.name, record.outcome.rawValue, summary.finalLoss.map(ProgressDisplay.format) ?? "-",
        summary.bestLoss.map(ProgressDisplay.format) ?? "-", summary.accuracy.map(ProgressDisplay.percent) ?? "-",
        summary.divergenceStep.map { "step \($0)" } ?? "-", ProgressDisplay.percent(summary.clippedShare),
        summary.largestGradientNorm.map(ProgressDisplay.format) ?? "-", ProgressDisplay.duration(record.seconds),
      ])
    }
    return table
  }
}
