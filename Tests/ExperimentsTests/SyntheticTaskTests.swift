import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Tasks: what the synthetic examples hold")
struct SyntheticTaskTests {
  @Test(
    "adding and multiplication: two markers in the documented windows; the target is their sum or product",
    arguments: [10, 19, 50, 100, 123], [AddingProblem.Operation.addition, .multiplication])
  func addingMarkers(length: Int, operation: AddingProblem.Operation) throws {
    let task = AddingProblem(length: length, operation: operation)
    var generator = SeededGenerator(seed: UInt64(length))
    let size = 64
    let batch = task.batch(size: size, generator: &generator)
    let features = batch.features.scalars
    let targets = try #require(batch.targets.valueList)
    let firstWindow = 0..<max(length / 10, 1)
    let secondWindow = (length / 10)..<(length / 2)
    var firstPositions = Set<Int>()
    for example in 0..<size {
      let steps = (0..<length).map { step in
        (value: features[(example * length + step) * 2], marker: features[(example * length + step) * 2 + 1])
      }
      #expect(steps.allSatisfy { (0..<1).contains($0.value) }, "values in [0, 1)")
      #expect(steps.allSatisfy { $0.marker == 0 || $0.marker == 1 }, "markers are 0 or 1")
      let marked = steps.indices.filter { steps[$0].marker == 1 }
      try #require(marked.count == 2, "example \(example) has \(marked.count) markers")
      #expect(firstWindow.contains(marked[0]), "first marker at \(marked[0]) of \(length)")
      #expect(secondWindow.contains(marked[1]), "second marker at \(marked[1]) of \(length)")
      firstPositions.insert(marked[0])
      let (a, b) = (steps[marked[0]].value, steps[marked[1]].value)
      #expect(targets[example] == (operation == .addition ? a + b : a * b))
    }
    if firstWindow.count > 1 { #expect(firstPositions.count > 1, "the first marker moves within its window") }
  }

  @Test(
    "temporal order: E first, B last, distractors a-d, the markers in their windows, and the label spells X/Y in order",
    arguments: [(20, 2), (50, 2), (101, 2), (20, 3), (60, 3), (200, 3)])
  func temporalOrderLabels(length: Int, markers: Int) throws {
    let task = TemporalOrder(length: length, markers: markers)
    var generator = SeededGenerator(seed: 7)
    let size = 128
    let batch = task.batch(size: size, generator: &generator)
    let tokens = try #require(batch.tokens)
    let labels = try #require(batch.targets.classList)
    let (markerX, markerY, start, end) = (4, 5, 6, 7)
    let windows: [(Double, Double)] =
      markers == 3 ? [(0.1, 0.2), (0.33, 0.43), (0.66, 0.76)] : [(0.1, 0.2), (0.5, 0.6)]
    var seenLabels = Set<Int>()
    for example in 0..<size {
      let sequence = Array(tokens[(example * length)..<((example + 1) * length)])
      #expect(sequence.first == start && sequence.last == end)
      let markerPositions = sequence.indices.filter { sequence[$0] == markerX || sequence[$0] == markerY }
      try #require(markerPositions.count == markers, "example \(example): \(sequence)")
      let others = sequence.indices.filter { !markerPositions.contains($0) && $0 != 0 && $0 != length - 1 }
      #expect(others.allSatisfy { (0..<4).contains(sequence[$0]) }, "distractors are a, b, c, d")
      for (position, window) in zip(markerPositions, windows) {
        let low = Int(window.0 * Double(length))
        let high = Int(window.1 * Double(length))
        #expect((low..<high).contains(position), "marker at \(position) outside [\(low), \(high)) of \(length)")
      }
      let spelled = markerPositions.reduce(0) { $0 * 2 + (sequence[$1] == markerY ? 1 : 0) }
      #expect(labels[example] == spelled, "label \(labels[example]) for \(markerPositions.map { sequence[$0] })")
      seenLabels.insert(labels[example])
    }
    #expect(seenLabels == Set(0..<(1 << markers)), "every order occurs in \(size) examples")
  }

  @Test("noiseless memorisation: five bits, blanks, the trigger six steps before the end; the targets are the bits")
  func memorizationBits() throws {
    for length in [12, 20, 57] {
      let task = NoiselessMemorization(length: length)
      var generator = SeededGenerator(seed: 3)
      let size = 32
      let batch = task.batch(size: size, generator: &generator)
      let tokens = try #require(batch.tokens)
      let labels = try #require(batch.targets.classList)
      #expect(labels.count == size * 5)
      for example in 0..<size {
        let sequence = Array(tokens[(example * length)..<((example + 1) * length)])
        let bits = Array(sequence.prefix(5))
        #expect(bits.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(Array(labels[(example * 5)..<((example + 1) * 5)]) == bits, "the last five steps ask for the bits")
        #expect(sequence[length - 6] == 3, "the trigger")
        let blanks = Array(sequence[5..<(length - 6)]) + Array(sequence[(length - 5)...])
        #expect(blanks.allSatisfy { $0 == 2 }, "blanks elsewhere: \(sequence)")
      }
      #expect(Set(labels) == [0, 1])
    }
  }

  @Test("random permutation: the first symbol is 0 or 1 and is the target; the others are 2...99")
  func permutationFirstSymbol() throws {
    let length = 25
    let task = RandomPermutation(length: length)
    var generator = SeededGenerator(seed: 4)
    let size = 64
    let batch = task.batch(size: size, generator: &generator)
    let tokens = try #require(batch.tokens)
    let labels = try #require(batch.targets.classList)
    for example in 0..<size {
      let sequence = tokens[(example * length)..<((example + 1) * length)]
      #expect(labels[example] == sequence.first)
      #expect([0, 1].contains(labels[example]))
      #expect(sequence.dropFirst().allSatisfy { (2..<100).contains($0) })
    }
    #expect(Set(labels) == [0, 1])
    let others = Set(tokens.indices.filter { $0 % length != 0 }.map { tokens[$0] })
    #expect(others.count > 80, "the distractors cover the alphabet")
  }

  @Test("linear regression: standard normal inputs and targets w·x + b + noise with sd 0.1 (w, b: seed 0)")
  func regressionNoise() throws {
    let task = LinearRegression()
    var weightGenerator = SeededGenerator(seed: 0)
    let weights = (0..<10).map { _ in weightGenerator.normal() }
    let bias = weightGenerator.normal()
    var generator = SeededGenerator(seed: 8)
    let size = 4096
    let batch = task.batch(size: size, generator: &generator)
    let inputs = batch.features.scalars.map(Double.init)
    let targets = try #require(batch.targets.valueList).map(Double.init)
    let mean = inputs.reduce(0, +) / Double(inputs.count)
    let variance = inputs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(inputs.count)
    #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05, "inputs: mean \(mean), variance \(variance)")
    let residuals = (0..<size).map { example in
      targets[example] - zip(weights, inputs[(example * 10)..<((example + 1) * 10)]).reduce(bias) { $0 + $1.0 * $1.1 }
    }
    let residualMean = residuals.reduce(0, +) / Double(size)
    let deviation = (residuals.reduce(0) { $0 + $1 * $1 } / Double(size)).squareRoot()
    #expect(abs(residualMean) < 0.01, "noise mean \(residualMean)")
    #expect(abs(deviation - 0.1) < 0.006, "noise sd \(deviation)")
  }

  @Test("linear regression: the true function solves nearly every held-out example (within 0.3, three noise sds)")
  func regressionOracleAccuracy() throws {
    let task = LinearRegression()
    var weightGenerator = SeededGenerator(seed: 0)
    let weights = (0..<10).map { _ in weightGenerator.normal() }
    let bias = weightGenerator.normal()
    let heldOut = task.heldOutSet()
    let inputs = heldOut.features.scalars.map(Double.init)
    let predictions = (0..<heldOut.size).map { example in
      Float(zip(weights, inputs[(example * 10)..<((example + 1) * 10)]).reduce(bias) { $0 + $1.0 * $1.1 })
    }
    #expect(task.output.criterion == .withinTolerance(0.3))
    #expect(task.output.accuracy(predictions, heldOut.targets) > 0.99)
    #expect(task.output.accuracy(predictions.map { $0 + 1 }, heldOut.targets) == 0)
  }
}
