#if canImport(Foundation)
  import Foundation
#endif

/// Formats clip benchmark results as an aligned text table, one row at a time, so that rows can
/// be printed as soon as they are measured.
struct ClipResultTable: Sendable {
  private let workloadWidth: Int
  private static let operationWidth = "adaptive_grad_clip".count
  private static let regimeWidth = "inactive".count
  private static let timeWidth = 12

  /// Creates a table wide enough for the names of `workloads`.
  init(workloads: [Workload]) {
    workloadWidth = max("workload".count, workloads.map(\.name.count).max() ?? 0)
  }

  /// The column titles and a rule under them.
  var header: [String] {
    let titles = line("workload", "op", "regime", "median ms".leftPadded(to: Self.timeWidth))
    return [titles, String(repeating: "-", count: titles.count)]
  }

  /// One result's row.
  func row(_ result: ClipBenchmarkResult) -> String {
    let time = String(format: "%.4f", result.medianMilliseconds)
    return line(result.workload, result.operation, result.regime, time.leftPadded(to: Self.timeWidth))
  }

  private func line(_ workload: String, _ operation: String, _ regime: String, _ time: String) -> String {
    [
      workload.rightPadded(to: workloadWidth), operation.rightPadded(to: Self.operationWidth),
      regime.rightPadded(to: Self.regimeWidth), time,
    ].joined(separator: "  ")
  }
}

extension String {
  fileprivate func rightPadded(to width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }

  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
