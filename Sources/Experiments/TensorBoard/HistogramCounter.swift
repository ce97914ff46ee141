/// Accumulates values into TensorFlow's default histogram buckets (the state of TensorFlow's
/// `tensorflow::histogram::Histogram`).
///
/// ```swift
/// var counter = HistogramCounter()
/// counter.add(0.5)
/// let histogram = counter.histogram()
/// ```
struct HistogramCounter {
  /// The limits of the buckets, ``TensorBoardHistogram/defaultBucketLimits``.
  private let limits = TensorBoardHistogram.defaultBucketLimits
  /// The count of each bucket.
  private var counts: [Double]
  /// The statistics, in TensorFlow's order of accumulation.
  private var minimum = Double.greatestFiniteMagnitude
  private var maximum = -Double.greatestFiniteMagnitude
  private var count = 0.0
  private var sum = 0.0
  private var sumSquares = 0.0

  /// Creates an empty counter.
  init() { counts = [Double](repeating: 0, count: limits.count) }

  /// Adds a finite value to its bucket: the first whose limit is greater than the value (the last
  /// one for `Double.greatestFiniteMagnitude` itself, which TensorFlow does not handle).
  mutating func add(_ value: Double) {
    counts[Swift.min(bucketIndex(of: value), limits.count - 1)] += 1
    minimum = Swift.min(minimum, value)
    maximum = Swift.max(maximum, value)
    count += 1
    sum += value
    sumSquares += value * value
  }

  /// The histogram, each run of empty buckets merged into one.
  func histogram() -> TensorBoardHistogram {
    guard count > 0 else {
      return TensorBoardHistogram(
        min: 0, max: 0, count: 0, sum: 0, sumSquares: 0, bucketLimits: [Double.greatestFiniteMagnitude],
        bucketCounts: [0])
    }
    var bucketLimits: [Double] = []
    var bucketCounts: [Double] = []
    var index = 0
    while index < counts.count {
      var end = index
      if counts[index] <= 0 {
        while end + 1 < counts.count && counts[end + 1] <= 0 { end += 1 }
      }
      bucketLimits.append(limits[end])
      bucketCounts.append(counts[end])
      index = end + 1
    }
    return TensorBoardHistogram(
      min: minimum, max: maximum, count: count, sum: sum, sumSquares: sumSquares, bucketLimits: bucketLimits,
      bucketCounts: bucketCounts)
  }

  /// The index of the first limit greater than `value` (C++'s `std::upper_bound`).
  private func bucketIndex(of value: Double) -> Int {
    var low = 0
    var high = limits.count
    while low < high {
      let middle = (low + high) / 2
      if limits[middle] <= value { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
