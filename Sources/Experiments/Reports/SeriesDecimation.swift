/// Thins a long series for drawing without hiding its spikes or its gaps.
///
/// The points are split into buckets of consecutive indices; each bucket keeps its lowest and its
/// highest finite point (in their original order) and, if it holds a non-finite value, one gap
/// at the first such value. The first and last points are always kept. A line of `n` points thus
/// keeps at most `maxPoints` finite points (plus two) however long the run.
///
/// ```swift
/// let thin = SeriesDecimation.decimate(points, maxPoints: 600)
/// ```
enum SeriesDecimation {
  /// The most finite points a line keeps by default: about two per pixel of a chart.
  static let defaultMaxPoints = 600

  /// `points` thinned to about `maxPoints` (unchanged if already as short, or if `maxPoints` < 4).
  static func decimate(_ points: [ChartPoint], maxPoints: Int = defaultMaxPoints) -> [ChartPoint] {
    guard points.count > maxPoints, maxPoints >= 4 else { return points }
    let bucketCount = maxPoints / 2
    var kept: [ChartPoint] = []
    kept.reserveCapacity(maxPoints + 8)
    for bucket in 0..<bucketCount {
      let start = points.count * bucket / bucketCount
      let end = points.count * (bucket + 1) / bucketCount
      for index in picks(in: points, start..<end) {
        let point = points[index]
        kept.append(point.y.isFinite ? point : ChartPoint(x: point.x, y: .nan))
      }
    }
    return kept
  }

  /// The indices a bucket keeps, ascending and without repeats.
  private static func picks(in points: [ChartPoint], _ range: Range<Int>) -> [Int] {
    var lowest: Int?
    var highest: Int?
    var gap: Int?
    for index in range {
      let y = points[index].y
      guard y.isFinite else {
        if gap == nil { gap = index }
        continue
      }
      if lowest.map({ y < points[$0].y }) ?? true { lowest = index }
      if highest.map({ y > points[$0].y }) ?? true { highest = index }
    }
    var indices = [lowest, highest, gap].compactMap { $0 }
    if range.lowerBound == 0 { indices.append(0) }
    if range.upperBound == points.count { indices.append(points.count - 1) }
    return Array(Set(indices)).sorted()
  }
}
