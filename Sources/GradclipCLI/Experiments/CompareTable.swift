import Experiments

/// The table that ends `compare`: one row per group (clip spec, and learning rate and length when
/// they vary) over its seeds.
struct CompareTable {
  /// The held-out accuracy that makes a run a success.
  var success: Double

  /// The table of `records`, grouped as `grid` says.
  func table(_ records: [RunRecord], grid: CompareGrid) -> TextTable {
    var table = TextTable(header: [
      "method", "runs", "success", "diverged", "median final loss", "median accuracy", "median clipped",
      "median max norm",
    ])
    let groupOf = Dictionary(zip(grid.configurations.map(\.name), grid.groups), uniquingKeysWith: { first, _ in first })
    var order: [String] = []
    var members: [String: [RunSummary]] = [:]
    for record in records {
      let group = groupOf[record.name] ?? record.name
      if members[group] == nil { order.append(group) }
      members[group, default: []].append(record.summary)
    }
    for group in order {
      let summaries = members[group] ?? []
      let succeeded = summaries.count { ($0.accuracy ?? 0) >= success && $0.divergenceStep == nil }
      table.rows.append([
        group, "\(summaries.count)", "\(succeeded)/\(summaries.count)",
        "\(summaries.count { $0.divergenceStep != nil })",
        Self.median(summaries.compactMap(\.finalLoss)).map(ProgressDisplay.format) ?? "-",
        Self.median(summaries.compactMap(\.accuracy)).map(ProgressDisplay.percent) ?? "-",
        Self.median(summaries.map(\.clippedShare)).map(ProgressDisplay.percent) ?? "-",
        Self.median(summaries.compactMap(\.largestGradientNorm)).map(ProgressDisplay.format) ?? "-",
      ])
    }
    return table
  }

  /// The table for the report.
  func reportTable(_ records: [RunRecord], grid: CompareGrid) -> ReportTable {
    let text = table(records, grid: grid)
    return ReportTable(
      title: "Methods compared", header: text.header, rows: text.rows,
      note: "Over \(grid.seeds.count) seeds each. A run succeeds when its final held-out accuracy is at least "
        + "\(ProgressDisplay.percent(success)) and it never diverged (a loss above ten times its start, or not finite)."
    )
  }

  /// The median (NaN counted as the largest), or `nil` for no values.
  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted { ($0.isNaN ? Double.infinity : $0) < ($1.isNaN ? Double.infinity : $1) }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
