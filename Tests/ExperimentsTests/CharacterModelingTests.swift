import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Tasks: character language modelling on a text file")
struct CharacterModelingTests {
  /// 900 lowercase letters then 100 uppercase ones: the last 10% (the held-out part) uses an
  /// alphabet of its own, so a window shows which split it came from.
  static func splitText() -> String {
    let lower = Array("abcdefghijklmnopqrstuvwxyz")
    let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    var state: UInt64 = 12345
    func next(_ count: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(count))
    }
    return String((0..<900).map { _ in lower[next(26)] } + (0..<100).map { _ in upper[next(26)] })
  }

  /// The characters of `tokens` in `task`'s alphabet.
  private func text(_ tokens: some Sequence<Int>, _ task: CharacterModeling) -> String {
    String(tokens.map { task.alphabet[$0] })
  }

  @Test("training windows come from the first 90%, held-out windows from the last 10%; targets are the next characters")
  func windowsFromTheRightSplits() throws {
    let folder = try TemporaryFolder()
    let source = Self.splitText()
    let path = try folder.write(source, named: "text.txt")
    let length = 8
    let task = try CharacterModeling(contentsOf: path, length: length)
    #expect(task.alphabet.count == 52)
    #expect(task.alphabet == task.alphabet.sorted())
    #expect(task.source == path)
    #expect(task.trainingExampleCount == 900 / length)
    let characters = Array(source)
    let training = String(characters[..<900])
    let heldOutText = String(characters[900...])

    var generator = SeededGenerator(seed: 1)
    let batch = task.batch(size: 200, generator: &generator)
    let tokens = try #require(batch.tokens)
    let labels = try #require(batch.targets.classList)
    #expect(tokens.count == 200 * length && labels.count == 200 * length)
    for example in 0..<200 {
      let window = (example * length)..<((example + 1) * length)
      let input = text(tokens[window], task)
      let next = text(labels[window], task)
      #expect(input.allSatisfy(\.isLowercase) && next.allSatisfy(\.isLowercase), "\(input) \(next)")
      #expect(String(input.dropFirst()) == String(next.dropLast()), "each target is the next character")
      #expect(training.contains(input + String(next.suffix(1))), "\(input) is a window of the training text")
    }

    let heldOut = task.heldOutSet()
    #expect(heldOut.size == 64)
    let heldOutTokens = try #require(heldOut.tokens)
    let heldOutLabels = try #require(heldOut.targets.classList)
    var starts: [String] = []
    for example in 0..<64 {
      let window = (example * length)..<((example + 1) * length)
      let input = text(heldOutTokens[window], task)
      let next = text(heldOutLabels[window], task)
      #expect(input.allSatisfy(\.isUppercase) && next.allSatisfy(\.isUppercase), "\(input) \(next)")
      #expect(heldOutText.contains(input + String(next.suffix(1))))
      starts.append(input)
    }
    #expect(Set(starts).count > 50, "held-out windows are spread over the held-out text")
  }

  @Test("the output predicts every position of the window")
  func outputLayout() throws {
    let folder = try TemporaryFolder()
    let path = try folder.write(Self.splitText(), named: "text.txt")
    let task = try CharacterModeling(contentsOf: path, length: 12)
    #expect(task.output == TaskOutput(kind: .classification, size: 52, positions: 12, criterion: .eachPositionCorrect))
    #expect(task.input == .sequence(length: 12, features: 52, vocabulary: 52))
    let viaCatalog = try TaskCatalog.task(named: "charlm", length: 12, textPath: path)
    #expect(viaCatalog.output == task.output)
  }

  @Test("the built-in Shakespeare: 65 distinct characters")
  func builtInShakespeare() throws {
    let task = try CharacterModeling(length: 32)
    #expect(task.alphabet.count == 65)
    #expect(task.source == "shakespeare")
    #expect(task.summary.contains("shakespeare"))
  }

  @Test("a missing file, or a folder, is unreadable, naming the path")
  func unreadableFiles() throws {
    let folder = try TemporaryFolder()
    let missing = folder.file("no-such-text.txt").path
    #expect(throws: ExperimentError.unreadableFile(path: missing, reason: "no such file")) {
      try CharacterModeling(contentsOf: missing, length: 8)
    }
    #expect(throws: ExperimentError.unreadableFile(path: missing, reason: "no such file")) {
      try TaskCatalog.task(named: "charlm", length: 8, textPath: missing)
    }
    do {
      _ = try CharacterModeling(contentsOf: folder.url.path, length: 8)
      Issue.record("a folder was read as text")
    } catch {
      guard case .unreadableFile(let path, _) = error else {
        Issue.record("a folder gave \(error)")
        return
      }
      #expect(path == folder.url.path)
    }
  }

  @Test("a text too short for the windows is invalid data, naming the file and the characters needed")
  func tooShort() throws {
    let folder = try TemporaryFolder()
    // Windows of 8 need a tenth of the text to hold 9 characters and more: 100 characters at least.
    let short = try folder.write(String(repeating: "ab", count: 49) + "c", named: "short.txt")
    do {
      _ = try CharacterModeling(contentsOf: short, length: 8)
      Issue.record("99 characters were accepted for windows of 8")
    } catch {
      guard case .invalidData(let path, let reason) = error else {
        Issue.record("a short text gave \(error)")
        return
      }
      #expect(path == short)
      #expect(reason.contains("99"), "\(reason)")
      #expect(
        reason.contains("at least 100") || reason.contains("more than 99"),
        "the number of characters the message asks for must be enough: \(reason)")
    }
    let enough = try folder.write(String(repeating: "ab", count: 50), named: "enough.txt")
    #expect(try CharacterModeling(contentsOf: enough, length: 8).trainingExampleCount == 90 / 8)
  }

  @Test("a file that is not UTF-8 is invalid data")
  func notUTF8() throws {
    let folder = try TemporaryFolder()
    let path = try folder.write(Data([0xFF, 0xFE, 0x00, 0xC3, 0x28] + Array(repeating: 0x80, count: 500)), named: "b")
    #expect(throws: ExperimentError.invalidData(path: path, reason: "not UTF-8 text")) {
      try CharacterModeling(contentsOf: path, length: 8)
    }
  }
}
