import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Tasks: seeded batches and a fixed held-out set")
struct TaskDeterminismTests {
  /// Everything a batch holds, comparable.
  struct Contents: Equatable {
    let shape: [Int]
    let features: [Float]
    let tokens: [Int]?
    let targets: TaskTargets

    init(_ batch: TaskBatch) {
      shape = batch.features.shape
      features = batch.features.scalars
      tokens = batch.tokens
      targets = batch.targets
    }
  }

  private func batch(_ task: any LearningTask, seed: UInt64, size: Int = 16) -> Contents {
    var generator = SeededGenerator(seed: seed)
    return Contents(task.batch(size: size, generator: &generator))
  }

  @Test("the same seed gives the same batch, another seed another", arguments: TaskLayout.all)
  func sameSeedSameBatch(_ layout: TaskLayout) throws {
    let task = try TaskCatalog.task(named: layout.name, length: layout.length)
    let again = try TaskCatalog.task(named: layout.name, length: layout.length)
    #expect(batch(task, seed: 5) == batch(task, seed: 5))
    #expect(batch(task, seed: 5) == batch(again, seed: 5), "a task made again gives the same batches")
    #expect(batch(task, seed: 5) != batch(task, seed: 6))
  }

  @Test("consecutive batches from one generator differ", arguments: TaskLayout.all)
  func consecutiveBatchesDiffer(_ layout: TaskLayout) throws {
    let task = try TaskCatalog.task(named: layout.name, length: layout.length)
    var generator = SeededGenerator(seed: 2)
    let first = Contents(task.batch(size: 16, generator: &generator))
    let second = Contents(task.batch(size: 16, generator: &generator))
    #expect(first != second)
  }

  @Test("the held-out set is fixed: the same every time, whatever was drawn before", arguments: TaskLayout.all)
  func heldOutSetIsFixed(_ layout: TaskLayout) throws {
    let task = try TaskCatalog.task(named: layout.name, length: layout.length)
    let first = Contents(task.heldOutSet())
    var generator = SeededGenerator(seed: 99)
    _ = task.batch(size: 64, generator: &generator)
    #expect(Contents(task.heldOutSet()) == first)
    let fresh = try TaskCatalog.task(named: layout.name, length: layout.length)
    #expect(Contents(fresh.heldOutSet()) == first)
    #expect(first.shape.dropFirst().elementsEqual(layout.exampleShape))
  }

  @Test(
    "a synthetic task holds out 512 examples, none of them a training batch of any small seed",
    arguments: TaskLayout.all.filter { !["charlm", "digits"].contains($0.name) })
  func syntheticHeldOutSet(_ layout: TaskLayout) throws {
    let task = try TaskCatalog.task(named: layout.name, length: layout.length)
    let heldOut = task.heldOutSet()
    #expect(heldOut.size == 512)
    #expect(heldOut.features.shape == [512] + layout.exampleShape)
    for seed: UInt64 in 0...3 {
      #expect(batch(task, seed: seed, size: 512) != Contents(heldOut), "seed \(seed)")
    }
  }

  @Test("the held-out set does not depend on the run's seed: runs with other seeds evaluate on the same examples")
  func runsShareTheHeldOutSet() throws {
    var first = try RunFixtures.regression(steps: 1, seed: 1)
    first.evaluationInterval = 1
    var second = first
    second.seed = 2
    let one = try TrainingRun(first)
    let two = try TrainingRun(second)
    #expect(Contents(one.task.heldOutSet()) == Contents(two.task.heldOutSet()))
  }
}
