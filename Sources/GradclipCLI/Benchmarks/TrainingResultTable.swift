#if canImport(Foundation)
  import Foundation
#endif

/// Formats training benchmark results as two aligned text tables (the step and its phases; the
/// cost of clipping), one row at a time.
struct TrainingResultTable: Sendable {
  private static let widths = [12, 10, 10, 10, 10, 10, 10, 10, 10]

  /// The titles of the step table and a rule under them.
  var stepHeader: [String] {
    let titles = Self.line(["model", "params", "median ms", "min ms", "forward", "backward", "norm", "update"])
    return [titles, String(repeating: "-", count: titles.count)]
  }

  /// One result's row of the step table.
  func stepRow(_ result: TrainingBenchmarkResult) -> String {
    let s = result.summary
    return Self.line(
      [result.model, "\(result.parameters)"]
        + [s.median, s.minimum, s.forward, s.backward, s.norm, s.update].map { Self.format($0, digits: 3) })
  }

  /// The titles of the clipping table and a rule under them.
  var clippingHeader: [String] {
    let titles = Self.line([
      "model", "fused ms", "fused %", "measure", "by", "+measure %", "unfused ms", "unfused %", "grad norm",
    ])
    return [titles, String(repeating: "-", count: titles.count)]
  }

  /// One result's row of the clipping table.
  func clippingRow(_ result: TrainingBenchmarkResult) -> String {
    let c = result.clipping
    return Self.line([
      result.model, Self.format(c.fusedMilliseconds, digits: 4),
      Self.format(result.percent(c.fusedMilliseconds), digits: 3),
      Self.format(c.measureMilliseconds, digits: 4), c.measureMethod,
      Self.format(result.percent(c.fusedWithMeasureMilliseconds), digits: 2),
      Self.format(c.unfusedMilliseconds, digits: 4), Self.format(result.percent(c.unfusedMilliseconds), digits: 2),
      Self.format(c.norm, digits: 3),
    ])
  }

  private static func line(_ columns: [String]) -> String {
    zip(columns, widths).enumerated().map { index, pair in
      let (text, width) = pair
      let padding = String(repeating: " ", count: max(0, width - text.count))
      return index == 0 ? text + padding : padding + text
    }.joined(separator: "  ")
  }

  private static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
