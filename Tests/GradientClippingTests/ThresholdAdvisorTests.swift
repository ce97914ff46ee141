import Foundation
import Testing

@testable import GradientClipping

/// The threshold advisor against values checked by hand (and against NumPy's
/// `np.percentile([1, 2, 3, 4], [10, 25, 50, 75, 90, 95, 99])` = 1.3, 1.75, 2.5, 3.25, 3.7, 3.85,
/// 3.97).
@Suite("Threshold advice")
struct ThresholdAdvisorTests {
  private func advisor(recording norms: [Double]) throws -> ThresholdAdvisor {
    var advisor = try ThresholdAdvisor()
    for norm in norms { advisor.record(globalNorm: norm) }
    return advisor
  }

  @Test("Quantiles interpolate linearly between order statistics (NumPy's default), whatever the order recorded")
  func quantiles() throws {
    let advice = try advisor(recording: [3, 1, 4, 2]).advice()
    // Sorted 1, 2, 3, 4: the p-th percentile sits at position h = 3p / 100, e.g. p90 at 2.7:
    // 3 + 0.7 * (4 - 3) = 3.7.
    let expected: [Double] = [1.3, 1.75, 2.5, 3.25, 3.7, 3.85, 3.97]
    #expect(advice.global.quantiles.map(\.percentile) == [10, 25, 50, 75, 90, 95, 99])
    #expect(zip(advice.global.quantiles.map(\.value), expected).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(advice.global.quantile(at: 0) == 1 && advice.global.quantile(at: 100) == 4)
    #expect(advice.global.quantile(at: 101) == nil)
    #expect(advice.global.minimum == 1 && advice.global.maximum == 4 && advice.global.mean == 2.5)
    #expect(advice.global.count == 4 && advice.global.isExact && advice.global.rankError == 0)
  }

  @Test("The recommendation is the 90th percentile by default, with the share of steps it clips")
  func recommendation() throws {
    let recorder = try advisor(recording: [1, 2, 3, 4])
    let advice = try recorder.advice()
    #expect(advice.percentile == 90 && abs((advice.threshold ?? 0) - 3.7) < 1e-12)
    let recommendation = try #require(advice.recommendation)
    #expect(recommendation.clippedSteps == 1 && recommendation.clippedShare == 0.25 && recommendation.label == "p90")
    let median = try recorder.advice(percentile: 50)
    #expect(median.threshold == 2.5 && median.recommendation?.clippedSteps == 2)
    #expect(try recorder.advice(percentile: 12.5).recommendation?.label == "p12.5")
  }

  @Test("Candidates: the quantiles by default, or given thresholds; a norm equal to a threshold is not clipped")
  func candidates() throws {
    let recorder = try advisor(recording: [1, 2, 3, 4])
    let quantiles = try recorder.advice().candidates
    #expect(quantiles.map(\.label) == ["p10", "p25", "p50", "p75", "p90", "p95", "p99"])
    #expect(quantiles.map(\.clippedSteps) == [3, 3, 2, 1, 1, 1, 1])
    #expect(quantiles.map(\.clippedShare) == [0.75, 0.75, 0.5, 0.25, 0.25, 0.25, 0.25])
    let given = try recorder.advice(candidates: [2, 0, 5, 4]).candidates
    #expect(given.map(\.threshold) == [0, 2, 4, 5] && given.allSatisfy { $0.label == nil })
    #expect(given.map(\.clippedSteps) == [4, 2, 0, 0])
    #expect(given.map(\.clippedShare) == [1, 0.5, 0, 0])
  }

  @Test("Non-finite norms are counted apart and enter no statistic")
  func nonFinite() throws {
    var recorder = try advisor(recording: [1, .nan, 2, .infinity, 3, -.infinity, 4])
    recorder.record(globalNorm: .nan, tensorNorms: [1, .nan])
    let advice = try recorder.advice()
    #expect(recorder.stepCount == 8)
    #expect(advice.global.count == 4 && advice.global.nonFiniteCount == 4)
    #expect(advice.global.maximum == 4 && advice.global.mean == 2.5 && abs((advice.threshold ?? 0) - 3.7) < 1e-12)
    #expect(advice.tensors.map(\.distribution.count) == [1, 0])
    #expect(advice.tensors.map(\.distribution.nonFiniteCount) == [0, 1])
    #expect(advice.tensors[1].threshold == nil && advice.tensors[1].clippedShare == nil)
    #expect(advice.description.contains("(4 non-finite norms left out)"))
  }

