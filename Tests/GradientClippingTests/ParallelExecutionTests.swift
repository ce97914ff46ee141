import GradientClipping
import Testing

@Suite("Parallel execution")
struct ParallelExecutionTests {
  @Test("clipping from many threads at once gives each caller the serial result")
  func concurrentCallers() async throws {
    var random = TestRandom(seed: 21)
    let original = [random.floats(200_000), random.floats(70_000), random.floats(3)]
    var expected = original
    let serialReport = try GlobalNormClipper(maxNorm: 1, parallelism: .serial).clip(&expected)
    let results = try await withThrowingTaskGroup(of: ([[Float]], ClippingReport).self) { group in
      for _ in 0..<8 {
        group.addTask {
          var gradients = original
          let report = try GlobalNormClipper(maxNorm: 1).clip(&gradients)
          return (gradients, report)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 8)
    for (gradients, report) in results {
      #expect(report == serialReport)
      #expect(gradients == expected)
    }
  }

  @Test("every element of a large set is visited exactly once, whatever the thread cap", arguments: [1, 2, 3, 64])
  func everyElementOnce(threads: Int) throws {
    var gradients = try FlatGradientStorage<Double>(shapes: [[1_000_003], [5], [70_001]], repeating: 1)
    try ValueClipper(clipValue: 0.5, parallelism: .threads(threads)).clip(&gradients)
    #expect(gradients.elements.allSatisfy { $0 == 0.5 })
    _ = try GlobalNormClipper(maxNorm: 1, formula: .tensorflow, parallelism: .threads(threads)).clip(&gradients)
    let norm = try gradients.totalNorm().value
    #expect(abs(norm - 1) < 1e-12)
  }

  @Test("value clipping finds a NaN and clamps values far apart in a large tensor")
  func valueClippingAcrossBlocks() throws {
    var gradients: [[Float]] = [Array(repeating: 0.25, count: 300_000)]
    gradients[0][5] = 9
    gradients[0][150_000] = .nan
    gradients[0][299_999] = -7
    let report = try ValueClipper(clipValue: 1).clip(&gradients)
    #expect(gradients[0][5] == 1 && gradients[0][299_999] == -1 && gradients[0][150_000].isNaN)
    #expect(gradients[0][6] == 0.25)
    #expect(report.norm.isNaN && report.outcome == .propagatedNonFinite)
  }

  @Test(
    "value clipping equals an element-by-element clamp in every kernel (measure then clamp, fused, without report)",
    arguments: [1, 2])
  func valueClippingKernelsAgreeWithScalarClamp(threads: Int) throws {
    var random = TestRandom(seed: 41)
    // Blocks of 4096: the first runs measure-then-clamp, the ones after a block that exceeded run
    // fused; the quiet stretch in the middle switches back, and the odd length leaves a tail.
    var floats = random.floats(3 * 4096 + 4096 + 3 * 4096 + 13, scale: 3)
    for index in 3 * 4096..<4 * 4096 { floats[index] *= 0.1 }
    let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
    for (offset, special) in specials.enumerated() { floats[5 * 4096 + 7 * offset] = special }
    try expectScalarClamp(floats.filter { !$0.isNaN }, limit: 0.5, threads: threads)
    try expectScalarClamp(floats, limit: 0.5, threads: threads)
    try expectScalarClamp(floats.map(Double.init), limit: 0.5, threads: threads)
  }

  private func expectScalarClamp<S: GradientScalar>(_ values: [S], limit: S, threads: Int) throws {
    var gradients = [values]
    let clipper = ValueClipper(clipValue: Double(limit), parallelism: .threads(threads))
    let report = try clipper.clip(&gradients)
    var unreported = [values]
    try clipper.clipWithoutReport(&unreported)
    let expected = values.map { $0.isNaN ? $0 : Swift.min(Swift.max($0, -limit), limit) }
    for clamped in [gradients[0], unreported[0]] {
      let same = zip(clamped, expected).allSatisfy { got, want in
        (got == want && got.sign == want.sign) || (got.isNaN && want.isNaN)
      }
      #expect(same)
    }
    if values.contains(where: \.isNaN) {
      #expect(report.norm.isNaN && report.outcome == .propagatedNonFinite)
    } else {
      #expect(report.norm == Double(values.map { abs($0) }.max() ?? 0) && report.outcome == .clipped)
    }
  }

  @Test("a coefficient that rounds to 1 in Float changes nothing and is reported as unchanged")
  func coefficientRoundingToOne() throws {
    var gradients: [[Float]] = [[3, 4]]
    // maxNorm / (5 + 1e-6) = 1 - 2e-8, within half an ulp (3e-8) of 1 in Float.
    let report = try GlobalNormClipper(maxNorm: 5.000_000_9).clip(&gradients)
    #expect(report.outcome == .unchanged && report.coefficient == 1)
    #expect(gradients == [[3, 4]])
  }
}
