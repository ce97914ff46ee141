/// A measurement of the model on held-out examples (fresh sequences of a synthetic task, the
/// held-out split of a data set) at one step of a run.
///
/// `accuracy` is the task's own success criterion, as a share in [0, 1]: for the adding problem
/// the share of sequences whose prediction is within 0.04 of the target, for classification the
/// share classified correctly (see each task's documentation).
public struct Evaluation: Sendable, Hashable, Codable {
  /// The step after which the model was measured (0: before training).
  public var step: Int
  /// The loss on the held-out examples.
  public var loss: Double
  /// The share of held-out examples that meet the task's success criterion.
  public var accuracy: Double

  /// Creates an evaluation.
  public init(step: Int, loss: Double, accuracy: Double) {
    self.step = step
    self.loss = loss
    self.accuracy = accuracy
  }
}
