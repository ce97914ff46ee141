import GradientClipping
import Training

/// A batch of examples of a task: the inputs in the form each model needs, and the targets.
///
/// `features` holds the inputs as numbers: `[batch, time, features]` for sequence tasks (symbols
/// one-hot), `[batch, channels, height, width]` for images, `[batch, features]` for vectors.
/// Sequence tasks over a finite alphabet also give `tokens`, the symbol of every position
/// (`batch * time` indices, row-major), for models that embed symbols (the GPT).
///
/// `targets` has one entry per predicted position of each example, example-major: the task's
/// ``TaskOutput/positions`` last steps of a sequence (1 for everything else).
public struct TaskBatch: Sendable {
  /// The number of examples.
  public var size: Int
  /// The inputs as numbers.
  public var features: Tensor<Float>
  /// The symbol of every position, for sequence tasks over an alphabet.
  public var tokens: [Int]?
  /// What the model must predict.
  public var targets: TaskTargets

  /// Creates a batch.
  public init(size: Int, features: Tensor<Float>, tokens: [Int]? = nil, targets: TaskTargets) {
    self.size = size
    self.features = features
    self.tokens = tokens
    self.targets = targets
  }
}

/// The targets of a batch: numbers to regress, or class indices.
public enum TaskTargets: Sendable, Hashable {
  /// `batch * positions * outputs` numbers, row-major.
  case values([Float])
  /// `batch * positions` class indices.
  case classes([Int])
}
