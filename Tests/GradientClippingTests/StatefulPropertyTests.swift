import GradientClipping
import PropertyBased
import Testing

/// Invariants of the stateful clippers and step guards on generated sequences: each sequence is
/// drawn from a seed, each step at its own scale over many binary orders of magnitude.
@Suite("Stateful clipping properties")
struct StatefulPropertyTests {
  static let seed = Gen.int(in: 0...1_000_000)

  /// `count` sets of `lengths.count` `Float` tensors, step scales 2^-40 ... 2^40.
  static func floatSteps(seed: Int, count: Int, lengths: [Int]) -> [[[Float]]] {
    var random = TestRandom(seed: UInt64(seed))
    return (0..<count).map { _ in
      let scale = Double(sign: .plus, exponent: Int(random.next() % 81) - 40, significand: 1)
      return lengths.map { random.floats($0, scale: scale) }
    }
  }

  /// During warm-up the global norm ends at most `warmupMaxNorm`; afterwards each tensor's norm
  /// ends at most `relativeThreshold * gamma_i` (the reference before the step); gamma stays
  /// finite and >= 0.
  @Test func adaGCBoundsEachTensor() async {
    await propertyCheck(input: Self.seed, Gen.int(in: 0...4), Gen.int(in: 0...5).array(of: 0...4)) {
      seed, warmup, lengths in
      var clipper = try AdaGCClipper(beta: 0.9, warmupSteps: warmup, warmupMaxNorm: 0.5)
      for step in Self.floatSteps(seed: seed, count: 12, lengths: lengths) {
        var gradients = step
        let warmingUp = clipper.isWarmingUp
        let limits = clipper.stepCount == 0 ? [] : clipper.tensorThresholds
        _ = try clipper.clip(&gradients)
        if warmingUp {
          #expect(try gradients.totalNorm().value <= 0.5 * (1 + 1e-6))
        } else {
          for (norm, limit) in zip(try gradients.tensorNorms(), limits) {
            #expect(norm.value <= limit * (1 + 1e-6), "\(norm.value) > \(limit)")
          }
        }
        #expect(clipper.gamma.allSatisfy { $0.isFinite && $0 >= 0 } && clipper.gamma.count == lengths.count)
      }
    }
  }

  /// A step guard never changes the gradients, whatever it decides: bit for bit, NaN included.
  @Test func guardsLeaveGradientsBitIdentical() async {
    await propertyCheck(input: Self.seed, Gen.int(in: 0...5).array(of: 0...4)) { seed, lengths in
      var spikes = try SpikeDetector(maxNorm: 1, zThreshold: 0.5, warmupSteps: 2)
      var skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 1)
      var random = TestRandom(seed: UInt64(seed))
      for var step in Self.floatSteps(seed: seed, count: 8, lengths: lengths) {
        let tensor = step.isEmpty ? 0 : Int(random.next() % UInt64(step.count))
        if tensor < step.count, !step[tensor].isEmpty, random.next() % 3 == 0 {
          step[tensor][0] = [Float.nan, .infinity, -.infinity][Int(random.next() % 3)]
        }
        let before = bits(step)
        let decision = try spikes.check(step)
        #expect(bits(step) == before)
        #expect(decision.shouldSkip == (!decision.isFinite || decision.norm > decision.threshold))
        _ = skipper.check(step)
        #expect(bits(step) == before)
      }
    }
  }

  /// Restoring the state saved at any step into a fresh AdaGC clipper or spike detector gives
  /// the same reports, decisions and gradients from then on.
  @Test func resumingAnywhereIsExact() async {
    await propertyCheck(input: Self.seed, Gen.int(in: 0...10)) { seed, split in
      let steps = ClipperStateTests.steps(seed: UInt64(seed), count: 10, lengths: [2, 0, 3])
      try ClipperStateTests.expectResumable(
        { try AdaGCClipper(warmupSteps: 3, warmupMaxNorm: 0.3) }, steps, split: split)
      try ClipperStateTests.expectResumable(
        { try SpikeDetector(maxNorm: 4, zThreshold: 1, warmupSteps: 3) }, steps, split: split
      ) { try $0.check($1) }
    }
  }
}
