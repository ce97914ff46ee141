import GradientClipping
import Testing

@Suite("AdaGC")
struct AdaGCClipperTests {
  @Test("the paper's defaults")
  func defaults() throws {
    let clipper = try AdaGCClipper()
    #expect(clipper.beta == 0.98 && clipper.relativeThreshold == 1.05)
    #expect(clipper.warmupSteps == 100 && clipper.warmupMaxNorm == 1 && clipper.epsilon == 1e-6)
    #expect(clipper.nonFinitePolicy == .error && clipper.stepCount == 0 && clipper.gamma.isEmpty)
  }

  /// Two warm-up steps, then two adaptive steps; beta 0.5, lambda 2, lambda_abs 8, epsilon 0.
  @Test("warm-up clips globally and keeps the smallest clipped norm; then each tensor follows its EMA")
  func handDerivedSequence() throws {
    var clipper = try AdaGCClipper(beta: 0.5, relativeThreshold: 2, warmupSteps: 2, warmupMaxNorm: 8, epsilon: 0)
    // Step 1 (warm-up): norms [5, 12], global 13 > 8, so c = 8/13 for both tensors;
    // gamma = clipped norms = [40/13, 96/13].
    var step1: [[Double]] = [[3, 4], [12, 0]]
    let report1 = try clipper.clip(&step1)
    #expect(report1.clipped && report1.threshold == 8 && isClose(report1.norm, 13))
    #expect(isClose(report1.coefficient, 8.0 / 13) && isClose(report1.tensorCoefficients, [8.0 / 13, 8.0 / 13]))
    #expect(report1.tensorNorms == [5, 12])
    #expect(isClose(step1[0], [24.0 / 13, 32.0 / 13]) && isClose(step1[1], [96.0 / 13, 0]))
    #expect(isClose(clipper.gamma, [40.0 / 13, 96.0 / 13]) && clipper.stepCount == 1)
    // Step 2 (warm-up): norms [2.5, 4], global sqrt(22.25) < 8: unchanged;
    // gamma = min([40/13, 96/13], [2.5, 4]) = [2.5, 4].
    var step2: [[Double]] = [[1.5, 2], [0, 4]]
    let report2 = try clipper.clip(&step2)
    #expect(report2.outcome == .unchanged && report2.coefficient == 1 && step2 == [[1.5, 2], [0, 4]])
    #expect(clipper.gamma == [2.5, 4] && !clipper.isWarmingUp && clipper.tensorThresholds == [5, 8])
    // Step 3 (adaptive): limits 2 * [2.5, 4] = [5, 8]; norms [10, 4]: tensor 0 scaled by 5/10,
    // tensor 1 kept; gamma = 0.5 * [2.5, 4] + 0.5 * [min(10, 5), min(4, 8)] = [3.75, 4].
    var step3: [[Double]] = [[6, 8], [0, 4]]
    let report3 = try clipper.clip(&step3)
    #expect(report3.clipped && report3.threshold == 5 && isClose(report3.norm, 116.0.squareRoot()))
    #expect(report3.tensorNorms == [10, 4] && report3.tensorCoefficients == [0.5, 1] && report3.coefficient == 0.5)
    #expect(step3 == [[3, 4], [0, 4]] && clipper.gamma == [3.75, 4])
    // Step 4: limits [7.5, 8]; norms [0, 16]: tensor 1 scaled by 8/16;
    // gamma = 0.5 * [3.75, 4] + 0.5 * [0, 8] = [1.875, 6].
    var step4: [[Double]] = [[0, 0], [0, 16]]
    let report4 = try clipper.clip(&step4)
    #expect(report4.tensorCoefficients == [1, 0.5] && report4.threshold == 7.5)
    #expect(step4 == [[0, 0], [0, 8]] && clipper.gamma == [1.875, 6] && clipper.stepCount == 4)
  }

