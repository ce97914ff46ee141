/// Decides whether an optimizer step should be skipped because its gradient norm is a spike: above
/// a fixed bound, or an outlier by z-score against the recent norms. It never modifies the
/// gradients.
///
/// Each ``check(_:)`` measures the global 2-norm `g` (or takes one measured beforehand,
/// ``check(norm:)``) and decides, in this order:
/// 1. `g` NaN or infinite: ``nonFinitePolicy`` (by default ``NonFiniteNormPolicy/skip``: skip,
///    reason ``StepDecision/Reason/nonFinite``; `error` throws; `propagate` applies the step).
/// 2. `g > maxNorm` (if set): skip, reason ``StepDecision/Reason/normAboveMaxNorm``. This is the
///    fixed-threshold rule of large-model training loops that drop an iteration whose gradient
///    norm is implausibly large instead of clipping it.
/// 3. Once `warmupSteps` norms have been accepted, with `z = (g - mean) / (sqrt(variance) +
///    epsilon)`: `z > zThreshold` (if set) skips, reason
///    ``StepDecision/Reason/zScoreAboveThreshold``; equivalently `g > mean + zThreshold *
///    (sqrt(variance) + epsilon)`, the decision's ``StepDecision/threshold``.
/// 4. Otherwise the step is applied and `g` is accepted into the statistics.
///
/// Statistics, updated only with accepted norms (finite, not skipped), so a spike cannot raise
/// the bar for the next one: during warm-up the exact running mean and population variance
/// (Welford's update); afterwards exponential moving averages, as ``ZClipClipper`` keeps them:
/// `mean = alpha * mean + (1 - alpha) * g`, then `variance = alpha * variance + (1 - alpha) *
/// (g - mean)^2` with the new mean.
///
/// How it relates to others: llm.c (`-sg`, with its `OutlierDetector`) computes the z-score
/// against a sliding window of the last 128 norms, skipped ones included, with no epsilon (a zero
/// deviation gives z = 0); ours is an EMA over accepted norms only, O(1) state. Megatron-LM and
/// mixed-precision loss scalers count the iterations they skip; so does this detector
/// (``skippedStepCount``). Because skipped norms never enter the statistics, a lasting rise of the
/// norm (a new regime rather than a spike) is skipped again and again: watch
/// ``consecutiveSkipCount`` and call ``resetState()`` (or raise the bounds) when it grows.
///
/// Cost: the norm pass (none with ``check(norm:)``), O(1) bookkeeping.
///
/// ```swift
/// var spikes = try SpikeDetector(maxNorm: 100, zThreshold: 6)
/// let decision = try spikes.check(gradients)
/// if !decision.shouldSkip { try optimizer.step(values: &weights, gradients: &gradients) }
/// print("skipped \(spikes.skippedStepCount) steps so far")
/// ```
public struct SpikeDetector: StatefulClippingComponent, Sendable, Hashable {
  /// Skip a step whose norm exceeds this bound (finite, >= 0); `nil` for no fixed bound.
  public let maxNorm: Double?
  /// Skip a step whose z-score exceeds this (finite, >= 0); `nil` for no z-score rule (the
  /// statistics are kept anyway and reported in ``StepDecision/zScore``).
  public let zThreshold: Double?
  /// The EMA factor of the statistics after warm-up, in (0, 1).
  public let alpha: Double
  /// How many norms are accepted before the z-score rule can trigger (>= 1).
  public let warmupSteps: Int
  /// Added to the standard deviation in the z-score (finite, >= 0).
  public let epsilon: Double
  /// What to do with a NaN or infinite norm.
  public let nonFinitePolicy: NonFiniteNormPolicy

  /// The number of norms accepted into the statistics.
  public private(set) var acceptedCount = 0
  /// The mean of the accepted norms (exact during warm-up, then the EMA); `nil` before the first.
  public private(set) var mean: Double?
  /// The population variance of the accepted norms (exact during warm-up, then the EMA); `nil`
  /// before the first.
  public private(set) var variance: Double?
  /// The number of steps the detector said to skip.
  public private(set) var skippedStepCount = 0
  /// The number of steps skipped in a row up to the last decision (0 after an applied step).
  public private(set) var consecutiveSkipCount = 0

  /// A spike detector with a fixed bound, a z-score rule, or both.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming the argument:
  ///   `maxNorm`, `zThreshold` or `epsilon` not finite and >= 0, `alpha` outside (0, 1),
  ///   `warmupSteps` below 1.
  public init(
    maxNorm: Double? = nil, zThreshold: Double? = nil, alpha: Double = 0.97, warmupSteps: Int = 25,
    epsilon: Double = 1e-6, nonFinitePolicy: NonFiniteNormPolicy = .skip
  ) throws(ClippingError) {
    if let maxNorm { try ClippingError.validateThreshold(maxNorm, name: "maxNorm") }
    if let zThreshold { try ClippingError.validateThreshold(zThreshold, name: "zThreshold") }
    guard alpha > 0, alpha < 1 else {
      throw .invalidArgument(name: "alpha", value: alpha, requirement: "must be in (0, 1)")
    }
    guard warmupSteps >= 1 else {
      throw .invalidArgument(name: "warmupSteps", value: Double(warmupSteps), requirement: "must be >= 1")
    }
    try ClippingError.validateThreshold(epsilon, name: "epsilon")
    (self.maxNorm, self.zThreshold, self.alpha) = (maxNorm, zThreshold, alpha)
    (self.warmupSteps, self.epsilon, self.nonFinitePolicy) = (warmupSteps, epsilon, nonFinitePolicy)
  }

