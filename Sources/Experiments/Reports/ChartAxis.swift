import Foundation

/// One axis of a chart: its scale (linear or logarithmic), its range and its ticks.
///
/// Positions are in "axis units": the value itself on a linear axis, its base-10 logarithm on a
/// logarithmic one. The range is never empty (equal values get a margin around them), and on a
/// logarithmic axis values at or below zero sit on the bottom edge rather than vanishing.
///
/// ```swift
/// let y = ChartAxis.logarithmic(values: [0.002, 0.5, 3])   // ticks 1e-3, 0.01, 0.1, 1, 10
/// let fraction = y.fraction(of: 0.5)                      // where 0.5 sits, from 0 to 1
/// ```
struct ChartAxis: Sendable, Hashable {
  /// How values map onto the axis.
  enum Scale: Sendable, Hashable {
    /// Equal differences take equal space.
    case linear
    /// Equal ratios take equal space.
    case logarithmic
  }

  /// How tick labels are written.
  enum LabelStyle: Sendable, Hashable {
    /// Compact numbers: `0.5`, `2.5k`, `1e-3`.
    case compact
    /// Shares in [0, 1] as percentages: `50%`.
    case percent
  }

  /// A labelled position on the axis.
  struct Tick: Sendable, Hashable {
    /// The position, in axis units.
    var position: Double
    /// The label.
    var label: String
  }

  /// How values map onto the axis.
  var scale: Scale
  /// The lowest position shown, in axis units.
  var lower: Double
  /// The highest position shown, in axis units.
  var upper: Double
  /// The labelled ticks, ascending.
  var ticks: [Tick]
  /// Unlabelled minor gridline positions (2 to 9 times a power of ten on a log axis).
  var minorTicks: [Double] = []

  /// The position of `value` in axis units, or `nil` if it is not finite. On a logarithmic axis
  /// a value at or below zero is placed on the lower edge.
  func position(of value: Double) -> Double? {
    guard value.isFinite else { return nil }
    switch scale {
    case .linear: return value
    case .logarithmic: return value > 0 ? log10(value) : lower
    }
  }

  /// Where `value` sits along the axis, from 0 (lower edge) to 1 (upper edge), clamped; `nil` if
  /// it is not finite.
  func fraction(of value: Double) -> Double? {
    position(of: value).map(fraction(atPosition:))
  }

  /// Where a position in axis units sits along the axis, from 0 to 1, clamped.
  func fraction(atPosition position: Double) -> Double {
    min(1, max(0, (position - lower) / (upper - lower)))
  }

  /// Where a position in axis units sits along the axis, below 0 or above 1 if it lies outside
  /// (limited to -1...2, enough for a line to leave a clipped chart at the right slope's side).
  func overflowingFraction(atPosition position: Double) -> Double {
    min(2, max(-1, (position - lower) / (upper - lower)))
  }
}

extension ChartAxis {
  /// A linear axis covering the finite `values`, or `fixed` (with a 3% margin, so that lines
  /// along its bounds stay visible) if given.
  ///
  /// - Parameters:
  ///   - rounded: extends the range outwards to whole ticks (for value axes, not for steps).
  ///   - integers: ticks only at whole numbers (for steps).
  static func linear(
    values: [Double], fixed: ClosedRange<Double>? = nil, rounded: Bool = true, integers: Bool = false,
    style: LabelStyle = .compact
  ) -> ChartAxis {
    var (lower, upper) = fixed.map { ($0.lowerBound, $0.upperBound) } ?? finiteBounds(values) ?? (0, 1)
    if upper - lower <= 0 {
      let margin = integers || lower == 0 ? 1 : abs(lower) * 0.1
      (lower, upper) = (lower - margin, upper + margin)
    }
    var step = niceStep((upper - lower) / 5)
    if integers { step = max(1, step.rounded()) }
    if rounded && fixed == nil {
      (lower, upper) = (floor(lower / step) * step, ceil(upper / step) * step)
    }
    let first = Int(ceil(lower / step - 1e-9))
    let last = Int(floor(upper / step + 1e-9))
    let ticks = (first...max(first, last)).map { index in
      let value = Double(index) * step
      return Tick(position: value, label: label(value, step: step, style: style))
    }
    let shown = ticks.filter { $0.position <= upper + 1e-9 }
    let margin = fixed == nil ? 0 : (upper - lower) * 0.03
    return ChartAxis(scale: .linear, lower: lower - margin, upper: upper + margin, ticks: shown)
  }

