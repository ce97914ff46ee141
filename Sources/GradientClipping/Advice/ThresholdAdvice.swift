/// What a ``ThresholdAdvisor`` recommends, with the evidence: the distribution of the recorded
/// gradient norms, the share of steps each candidate threshold would have clipped, and the same
/// per tensor.
///
/// The recommended ``threshold`` is the ``percentile``-th percentile of the finite global norms
/// (linear interpolation between order statistics, NumPy's default; see ``NormDistribution``):
/// the fixed `maxNorm` that would have clipped about `100 - percentile` percent of the recorded
/// steps. Print the advice for a terminal summary.
///
/// ```swift
/// let advice = try advisor.advice()  // p90 by default
/// if let maxNorm = advice.threshold {
///   let clipper = GlobalNormClipper(maxNorm: maxNorm)
/// }
/// print(advice)
/// ```
public struct ThresholdAdvice: Sendable, Hashable, CustomStringConvertible {
  /// The percentile the recommendations are taken at, in [0, 100].
  public var percentile: Double

  /// The recommended fixed threshold for the global norm: the ``percentile``-th percentile of the
  /// finite global norms; `nil` when none was recorded.
  public var threshold: Double? { global.quantile(at: percentile) }

  /// The distribution of the global norms.
  public var global: NormDistribution

  /// Candidate global thresholds and the share of steps each would have clipped: the reported
  /// quantiles (``NormDistribution/reportedPercentiles``), or the thresholds given to
  /// ``ThresholdAdvisor/advice(percentile:candidates:)``; in increasing order of threshold.
  public var candidates: [CandidateThreshold]

  /// Per-tensor recommendations, by tensor index; empty when no tensor norm was recorded.
  public var tensors: [TensorThresholdAdvice]

  /// Creates advice (``ThresholdAdvisor/advice(percentile:candidates:)`` is the usual way).
  public init(
    percentile: Double, global: NormDistribution, candidates: [CandidateThreshold], tensors: [TensorThresholdAdvice]
  ) {
    self.percentile = percentile
    self.global = global
    self.candidates = candidates
    self.tensors = tensors
  }

  /// The global recommendation as a candidate: its threshold and the share of steps it clips.
  public var recommendation: CandidateThreshold? {
    threshold.map { CandidateThreshold(threshold: $0, distribution: global, label: Self.label(percentile)) }
  }

  /// `"p90"`, `"p12.5"`.
  static func label(_ percentile: Double) -> String {
    let whole = percentile.rounded()
    return whole == percentile && whole.magnitude < 1e15 ? "p\(Int(whole))" : "p\(percentile)"
  }
}

/// The distribution of one series of recorded gradient norms (the global norm, or one
/// tensor's).
///
/// `count`, `minimum`, `maximum` and `mean` cover every finite norm recorded. The quantiles are
/// those of ``sampleCount`` norms: all of them while the run has recorded at most the advisor's
/// capacity (``isExact``), a uniform random sample of that many afterwards (reservoir sampling).
/// NaN and infinite norms are counted in ``nonFiniteCount`` and enter nothing else.
///
/// Quantile definition: for `n` sorted norms `x[0] <= ... <= x[n - 1]` and percentile `p`,
/// `h = (n - 1) * p / 100` and `q = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])`,
/// NumPy's default (`np.percentile(..., method="linear")`, Hyndman & Fan 1996 type 7),
/// `torch.quantile`'s, and the one ``AutoClipClipper`` uses. For `[1, 2, 3, 4]`: p25 = 1.75,
/// p50 = 2.5, p90 = 3.7.
///
/// Sampling error: for a uniform sample of `k` norms the Dvoretzky–Kiefer–Wolfowitz inequality
/// (with Massart's constant) bounds the largest error of the sample's distribution function by
/// `sqrt(ln(2 / alpha) / (2k))` with probability `1 - alpha`, over all thresholds at once. So with
/// 95% confidence every reported quantile lies between the true quantiles ``rankError`` percentile
/// points either side, and every clipped share is within that many points of the truth
/// (`k = 10_000`: 1.36 points).
///
/// ```swift
/// let distribution = try advisor.advice().global
/// distribution.quantile(at: 50)  // the median global norm
/// ```
public struct NormDistribution: Sendable, Hashable {
  /// The percentiles every distribution reports: 10, 25, 50, 75, 90, 95 and 99.
  public static let reportedPercentiles: [Double] = [10, 25, 50, 75, 90, 95, 99]

  /// The number of finite norms recorded.
  public var count: Int
  /// The number of NaN or infinite norms seen, which enter no statistic.
  public var nonFiniteCount: Int
  /// The smallest finite norm; `nil` when none was recorded.
  public var minimum: Double?
  /// The largest finite norm; `nil` when none was recorded.
  public var maximum: Double?
  /// The mean of the finite norms (a compensated sum); `nil` when none was recorded.
  public var mean: Double?
  /// The norms the quantiles and shares are computed from, sorted: every finite norm when
  /// ``isExact``, else a uniform sample of them.
  public var sample: [Double]

