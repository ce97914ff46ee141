import GradientClipping
import Training

/// The adding problem and the multiplication problem (Hochreiter & Schmidhuber 1997, as
/// Martens & Sutskever 2011 and Pascanu, Mikolov & Bengio 2013 set them up).
///
/// Each step of a sequence of `length` steps carries two inputs: a value drawn uniformly from
/// [0, 1) and a marker, 0 or 1. Exactly two steps are marked: the first among the first 10% of
/// the sequence, the second among the rest of its first half. At the end the model must output the
/// sum (adding) or the product (multiplication) of the two marked values. An example is solved when
/// the output is within 0.04 of the target (Hochreiter & Schmidhuber's criterion). Predicting the
/// mean alone gives a mean squared error of 1/6 (adding) or 7/144 (multiplication), so a loss well
/// below that shows that the model carried the values across the sequence.
///
/// ```swift
/// let task = AddingProblem(length: 100)                      // or operation: .multiplication
/// ```
public struct AddingProblem: SyntheticTask {
  /// What the model computes from the two marked values.
  public enum Operation: String, Sendable, Hashable {
    /// Their sum, in [0, 2).
    case addition
    /// Their product, in [0, 1).
    case multiplication
  }

  /// The number of steps of each sequence, at least 10.
  public let length: Int
  /// Sum or product.
  public let operation: Operation

  /// The task at `length` steps (at least 10).
  public init(length: Int, operation: Operation = .addition) {
    self.length = max(length, 10)
    self.operation = operation
  }

  public var name: String { operation == .addition ? "adding" : "multiplication" }

  public var summary: String {
    let what = operation == .addition ? "sum" : "product"
    return
      "\(length) steps of (value in [0,1), marker); output the \(what) of the two marked values; "
      + "solved when within 0.04 of the target"
  }

  public var input: TaskInput { .sequence(length: length, features: 2, vocabulary: nil) }

  public var output: TaskOutput { TaskOutput(kind: .regression, size: 1, criterion: .withinTolerance(0.04)) }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    var features = [Float](repeating: 0, count: size * length * 2)
    var targets = [Float](repeating: 0, count: size)
    let firstRange = 0..<max(length / 10, 1)
    for example in 0..<size {
      let base = example * length * 2
      for step in 0..<length { features[base + 2 * step] = generator.unitFloat() }
      let first = generator.integer(in: firstRange)
      let second = generator.integer(in: firstRange.upperBound..<(length / 2))
      features[base + 2 * first + 1] = 1
      features[base + 2 * second + 1] = 1
      let (a, b) = (features[base + 2 * first], features[base + 2 * second])
      targets[example] = operation == .addition ? a + b : a * b
    }
    return TaskBatch(
      size: size, features: Tensor(shape: [size, length, 2], scalars: features), targets: .values(targets))
  }
}
