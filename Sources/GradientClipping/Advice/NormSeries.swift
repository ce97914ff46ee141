/// The norms of one series (the global norm, or one tensor's) recorded by a
/// ``ThresholdAdvisor``: exact counts, extremes and sum of the finite norms, and a bounded
/// uniform sample of them (reservoir sampling, Vitter 1985's Algorithm R).
struct NormSeries: Sendable, Hashable, Codable {
  /// The number of finite norms recorded.
  private(set) var count = 0
  /// The number of NaN or infinite norms seen (never recorded).
  private(set) var nonFiniteCount = 0
  private(set) var minimum = Double.infinity
  private(set) var maximum = -Double.infinity
  /// The sum of the finite norms, compensated (Neumaier): `sum + compensation`.
  private var sum = 0.0
  private var compensation = 0.0
  /// Every finite norm while `count <= capacity`; then a uniform sample of `capacity` of them.
  private(set) var sample: [Double] = []

  /// The mean of the finite norms; `nil` before the first.
  var mean: Double? { count == 0 ? nil : (sum + compensation) / Double(count) }

  /// Records `norm`: a NaN or infinite one is only counted.
  mutating func record(_ norm: Double, capacity: Int, generator: inout SplitMix64) {
    guard norm.isFinite else {
      nonFiniteCount += 1
      return
    }
    count += 1
    minimum = min(minimum, norm)
    maximum = max(maximum, norm)
    addToSum(norm)
    if sample.count < capacity {
      sample.append(norm)
    } else {
      // Algorithm R: the i-th norm replaces a random slot with probability capacity / i.
      let slot = generator.next(below: count)
      if slot < capacity { sample[slot] = norm }
    }
  }

  private mutating func addToSum(_ value: Double) {
    let total = sum + value
    compensation += abs(sum) >= abs(value) ? (sum - total) + value : (value - total) + sum
    sum = total
  }
}

/// Quantiles by linear interpolation between order statistics: for `n` sorted values `x[0...]`
/// and a percentile `p`, `h = (n - 1) * p / 100`, and the quantile is
/// `x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])`: NumPy's default
/// (`method="linear"`, Hyndman & Fan's type 7), `torch.quantile`'s, and AutoClip's.
struct SortedNorms: Sendable, Hashable {
  let values: [Double]

  /// `values`, which must be sorted in increasing order.
  init(presorted values: [Double]) { self.values = values }

  /// The `percentile` (in [0, 100]) quantile; `nil` for no values.
  func quantile(_ percentile: Double) -> Double? {
    guard let last = values.indices.last else { return nil }
    let position = percentile / 100 * Double(last)
    let lower = min(Int(position.rounded(.down)), last)
    let upper = min(lower + 1, last)
    let fraction = position - Double(lower)
    return values[lower] + (values[upper] - values[lower]) * fraction
  }

  /// How many values are greater than `threshold`.
  func countAbove(_ threshold: Double) -> Int {
    var low = 0
    var high = values.count
    while low < high {
      let middle = (low + high) / 2
      if values[middle] <= threshold { low = middle + 1 } else { high = middle }
    }
    return values.count - low
  }
}
