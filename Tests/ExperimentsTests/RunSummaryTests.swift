import Foundation
import Testing

@testable import Experiments

@Suite("Outputs: run summary figures")
struct RunSummaryTests {
  /// A record with the given losses, norms and clipped/skipped flags, one step each.
  private func record(
    losses: [Double], norms: [Double]? = nil, clipped: Set<Int> = [], skipped: Set<Int> = [],
    evaluations: [Evaluation] = []
  ) -> RunRecord {
    let steps = losses.enumerated().map { index, loss in
      StepMetrics(
        step: index + 1, loss: loss, gradientNorm: norms?[index] ?? 1, threshold: nil, coefficient: 1,
        clipped: clipped.contains(index + 1), skipped: skipped.contains(index + 1), learningRate: 0.1,
        layerNorms: [1])
    }
    return RunRecord(name: "r", settings: [], layerNames: ["w"], steps: steps, evaluations: evaluations)
  }

  @Test("divergence is the first step above ten times the first loss; exactly ten times is not")
  func divergenceAboveTenTimes() {
    #expect(record(losses: [1, 2, 10, 9, 10.5, 3]).summary.divergenceStep == 5)
    #expect(record(losses: [1, 2, 10, 9, 3]).summary.divergenceStep == nil)
    #expect(record(losses: [0.5, 6, 0.1]).summary.divergenceStep == 2, "counted even if the loss comes back")
    #expect(RunSummary.isDivergent(10.000001, initialLoss: 1))
    #expect(!RunSummary.isDivergent(10, initialLoss: 1))
  }

  @Test("a NaN or infinite loss is a divergence at its step; a NaN first loss at step 1")
  func divergenceNonFinite() {
    #expect(record(losses: [1, 2, .nan]).summary.divergenceStep == 3)
    #expect(record(losses: [1, .infinity, 2]).summary.divergenceStep == 2)
    #expect(record(losses: [.nan, 1]).summary.divergenceStep == 1)
    #expect(record(losses: [1, -.infinity]).summary.divergenceStep == 2)
  }

  @Test("clipped and skipped shares count steps")
  func shares() {
    let summary = record(losses: [1, 1, 1, 1, 1, 1, 1, 1], clipped: [1, 3, 8], skipped: [8]).summary
    #expect(summary.clippedShare == 3.0 / 8.0)
    #expect(summary.skippedShare == 1.0 / 8.0)
    #expect(summary.stepCount == 8)
  }

  @Test("the largest gradient norm, infinite when a norm was NaN")
  func largestNorm() {
    #expect(record(losses: [1, 1, 1], norms: [2, 7.5, 3]).summary.largestGradientNorm == 7.5)
    #expect(record(losses: [1, 1, 1], norms: [2, .nan, 3]).summary.largestGradientNorm == .infinity)
    #expect(record(losses: [1, 1], norms: [2, .infinity]).summary.largestGradientNorm == .infinity)
  }

  @Test("final and best loss come from the evaluations when there are some; accuracy from the last")
  func fromEvaluations() {
    let evaluations = [
      Evaluation(step: 0, loss: 2, accuracy: 0.1), Evaluation(step: 5, loss: 0.5, accuracy: 0.6),
      Evaluation(step: 10, loss: 0.8, accuracy: 0.4),
    ]
    let summary = record(losses: [3, 0.1, 0.2], evaluations: evaluations).summary
    #expect(summary.finalLoss == 0.8)
    #expect(summary.bestLoss == 0.5)
    #expect(summary.accuracy == 0.4)
  }

  @Test("without evaluations, final and best loss come from the training steps, NaN ignored for the best")
  func fromSteps() {
    let summary = record(losses: [3, 0.1, 0.2, .nan]).summary
    #expect(summary.finalLoss?.isNaN == true)
    #expect(summary.bestLoss == 0.1)
    #expect(summary.accuracy == nil)
    let evaluatedNaN = record(
      losses: [1],
      evaluations: [Evaluation(step: 0, loss: 1, accuracy: 0), Evaluation(step: 1, loss: .nan, accuracy: 0)]
    ).summary
    #expect(evaluatedNaN.bestLoss == 1)
    #expect(evaluatedNaN.finalLoss?.isNaN == true)
  }

  @Test("an empty record: no figures")
  func empty() {
    let summary = record(losses: []).summary
    #expect(summary.stepCount == 0)
    #expect(summary.finalLoss == nil && summary.bestLoss == nil && summary.accuracy == nil)
    #expect(summary.divergenceStep == nil && summary.largestGradientNorm == nil)
    #expect(summary.clippedShare == 0 && summary.skippedShare == 0)
  }

  @Test("a real run's summary matches its record")
  func realRun() throws {
    let record = try TrainingRun(try RunFixtures.regression(clip: "norm:2", steps: 10)).train()
    let summary = record.summary
    #expect(summary.stepCount == 10)
    #expect(summary.finalLoss == record.evaluations.last?.loss)
    #expect(summary.bestLoss == record.evaluations.map(\.loss).min())
    #expect(summary.largestGradientNorm == record.steps.map(\.gradientNorm).max())
    #expect(summary.clippedShare == Double(record.steps.count { $0.clipped }) / 10)
  }
}
