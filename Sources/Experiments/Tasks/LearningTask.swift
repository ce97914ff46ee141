import GradientClipping
import Training

/// A task to train on: it makes batches of examples, keeps a fixed held-out set, and says what
/// the model must output and when an example counts as solved.
///
/// Synthetic tasks draw every training batch fresh from the run's seeded generator and their
/// held-out set from a generator of their own, so the same seed gives the same data and the
/// held-out examples never appear in training. Data-set tasks split their examples once, by a
/// fixed seeded shuffle.
///
/// ```swift
/// let task = AddingProblem(length: 100)
/// var generator = SeededGenerator(seed: 1)
/// let batch = task.batch(size: 32, generator: &generator)   // features [32, 100, 2]
/// ```
public protocol LearningTask: Sendable {
  /// The task's name on the command line (`adding`, `digits`, ...).
  var name: String { get }
  /// One paragraph: what the examples are and when one counts as solved.
  var summary: String { get }
  /// The form of the inputs.
  var input: TaskInput { get }
  /// What the model outputs and how it is scored.
  var output: TaskOutput { get }
  /// A batch of `size` training examples.
  func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch
  /// The held-out examples every evaluation of a run measures (the same whatever the run's seed).
  func heldOutSet() -> TaskBatch
  /// The number of training examples of a data set, which makes an epoch; `nil` for synthetic
  /// tasks, which draw fresh examples every step.
  var trainingExampleCount: Int? { get }
}

extension LearningTask {
  public var trainingExampleCount: Int? { nil }
}

/// The form of a task's inputs, which decides which models fit it.
public enum TaskInput: Sendable, Hashable {
  /// `[batch, length, features]`; `vocabulary` is the alphabet size when the features are one-hot
  /// symbols (the batch then also has tokens).
  case sequence(length: Int, features: Int, vocabulary: Int?)
  /// `[batch, channels, height, width]`.
  case image(channels: Int, height: Int, width: Int)
  /// `[batch, features]`.
  case vector(features: Int)

  /// The number of input values per example.
  public var elementCount: Int {
    switch self {
    case .sequence(let length, let features, _): length * features
    case .image(let channels, let height, let width): channels * height * width
    case .vector(let features): features
    }
  }
}
