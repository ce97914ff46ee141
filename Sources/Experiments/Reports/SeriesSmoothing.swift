/// Smooths noisy series (training loss, gradient norms) for a readable trend line.
///
/// A centred moving average over the finite values within `halfWidth` points on either side;
/// a non-finite value stays non-finite, so gaps and divergence remain visible.
///
/// ```swift
/// SeriesSmoothing.movingAverage([1, 3, 5, .nan, 7], halfWidth: 1)  // [2, 3, 4, nan, 7]
/// ```
enum SeriesSmoothing {
  /// The centred moving average of `values` over `2 * halfWidth + 1` points (fewer at the ends
  /// and around non-finite values).
  static func movingAverage(_ values: [Double], halfWidth: Int) -> [Double] {
    guard halfWidth > 0, values.count > 1 else { return values }
    var sums = [0.0]
    var counts = [0]
    sums.reserveCapacity(values.count + 1)
    counts.reserveCapacity(values.count + 1)
    for value in values {
      sums.append(sums[sums.count - 1] + (value.isFinite ? value : 0))
      counts.append(counts[counts.count - 1] + (value.isFinite ? 1 : 0))
    }
    return values.indices.map { index in
      guard values[index].isFinite else { return values[index] }
      let low = max(0, index - halfWidth)
      let high = min(values.count, index + halfWidth + 1)
      return (sums[high] - sums[low]) / Double(counts[high] - counts[low])
    }
  }
}