  @Test("An empty recorder, or one of non-finite norms only, recommends nothing and does not crash")
  func empty() throws {
    for norms in [[], [Double.nan, .infinity]] {
      let advice = try advisor(recording: norms).advice()
      #expect(advice.threshold == nil && advice.recommendation == nil)
      #expect(advice.global.quantiles.isEmpty && advice.candidates.isEmpty && advice.tensors.isEmpty)
      #expect(advice.global.minimum == nil && advice.global.maximum == nil && advice.global.mean == nil)
      #expect(advice.global.clippedShare(at: 1) == 0 && advice.global.rankError == 0)
      #expect(
        advice.description
          == "Gradient norms: no finite norm recorded (\(norms.count) non-finite); no recommendation")
    }
    let given = try advisor(recording: []).advice(candidates: [1])
    #expect(given.candidates == [CandidateThreshold(threshold: 1, clippedShare: 0, clippedSteps: 0)])
  }

  @Test("Per tensor: each tensor's own percentile, with its name")
  func perTensor() throws {
    var recorder = try ThresholdAdvisor(tensorNames: ["weight"])
    for step in 1...4 {
      recorder.record(globalNorm: Double(step), tensorNorms: [Double(step) / 10, 10 * Double(step)])
    }
    recorder.record(globalNorm: 5)  // a step without tensor norms
    let advice = try recorder.advice()
    #expect(advice.global.count == 5 && advice.tensors.count == 2)
    #expect(advice.tensors.map(\.name) == ["weight", nil] && advice.tensors.map(\.index) == [0, 1])
    #expect(advice.tensors.map(\.distribution.count) == [4, 4])
    #expect(abs((advice.tensors[0].threshold ?? 0) - 0.37) < 1e-12)
    #expect(abs((advice.tensors[1].threshold ?? 0) - 37) < 1e-12 && advice.tensors[1].clippedShare == 0.25)
  }

  @Test("Recording gradients measures the global and per-tensor 2-norms and reads the tensors' names")
  func recordGradients() throws {
    var recorder = try ThresholdAdvisor()
    let gradients = [GradientTensor<Float>([3, 4], name: "w"), GradientTensor<Float>([12])]
    try recorder.record(gradients)
    let advice = try recorder.advice()
    #expect(advice.global.maximum == 13)
    #expect(advice.tensors.map(\.distribution.maximum) == [5, 12] && advice.tensors.map(\.name) == ["w", nil])
    #expect(recorder.tensorNames == ["w"])
    #expect(throws: ClippingError.self) { try recorder.record(gradients, order: NormOrder(-1)) }
    #expect(recorder.stepCount == 1)
  }

  @Test("Recording a clipper's report records the norms it measured before clipping")
  func recordReport() throws {
    var gradients: [[Double]] = [[3, 4], [0, 1]]
    let report = try TensorNormClipper(maxNorm: 1).clip(&gradients)
    var recorder = try ThresholdAdvisor()
    recorder.record(report)
    let advice = try recorder.advice()
    #expect(abs((advice.global.maximum ?? 0) - 26.0.squareRoot()) < 1e-12)
    #expect(advice.tensors.map(\.distribution.maximum) == [5, 1])
  }

  @Test("Invalid arguments are typed errors naming the argument")
  func invalidArguments() throws {
    let recorder = try advisor(recording: [1, 2])
    for percentile in [-1, 100.5, .nan] {
      #expect {
        try recorder.advice(percentile: percentile)
      } throws: { error in
        guard case ClippingError.invalidArgument("percentile", _, "must be in [0, 100]") = error else { return false }
        return true
      }
    }
    #expect(throws: ClippingError.invalidArgument(name: "candidates[1]", value: -1, requirement: "must be >= 0")) {
      try recorder.advice(candidates: [1, -1])
    }
    #expect(throws: ClippingError.invalidArgument(name: "capacity", value: 0, requirement: "must be >= 1")) {
      try ThresholdAdvisor(capacity: 0)
    }
  }

  @Test("Past the capacity: exact count, extremes and mean; a bounded, seeded uniform sample for the quantiles")
  func boundedMemory() throws {
    var recorder = try ThresholdAdvisor(capacity: 100, seed: 7)
    for norm in 1...10_000 { recorder.record(globalNorm: Double(norm), tensorNorms: [Double(norm)]) }
    let advice = try recorder.advice()
    let global = advice.global
    #expect(global.count == 10_000 && global.sampleCount == 100 && !global.isExact)
    #expect(global.minimum == 1 && global.maximum == 10_000 && global.mean == 5000.5)
    // 95% bound on the rank error of a sample of 100: 100 * sqrt(ln(40) / 200) = 13.58 points.
    #expect(abs(global.rankError - 13.581_016) < 1e-5)
    for quantile in global.quantiles {
      #expect(abs(quantile.value / 100 - quantile.percentile) <= global.rankError, "p\(quantile.percentile)")
    }
    #expect(advice.tensors[0].distribution.sampleCount == 100)
    let estimated = try #require(advice.recommendation)
    #expect(estimated.clippedSteps == Int((estimated.clippedShare * 10_000).rounded()))
    #expect(advice.description.contains("from a sample of 100 (quantiles within 13.58 percentile points"))
    #expect(advice.description.contains("~"), "estimated step counts are marked")
    var again = try ThresholdAdvisor(capacity: 100, seed: 7)
    for norm in 1...10_000 { again.record(globalNorm: Double(norm), tensorNorms: [Double(norm)]) }
    #expect(try again.advice() == advice, "the same seed gives the same advice")
  }

  @Test("Reset forgets the norms and restarts the sampling; the advisor round-trips through Codable")
  func resetAndCodable() throws {
    var recorder = try ThresholdAdvisor(capacity: 3, tensorNames: ["a"], seed: 1)
    for norm in [5.0, 1, 4, 2, 3] { recorder.record(globalNorm: norm, tensorNorms: [norm]) }
    let decoded = try JSONDecoder().decode(ThresholdAdvisor.self, from: JSONEncoder().encode(recorder))
    #expect(decoded == recorder)
    let fresh = try ThresholdAdvisor(capacity: 3, tensorNames: ["a"], seed: 1)
    var replay = recorder
    replay.reset()
    #expect(replay == fresh && replay.tensorNames == ["a"])
    #expect(try replay.advice().threshold == nil)
  }

  @Test("The terminal summary: recommendation, distribution, candidates, per-tensor lines")
  func summary() throws {
    var recorder = try ThresholdAdvisor(tensorNames: ["embed.weight"])
    for norm in [1.0, 2, 3, 4] { recorder.record(globalNorm: norm, tensorNorms: [norm / 8, norm * 1000]) }
    recorder.record(globalNorm: .nan)
    let expected = """
      Gradient norms: 4 steps, exact (1 non-finite norm left out)
        min 1  mean 2.5  max 4
        p10 1.3  p25 1.75  p50 2.5  p75 3.25  p90 3.7  p95 3.85  p99 3.97
      Recommended maxNorm: 3.7 (p90), would have clipped 1 of 4 steps (25.0%)
      Candidates:
        threshold  clipped steps  share
        1.3        3 of 4         75.0%  p10
        1.75       3 of 4         75.0%  p25
        2.5        2 of 4         50.0%  p50
        3.25       1 of 4         25.0%  p75
        3.7        1 of 4         25.0%  p90
        3.85       1 of 4         25.0%  p95
        3.97       1 of 4         25.0%  p99
      Per tensor (p90 of each tensor's norms):
        tensor        steps  p50     threshold  clipped
        embed.weight  4      0.3125  0.4625     25.0%
        #1            4      2500    3700       25.0%
      """
    #expect(try recorder.advice().description == expected)
  }

  @Test("Numbers in the summary have 4 significant digits")
  func numberFormat() {
    let cases: [(Double, String)] = [
      (0, "0"), (0.123_456, "0.1235"), (12.345_6, "12.35"), (123_456, "123500"), (1.234_56e-5, "1.235e-05"),
      (9.999_96, "10"), (1e6, "1e+06"), (2.5, "2.5"), (-3.7, "-3.7"), (0.001, "0.001"), (1e-300, "1e-300"),
      (.infinity, "inf"), (99_999.7, "100000"),
    ]
    for (value, text) in cases { #expect(AdviceFormat.number(value) == text, "\(value)") }
    #expect(AdviceFormat.percent(0.125) == "12.5%" && AdviceFormat.percent(1) == "100.0%")
  }
}
