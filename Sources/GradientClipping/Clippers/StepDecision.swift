/// What a step guard (``SpikeDetector``, ``NonFiniteStepSkipper``) decided about one optimizer
/// step: apply it, or skip it and why.
///
/// A guard never modifies the gradients, so after a skip the caller still has them exactly as
/// they were, to log or inspect; it skips the optimizer step itself (and, usually, zeroes the
/// gradients before the next backward pass).
///
/// ```swift
/// let decision = try spikes.check(gradients)
/// if let reason = decision.reason {
///   print("step skipped (\(reason.rawValue)): norm \(decision.norm), threshold \(decision.threshold)")
/// } else {
///   try optimizer.step(values: &weights, gradients: &gradients)
/// }
/// ```
public struct StepDecision: Sendable, Hashable, CustomStringConvertible {
  /// Why a step is to be skipped.
  public enum Reason: String, Sendable, Hashable, CaseIterable {
    /// The global norm exceeded the fixed bound ``SpikeDetector/maxNorm``.
    case normAboveMaxNorm = "norm-above-max-norm"
    /// The z-score of the global norm against its recent mean and deviation exceeded
    /// ``SpikeDetector/zThreshold``.
    case zScoreAboveThreshold = "z-score-above-threshold"
    /// A gradient was NaN or infinite.
    case nonFinite = "non-finite"
  }

  /// Why the step should be skipped; `nil` when it should be applied.
  public var reason: Reason?

  /// The global 2-norm of the gradients (NaN or infinite if a gradient was).
  public var norm: Double

  /// Whether every gradient was finite. A step can be applied with non-finite gradients when
  /// the guard's policy says so (``NonFiniteStepSkipper`` after too many consecutive
  /// non-finite steps, as optax's `apply_if_finite` does; ``NonFiniteNormPolicy/propagate``).
  public var isFinite: Bool

  /// The largest norm that would not have been skipped: the smaller of the fixed bound and the
  /// z-score bound `mean + zThreshold * (std + epsilon)` in force at this step; infinity when
  /// neither applies (during warm-up without a fixed bound, or for ``NonFiniteStepSkipper``).
  public var threshold: Double

  /// The z-score of the norm, `(norm - mean) / (std + epsilon)`, once the statistics have
  /// warmed up and the norm is finite; `nil` otherwise.
  public var zScore: Double?

  /// Creates a decision.
  public init(reason: Reason?, norm: Double, isFinite: Bool, threshold: Double = .infinity, zScore: Double? = nil) {
    self.reason = reason
    self.norm = norm
    self.isFinite = isFinite
    self.threshold = threshold
    self.zScore = zScore
  }

  /// Whether the optimizer step should be skipped.
  public var shouldSkip: Bool { reason != nil }

  public var description: String {
    let verdict = reason.map { "skip (\($0.rawValue))" } ?? "apply"
    return "norm \(norm), threshold \(threshold)\(zScore.map { ", z \($0)" } ?? ""): \(verdict)"
  }
}
