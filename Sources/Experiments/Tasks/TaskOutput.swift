import GradientClipping
import Training

/// What a task asks the model to output, how it is scored, and when an example counts as solved.
///
/// A model's output for a batch is a `[batch * positions, size]` matrix: regression values, or
/// the logits of `size` classes.
public struct TaskOutput: Sendable, Hashable {
  /// How the output is compared with the targets.
  public enum Kind: Sendable, Hashable {
    /// Real values, scored by mean squared error.
    case regression
    /// Class logits, scored by cross-entropy over the class indices.
    case classification
  }

  /// When a held-out example counts as solved.
  public enum Criterion: Sendable, Hashable {
    /// Every output value within `tolerance` of its target (Hochreiter & Schmidhuber's 0.04 for
    /// the adding and multiplication problems).
    case withinTolerance(Double)
    /// The largest logit names the target class at every predicted position of the example.
    case allPositionsCorrect
    /// Each predicted position on its own (language modelling): the share of positions whose
    /// largest logit names the next symbol.
    case eachPositionCorrect
  }

  /// Regression or classification.
  public var kind: Kind
  /// The number of outputs per position: values, or classes.
  public var size: Int
  /// The number of positions predicted per example: the last `positions` steps of a sequence
  /// (1 for tasks that predict once per example).
  public var positions: Int
  /// When an example counts as solved.
  public var criterion: Criterion

  /// Creates an output description.
  public init(kind: Kind, size: Int, positions: Int = 1, criterion: Criterion) {
    self.kind = kind
    self.size = size
    self.positions = positions
    self.criterion = criterion
  }

  /// The loss of `predictions` (`[batch * positions, size]`) against the batch's targets: mean
  /// squared error or mean cross-entropy.
  public func loss(_ predictions: Tensor<Float>, _ targets: TaskTargets) -> Tensor<Float> {
    switch targets {
    case .values(let values):
      return Loss.meanSquaredError(predictions, Tensor(shape: predictions.shape, scalars: values))
    case .classes(let labels):
      return Loss.crossEntropy(logits: predictions, labels: labels)
    }
  }

  /// The share of examples (or of positions, for ``Criterion/eachPositionCorrect``) that meet
  /// the criterion.
  public func accuracy(_ predictions: [Float], _ targets: TaskTargets) -> Double {
    let rows = predictions.count / max(size, 1)
    guard rows > 0 else { return 0 }
    let correct = (0..<rows).map { row in isCorrect(row: row, predictions, targets) }
    switch criterion {
    case .eachPositionCorrect:
      return Double(correct.count { $0 }) / Double(rows)
    case .withinTolerance, .allPositionsCorrect:
      let examples = rows / positions
      let solved = (0..<examples).count { example in
        correct[(example * positions)..<((example + 1) * positions)].allSatisfy { $0 }
      }
      return Double(solved) / Double(max(examples, 1))
    }
  }

  private func isCorrect(row: Int, _ predictions: [Float], _ targets: TaskTargets) -> Bool {
    let outputs = predictions[(row * size)..<((row + 1) * size)]
    switch targets {
    case .values(let values):
      let tolerance = if case .withinTolerance(let tolerance) = criterion { tolerance } else { 0.0 }
      return zip(outputs, values[(row * size)..<((row + 1) * size)]).allSatisfy {
        abs(Double($0) - Double($1)) < tolerance
      }
    case .classes(let labels):
      guard !outputs.contains(where: \.isNaN), let best = outputs.indices.max(by: { outputs[$0] < outputs[$1] }) else {
        return false
      }
      return best - outputs.startIndex == labels[row]
    }
  }
}
