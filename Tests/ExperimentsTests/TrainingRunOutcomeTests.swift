import Foundation
import Testing
import Training

@testable import Experiments

/// An observer that writes down the order of the calls it gets.
final class CallLog: RunObserver {
  var calls: [String] = []

  func runWillStart(_ record: RunRecord) throws { calls.append("start \(record.steps.count)") }
  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws { calls.append("step \(step.step)") }
  func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {
    calls.append("evaluate \(evaluation.step)")
  }
  func runDidFinish(_ record: RunRecord) throws { calls.append("finish \(record.outcome.rawValue)") }
}

/// An observer that fails on a given step.
final class FailingObserver: RunObserver {
  struct Failure: Error, Equatable {}
  let failingStep: Int

  init(failingStep: Int) { self.failingStep = failingStep }

  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    if step.step == failingStep { throw Failure() }
  }
}

@Suite("Training runs: divergence, interruption and observers")
struct TrainingRunOutcomeTests {
  @Test("a run whose loss becomes non-finite ends as diverged, recorded up to that step")
  func diverges() throws {
    let record = try TrainingRun(try RunFixtures.divergingAdding(steps: 200)).train()
    #expect(record.outcome == .diverged)
    let last = try #require(record.steps.last)
    #expect(!last.loss.isFinite, "last loss \(last.loss)")
    #expect(record.steps.dropLast().allSatisfy { $0.loss.isFinite })
    #expect(record.steps.count < 200)
    #expect(record.steps.map(\.step) == Array(1...record.steps.count))
    let divergence = try #require(record.summary.divergenceStep)
    #expect(divergence <= last.step)
    #expect(
      record.steps.first { RunSummary.isDivergent($0.loss, initialLoss: record.steps[0].loss) }?.step == divergence)
    #expect(last.skipped, "a step with a non-finite loss updates nothing")
    #expect(record.evaluations.last?.step == last.step, "measured where it ended")
    #expect(record.evaluations.dropLast().allSatisfy { $0.step < last.step })
  }

  @Test("the same setting with norm clipping does not diverge")
  func clippingPreventsDivergence() throws {
    let record = try TrainingRun(try RunFixtures.divergingAdding(steps: 40, clip: "norm:0.0001")).train()
    #expect(record.outcome == .completed)
    #expect(record.steps.count == 40)
    #expect(record.steps.allSatisfy { $0.loss.isFinite })
  }

  @Test("shouldStop answering true ends the run as interrupted, with the steps so far")
  func interrupted() throws {
    let run = try TrainingRun(try RunFixtures.regression(steps: 20, evaluationInterval: 2))
    var asked = 0
    let record = try run.train {
      asked += 1
      return asked > 3
    }
    #expect(record.outcome == .interrupted)
    #expect(record.steps.map(\.step) == [1, 2, 3])
    #expect(record.evaluations.map(\.step) == [0, 2, 3], "measured where it stopped")
    #expect(asked == 4)
  }

  @Test("a stop before the first step records no step")
  func stoppedAtOnce() throws {
    let record = try TrainingRun(try RunFixtures.regression(steps: 20)).train { true }
    #expect(record.outcome == .interrupted)
    #expect(record.steps.isEmpty)
    #expect(record.evaluations.map(\.step) == [0])
    #expect(record.summary.stepCount == 0 && record.summary.divergenceStep == nil)
  }

  @Test("observers are told everything, in order")
  func observerOrder() throws {
    let log = CallLog()
    try TrainingRun(try RunFixtures.regression(steps: 4, evaluationInterval: 2)).train(observers: [log])
    #expect(
      log.calls == [
        "start 0", "evaluate 0", "step 1", "step 2", "evaluate 2", "step 3", "step 4", "evaluate 4",
        "finish completed",
      ])
  }

  @Test("observers hear of a divergence and an interruption")
  func observersHearTheEnd() throws {
    let diverging = CallLog()
    try TrainingRun(try RunFixtures.divergingAdding()).train(observers: [diverging])
    #expect(diverging.calls.suffix(2).first?.hasPrefix("evaluate ") == true)
    #expect(diverging.calls.last == "finish diverged")
    let stopped = CallLog()
    try TrainingRun(try RunFixtures.regression(steps: 5)).train(observers: [stopped]) { true }
    #expect(stopped.calls == ["start 0", "evaluate 0", "finish interrupted"])
  }

  @Test("an observer's error stops the run and is passed on")
  func observerError() throws {
    let run = try TrainingRun(try RunFixtures.regression(steps: 10))
    #expect(throws: FailingObserver.Failure()) {
      try run.train(observers: [FailingObserver(failingStep: 3)])
    }
    #expect(run.record.steps.count == 3)
  }
}
