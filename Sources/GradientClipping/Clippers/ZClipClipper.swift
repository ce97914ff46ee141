/// ZClip (Kumar et al. 2025, "ZClip: adaptive spike mitigation for LLM pre-training"): the
/// threshold follows an exponential moving average of the gradient norm and of its variance,
/// and a norm that is an outlier (by z-score) is brought back toward the mean.
///
/// Each call measures the global 2-norm `g`. During the first `warmupSteps` calls the norms are
/// collected (and clipped to ``maxGradNorm`` if set); then `mean` and `var` start as their average
/// and population variance. After that, with `std = sqrt(var)` and
/// `z = (g - mean) / (std + epsilon)`:
/// - ``Mode/zScore``: when `z > zThreshold`, the threshold is
///   `(mean + zThreshold * std / (z / zThreshold)) * clipFactor` (``ClipOption/adaptiveScaling``)
///   or `mean` (``ClipOption/mean``);
/// - ``Mode/percentile``: when `g > mean + zThreshold * std`, the threshold is that bound.
///
/// The effective limit is the threshold (or `g` without one), capped by ``maxGradNorm``; when
/// `g` exceeds it the gradients are scaled by `limit / (g + 1e-6)`. Then, unless a spike was
/// found and ``skipUpdateOnSpike`` is set, the statistics move toward `v` (the threshold if
/// any, else `g`): `mean = alpha mean + (1 - alpha) v`, `var = alpha var + (1 - alpha) (v - mean)^2`
/// (with the new mean). This follows the `zclip` package.
///
/// A NaN or infinite norm never enters the statistics: ``nonFinitePolicy`` decides.
///
/// State (``StatefulGradientClipper``): ``warmupNorms``, ``mean`` and ``variance``, saved by
/// ``state``, restored by ``restore(_:)``, cleared by ``resetState()``.
///
/// ```swift
/// var zclip = try ZClipClipper()
/// let report = try zclip.clip(&gradients)
/// ```
public struct ZClipClipper: StatefulGradientClipper, Sendable, Hashable {
  /// How a spike is detected.
  public enum Mode: String, Sendable, Hashable {
    /// By the z-score of the norm.
    case zScore = "zscore"
    /// By the bound `mean + zThreshold * std`.
    case percentile
  }

  /// What threshold a z-score spike gets.
  public enum ClipOption: String, Sendable, Hashable {
    /// `mean + zThreshold * std / (z / zThreshold)`, times ``clipFactor``.
    case adaptiveScaling = "adaptive_scaling"
    /// The mean.
    case mean
  }

  /// The EMA factor, in (0, 1).
  public let alpha: Double
  /// The z-score (or the number of standard deviations) that marks a spike.
  public let zThreshold: Double
  /// A fixed cap on the norm, if any.
  public let maxGradNorm: Double?
  /// Norms collected before the statistics start.
  public let warmupSteps: Int
  /// How spikes are detected.
  public let mode: Mode
  /// The threshold a z-score spike gets.
  public let clipOption: ClipOption
  /// Added to the standard deviation.
  public let epsilon: Double
  /// Scales the adaptive threshold.
  public let clipFactor: Double
  /// Whether a spike leaves the statistics unchanged.
  public let skipUpdateOnSpike: Bool
  /// What to do with a NaN or infinite norm.
  public let nonFinitePolicy: NonFiniteNormPolicy

  /// The norms collected during warm-up.
  public private(set) var warmupNorms: [Double] = []
  /// The EMA of the norm, once warm-up is over.
  public private(set) var mean: Double?
  /// The EMA of the variance, once warm-up is over.
  public private(set) var variance: Double?

  /// A ZClip clipper with the `zclip` package's defaults.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming the argument.
  public init(
    alpha: Double = 0.97, zThreshold: Double = 2.5, maxGradNorm: Double? = nil, warmupSteps: Int = 25,
    mode: Mode = .zScore, clipOption: ClipOption = .adaptiveScaling, epsilon: Double = 1e-6, clipFactor: Double = 1,
    skipUpdateOnSpike: Bool = false, nonFinitePolicy: NonFiniteNormPolicy = .error
  ) throws(ClippingError) {
    guard alpha > 0, alpha < 1 else {
      throw .invalidArgument(name: "alpha", value: alpha, requirement: "must be in (0, 1)")
    }
    guard warmupSteps >= 1 else {
      throw .invalidArgument(name: "warmupSteps", value: Double(warmupSteps), requirement: "must be >= 1")
    }
    try ClippingError.validateThreshold(zThreshold, name: "zThreshold")
    try ClippingError.validateThreshold(epsilon, name: "epsilon")
    try ClippingError.validateThreshold(clipFactor, name: "clipFactor")
    if let maxGradNorm { try ClippingError.validateThreshold(maxGradNorm, name: "maxGradNorm") }
    (self.alpha, self.zThreshold, self.maxGradNorm, self.warmupSteps) = (alpha, zThreshold, maxGradNorm, warmupSteps)
    (self.mode, self.clipOption, self.epsilon, self.clipFactor) = (mode, clipOption, epsilon, clipFactor)
    (self.skipUpdateOnSpike, self.nonFinitePolicy) = (skipUpdateOnSpike, nonFinitePolicy)
  }

