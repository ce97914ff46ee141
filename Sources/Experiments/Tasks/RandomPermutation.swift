import GradientClipping
import Training

/// The random permutation problem (Martens & Sutskever 2011; Pascanu et al. 2013, section 5).
///
/// A sequence of `length` symbols from an alphabet of 100: the first is 0 or 1, every other one is
/// drawn uniformly from 2...99. At the last step the model must predict the first symbol again,
/// as a 100-way classification, so it has to carry one bit across the whole sequence. An example is
/// solved when the prediction is right; chance is 50% once the model has learned that only 0 and 1
/// can come.
public struct RandomPermutation: SyntheticTask {
  /// The number of steps, at least 2.
  public let length: Int

  /// The alphabet size.
  static let vocabulary = 100

  /// The task at `length` steps.
  public init(length: Int) { self.length = max(length, 2) }

  public var name: String { "permutation" }

  public var summary: String {
    "\(length) symbols of 100; predict the first (0 or 1) at the end; solved when right"
  }

  public var input: TaskInput { .sequence(length: length, features: Self.vocabulary, vocabulary: Self.vocabulary) }

  public var output: TaskOutput {
    TaskOutput(kind: .classification, size: Self.vocabulary, criterion: .allPositionsCorrect)
  }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    var tokens: [Int] = []
    tokens.reserveCapacity(size * length)
    var labels: [Int] = []
    for _ in 0..<size {
      let first = generator.integer(in: 0..<2)
      tokens.append(first)
      for _ in 1..<length { tokens.append(generator.integer(in: 2..<Self.vocabulary)) }
      labels.append(first)
    }
    return SymbolSequences.batch(
      tokens: tokens, examples: size, length: length, vocabulary: Self.vocabulary, targets: .classes(labels))
  }
}
