import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Tasks: accuracy by each success criterion")
struct TaskOutputAccuracyTests {
  @Test("within tolerance: the share of examples whose every output is within the tolerance; NaN is wrong")
  func withinTolerance() {
    let output = TaskOutput(kind: .regression, size: 1, criterion: .withinTolerance(0.04))
    let predictions: [Float] = [0.5, 1.0, .nan, 0.2, -0.3, .infinity]
    let targets = TaskTargets.values([0.53, 1.05, 0.1, 0.2, -0.27, 1])
    // 0.03 off: solved; 0.05 off: not; NaN: not; exact: solved; 0.03 off: solved; infinite: not.
    #expect(output.accuracy(predictions, targets) == 3.0 / 6.0)
    #expect(output.accuracy([.nan, .nan], .values([0, 0])) == 0)
  }

  @Test("within tolerance with several outputs: an example is solved only when all of them are")
  func withinToleranceSeveralOutputs() {
    let output = TaskOutput(kind: .regression, size: 2, criterion: .withinTolerance(0.1))
    let predictions: [Float] = [1, 2, 1, 2, 1, .nan]
    let targets = TaskTargets.values([1.05, 1.95, 1, 2.5, 1, 2])
    #expect(output.accuracy(predictions, targets) == 1.0 / 3.0)
  }

  @Test("classification, one position: the largest logit must name the label")
  func allPositionsOnePosition() {
    let output = TaskOutput(kind: .classification, size: 3, criterion: .allPositionsCorrect)
    let logits: [Float] = [
      0.1, 2, -1,  // class 1: right
      5, 4, 3,  // class 0: wrong (label 2)
      -3, -2, -1,  // class 2: right
      0, 0, 1,  // class 2: wrong (label 0)
    ]
    #expect(output.accuracy(logits, .classes([1, 2, 2, 0])) == 0.5)
  }

  @Test("classification, several positions: an example counts only when every position is right")
  func allPositionsSeveralPositions() {
    let output = TaskOutput(kind: .classification, size: 2, positions: 3, criterion: .allPositionsCorrect)
    let logits: [Float] = [
      1, 0, 0, 1, 1, 0,  // example 0: 0, 1, 0
      1, 0, 0, 1, 0, 1,  // example 1: 0, 1, 1
    ]
    #expect(output.accuracy(logits, .classes([0, 1, 0, 0, 1, 0])) == 0.5)
    #expect(output.accuracy(logits, .classes([0, 1, 0, 0, 1, 1])) == 1)
    #expect(output.accuracy(logits, .classes([1, 1, 0, 0, 0, 1])) == 0)
  }

  @Test("each position: the share of positions predicted right, not of examples")
  func eachPosition() {
    let output = TaskOutput(kind: .classification, size: 2, positions: 3, criterion: .eachPositionCorrect)
    let logits: [Float] = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1]
    // Predicted: 0, 1, 0 | 0, 1, 1.
    #expect(output.accuracy(logits, .classes([0, 1, 1, 0, 0, 0])) == 3.0 / 6.0)
  }

  @Test("classification: logits with a NaN count as wrong, wherever the NaN is and whatever the label")
  func nanLogitsAreWrong() {
    let output = TaskOutput(kind: .classification, size: 3, criterion: .allPositionsCorrect)
    #expect(output.accuracy([.nan, .nan, .nan], .classes([0])) == 0, "all NaN, label 0")
    #expect(output.accuracy([.nan, 0, 1], .classes([0])) == 0, "NaN first, label 0")
    #expect(output.accuracy([.nan, 0, 1], .classes([2])) == 0, "NaN first, label 2")
    #expect(output.accuracy([3, .nan, 1], .classes([0])) == 0, "NaN in the middle")
    let perPosition = TaskOutput(kind: .classification, size: 2, positions: 2, criterion: .eachPositionCorrect)
    #expect(perPosition.accuracy([.nan, .nan, 2, 1], .classes([0, 0])) == 0.5)
  }

  @Test("no predictions: accuracy 0")
  func empty() {
    #expect(TaskOutput(kind: .regression, size: 1, criterion: .withinTolerance(1)).accuracy([], .values([])) == 0)
    #expect(TaskOutput(kind: .classification, size: 4, criterion: .allPositionsCorrect).accuracy([], .classes([])) == 0)
  }

  @Test("each task's documented criterion")
  func documentedCriteria() throws {
    let criteria: [String: TaskOutput.Criterion] = [
      "adding": .withinTolerance(0.04), "multiplication": .withinTolerance(0.04),
      "temporal-order": .allPositionsCorrect, "temporal-order-3": .allPositionsCorrect,
      "permutation": .allPositionsCorrect, "memorization": .allPositionsCorrect, "charlm": .eachPositionCorrect,
      "digits": .allPositionsCorrect, "regression": .withinTolerance(0.3),
    ]
    for name in TaskCatalog.names {
      #expect(try TaskCatalog.task(named: name, length: 20).output.criterion == criteria[name], "\(name)")
    }
  }

  @Test("predicting the mean on the adding problem gives a loss of about 1/6 and about 8% solved")
  func addingBaseline() {
    let task = AddingProblem(length: 50)
    let heldOut = task.heldOutSet()
    let predictions = Tensor<Float>(repeating: 1, shape: [heldOut.size, 1])
    let loss = Double(task.output.loss(predictions, heldOut.targets).scalar)
    #expect(abs(loss - 1.0 / 6.0) < 0.02, "\(loss)")
    let accuracy = task.output.accuracy(predictions.scalars, heldOut.targets)
    #expect(accuracy > 0.03 && accuracy < 0.13, "\(accuracy)")
  }
}