  @Test("Float gradients follow the same rule")
  func floatSequence() throws {
    var clipper = try AdaGCClipper(beta: 0.5, relativeThreshold: 2, warmupSteps: 1, warmupMaxNorm: 8, epsilon: 0)
    var step1: [[Float]] = [[3, 4], [12, 0]]  // as in the Double sequence: c = 8/13
    _ = try clipper.clip(&step1)
    #expect(abs(step1[1][0] - 96 / 13) <= 1e-6 * 96 / 13)
    #expect(isClose(clipper.gamma, [40.0 / 13, 96.0 / 13], 1e-7))
    // limits 2 * gamma = [80/13, 192/13] = [6.15, 14.77]; norms [10, 4]: tensor 0 scaled by
    // (80/13)/10 = 8/13.
    var step2: [[Float]] = [[6, 8], [0, 4]]
    let report = try clipper.clip(&step2)
    #expect(isClose(report.tensorCoefficients[0], 8.0 / 13, 1e-7) && report.tensorCoefficients[1] == 1)
    #expect(abs(step2[0][1] - 8 * 8 / 13) <= 1e-6 && step2[1] == [0, 4])
  }

  @Test("without warm-up each reference starts at the tensor's own norm")
  func noWarmUp() throws {
    var clipper = try AdaGCClipper(beta: 0.5, relativeThreshold: 2, warmupSteps: 0, epsilon: 0)
    var first: [[Double]] = [[3, 4]]  // gamma = 5, limit 10: unchanged
    #expect(try clipper.clip(&first).outcome == .unchanged && clipper.gamma == [5])
    var spike: [[Double]] = [[30, 40]]  // norm 50 > 10: scaled by 0.2; gamma = 0.5 * 5 + 0.5 * 10
    #expect(try clipper.clip(&spike).coefficient == 0.2)
    #expect(spike == [[6, 8]] && clipper.gamma == [7.5])
  }

  @Test("the epsilon of the reference implementation sits in the denominator")
  func epsilonInDenominator() throws {
    var clipper = try AdaGCClipper(beta: 0.5, relativeThreshold: 1, warmupSteps: 0, epsilon: 0.5)
    var first: [[Double]] = [[2]]
    _ = try clipper.clip(&first)  // gamma = 2
    var second: [[Double]] = [[4]]  // limit 2 < 4: c = 2 / (4 + 0.5)
    #expect(try clipper.clip(&second).coefficient == 2 / 4.5)
    #expect(clipper.gamma == [2])  // 0.5 * 2 + 0.5 * min(4, 2)
  }

  @Test("a tensor that is zero during warm-up is frozen at zero afterwards, as in the reference")
  func zeroTensorPitfall() throws {
    var clipper = try AdaGCClipper(warmupSteps: 1)
    var warmUp: [[Double]] = [[0.5], [0]]
    _ = try clipper.clip(&warmUp)
    #expect(clipper.gamma == [0.5, 0])
    var later: [[Double]] = [[0.5], [0.1]]
    let report = try clipper.clip(&later)
    #expect(later == [[0.5], [0]] && report.tensorCoefficients == [1, 0] && clipper.gamma[1] == 0)
  }

  @Test("empty sets and zero-size tensors")
  func emptyAndZeroSize() throws {
    var clipper = try AdaGCClipper(warmupSteps: 1)
    var empty: [[Double]] = []
    let report = try clipper.clip(&empty)
    #expect(report.norm == 0 && report.outcome == .unchanged && report.tensorNorms.isEmpty)
    var adaptive = try clipper.clip(&empty)
    #expect(adaptive.threshold == .infinity && clipper.stepCount == 2)
    var withEmptyTensor = try AdaGCClipper(relativeThreshold: 2, warmupSteps: 1, warmupMaxNorm: 10)
    var first: [[Float]] = [[], [3, 4]]
    _ = try withEmptyTensor.clip(&first)
    #expect(withEmptyTensor.gamma == [0, 5])
    var second: [[Float]] = [[], [30, 40]]
    adaptive = try withEmptyTensor.clip(&second)
    #expect(adaptive.tensorNorms == [0, 50] && second[0].isEmpty && abs(second[1][0] - 6) < 1e-5)
  }

