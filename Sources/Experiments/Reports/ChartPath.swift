/// Builds SVG path data from chart coordinates: one subpath per run of drawable points, with
/// coordinates rounded to a tenth of a unit and flat stretches reduced to their ends.
///
/// ```swift
/// let segments = ChartPath.segments([(0, 5), (1, 5), (2, 5), nil, (4, 1)])
/// ChartPath.data(segments)   // "M0 5L2 5M4 1"
/// ```
enum ChartPath {
  /// A point in SVG user units.
  typealias Point = (Double, Double)

  /// Splits `points` at `nil` (gaps) into runs of points, dropping points that repeat the
  /// previous one after rounding and the inner points of horizontal stretches.
  static func segments(_ points: [Point?]) -> [[Point]] {
    var segments: [[Point]] = []
    var current: [Point] = []
    for point in points {
      guard let point else {
        if !current.isEmpty { segments.append(simplified(current)) }
        current = []
        continue
      }
      current.append((rounded(point.0), rounded(point.1)))
    }
    if !current.isEmpty { segments.append(simplified(current)) }
    return segments
  }

  /// The `d` attribute of a path through `segments`.
  static func data(_ segments: [[Point]]) -> String {
    var data = ""
    for segment in segments {
      guard let first = segment.first else { continue }
      data += "M" + SVGFormat.number(first.0) + " " + SVGFormat.number(first.1)
      let rest = segment.dropFirst().map { SVGFormat.number($0.0) + " " + SVGFormat.number($0.1) }
      if segment.count == 1 {
        data += "h0"
      } else {
        data += "L" + rest.joined(separator: " ")
      }
    }
    return data
  }

  private static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

  /// `segment` without repeated points and without the inner points of flat stretches.
  private static func simplified(_ segment: [Point]) -> [Point] {
    var distinct: [Point] = []
    for point in segment where distinct.last.map({ $0 != point }) ?? true { distinct.append(point) }
    guard distinct.count > 2 else { return distinct }
    var kept = [distinct[0]]
    for index in 1..<(distinct.count - 1) {
      let flat = distinct[index - 1].1 == distinct[index].1 && distinct[index].1 == distinct[index + 1].1
      if !flat { kept.append(distinct[index]) }
    }
    kept.append(distinct[distinct.count - 1])
    return kept
  }
}
