import Foundation
import GradientClipping
import Training

/// Classification of handwritten digits: the 1797 8x8 images of the UCI "Optical Recognition of
/// Handwritten Digits" test set (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), as scikit-learn's
/// `load_digits` ships them. The package carries a copy (`digits.csv`: 64 pixel values 0...16 and
/// the label per row).
///
/// Pixels are scaled to [0, 1]. The examples are shuffled once with a fixed seed; the last 20%
/// (360 images) are held out, and training batches are drawn from the other 1437. An example is
/// solved when the class with the largest logit is its label.
public struct DigitClassification: LearningTask {
  /// The pixels of every example, 64 per row, in [0, 1].
  private let pixels: [[Float]]
  private let labels: [Int]
  private let trainingCount: Int

  /// The side of an image.
  static let side = 8

  /// The task on the built-in digits.
  public init() throws(ExperimentError) {
    try self.init(contentsOf: BuiltInData.url(of: "digits.csv").path)
  }

  /// The task on a CSV file in the built-in layout: a header, then 64 pixel values (0...16) and a
  /// label (0...9) per line.
  ///
  /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` or
  ///   ``ExperimentError/invalidData(path:reason:)`` naming the first bad line.
  public init(contentsOf path: String) throws(ExperimentError) {
    var rows = try Self.parse(BuiltInData.text(at: path), path: path)
    var shuffler = SeededGenerator(seed: 0)
    rows.shuffle(using: &shuffler)
    pixels = rows.map(\.pixels)
    labels = rows.map(\.label)
    trainingCount = rows.count - (rows.count + 4) / 5
  }

  public var name: String { "digits" }

  public var summary: String {
    "8x8 handwritten digits, \(trainingCount) for training and \(labels.count - trainingCount) held out; "
      + "solved when classified right"
  }

  public var input: TaskInput { .image(channels: 1, height: Self.side, width: Self.side) }

  public var output: TaskOutput { TaskOutput(kind: .classification, size: 10, criterion: .allPositionsCorrect) }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    examples((0..<size).map { _ in generator.integer(in: 0..<trainingCount) })
  }

  public func heldOutSet() -> TaskBatch { examples(Array(trainingCount..<labels.count)) }

  public var trainingExampleCount: Int? { trainingCount }

  private func examples(_ rows: [Int]) -> TaskBatch {
    TaskBatch(
      size: rows.count,
      features: Tensor(shape: [rows.count, 1, Self.side, Self.side], scalars: rows.flatMap { pixels[$0] }),
      targets: .classes(rows.map { labels[$0] }))
  }

  private static func parse(_ text: String, path: String) throws(ExperimentError) -> [(pixels: [Float], label: Int)] {
    var rows: [(pixels: [Float], label: Int)] = []
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      let values = fields.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard values.count == side * side + 1, fields.count == values.count, let label = values.last,
        (0..<10).contains(label),
        values.dropLast().allSatisfy({ (0...16).contains($0) })
      else {
        throw .invalidData(
          path: path, reason: "line \(number + 1): expected 64 pixel values in 0...16 and a label in 0...9")
      }
      rows.append((values.dropLast().map { Float($0) / 16 }, label))
    }
    guard rows.count >= 10 else { throw .invalidData(path: path, reason: "\(rows.count) examples; need at least 10") }
    return rows
  }
}