  @Test("a change in the number of tensors is an error that changes nothing")
  func tensorCountMismatch() throws {
    var clipper = try AdaGCClipper(warmupSteps: 1)
    var two: [[Double]] = [[1], [2]]
    _ = try clipper.clip(&two)
    let before = clipper
    var three: [[Double]] = [[10], [20], [30]]
    #expect(throws: ClippingError.elementCountMismatch(argument: "gradients", expected: 2, actual: 3)) {
      try clipper.clip(&three)
    }
    #expect(clipper == before && three == [[10], [20], [30]])
  }

  @Test("invalid arguments are typed errors naming the argument")
  func invalidArguments() {
    #expect(argumentName { _ = try AdaGCClipper(beta: 0) } == "beta")
    #expect(argumentName { _ = try AdaGCClipper(beta: 1) } == "beta")
    #expect(argumentName { _ = try AdaGCClipper(beta: .nan) } == "beta")
    #expect(argumentName { _ = try AdaGCClipper(relativeThreshold: 0) } == "relativeThreshold")
    #expect(argumentName { _ = try AdaGCClipper(relativeThreshold: .infinity) } == "relativeThreshold")
    #expect(argumentName { _ = try AdaGCClipper(warmupSteps: -1) } == "warmupSteps")
    #expect(argumentName { _ = try AdaGCClipper(warmupMaxNorm: -1) } == "warmupMaxNorm")
    #expect(argumentName { _ = try AdaGCClipper(warmupMaxNorm: .nan) } == "warmupMaxNorm")
    #expect(argumentName { _ = try AdaGCClipper(epsilon: .infinity) } == "epsilon")
  }

  @Test("a non-finite norm throws or skips with nothing changed, and never enters the state")
  func nonFiniteErrorAndSkip() throws {
    var strict = try AdaGCClipper(warmupSteps: 1)
    var nan: [[Double]] = [[1], [.nan]]
    #expect(throws: ClippingError.self) { try strict.clip(&nan) }
    #expect(strict.stepCount == 0 && strict.gamma.isEmpty && nan[0] == [1] && nan[1][0].isNaN)
    var finite: [[Double]] = [[1], [2]]
    _ = try strict.clip(&finite)
    var infinite: [[Double]] = [[1], [.infinity]]
    #expect(throws: ClippingError.nonFiniteNorm(norm: .infinity, tensorIndex: 1)) { try strict.clip(&infinite) }

    var skipping = try AdaGCClipper(warmupSteps: 1, nonFinitePolicy: .skip)
    for step in 0..<2 {  // once in warm-up, once after
      let before = skipping
      var gradients: [[Float]] = [[0.5], [.infinity]]
      let report = try skipping.clip(&gradients)
      #expect(report.skipped && report.tensorCoefficients == [1, 1] && gradients == [[0.5], [.infinity]])
      #expect(skipping == before && skipping.stepCount == step)
      var ok: [[Float]] = [[0.5], [0.25]]
      _ = try skipping.clip(&ok)
    }
  }

  @Test("under propagate PyTorch's formula is applied and the state is left alone")
  func nonFinitePropagate() throws {
    var clipper = try AdaGCClipper(
      beta: 0.5, relativeThreshold: 2, warmupSteps: 0, epsilon: 0, nonFinitePolicy: .propagate)
    var first: [[Double]] = [[3, 4], [1]]
    _ = try clipper.clip(&first)
    let before = clipper
    var bad: [[Double]] = [[30, 40], [.infinity]]
    let report = try clipper.clip(&bad)
    // Tensor 0: limit 10, norm 50, c = 0.2. Tensor 1: infinite norm, c = 0 (inf * 0 = NaN).
    #expect(report.outcome == .propagatedNonFinite && report.tensorCoefficients == [0.2, 0])
    #expect(bad[0] == [6, 8] && bad[1][0].isNaN && clipper == before)
  }
}
