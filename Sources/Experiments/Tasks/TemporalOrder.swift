import GradientClipping
import Training

/// The temporal order problem with two or three markers (Hochreiter & Schmidhuber 1997,
/// experiments 6a and 6b; Pascanu et al. 2013, section 5).
///
/// A sequence of `length` symbols starts with `E` and ends with `B`; every other step is a
/// distractor drawn from `a`, `b`, `c`, `d`, except for two (or three) steps that hold `X` or `Y`:
/// the first within 10–20% of the sequence, the second within 50–60% (with three markers: 10–20%,
/// 33–43% and 66–76%, H&S's spacing scaled to the length). The model must name the order of
/// the markers at the end: one of 4 classes (`XX`, `XY`, `YX`, `YY`) or 8. An example is solved when
/// the class is right; chance is 25% (12.5%).
public struct TemporalOrder: SyntheticTask {
  /// The number of steps, at least 20.
  public let length: Int
  /// Two or three markers.
  public let markers: Int

  /// The symbols: a, b, c, d (distractors), X, Y (markers), E (start), B (end).
  static let vocabulary = 8
  private static let (markerX, start, end) = (4, 6, 7)

  /// The task at `length` steps with `markers` markers (2 or 3).
  public init(length: Int, markers: Int = 2) {
    self.length = max(length, 20)
    self.markers = markers == 3 ? 3 : 2
  }

  public var name: String { markers == 3 ? "temporal-order-3" : "temporal-order" }

  public var summary: String {
    "\(length) symbols with \(markers) markers X/Y among distractors; name their order "
      + "(\(1 << markers) classes); solved when the class is right"
  }

  public var input: TaskInput { .sequence(length: length, features: Self.vocabulary, vocabulary: Self.vocabulary) }

  public var output: TaskOutput {
    TaskOutput(kind: .classification, size: 1 << markers, criterion: .allPositionsCorrect)
  }

  /// Where each marker may fall, as fractions of the length.
  private var windows: [(Double, Double)] {
    markers == 3 ? [(0.1, 0.2), (0.33, 0.43), (0.66, 0.76)] : [(0.1, 0.2), (0.5, 0.6)]
  }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    var tokens: [Int] = []
    tokens.reserveCapacity(size * length)
    var labels: [Int] = []
    for _ in 0..<size {
      var sequence = (0..<length).map { _ in generator.integer(in: 0..<4) }
      sequence[0] = Self.start
      sequence[length - 1] = Self.end
      var label = 0
      for (low, high) in windows {
        let position = generator.integer(in: Int(low * Double(length))..<max(Int(high * Double(length)), 2))
        let isY = generator.integer(in: 0..<2)
        sequence[max(position, 1)] = Self.markerX + isY
        label = label * 2 + isY
      }
      tokens += sequence
      labels.append(label)
    }
    return SymbolSequences.batch(
      tokens: tokens, examples: size, length: length, vocabulary: Self.vocabulary, targets: .classes(labels))
  }
}
