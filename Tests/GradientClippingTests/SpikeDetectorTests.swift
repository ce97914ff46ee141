import GradientClipping
import Testing

@Suite("Spike detector")
struct SpikeDetectorTests {
  /// Checks a one-element gradient of value `norm` (so its 2-norm is `|norm|`).
  private func check(_ detector: inout SpikeDetector, _ norm: Double) throws -> StepDecision {
    try detector.check([[norm]])
  }

  /// alpha 0.5, zThreshold 2, warm-up 3, epsilon 0, maxNorm 100; norms 1, 3, 2, 2.5, 10, 200, NaN,
  /// 2.25. Derivations in the comments.
  @Test("warm-up statistics, z-score and fixed-bound skips, statistics only from accepted norms")
  func handDerivedSequence() throws {
    var detector = try SpikeDetector(maxNorm: 100, zThreshold: 2, alpha: 0.5, warmupSteps: 3, epsilon: 0)
    // Warm-up (Welford): after 1: mean 1, var 0; after 3: mean 2, var 0; after 2: mean 2,
    // var ((1-2)^2 + (3-2)^2 + 0) / 3 = 2/3. No z-score yet; the bound is maxNorm.
    for norm in [1.0, 3, 2] {
      let decision = try check(&detector, norm)
      #expect(!decision.shouldSkip && decision.zScore == nil && decision.threshold == 100)
    }
    #expect(detector.mean == 2 && isClose(detector.variance ?? -1, 2.0 / 3) && detector.isWarmedUp)
    // 2.5: z = 0.5 / sqrt(2/3) = 0.612 <= 2, accepted; bound 2 + 2 sqrt(2/3) = 3.633.
    // EMA: mean = 0.5 * 2 + 0.5 * 2.5 = 2.25; var = 0.5 * 2/3 + 0.5 * (2.5 - 2.25)^2 = 0.364583.
    var decision = try check(&detector, 2.5)
    #expect(!decision.shouldSkip && isClose(decision.zScore ?? 0, 0.5 / (2.0 / 3).squareRoot()))
    #expect(isClose(decision.threshold, 2 + 2 * (2.0 / 3).squareRoot()))
    #expect(detector.mean == 2.25 && isClose(detector.variance ?? -1, 1.0 / 3 + 0.03125))
    // 10: z = (10 - 2.25) / sqrt(0.364583) = 12.84 > 2: skipped; statistics unchanged.
    let (mean, variance) = (detector.mean, detector.variance)
    decision = try check(&detector, 10)
    #expect(
      decision.reason == .zScoreAboveThreshold && isClose(decision.zScore ?? 0, 7.75 / (1.0 / 3 + 0.03125).squareRoot())
    )
    #expect(detector.mean == mean && detector.variance == variance)
    #expect(detector.skippedStepCount == 1 && detector.consecutiveSkipCount == 1 && detector.acceptedCount == 4)
    // 200 > maxNorm: the fixed bound is checked last and names the reason.
    decision = try check(&detector, 200)
    #expect(decision.reason == .normAboveMaxNorm && detector.consecutiveSkipCount == 2)
    // NaN: skipped by the default policy, reason non-finite.
    decision = try check(&detector, .nan)
    #expect(decision.reason == .nonFinite && !decision.isFinite && decision.zScore == nil)
    // 2.25 = mean: z = 0, applied; the run of skips ends. var = 0.5 * 0.364583 + 0.
    decision = try check(&detector, 2.25)
    #expect(!decision.shouldSkip && decision.zScore == 0)
    #expect(detector.skippedStepCount == 3 && detector.consecutiveSkipCount == 0)
    #expect(detector.mean == 2.25 && isClose(detector.variance ?? -1, 0.5 * (1.0 / 3 + 0.03125)))
  }

  @Test("a fixed bound alone works from the first step, and a skip is not accepted")
  func fixedBound() throws {
    var detector = try SpikeDetector(maxNorm: 5)
    var gradients: [[Float]] = [[3, 4.5]]  // norm 5.41 > 5
    let decision = try detector.check(gradients)
    #expect(decision.reason == .normAboveMaxNorm && decision.threshold == 5 && detector.acceptedCount == 0)
    gradients = [[3, 4]]  // norm 5, not above 5
    #expect(try !detector.check(gradients).shouldSkip && detector.acceptedCount == 1)
  }

  @Test("a norm measured beforehand gives the same decision; another order is refused")
  func precomputedNorm() throws {
    var fromGradients = try SpikeDetector(zThreshold: 1, warmupSteps: 1)
    var fromNorm = fromGradients
    for values in [[3.0, 4], [0.6, 0.8], [30, 40]] {
      let gradients = [values]
      #expect(try fromGradients.check(gradients) == fromNorm.check(norm: gradients.totalNorm()))
    }
    #expect(fromGradients == fromNorm && fromNorm.skippedStepCount == 1)
    #expect(argumentName { _ = try fromNorm.check(norm: GradientNorm(value: 1, order: .one)) } == "norm.order")
  }

  @Test("the gradients are never modified, a skipped step least of all")
  func gradientsUntouched() throws {
    var detector = try SpikeDetector(maxNorm: 1)
    let doubles: [[Double]] = [[3, .nan], [], [-0.0, 1e300]]
    _ = try detector.check(doubles)
    #expect(bits(doubles) == bits([[3, .nan], [], [-0.0, 1e300]]))
    let floats: [[Float]] = [[2, -.infinity]]
    #expect(try detector.check(floats).reason == .nonFinite)
    #expect(bits(floats) == bits([[2, -.infinity]]))
  }

  @Test("non-finite norms follow the policy and never enter the statistics")
  func nonFinitePolicies() throws {
    var strict = try SpikeDetector(zThreshold: 3, nonFinitePolicy: .error)
    #expect(throws: ClippingError.nonFiniteNorm(norm: .infinity, tensorIndex: nil)) {
      try strict.check([[Float.infinity]])
    }
    #expect(strict == (try SpikeDetector(zThreshold: 3, nonFinitePolicy: .error)))
    var lenient = try SpikeDetector(zThreshold: 3, nonFinitePolicy: .propagate)
    _ = try lenient.check([[1.0]])
    let decision = try lenient.check([[Double.nan]])
    #expect(!decision.shouldSkip && !decision.isFinite && decision.norm.isNaN)
    #expect(lenient.acceptedCount == 1 && lenient.mean == 1 && lenient.skippedStepCount == 0)
  }

  @Test("empty sets have norm 0 and are accepted")
  func emptySet() throws {
    var detector = try SpikeDetector(maxNorm: 0)
    let empty: [[Double]] = []
    #expect(try !detector.check(empty).shouldSkip)
    #expect(try !detector.check([[Double]()]).shouldSkip && detector.acceptedCount == 2)
  }

  @Test("invalid arguments are typed errors naming the argument")
  func invalidArguments() {
    #expect(argumentName { _ = try SpikeDetector(maxNorm: -1) } == "maxNorm")
    #expect(argumentName { _ = try SpikeDetector(maxNorm: .infinity) } == "maxNorm")
    #expect(argumentName { _ = try SpikeDetector(zThreshold: .nan) } == "zThreshold")
    #expect(argumentName { _ = try SpikeDetector(alpha: 1) } == "alpha")
    #expect(argumentName { _ = try SpikeDetector(alpha: 0) } == "alpha")
    #expect(argumentName { _ = try SpikeDetector(warmupSteps: 0) } == "warmupSteps")
    #expect(argumentName { _ = try SpikeDetector(epsilon: -1e-9) } == "epsilon")
  }
}