  /// Whether the z-score rule is active: `warmupSteps` norms have been accepted.
  public var isWarmedUp: Bool { acceptedCount >= warmupSteps }

  /// Measures the global 2-norm of `gradients` and decides; `gradients` is only read.
  ///
  /// - Throws: ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` under the `error` policy;
  ///   nothing changes when it throws.
  public mutating func check<Gradients: GradientSet>(_ gradients: Gradients) throws(ClippingError) -> StepDecision {
    try check(norm: gradients.totalNorm())
  }

  /// Decides with a global 2-norm measured beforehand (for example accumulated by backward, or
  /// combined from several parts with ``GradientNorm/init(combining:)``).
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` if `norm` is not a
  ///   2-norm; ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` under the `error` policy.
  ///   Nothing changes when it throws.
  public mutating func check(norm: GradientNorm) throws(ClippingError) -> StepDecision {
    guard norm.order == .two else {
      throw .invalidArgument(name: "norm.order", value: norm.order.value, requirement: "must be 2")
    }
    let g = norm.value
    guard norm.isFinite else {
      switch nonFinitePolicy {
      case .error: throw .nonFiniteNorm(norm: g, tensorIndex: nil)
      case .skip: return record(StepDecision(reason: .nonFinite, norm: g, isFinite: false))
      case .propagate: return record(StepDecision(reason: nil, norm: g, isFinite: false))
      }
    }
    var decision = StepDecision(reason: nil, norm: g, isFinite: true, threshold: maxNorm ?? .infinity)
    if let mean, let variance, isWarmedUp {
      let deviation = variance.squareRoot() + epsilon
      decision.zScore = (g - mean) / deviation
      if let zThreshold { decision.threshold = min(decision.threshold, mean + zThreshold * deviation) }
      if let zThreshold, let z = decision.zScore, z > zThreshold { decision.reason = .zScoreAboveThreshold }
    }
    if let maxNorm, g > maxNorm { decision.reason = .normAboveMaxNorm }
    if !decision.shouldSkip { accept(g) }
    return record(decision)
  }

  /// Counts the decision.
  private mutating func record(_ decision: StepDecision) -> StepDecision {
    if decision.shouldSkip {
      skippedStepCount = Self.increment(skippedStepCount)
      consecutiveSkipCount = Self.increment(consecutiveSkipCount)
    } else {
      consecutiveSkipCount = 0
    }
    return decision
  }

  /// Adds an accepted norm to the statistics.
  private mutating func accept(_ g: Double) {
    let previousMean = mean ?? 0
    let previousVariance = variance ?? 0
    if acceptedCount < warmupSteps {
      // Welford: the exact mean and population variance of the warm-up norms.
      let count = Double(acceptedCount + 1)
      let newMean = previousMean + (g - previousMean) / count
      mean = newMean
      variance = previousVariance + ((g - previousMean) * (g - newMean) - previousVariance) / count
    } else {
      let newMean = alpha * previousMean + (1 - alpha) * g
      mean = newMean
      variance = alpha * previousVariance + (1 - alpha) * (g - newMean) * (g - newMean)
    }
    acceptedCount = Self.increment(acceptedCount)
  }

  /// `count + 1`, saturating at 2^53 - 1 (what a ``ClipperState`` stores exactly).
  static func increment(_ count: Int) -> Int { min(count + 1, 1 << 53 - 1) }

  // MARK: State

  /// The state: kind `"spike-detector"`, arrays `"accepted"`, `"mean"` and `"variance"` (empty
  /// before the first accepted norm), `"skipped"`, `"consecutive_skipped"`.
  public var state: ClipperState {
    ClipperState(
      kind: "spike-detector",
      arrays: [
        "accepted": ClipperState.stored(acceptedCount), "mean": ClipperState.stored(mean),
        "variance": ClipperState.stored(variance), "skipped": ClipperState.stored(skippedStepCount),
        "consecutive_skipped": ClipperState.stored(consecutiveSkipCount),
      ])
  }

  /// Restores a state saved by ``state``.
  ///
  /// - Throws: a ``ClippingError`` naming the array if the kind is not `"spike-detector"`, an
  ///   array is missing or unknown, a count is not one whole number >= 0, `mean` or `variance`
  ///   is not empty or one finite value >= 0, they are empty although norms were accepted (or
  ///   the reverse), or more steps were skipped in a row than in all. Nothing changes when it
  ///   throws.
  public mutating func restore(_ state: ClipperState) throws(ClippingError) {
    let reader = try ClipperStateReader(
      state, kind: "spike-detector", names: ["accepted", "mean", "variance", "skipped", "consecutive_skipped"])
    let accepted = try reader.count("accepted")
    let mean = try reader.optional("mean")
    let variance = try reader.optional("variance")
    let skipped = try reader.count("skipped")
    let consecutive = try reader.count("consecutive_skipped")
    let expected = accepted == 0 ? 0 : 1
    for (name, value) in [("mean", mean), ("variance", variance)] where (value == nil ? 0 : 1) != expected {
      throw .elementCountMismatch(argument: "state.\(name)", expected: expected, actual: value == nil ? 0 : 1)
    }
    guard consecutive <= skipped else {
      throw .invalidArgument(
        name: "state.consecutive_skipped[0]", value: Double(consecutive), requirement: "must be <= state.skipped")
    }
    (acceptedCount, self.mean, self.variance) = (accepted, mean, variance)
    (skippedStepCount, consecutiveSkipCount) = (skipped, consecutive)
  }

  /// Forgets the statistics and the counts: warm-up starts again.
  public mutating func resetState() {
    (acceptedCount, mean, variance) = (0, nil, nil)
    (skippedStepCount, consecutiveSkipCount) = (0, 0)
  }
}
