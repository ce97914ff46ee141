import Foundation
import GradientClipping
import Training

/// Character-level language modelling on a text (by default the small Shakespeare corpus that
/// ships with the package: 1,115,394 characters of Shakespeare's plays, public domain, as collected
/// in Karpathy's char-rnn repository, `data/tinyshakespeare/input.txt`).
///
/// The alphabet is the text's distinct characters (65 for Shakespeare). Training windows of
/// `length` characters are drawn at random from the first 90% of the text; the held-out set is 64
/// windows spread evenly over the last 10%. At every step the model predicts the next character;
/// the accuracy is the share of characters predicted right (and the loss, a cross-entropy in nats,
/// divided by ln 2 is the familiar bits per character).
///
/// ```swift
/// let task = try CharacterModeling(length: 64)                          // Shakespeare
/// let mine = try CharacterModeling(contentsOf: "notes.txt", length: 64)
/// ```
public struct CharacterModeling: LearningTask {
  /// The number of characters per window (and of predictions).
  public let length: Int
  /// Where the text came from: a path, or `shakespeare`.
  public let source: String
  /// The distinct characters, in order of their index.
  public let alphabet: [Character]
  private let indices: [Int]

  /// The number of held-out windows.
  static let heldOutWindows = 64

  /// The task on the built-in Shakespeare corpus.
  public init(length: Int) throws(ExperimentError) {
    try self.init(contentsOf: BuiltInData.url(of: "tinyshakespeare.txt").path, length: length, source: "shakespeare")
  }

  /// The task on the text file at `path` (UTF-8).
  ///
  /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` if the file cannot be read,
  ///   ``ExperimentError/invalidData(path:reason:)`` if it is not UTF-8 or too short for training
  ///   and held-out windows of `length` characters.
  public init(contentsOf path: String, length: Int, source: String? = nil) throws(ExperimentError) {
    let text = try BuiltInData.text(at: path)
    let characters = Array(text)
    let alphabet = Array(Set(characters)).sorted()
    let lookup = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
    self.length = max(length, 1)
    self.source = source ?? path
    self.alphabet = alphabet
    self.indices = characters.compactMap { lookup[$0] }
    guard indices.count / 10 > self.length + 1 else {
      throw .invalidData(
        path: path,
        reason:
          "\(indices.count) characters are too few for windows of \(self.length) (need at least \(10 * (self.length + 2)))"
      )
    }
  }

  public var name: String { "charlm" }

  public var summary: String {
    "next-character prediction on \(source) (\(indices.count) characters, \(alphabet.count) distinct), "
      + "windows of \(length); accuracy is the share of characters predicted right"
  }

  public var input: TaskInput { .sequence(length: length, features: alphabet.count, vocabulary: alphabet.count) }

  public var output: TaskOutput {
    TaskOutput(kind: .classification, size: alphabet.count, positions: length, criterion: .eachPositionCorrect)
  }

  private var trainingEnd: Int { indices.count - indices.count / 10 }

  /// The number of windows that fit in the training text without overlapping: one epoch.
  public var trainingExampleCount: Int? { trainingEnd / length }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    let starts = (0..<size).map { _ in generator.integer(in: 0..<(trainingEnd - length - 1)) }
    return windows(startingAt: starts)
  }

  public func heldOutSet() -> TaskBatch {
    let span = indices.count - trainingEnd - length - 1
    let starts = (0..<Self.heldOutWindows).map { trainingEnd + $0 * span / Self.heldOutWindows }
    return windows(startingAt: starts)
  }

  private func windows(startingAt starts: [Int]) -> TaskBatch {
    var tokens: [Int] = []
    var labels: [Int] = []
    for start in starts {
      tokens += indices[start..<(start + length)]
      labels += indices[(start + 1)..<(start + length + 1)]
    }
    return SymbolSequences.batch(
      tokens: tokens, examples: starts.count, length: length, vocabulary: alphabet.count, targets: .classes(labels))
  }
}
