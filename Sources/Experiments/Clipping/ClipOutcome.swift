/// What clipping did on one step, as the metrics record it (see ``StepMetrics``).
public struct ClipOutcome: Sendable, Hashable {
  /// The threshold the global norm was compared against, when the method has one.
  public var threshold: Double?
  /// The factor the gradients were scaled by, or the ratio of the global norm after clipping to
  /// the norm before for methods that do not scale uniformly; 1 when nothing changed.
  public var coefficient: Double
  /// Whether the gradients changed.
  public var clipped: Bool
  /// Whether the update must be skipped (a non-finite norm).
  public var skipped: Bool

  /// Nothing done.
  public static let unchanged = ClipOutcome(threshold: nil, coefficient: 1, clipped: false, skipped: false)
}
