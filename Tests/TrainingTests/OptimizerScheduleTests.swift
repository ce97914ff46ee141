import Testing

@testable import Training

/// The learning-rate schedules at chosen steps, and as optimizers use them.
@Suite("Learning-rate schedules")
struct OptimizerScheduleTests {
  @Test("Constant, from a literal")
  func constant() {
    let schedule: LearningRateSchedule = 0.25
    #expect(schedule == .constant(0.25))
    #expect([0, 1, 1000].map(schedule.learningRate(atStep:)) == [0.25, 0.25, 0.25])
  }

  @Test("Step: multiplied by gamma every stepSize updates (torch StepLR)")
  func step() {
    let schedule = LearningRateSchedule.step(initial: 1, stepSize: 2, gamma: 0.5)
    #expect([0, 1, 2, 3, 4, 7].map(schedule.learningRate(atStep:)) == [1, 1, 0.5, 0.5, 0.25, 0.125])
  }

  @Test("Warm-up cosine: linear warm-up, cosine decay, then the final value (optax)")
  func warmupCosine() {
    let schedule = LearningRateSchedule.warmupCosine(
      initial: 0, peak: 1, warmupSteps: 10, totalSteps: 110, final: 0.1)
    let expected: [(Int, Double)] = [(0, 0), (5, 0.5), (9, 0.9), (10, 1), (60, 0.55), (110, 0.1), (500, 0.1)]
    for (step, value) in expected {
      #expect(abs(schedule.learningRate(atStep: step) - value) < 1e-15, "step \(step)")
    }
    // The decay is monotone, and symmetric about its middle.
    let decay = (10...110).map(schedule.learningRate(atStep:))
    #expect(zip(decay, decay.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(abs((schedule.learningRate(atStep: 35) - 0.55) + (schedule.learningRate(atStep: 85) - 0.55)) < 1e-15)
  }

  @Test("Without warm-up: torch's CosineAnnealingLR")
  func cosineWithoutWarmup() {
    let schedule = LearningRateSchedule.warmupCosine(peak: 0.1, warmupSteps: 0, totalSteps: 4)
    let expected = [0.1, 0.1 * (1 + 0.5.squareRoot()) / 2 * 1, 0.05, 0.1 * (1 - 0.5.squareRoot()) / 2, 0]
    for (step, value) in expected.enumerated() {
      #expect(abs(schedule.learningRate(atStep: step) - value) < 1e-15, "step \(step)")
    }
  }

  @Test("Optimizers read the schedule at the number of updates applied; skipped steps do not count")
  func optimizerUsesSchedule() throws {
    var sgd = SGD<Double>(learningRate: .step(initial: 1, stepSize: 1, gamma: 0.5), nonFinitePolicy: .skip)
    var values: [[Double]] = [[0]]
    var rates: [Double] = []
    for gradient in [1.0, .nan, 1, 1] {
      var gradients = [[gradient]]
      rates.append(try sgd.step(values: &values, gradients: &gradients).learningRate)
    }
    #expect(rates == [1, 0.5, 0.5, 0.25])
    #expect(values == [[-1.75]] && sgd.currentLearningRate == 0.125)
  }
}

@Suite("Learning-rate schedules in words")
struct LearningRateScheduleDescriptionTests {
  @Test("each schedule reads as what it does; without warm-up, cosine leaves the unused initial rate out")
  func descriptions() {
    #expect(LearningRateSchedule.constant(0.1).description == "0.1")
    #expect(
      LearningRateSchedule.step(initial: 0.1, stepSize: 100, gamma: 0.5).description == "step(0.1, x0.5 every 100)")
    #expect(
      LearningRateSchedule.warmupCosine(peak: 0.1, warmupSteps: 0, totalSteps: 1500).description
        == "cosine(0.1 -> 0.0 at 1500)")
    #expect(
      LearningRateSchedule.warmupCosine(peak: 0.1, warmupSteps: 10, totalSteps: 1500).description
        == "warmupCosine(0.0 -> 0.1 over 10, -> 0.0 at 1500)")
  }
}
