import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Tasks: digit classification")
struct DigitClassificationTests {
  static let header = (0..<64).map { "p\($0)" }.joined(separator: ",") + ",label"

  /// A CSV row whose first pixel is `marker` (so each row is recognisable) and whose label is
  /// `label`.
  static func row(marker: Int, label: Int) -> String {
    ([marker] + (1..<64).map { ($0 * 7 + label) % 17 } + [label]).map(String.init).joined(separator: ",")
  }

  /// A CSV of `count` distinct rows, labels cycling through 0...9.
  static func csv(rows count: Int, separator: String = "\n") -> String {
    ([header] + (0..<count).map { row(marker: $0 % 17, label: $0 % 10) }).joined(separator: separator) + separator
  }

  @Test("the built-in digits: 1437 for training and 360 held out, as documented")
  func builtInSplit() throws {
    let task = try DigitClassification()
    #expect(task.trainingExampleCount == 1437)
    #expect(task.heldOutSet().size == 360)
    #expect(task.summary.contains("1437") && task.summary.contains("360"), "\(task.summary)")
  }

  @Test("the built-in digits: pixels scaled to [0, 1] in steps of 1/16, labels 0...9, every digit held out")
  func builtInValues() throws {
    let task = try DigitClassification()
    let heldOut = task.heldOutSet()
    let pixels = heldOut.features.scalars
    #expect(pixels.allSatisfy { (0...1).contains($0) && ($0 * 16).rounded() == $0 * 16 })
    #expect(pixels.contains(1) && pixels.contains(0))
    let labels = try #require(heldOut.targets.classList)
    #expect(Set(labels) == Set(0..<10))
    #expect(heldOut.features.shape == [labels.count, 1, 8, 8])
  }

  @Test("training batches come only from the training rows; the held-out rows are the last fifth of the shuffle")
  func splitOfAFile() throws {
    let folder = try TemporaryFolder()
    // 20 rows: 16 for training, 4 held out. Each row is identified by its first pixel and label.
    let lines = [Self.header] + (0..<20).map { Self.row(marker: $0 % 17, label: $0 / 2) }
    let path = try folder.write(lines.joined(separator: "\n") + "\n", named: "digits.csv")
    let task = try DigitClassification(contentsOf: path)
    #expect(task.trainingExampleCount == 16)
    let heldOut = task.heldOutSet()
    #expect(heldOut.size == 4)
    func identities(_ batch: TaskBatch) throws -> [String] {
      let labels = try #require(batch.targets.classList)
      let pixels = batch.features.scalars
      return (0..<batch.size).map { "\(pixels[$0 * 64] * 16)/\(labels[$0])" }
    }
    let heldOutRows = Set(try identities(heldOut))
    #expect(heldOutRows.count == 4)
    var generator = SeededGenerator(seed: 1)
    let drawn = Set(try identities(task.batch(size: 400, generator: &generator)))
    #expect(drawn.isDisjoint(with: heldOutRows), "a held-out row was drawn for training")
    #expect(drawn.count == 16, "every training row is drawn")
  }

  @Test(
    "a malformed line is invalid data naming its line number",
    arguments: [
      "1,2,3", Self.row(marker: 17, label: 3), Self.row(marker: 1, label: 10), Self.row(marker: 1, label: 3) + ",4",
      Self.row(marker: 1, label: 3).replacingOccurrences(of: ",", with: ";"),
      Self.row(marker: 1, label: 3).replacingOccurrences(of: "0,", with: "x,"),
    ])
  func malformedLine(_ bad: String) throws {
    let folder = try TemporaryFolder()
    let lines =
      [Self.header] + (0..<12).map { Self.row(marker: $0, label: $0 % 10) } + [bad, Self.row(marker: 2, label: 2)]
    let path = try folder.write(lines.joined(separator: "\n"), named: "bad.csv")
    #expect(
      throws: ExperimentError.invalidData(
        path: path, reason: "line 14: expected 64 pixel values in 0...16 and a label in 0...9")
    ) {
      try DigitClassification(contentsOf: path)
    }
  }

  @Test("the line number of a malformed line counts blank lines too")
  func lineNumberAfterBlankLines() throws {
    let folder = try TemporaryFolder()
    let lines = [Self.header] + (0..<12).map { Self.row(marker: $0, label: $0 % 10) } + ["", "", "1,2,3"]
    let path = try folder.write(lines.joined(separator: "\n"), named: "gaps.csv")
    #expect(
      throws: ExperimentError.invalidData(
        path: path, reason: "line 16: expected 64 pixel values in 0...16 and a label in 0...9")
    ) {
      try DigitClassification(contentsOf: path)
    }
  }

  @Test("a CSV with Windows line endings (CRLF) loads like the same file with LF")
  func windowsLineEndings() throws {
    let folder = try TemporaryFolder()
    let unix = try DigitClassification(contentsOf: try folder.write(Self.csv(rows: 30), named: "lf.csv"))
    let windows = try DigitClassification(
      contentsOf: try folder.write(Self.csv(rows: 30, separator: "\r\n"), named: "crlf.csv"))
    #expect(windows.trainingExampleCount == unix.trainingExampleCount)
    #expect(windows.heldOutSet().features.scalars == unix.heldOutSet().features.scalars)
  }

  @Test("too few examples, a missing file: invalid data and unreadable file")
  func otherErrors() throws {
    let folder = try TemporaryFolder()
    let few = try folder.write(Self.csv(rows: 9), named: "few.csv")
    #expect(throws: ExperimentError.invalidData(path: few, reason: "9 examples; need at least 10")) {
      try DigitClassification(contentsOf: few)
    }
    let ten = try folder.write(Self.csv(rows: 10), named: "ten.csv")
    #expect(try DigitClassification(contentsOf: ten).trainingExampleCount == 8)
    let missing = folder.file("none.csv").path
    #expect(throws: ExperimentError.unreadableFile(path: missing, reason: "no such file")) {
      try DigitClassification(contentsOf: missing)
    }
  }
}
