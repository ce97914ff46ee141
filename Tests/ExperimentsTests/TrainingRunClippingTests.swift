import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Training runs: what clipping records and does")
struct TrainingRunClippingTests {
  /// A regression run whose gradient norms straddle 0.5 for a while: some steps clipped, some not.
  private func record(_ clip: String, steps: Int = 30, learningRate: Double = 0.02) throws -> RunRecord {
    try TrainingRun(try RunFixtures.regression(clip: clip, steps: steps, learningRate: learningRate)).train()
  }

  /// A threshold between the smallest and largest gradient norm of the unclipped run, so that a
  /// clipped run has both kinds of step.
  private func middleThreshold() throws -> Double {
    let norms = try record("none").steps.map(\.gradientNorm).sorted()
    return norms[norms.count / 2]
  }

  @Test("norm: every step records the threshold and PyTorch's coefficient min(1, max / (norm + 1e-6))")
  func pytorchCoefficient() throws {
    let threshold = try middleThreshold()
    let rows = try record("norm:\(threshold)").steps
    for row in rows {
      #expect(row.threshold == threshold)
      #expect(isClose(row.coefficient, min(1, threshold / (row.gradientNorm + 1e-6)), relative: 1e-12), "\(row)")
      #expect(row.clipped == (row.gradientNorm + 1e-6 > threshold), "step \(row.step)")
      #expect(!row.skipped)
    }
    #expect(rows.contains { $0.clipped } && rows.contains { !$0.clipped }, "both kinds of step")
  }

  @Test("exact-norm: the coefficient is min(1, max / norm)")
  func tensorflowCoefficient() throws {
    let threshold = try middleThreshold()
    let rows = try record("exact-norm:\(threshold)").steps
    for row in rows {
      #expect(row.threshold == threshold)
      #expect(isClose(row.coefficient, min(1, threshold / row.gradientNorm), relative: 1e-12), "\(row)")
      #expect(row.clipped == (row.gradientNorm > threshold), "step \(row.step)")
    }
    #expect(rows.contains { $0.clipped } && rows.contains { !$0.clipped })
  }

  @Test("value clipping: no threshold; a clipped step's coefficient is below 1, an unclipped one's exactly 1")
  func valueCoefficient() throws {
    let rows = try record("value:0.05").steps
    #expect(rows.contains { $0.clipped })
    for row in rows {
      #expect(row.threshold == nil)
      #expect(row.clipped ? row.coefficient < 1 && row.coefficient > 0 : row.coefficient == 1, "\(row)")
    }
  }

  @Test("a threshold above every norm never clips and trains exactly as no clipping")
  func neverClipping() throws {
    let plain = try record("none")
    let loose = try record("exact-norm:1e6")
    #expect(loose.steps.allSatisfy { !$0.clipped && $0.coefficient == 1 })
    #expect(loose.steps.map(\.loss) == plain.steps.map(\.loss))
  }

  @Test("the fused update scales the step by the coefficient: one clipped SGD step equals a step at lr x coefficient")
  func fusedStepMatchesScaledLearningRate() throws {
    let threshold = try record("none", steps: 1).steps[0].gradientNorm / 3
    let clipped = try TrainingRun(try RunFixtures.regression(clip: "norm:\(threshold)", steps: 1, learningRate: 0.05))
    let row = try #require(try clipped.train().steps.first)
    #expect(row.clipped && row.coefficient < 0.5)
    let scaled = try TrainingRun(try RunFixtures.regression(steps: 1, learningRate: 0.05 * row.coefficient))
    try scaled.train()
    for (a, b) in zip(RunFixtures.values(clipped.model).joined(), RunFixtures.values(scaled.model).joined()) {
      #expect(abs(a - b) <= 1e-6 * max(1, abs(a)), "\(a) vs \(b)")
    }
    let unclipped = try TrainingRun(try RunFixtures.regression(steps: 1, learningRate: 0.05))
    try unclipped.train()
    #expect(RunFixtures.values(unclipped.model) != RunFixtures.values(clipped.model), "clipping changed the step")
  }

  @Test("with norm:MAX,p=inf the threshold is compared with the largest gradient magnitude")
  func infinityNormRun() throws {
    let record = try record("norm:0.01,p=inf", steps: 5)
    #expect(record.outcome == .completed)
    #expect(record.steps.allSatisfy { $0.threshold == 0.01 })
    #expect(record.steps.contains { $0.clipped })
  }

  @Test("skip: a step whose norm is above max is skipped, not clipped, and leaves the parameters alone")
  func spikeSkipping() throws {
    let threshold = try middleThreshold()
    let record = try record("skip:max=\(threshold)")
    #expect(record.outcome == .completed)
    for row in record.steps {
      #expect(row.threshold == threshold && row.coefficient == 1 && !row.clipped, "\(row)")
      #expect(row.skipped == (row.gradientNorm > threshold), "step \(row.step)")
    }
    #expect(record.steps.contains { $0.skipped } && record.steps.contains { !$0.skipped })
    let everything = try TrainingRun(try RunFixtures.regression(clip: "skip:max=1e-9", steps: 5))
    let before = RunFixtures.values(everything.model)
    let skipped = try everything.train()
    #expect(skipped.summary.skippedShare == 1)
    #expect(RunFixtures.values(everything.model) == before, "no update was applied")
  }

  @Test("the clipped share of the summary counts the clipped steps")
  func clippedShare() throws {
    let threshold = try middleThreshold()
    let record = try record("norm:\(threshold)")
    #expect(record.summary.clippedShare == Double(record.steps.count { $0.clipped }) / Double(record.steps.count))
    #expect(record.summary.clippedShare > 0 && record.summary.clippedShare < 1)
  }

  @Test(
    "adaptive methods run and record a coefficient in (0, 1]",
    arguments: ["autoclip:p=50", "zclip:warmup=3", "agc:0.01", "adagc:warmup=3"])
  func adaptiveMethods(_ clip: String) throws {
    let record = try record(clip, steps: 12)
    #expect(record.outcome == .completed)
    #expect(record.steps.allSatisfy { $0.coefficient > 0 && $0.coefficient <= 1 + 1e-12 })
    #expect(record.steps.allSatisfy { $0.clipped == ($0.coefficient < 1) })
  }
}
