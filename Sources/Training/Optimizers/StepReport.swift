import GradientClipping

/// What an optimizer step did: whether it updated the parameters, with which learning rate, and
/// what each clipper of the clipping chain saw and did.
///
/// ```swift
/// let report = try optimizer.step(values: &weights, gradients: &gradients)
/// if let clip = report.clipping.first, clip.clipped {
///   print("step \(report.step): norm \(clip.norm) clipped to \(clip.threshold), lr \(report.learningRate)")
/// }
/// ```
public struct StepReport: Sendable, Hashable, CustomStringConvertible {
  /// Whether the step updated the parameters.
  public enum Outcome: String, Sendable, Hashable {
    /// The gradients were clipped as configured and the parameters updated.
    case applied
    /// A gradient was NaN or infinite and the policy was ``NonFiniteGradientPolicy/skip``:
    /// nothing was modified.
    case skippedNonFinite
  }

  /// What happened.
  public var outcome: Outcome

  /// The number of updates applied so far, this one included (``OptimizerState/stepCount`` after
  /// the call): 1 after the first applied step.
  public var step: Int

  /// The learning rate the step used (or would have used, when skipped): the schedule's value at
  /// the number of updates applied before it.
  public var learningRate: Double

  /// The report of each clipper of the clipping chain, in order; empty when there is no clipping
  /// or the step was skipped. With fused clipping, the one global-norm report, whose coefficient
  /// was applied inside the update.
  public var clipping: [ClippingReport]

  /// Whether the clipping coefficient was applied inside the update (a precomputed norm was
  /// given) rather than by a pass over the gradients.
  public var fused: Bool

  /// The NaN or infinite norm that made the step skip; `nil` when the step was applied.
  public var nonFiniteNorm: Double?

  /// What update clipping (``UpdateClipping``, an option of ``Adam`` and ``AdamW``) measured and
  /// did; `nil` when the optimizer has none or the step was skipped.
  ///
  /// `tensorNorms` holds each tensor's RMS (of the update for ``UpdateClipping/rms(threshold:)``,
  /// of `g / sqrt(max(v̂, epsilon^2))` for ``UpdateClipping/stableAdamW``; 0 for a tensor with no
  /// elements); `tensorCoefficients` the factor each tensor's step was multiplied by,
  /// `1 / max(1, RMS / threshold)`; `threshold` the RMS threshold (1 for StableAdamW); `norm` the
  /// RMS over the elements of all tensors; `coefficient` the smallest factor; `outcome`
  /// `.clipped` when any tensor's step was scaled.
  public var updateClipping: ClippingReport?

  /// Creates a report.
  public init(
    outcome: Outcome, step: Int, learningRate: Double, clipping: [ClippingReport] = [], fused: Bool = false,
    nonFiniteNorm: Double? = nil, updateClipping: ClippingReport? = nil
  ) {
    self.outcome = outcome
    self.step = step
    self.learningRate = learningRate
    self.clipping = clipping
    self.fused = fused
    self.nonFiniteNorm = nonFiniteNorm
    self.updateClipping = updateClipping
  }

  /// Whether the step was skipped because a gradient was not finite.
  public var skipped: Bool { outcome == .skippedNonFinite }

  /// Whether any clipper of the chain changed the gradients (or, fused, scaled the update).
  public var clipped: Bool { clipping.contains { $0.clipped } }

  /// The number of tensors whose step update clipping scaled down (0 without update clipping).
  public var updateClippedTensorCount: Int { updateClipping?.tensorCoefficients.count { $0 < 1 } ?? 0 }

  /// The step in one line, for logs.
  public var description: String {
    guard !skipped else { return "step skipped: gradient norm \(nonFiniteNorm ?? .nan)" }
    let clips = clipping.map(\.description).joined(separator: "; ")
    let updates = updateClipping.map { report in
      "; update clipping: \(updateClippedTensorCount) of \(report.tensorCoefficients.count) tensors scaled, "
        + "smallest coefficient \(report.coefficient)"
    }
    return "step \(step), lr \(learningRate)\(fused ? ", fused" : "")\(clips.isEmpty ? "" : ": \(clips)")"
      + (updates ?? "")
  }
}
