import GradientClipping
import Training

/// Batches of symbol sequences, as every symbolic task gives them: one-hot features and tokens.
enum SymbolSequences {
  /// A batch from the symbols of `examples` sequences of equal length (row-major), one-hot over
  /// `vocabulary`.
  static func batch(tokens: [Int], examples: Int, length: Int, vocabulary: Int, targets: TaskTargets) -> TaskBatch {
    var features = [Float](repeating: 0, count: tokens.count * vocabulary)
    for (position, token) in tokens.enumerated() { features[position * vocabulary + token] = 1 }
    return TaskBatch(
      size: examples, features: Tensor(shape: [examples, length, vocabulary], scalars: features), tokens: tokens,
      targets: targets)
  }
}

extension SeededGenerator {
  /// A uniformly drawn integer in `range` (which must not be empty).
  mutating func integer(in range: Range<Int>) -> Int { Int.random(in: range, using: &self) }

  /// A uniformly drawn `Float` in [0, 1).
  mutating func unitFloat() -> Float { Float(uniform(in: 0..<1)) }
}
