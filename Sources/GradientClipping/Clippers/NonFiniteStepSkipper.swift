/// optax's `apply_if_finite`: skip optimizer steps whose gradients contain a NaN or an infinity,
/// but only up to `maxConsecutiveErrors` in a row; after that many, give up and apply them. It
/// never modifies the gradients.
///
/// Each ``check(_:)`` (or ``check(norm:)`` with a norm measured beforehand) finds whether every
/// gradient is finite and updates the counters exactly as optax's `ApplyIfFiniteState`:
/// - finite: ``notFiniteCount`` = 0, apply;
/// - not finite: ``notFiniteCount`` += 1 and ``totalNotFinite`` += 1; skip (reason
///   ``StepDecision/Reason/nonFinite``) unless ``notFiniteCount`` > ``maxConsecutiveErrors``,
///   in which case the step is applied anyway (``StepDecision/isFinite`` is then `false`).
///
/// ``lastFinite`` records whether the last step was finite. So with `maxConsecutiveErrors` 2,
/// three non-finite steps in a row are skipped, skipped, applied; with 0, every step is applied.
///
/// Differences from optax, both of form: optax wraps the inner optimizer and, on a skip, returns
/// zero updates and leaves the inner state alone; here the caller skips its optimizer step (the
/// gradients stay as they were, for logging). optax's int32 counters saturate at 2^31 - 1, ours
/// at 2^53 - 1.
///
/// The check is one read pass (the global 2-norm, which is NaN or infinite exactly when a
/// gradient is: the exact norm never overflows for finite gradients); none with
/// ``check(norm:)``.
///
/// ```swift
/// var guardrail = try NonFiniteStepSkipper(maxConsecutiveErrors: 5)
/// let decision = try guardrail.check(gradients)
/// if !decision.shouldSkip { try optimizer.step(values: &weights, gradients: &gradients) }
/// print("\(guardrail.totalNotFinite) non-finite steps so far")
/// ```
public struct NonFiniteStepSkipper: StatefulClippingComponent, Sendable, Hashable {
  /// The largest number of consecutive non-finite steps that are skipped (>= 0); the next one
  /// is applied.
  public let maxConsecutiveErrors: Int

  /// The number of consecutive non-finite steps up to the last one (optax's `notfinite_count`).
  public private(set) var notFiniteCount = 0
  /// The number of non-finite steps seen since creation or reset (optax's `total_notfinite`).
  public private(set) var totalNotFinite = 0
  /// Whether the last step was finite (optax's `last_finite`); `true` before the first.
  public private(set) var lastFinite = true

  /// optax's `apply_if_finite(inner, max_consecutive_errors)`.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` if
  ///   `maxConsecutiveErrors` is negative.
  public init(maxConsecutiveErrors: Int) throws(ClippingError) {
    guard maxConsecutiveErrors >= 0 else {
      throw .invalidArgument(
        name: "maxConsecutiveErrors", value: Double(maxConsecutiveErrors), requirement: "must be >= 0")
    }
    self.maxConsecutiveErrors = maxConsecutiveErrors
  }

  /// Checks `gradients` (only read) and decides.
  public mutating func check<Gradients: GradientSet>(_ gradients: Gradients) -> StepDecision {
    check(norm: (try? gradients.totalNorm()) ?? .zero)
  }

  /// Decides with a norm measured beforehand, of any order: only whether it is finite matters.
  public mutating func check(norm: GradientNorm) -> StepDecision {
    let isFinite = norm.isFinite
    lastFinite = isFinite
    guard !isFinite else {
      notFiniteCount = 0
      return StepDecision(reason: nil, norm: norm.value, isFinite: true)
    }
    notFiniteCount = SpikeDetector.increment(notFiniteCount)
    totalNotFinite = SpikeDetector.increment(totalNotFinite)
    let apply = notFiniteCount > maxConsecutiveErrors
    return StepDecision(reason: apply ? nil : .nonFinite, norm: norm.value, isFinite: false)
  }

  // MARK: State

  /// The state: kind `"non-finite-step-skipper"`, arrays `"notfinite_count"`,
  /// `"total_notfinite"` and `"last_finite"` (0 or 1), named after optax's fields.
  public var state: ClipperState {
    ClipperState(
      kind: "non-finite-step-skipper",
      arrays: [
        "notfinite_count": ClipperState.stored(notFiniteCount),
        "total_notfinite": ClipperState.stored(totalNotFinite), "last_finite": ClipperState.stored(lastFinite),
      ])
  }

  /// Restores a state saved by ``state``.
  ///
  /// - Throws: a ``ClippingError`` naming the array if the kind is not
  ///   `"non-finite-step-skipper"`, an array is missing or unknown, a count is not one whole
  ///   number >= 0, `last_finite` is not 0 or 1, or the counts contradict each other (more
  ///   consecutive than total; a consecutive count with `last_finite` 1, or none with 0).
  ///   Nothing changes when it throws.
  public mutating func restore(_ state: ClipperState) throws(ClippingError) {
    let reader = try ClipperStateReader(
      state, kind: "non-finite-step-skipper", names: ["notfinite_count", "total_notfinite", "last_finite"])
    let consecutive = try reader.count("notfinite_count")
    let total = try reader.count("total_notfinite")
    let last = try reader.flag("last_finite")
    guard consecutive <= total else {
      throw .invalidArgument(
        name: "state.notfinite_count[0]", value: Double(consecutive), requirement: "must be <= state.total_notfinite")
    }
    guard last == (consecutive == 0) else {
      throw .invalidArgument(
        name: "state.last_finite[0]", value: last ? 1 : 0,
        requirement: "must be 1 exactly when state.notfinite_count is 0")
    }
    (notFiniteCount, totalNotFinite, lastFinite) = (consecutive, total, last)
  }

  /// Sets every counter back to its initial value.
  public mutating func resetState() {
    (notFiniteCount, totalNotFinite, lastFinite) = (0, 0, true)
  }
}