  /// Forgets the statistics: warm-up starts again.
  public mutating func resetState() {
    warmupNorms = []
    mean = nil
    variance = nil
  }

  /// Measures the norm, clips a spike, and updates the statistics.
  public mutating func clip<Gradients: GradientSet>(
    _ gradients: inout Gradients
  ) throws(ClippingError)
    -> ClippingReport
  {
    let norm = try gradients.totalNorm()
    let g = norm.value
    guard norm.isFinite else {
      switch nonFinitePolicy {
      case .error: throw .nonFiniteNorm(norm: g, tensorIndex: nil)
      case .skip: return ClippingReport(norm: g, threshold: .nan, coefficient: 1, outcome: .skippedNonFinite)
      case .propagate:
        // No spike can be judged on a NaN or infinite norm: the gradients pass as they are.
        return ClippingReport(norm: g, threshold: .nan, coefficient: 1, outcome: .propagatedNonFinite)
      }
    }
    guard let mean, let variance else { return try warmUp(&gradients, norm: norm) }
    let threshold = spikeThreshold(g, mean: mean, variance: variance)
    let limit = min(threshold ?? g, maxGradNorm ?? .infinity)
    var report = ClippingReport(norm: g, threshold: limit, coefficient: 1, outcome: .unchanged)
    if g > limit {
      let coefficient = limit / (g + 1e-6)
      gradients.withMutableTensorBuffers { buffers in
        KernelDriver(elementsOf: buffers, parallelism: .automatic).scale(by: Gradients.Scalar(coefficient))
      }
      report = ClippingReport(norm: g, threshold: limit, coefficient: coefficient, outcome: .clipped)
    }
    if !(threshold != nil && skipUpdateOnSpike) { update(with: threshold ?? g, mean: mean, variance: variance) }
    return report
  }

  private mutating func warmUp<Gradients: GradientSet>(
    _ gradients: inout Gradients, norm: GradientNorm
  )
    throws(ClippingError) -> ClippingReport
  {
    warmupNorms.append(norm.value)
    if warmupNorms.count >= warmupSteps {
      let average = warmupNorms.reduce(0, +) / Double(warmupNorms.count)
      mean = average
      variance = warmupNorms.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(warmupNorms.count)
    }
    guard let maxGradNorm else {
      return ClippingReport(norm: norm.value, threshold: .infinity, coefficient: 1, outcome: .unchanged)
    }
    return try GlobalNormClipper(maxNorm: maxGradNorm).clip(&gradients, withNorm: norm)
  }

  /// The threshold for a spike at norm `g`, or `nil` when `g` is no spike.
  private func spikeThreshold(_ g: Double, mean: Double, variance: Double) -> Double? {
    let deviation = variance.squareRoot()
    switch mode {
    case .zScore:
      let z = (g - mean) / (deviation + epsilon)
      guard z > zThreshold else { return nil }
      switch clipOption {
      case .adaptiveScaling: return (mean + zThreshold * deviation / (z / zThreshold)) * clipFactor
      case .mean: return mean
      }
    case .percentile:
      let bound = mean + zThreshold * deviation
      return g > bound ? bound : nil
    }
  }

  private mutating func update(with value: Double, mean: Double, variance: Double) {
    let newMean = alpha * mean + (1 - alpha) * value
    self.mean = newMean
    self.variance = alpha * variance + (1 - alpha) * (value - newMean) * (value - newMean)
  }
}

extension ZClipClipper {
  /// The state: kind `"zclip"`, arrays `"warmup_norms"`, `"mean"` and `"variance"` (the last two
  /// empty until warm-up is over).
  public var state: ClipperState {
    ClipperState(
      kind: "zclip",
      arrays: [
        "warmup_norms": warmupNorms, "mean": ClipperState.stored(mean), "variance": ClipperState.stored(variance),
      ])
  }

  /// Restores a state saved by ``state``.
  ///
  /// - Throws: a ``ClippingError`` naming the array if the kind is not `"zclip"`, an array is
  ///   missing or unknown, a value is not finite and >= 0, there are more than ``warmupSteps``
  ///   warm-up norms, or `mean` and `variance` are not both set exactly when warm-up is over
  ///   (``warmupSteps`` norms collected). Nothing changes when it throws.
  public mutating func restore(_ state: ClipperState) throws(ClippingError) {
    let reader = try ClipperStateReader(state, kind: "zclip", names: ["warmup_norms", "mean", "variance"])
    let norms = try reader.values("warmup_norms")
    let mean = try reader.optional("mean")
    let variance = try reader.optional("variance")
    guard norms.count <= warmupSteps else {
      throw .elementCountMismatch(argument: "state.warmup_norms", expected: warmupSteps, actual: norms.count)
    }
    let expected = norms.count == warmupSteps ? 1 : 0
    for (name, value) in [("mean", mean), ("variance", variance)] where (value == nil ? 0 : 1) != expected {
      throw .elementCountMismatch(argument: "state.\(name)", expected: expected, actual: value == nil ? 0 : 1)
    }
    (warmupNorms, self.mean, self.variance) = (norms, mean, variance)
  }
}