  /// A logarithmic axis covering the finite positive `values` (a decade if there are none).
  static func logarithmic(values: [Double]) -> ChartAxis {
    let positive = values.filter { $0 > 0 && $0.isFinite }
    guard let low = positive.min(), let high = positive.max() else {
      return logarithmic(lower: 0, upper: 1)
    }
    var (lower, upper) = (log10(low), log10(high))
    if upper - lower < 1e-9 { (lower, upper) = (lower - 0.5, upper + 0.5) }
    return logarithmic(lower: lower, upper: upper)
  }

  private static func logarithmic(lower: Double, upper: Double) -> ChartAxis {
    let firstDecade = Int(floor(lower + 1e-9))
    let lastDecade = Int(ceil(upper - 1e-9))
    if lastDecade - firstDecade <= 2 {
      return fineLogarithmic(lower: lower, upper: upper, decades: firstDecade - 1...lastDecade)
    }
    let wanted = Double(lastDecade - firstDecade) / 6
    let stride = [1, 2, 3, 5, 10, 20, 25, 50, 100].first { Double($0) >= wanted } ?? Int(ceil(wanted))
    let low = Int(floor(Double(firstDecade) / Double(stride))) * stride
    let high = Int(ceil(Double(lastDecade) / Double(stride))) * stride
    let ticks = Swift.stride(from: low, through: high, by: stride).map { decade in
      Tick(position: Double(decade), label: ReportNumberFormat.compact(pow(10, Double(decade))))
    }
    let minor =
      stride == 1
      ? (low..<high).flatMap { decade in (2...9).map { log10(Double($0)) + Double(decade) } } : []
    return ChartAxis(scale: .logarithmic, lower: Double(low), upper: Double(high), ticks: ticks, minorTicks: minor)
  }

  /// A log axis spanning at most two decades: ticks at 1, 2 and 5 times powers of ten.
  private static func fineLogarithmic(lower: Double, upper: Double, decades: ClosedRange<Int>) -> ChartAxis {
    let candidates = decades.flatMap { decade in
      [1.0, 2, 5].map { (position: log10($0) + Double(decade), value: $0 * pow(10, Double(decade))) }
    }
    let low = candidates.last { $0.position <= lower + 1e-9 } ?? candidates[0]
    let high = candidates.first { $0.position >= upper - 1e-9 } ?? candidates[candidates.count - 1]
    let ticks = candidates.filter { $0.position >= low.position - 1e-9 && $0.position <= high.position + 1e-9 }
      .map { Tick(position: $0.position, label: ReportNumberFormat.compact($0.value)) }
    let minor = (decades.lowerBound...decades.upperBound).flatMap { decade in
      [3.0, 4, 6, 7, 8, 9].map { log10($0) + Double(decade) }
    }.filter { $0 > low.position && $0 < high.position }
    return ChartAxis(
      scale: .logarithmic, lower: low.position, upper: high.position, ticks: ticks, minorTicks: minor)
  }

  /// The lowest and highest finite values, if any.
  private static func finiteBounds(_ values: [Double]) -> (Double, Double)? {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return nil }
    return (low, high)
  }

  /// A round step (1, 2 or 5 times a power of ten) near `raw`.
  private static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let power = pow(10, floor(log10(raw)))
    let error = raw / power
    let factor: Double = error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1
    return factor * power
  }

  /// A tick label with enough digits to tell ticks `step` apart.
  private static func label(_ value: Double, step: Double, style: LabelStyle) -> String {
    let cleaned = abs(value) < step * 1e-6 ? 0 : value
    switch style {
    case .percent:
      return ReportNumberFormat.compact(cleaned * 100) + "%"
    case .compact:
      let magnitude = max(abs(cleaned), step)
      let digits = Int(floor(log10(magnitude))) - Int(floor(log10(step))) + 1
      return ReportNumberFormat.compact(cleaned, digits: min(6, max(2, digits)))
    }
  }
}
