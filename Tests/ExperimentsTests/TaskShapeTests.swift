import Foundation
import Testing
import Training

@testable import Experiments

/// The documented layout of every task of the catalog: the shape of one example's features, the
/// alphabet of symbol tasks, and what is predicted.
struct TaskLayout: Sendable, CustomTestStringConvertible {
  /// The task's name in the catalog.
  let name: String
  /// The length asked of the catalog.
  let length: Int
  /// The shape of one example's features (the batch dimension left out).
  let exampleShape: [Int]
  /// The alphabet size of symbol tasks (which also give tokens).
  let vocabulary: Int?
  /// Regression or classification.
  let kind: TaskOutput.Kind
  /// Outputs per position.
  let outputSize: Int
  /// Predicted positions per example.
  let positions: Int
  /// The classes a target can take (classification), the tasks' own, not just `0..<outputSize`.
  let classes: Range<Int>?

  var testDescription: String { name }

  static let all: [TaskLayout] = [
    TaskLayout(
      name: "adding", length: 20, exampleShape: [20, 2], vocabulary: nil, kind: .regression, outputSize: 1,
      positions: 1, classes: nil),
    TaskLayout(
      name: "multiplication", length: 30, exampleShape: [30, 2], vocabulary: nil, kind: .regression, outputSize: 1,
      positions: 1, classes: nil),
    TaskLayout(
      name: "temporal-order", length: 30, exampleShape: [30, 8], vocabulary: 8, kind: .classification, outputSize: 4,
      positions: 1, classes: 0..<4),
    TaskLayout(
      name: "temporal-order-3", length: 40, exampleShape: [40, 8], vocabulary: 8, kind: .classification,
      outputSize: 8, positions: 1, classes: 0..<8),
    TaskLayout(
      name: "permutation", length: 15, exampleShape: [15, 100], vocabulary: 100, kind: .classification,
      outputSize: 100, positions: 1, classes: 0..<2),
    TaskLayout(
      name: "memorization", length: 20, exampleShape: [20, 4], vocabulary: 4, kind: .classification, outputSize: 2,
      positions: 5, classes: 0..<2),
    TaskLayout(
      name: "charlm", length: 16, exampleShape: [16, 65], vocabulary: 65, kind: .classification, outputSize: 65,
      positions: 16, classes: 0..<65),
    TaskLayout(
      name: "digits", length: 50, exampleShape: [1, 8, 8], vocabulary: nil, kind: .classification, outputSize: 10,
      positions: 1, classes: 0..<10),
    TaskLayout(
      name: "regression", length: 50, exampleShape: [10], vocabulary: nil, kind: .regression, outputSize: 1,
      positions: 1, classes: nil),
  ]
}

@Suite("Tasks: batch shapes and layouts")
struct TaskShapeTests {
  @Test("the catalog names every built-in task, in the documented order")
  func catalogNames() throws {
    #expect(TaskCatalog.names == TaskLayout.all.map(\.name))
    for layout in TaskLayout.all {
      let task = try TaskCatalog.task(named: layout.name, length: layout.length)
      #expect(task.name == layout.name)
      #expect(!task.summary.isEmpty)
    }
  }

  @Test("batches have the documented features, tokens and targets", arguments: TaskLayout.all)
  func batchLayout(_ layout: TaskLayout) throws {
    let task = try TaskCatalog.task(named: layout.name, length: layout.length)
    var generator = SeededGenerator(seed: 11)
    let size = 7
    let batch = task.batch(size: size, generator: &generator)
    #expect(batch.size == size)
    #expect(batch.features.shape == [size] + layout.exampleShape)
    #expect(task.input.elementCount == layout.exampleShape.reduce(1, *))
    #expect(task.output.kind == layout.kind)
    #expect(task.output.size == layout.outputSize)
    #expect(task.output.positions == layout.positions)
    let targetCount = size * layout.positions * (layout.kind == .regression ? layout.outputSize : 1)
    switch layout.kind {
    case .regression:
      let values = try #require(batch.targets.valueList, "regression targets are values")
      #expect(values.count == targetCount)
      #expect(values.allSatisfy { $0.isFinite })
    case .classification:
      let classes = try #require(batch.targets.classList, "classification targets are class indices")
      #expect(classes.count == targetCount)
      let allowed = try #require(layout.classes)
      #expect(classes.allSatisfy { allowed.contains($0) }, "\(classes)")
    }
    if let vocabulary = layout.vocabulary {
      let tokens = try #require(batch.tokens, "a symbol task gives tokens")
      #expect(tokens.count == size * layout.length)
      #expect(tokens.allSatisfy { (0..<vocabulary).contains($0) })
      #expect(task.input == .sequence(length: layout.length, features: vocabulary, vocabulary: vocabulary))
      let features = batch.features.scalars
      for (position, token) in tokens.enumerated() {
        let row = features[(position * vocabulary)..<((position + 1) * vocabulary)]
        #expect(row[row.startIndex + token] == 1 && row.reduce(0, +) == 1, "position \(position) is not one-hot")
      }
    } else {
      #expect(batch.tokens == nil)
    }
  }

  @Test("a sequence task given a length below its minimum uses the minimum")
  func minimumLengths() throws {
    #expect(try TaskCatalog.task(named: "adding", length: 3).input.elementCount == 10 * 2)
    #expect(try TaskCatalog.task(named: "temporal-order", length: 5).input.elementCount == 20 * 8)
    #expect(try TaskCatalog.task(named: "memorization", length: 5).input.elementCount == 12 * 4)
    #expect(try TaskCatalog.task(named: "permutation", length: 1).input.elementCount == 2 * 100)
  }

  @Test("an unknown task or a length below 1 is an invalid setting naming it")
  func catalogErrors() {
    #expect(
      throws: ExperimentError.invalidSetting(
        name: "task", value: "adder", requirement: "one of \(TaskCatalog.names.joined(separator: ", "))")
    ) {
      try TaskCatalog.task(named: "adder", length: 10)
    }
    #expect(throws: ExperimentError.invalidSetting(name: "length", value: "0", requirement: "must be at least 1")) {
      try TaskCatalog.task(named: "adding", length: 0)
    }
  }
}
