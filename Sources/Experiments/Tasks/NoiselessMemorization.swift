import GradientClipping
import Training

/// The noiseless memorisation problem (Martens & Sutskever 2011; Pascanu et al. 2013, section 5).
///
/// A sequence of `length` symbols over {0, 1, blank, trigger}: five bits, then blanks, then the
/// trigger six steps before the end, then five more blanks. At each of the last five steps the
/// model must output the corresponding bit of the start. An example is solved when all five bits
/// are right (chance: 1 in 32).
public struct NoiselessMemorization: SyntheticTask {
  /// The number of steps, at least 12.
  public let length: Int

  /// The number of bits to remember.
  static let bits = 5
  /// The symbols: 0, 1, blank, trigger.
  static let vocabulary = 4
  private static let (blank, trigger) = (2, 3)

  /// The task at `length` steps.
  public init(length: Int) { self.length = max(length, 2 * Self.bits + 2) }

  public var name: String { "memorization" }

  public var summary: String {
    "5 bits, blanks and a trigger over \(length) steps; repeat the bits at the last 5 steps; "
      + "solved when all 5 are right"
  }

  public var input: TaskInput { .sequence(length: length, features: Self.vocabulary, vocabulary: Self.vocabulary) }

  public var output: TaskOutput {
    TaskOutput(kind: .classification, size: 2, positions: Self.bits, criterion: .allPositionsCorrect)
  }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    var tokens: [Int] = []
    tokens.reserveCapacity(size * length)
    var labels: [Int] = []
    for _ in 0..<size {
      let bits = (0..<Self.bits).map { _ in generator.integer(in: 0..<2) }
      var sequence = [Int](repeating: Self.blank, count: length)
      sequence.replaceSubrange(0..<Self.bits, with: bits)
      sequence[length - Self.bits - 1] = Self.trigger
      tokens += sequence
      labels += bits
    }
    return SymbolSequences.batch(
      tokens: tokens, examples: size, length: length, vocabulary: Self.vocabulary, targets: .classes(labels))
  }
}