  /// Creates a distribution; `sample` is sorted.
  public init(count: Int, nonFiniteCount: Int, minimum: Double?, maximum: Double?, mean: Double?, sample: [Double]) {
    self.count = count
    self.nonFiniteCount = nonFiniteCount
    self.minimum = minimum
    self.maximum = maximum
    self.mean = mean
    self.sample = sample.sorted()
  }

  /// The number of norms the quantiles are computed from.
  public var sampleCount: Int { sample.count }

  /// Whether the quantiles and shares are exact (every finite norm was kept).
  public var isExact: Bool { sample.count == count }

  /// With 95% confidence, the most by which a reported quantile's rank, or a clipped share, is
  /// off, in percentile points: `100 * sqrt(ln(40) / (2 * sampleCount))` for a sample, 0 when
  /// exact.
  public var rankError: Double {
    guard !isExact, sampleCount > 0 else { return 0 }
    return 100 * (Self.logOf40 / (2 * Double(sampleCount))).squareRoot()
  }

  /// `ln(40)`, for the 95% bound `ln(2 / 0.05)`.
  private static let logOf40 = 3.688_879_454_113_936

  /// The quantiles at ``reportedPercentiles``; empty when no norm was recorded.
  public var quantiles: [NormQuantile] {
    Self.reportedPercentiles.compactMap { percentile in
      quantile(at: percentile).map { NormQuantile(percentile: percentile, value: $0) }
    }
  }

  /// The `percentile`-th percentile (in [0, 100]) of the norms, linearly interpolated;
  /// `nil` when no norm was recorded or `percentile` is outside [0, 100].
  public func quantile(at percentile: Double) -> Double? {
    guard percentile >= 0, percentile <= 100 else { return nil }
    return SortedNorms(presorted: sample).quantile(percentile)
  }

  /// The share of the norms greater than `threshold` (the steps a fixed `maxNorm` of
  /// `threshold` would have clipped), in [0, 1]; 0 when no norm was recorded.
  public func clippedShare(at threshold: Double) -> Double {
    guard sampleCount > 0 else { return 0 }
    return Double(SortedNorms(presorted: sample).countAbove(threshold)) / Double(sampleCount)
  }
}

/// One quantile of a ``NormDistribution``.
public struct NormQuantile: Sendable, Hashable {
  /// The percentile, in [0, 100].
  public var percentile: Double
  /// The norm at that percentile.
  public var value: Double

  /// Creates a quantile.
  public init(percentile: Double, value: Double) {
    self.percentile = percentile
    self.value = value
  }
}

/// A candidate fixed threshold and how often it would have clipped over the recorded run.
///
/// A step counts as clipped when its norm is strictly greater than the threshold (PyTorch's
/// `clip_grad_norm_` also scales a norm equal to `maxNorm` by `maxNorm / (maxNorm + 1e-6)`, a
/// change of about 1e-6 relative, which is not counted).
public struct CandidateThreshold: Sendable, Hashable {
  /// The threshold.
  public var threshold: Double
  /// The share of the recorded finite norms above ``threshold``, in [0, 1] (of the sample when
  /// the distribution is not exact).
  public var clippedShare: Double
  /// The number of recorded steps above ``threshold``: exact when the distribution is exact,
  /// else `clippedShare * count`, rounded.
  public var clippedSteps: Int
  /// Where the threshold comes from: `"p90"` for a quantile, `nil` for a given threshold.
  public var label: String?

  /// Creates a candidate.
  public init(threshold: Double, clippedShare: Double, clippedSteps: Int, label: String? = nil) {
    self.threshold = threshold
    self.clippedShare = clippedShare
    self.clippedSteps = clippedSteps
    self.label = label
  }

  /// The candidate `threshold` evaluated against `distribution`.
  init(threshold: Double, distribution: NormDistribution, label: String?) {
    let share = distribution.clippedShare(at: threshold)
    let steps =
      distribution.isExact
      ? SortedNorms(presorted: distribution.sample).countAbove(threshold)
      : Int((share * Double(distribution.count)).rounded())
    self.init(threshold: threshold, clippedShare: share, clippedSteps: steps, label: label)
  }
}

/// The recommendation for one tensor: the percentile of its own norms, as a per-tensor
/// threshold (``TensorNormClipper``'s `maxNorm`, or a tensor's threshold in AdaGC), with its
/// distribution.
public struct TensorThresholdAdvice: Sendable, Hashable {
  /// The tensor's index in the gradient set.
  public var index: Int
  /// The tensor's name, when known.
  public var name: String?
  /// The distribution of the tensor's norms.
  public var distribution: NormDistribution
  /// The recommended threshold for the tensor (the advice's percentile of its norms); `nil`
  /// when none was recorded.
  public var threshold: Double?

  /// Creates a tensor's recommendation.
  public init(index: Int, name: String?, distribution: NormDistribution, threshold: Double?) {
    self.index = index
    self.name = name
    self.distribution = distribution
    self.threshold = threshold
  }

  /// The share of the tensor's steps its threshold would have clipped; `nil` without threshold.
  public var clippedShare: Double? { threshold.map { distribution.clippedShare(at: $0) } }
}
