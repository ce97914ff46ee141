/// A histogram as TensorBoard stores it (the `tensorboard.HistogramProto` message): summary
/// statistics and buckets.
///
/// Bucket `i` counts the values `v` with `bucketLimits[i - 1] <= v < bucketLimits[i]`; the first
/// bucket has no lower limit (TensorBoard draws it from ``min``) and TensorBoard draws the last
/// non-empty one up to ``max``. Counts are `Double`, as in the file format.
///
/// ``init(values:)`` buckets values exactly as TensorFlow 1's `tf.summary.histogram` (the C++
/// `tensorflow::histogram::Histogram` with its default buckets, encoded without empty runs), so
/// the files look the same in TensorBoard as TensorFlow's.
///
/// ```swift
/// let histogram = try TensorBoardHistogram(values: [0.5, -1, 2, 2])
/// histogram.count  // 4
/// histogram.bucketCounts.reduce(0, +)  // 4
/// ```
public struct TensorBoardHistogram: Sendable, Hashable, Codable {
  /// The smallest value (0 for an empty histogram).
  public var min: Double
  /// The largest value (0 for an empty histogram).
  public var max: Double
  /// The number of values.
  public var count: Double
  /// The sum of the values.
  public var sum: Double
  /// The sum of the squares of the values.
  public var sumSquares: Double
  /// The upper (exclusive) limit of each bucket, increasing.
  public var bucketLimits: [Double]
  /// The number of values in each bucket; as many as ``bucketLimits``.
  public var bucketCounts: [Double]

  /// Creates a histogram from its parts, as stored.
  ///
  /// ```swift
  /// let histogram = TensorBoardHistogram(
  ///   min: 0, max: 3, count: 4, sum: 6, sumSquares: 14, bucketLimits: [1, 2, 4], bucketCounts: [1, 1, 2])
  /// ```
  public init(
    min: Double, max: Double, count: Double, sum: Double, sumSquares: Double, bucketLimits: [Double],
    bucketCounts: [Double]
  ) {
    self.min = min
    self.max = max
    self.count = count
    self.sum = sum
    self.sumSquares = sumSquares
    self.bucketLimits = bucketLimits
    self.bucketCounts = bucketCounts
  }

  /// Buckets `values` as TensorFlow 1's `tf.summary.histogram` does.
  ///
  /// The buckets are TensorFlow's default exponential ones (``defaultBucketLimits``: limits
  /// growing by 10% from ±1e-12 to ±1e20, 0 and ±`Double.greatestFiniteMagnitude`); each run of
  /// empty buckets is merged into one (with the limit of the run's last bucket), as TensorFlow
  /// writes them. Statistics are accumulated in `Double`, in order. An empty `values` gives
  /// count, min, max, sum and sum of squares 0 and one empty bucket up to
  /// `Double.greatestFiniteMagnitude` (TensorFlow writes min `Double.greatestFiniteMagnitude`
  /// and max its negative, which some readers show as infinities; TensorBoard shows an empty
  /// histogram either way).
  ///
  /// ```swift
  /// let histogram = try TensorBoardHistogram(values: gradient)  // [Float] or [Double]
  /// ```
  ///
  /// - Throws: ``TensorBoardError/nonFiniteHistogramValue(tag:index:)`` (with an empty tag) if a
  ///   value is NaN or infinite, as TensorFlow refuses them.
  public init<Values: Sequence>(values: Values) throws(TensorBoardError) where Values.Element: BinaryFloatingPoint {
    var counter = HistogramCounter()
    for (index, value) in values.enumerated() {
      let number = Double(value)
      guard number.isFinite else { throw .nonFiniteHistogramValue(tag: "", index: index) }
      counter.add(number)
    }
    self = counter.histogram()
  }

  /// TensorFlow's default bucket limits: `-Double.greatestFiniteMagnitude`, the negated limits
  /// below in reverse, 0, then 1e-12 multiplied by 1.1 while below 1e20, then
  /// `Double.greatestFiniteMagnitude` (1,551 limits).
  public static let defaultBucketLimits: [Double] = {
    var positive: [Double] = []
    var limit = 1.0e-12
    while limit < 1.0e20 {
      positive.append(limit)
      limit *= 1.1
    }
    positive.append(Double.greatestFiniteMagnitude)
    return positive.reversed().map { -$0 } + [0] + positive
  }()
}
