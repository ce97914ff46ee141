/// The figures that compare runs, derived from a ``RunRecord``.
///
/// - ``finalLoss`` and ``bestLoss``: the held-out loss at the last evaluation, and the lowest
///   over all evaluations (the training loss of the last step and the lowest training loss when
///   there was no evaluation).
/// - ``accuracy``: the task's success criterion on held-out examples at the last evaluation.
/// - ``divergenceStep``: the first step whose training loss is NaN, infinite, or above ten times
///   the loss of the first step (Pascanu et al. 2013 call such a run unstable).
/// - ``clippedShare``: the share of steps whose gradients the clipper changed.
/// - ``largestGradientNorm``: the largest global gradient norm seen before clipping (infinite if
///   a norm was not finite).
public struct RunSummary: Sendable, Hashable, Codable {
  /// The number of steps run.
  public var stepCount: Int
  /// The held-out loss at the end (or the last training loss).
  public var finalLoss: Double?
  /// The lowest held-out loss (or the lowest training loss).
  public var bestLoss: Double?
  /// The share of held-out examples meeting the task's criterion at the end.
  public var accuracy: Double?
  /// The first diverging step, if any.
  public var divergenceStep: Int?
  /// The share of steps clipped, in [0, 1].
  public var clippedShare: Double
  /// The share of steps whose update was skipped, in [0, 1].
  public var skippedShare: Double
  /// The largest gradient norm before clipping.
  public var largestGradientNorm: Double?

  /// The summary of `record`.
  public init(_ record: RunRecord) {
    let steps = record.steps
    stepCount = steps.count
    if record.evaluations.isEmpty {
      finalLoss = steps.last?.loss
      bestLoss = steps.map(\.loss).filter { !$0.isNaN }.min()
    } else {
      finalLoss = record.evaluations.last?.loss
      bestLoss = record.evaluations.map(\.loss).filter { !$0.isNaN }.min()
    }
    accuracy = record.evaluations.last?.accuracy
    divergenceStep = Self.firstDivergence(in: steps)
    clippedShare = steps.isEmpty ? 0 : Double(steps.count { $0.clipped }) / Double(steps.count)
    skippedShare = steps.isEmpty ? 0 : Double(steps.count { $0.skipped }) / Double(steps.count)
    largestGradientNorm = steps.map { $0.gradientNorm.isNaN ? .infinity : $0.gradientNorm }.max()
  }

  /// Whether `loss` counts as divergence against the first step's `initialLoss`.
  public static func isDivergent(_ loss: Double, initialLoss: Double) -> Bool {
    !loss.isFinite || (initialLoss.isFinite && loss > 10 * initialLoss)
  }

  private static func firstDivergence(in steps: [StepMetrics]) -> Int? {
    guard let initial = steps.first?.loss else { return nil }
    return steps.first { isDivergent($0.loss, initialLoss: initial) }?.step
  }
}
