import Foundation
import GradientClipping
import Testing
import Training

@testable import Experiments

@Suite("Clip methods on a real model's gradients")
struct ClipMethodTests {
  /// Clips the fresh gradients of the test model with `text`; returns the outcome, the
  /// gradients before and after, and the 2-norm before.
  private func clip(
    _ text: String
  ) throws -> (
    outcome: ClipOutcome, before: [[Float]], after: [[Float]], norm: Double
  ) {
    let (model, norm) = try RunFixtures.modelWithGradients()
    let before = RunFixtures.gradients(model)
    var method = try ClipMethod(try ClipSpec(parsing: text), parameterNames: model.parameterNames)
    var gradients = model.store.gradients
    let outcome = try method.clip(&gradients, values: model.store.values, norm: norm)
    return (outcome, before, RunFixtures.gradients(model), norm.value)
  }

  /// The test model's gradient norm, so that thresholds can be set below and above it.
  private func baseNorm() throws -> Double { try RunFixtures.modelWithGradients().1.value }

  @Test("the test model's gradients are real: four tensors, a norm well above 0.1")
  func gradientsAreReal() throws {
    let (model, norm) = try RunFixtures.modelWithGradients()
    #expect(model.parameterNames == ["fc0.weight", "fc0.bias", "head.weight", "head.bias"])
    #expect(isClose(norm.value, RunFixtures.norm(RunFixtures.gradients(model)), relative: 1e-6))
    #expect(norm.value > 0.5, "\(norm.value)")
  }

  @Test("norm: PyTorch's coefficient maxNorm / (norm + 1e-6), applied to every gradient")
  func pytorchNorm() throws {
    let threshold = try baseNorm() / 4
    let result = try clip("norm:\(threshold)")
    let coefficient = threshold / (result.norm + 1e-6)
    #expect(result.outcome.clipped && !result.outcome.skipped)
    #expect(result.outcome.threshold == threshold)
    #expect(isClose(result.outcome.coefficient, coefficient, relative: 1e-12))
    for (before, after) in zip(result.before.joined(), result.after.joined()) {
      #expect(after == before * Float(coefficient))
    }
    #expect(isClose(RunFixtures.norm(result.after), threshold, relative: 1e-5))
  }

  @Test("norm with eps: the coefficient uses the given epsilon")
  func pytorchNormEpsilon() throws {
    let threshold = try baseNorm() / 4
    let result = try clip("norm:\(threshold),eps=0.5")
    #expect(isClose(result.outcome.coefficient, threshold / (result.norm + 0.5), relative: 1e-12))
  }

  @Test("exact-norm: TensorFlow's coefficient maxNorm / norm, no epsilon; the norm lands on the threshold")
  func tensorflowNorm() throws {
    let threshold = try baseNorm() / 4
    let result = try clip("exact-norm:\(threshold)")
    #expect(result.outcome.clipped)
    #expect(result.outcome.threshold == threshold)
    #expect(isClose(result.outcome.coefficient, threshold / result.norm, relative: 1e-12))
    for (before, after) in zip(result.before.joined(), result.after.joined()) {
      #expect(after == before * Float(threshold / result.norm))
    }
  }

  @Test("a norm below the threshold is left alone: coefficient 1, not clipped, gradients unchanged")
  func belowThreshold() throws {
    let threshold = try baseNorm() * 2
    for text in ["norm:\(threshold)", "exact-norm:\(threshold)", "value:1000", "tensor-norm:\(threshold)"] {
      let result = try clip(text)
      #expect(!result.outcome.clipped && !result.outcome.skipped, "\(text)")
      #expect(result.outcome.coefficient == 1, "\(text)")
      #expect(result.after == result.before, "\(text)")
    }
  }

  @Test("value: every component clamped; the coefficient is the ratio of the global norms after and before")
  func valueClipping() throws {
    let result = try clip("value:0.01")
    #expect(result.outcome.clipped)
    #expect(result.outcome.threshold == nil)
    #expect(result.after.joined().allSatisfy { abs($0) <= 0.01 })
    for (before, after) in zip(result.before.joined(), result.after.joined()) {
      #expect(after == min(max(before, -0.01), 0.01))
    }
    #expect(isClose(result.outcome.coefficient, RunFixtures.norm(result.after) / result.norm, relative: 1e-6))
    #expect(result.outcome.coefficient < 1)
  }

  @Test("tensor-norm: each tensor on its own; the coefficient is the ratio of the global norms")
  func tensorNorm() throws {
    let threshold = 0.05
    let result = try clip("tensor-norm:\(threshold)")
    #expect(result.outcome.clipped)
    for (before, after) in zip(result.before, result.after) {
      let norm = RunFixtures.norm([before])
      #expect(RunFixtures.norm([after]) <= threshold * (1 + 1e-5) || norm <= threshold)
    }
    #expect(isClose(result.outcome.coefficient, RunFixtures.norm(result.after) / result.norm, relative: 1e-6))
  }

  @Test("norm with p=inf clips by the largest magnitude")
  func infinityNorm() throws {
    let (model, _) = try RunFixtures.modelWithGradients()
    let largest = Double(RunFixtures.gradients(model).joined().map(abs).max() ?? 0)
    let result = try clip("norm:\(largest / 4),p=inf")
    #expect(result.outcome.clipped)
    #expect(isClose(result.outcome.coefficient, (largest / 4) / (largest + 1e-6), relative: 1e-9))
  }

  @Test("only norm and exact-norm can be fused into the optimizer's update")
  func fusible() throws {
    let names = ["fc0.weight", "fc0.bias", "head.weight", "head.bias"]
    func method(_ text: String) throws -> ClipMethod {
      try ClipMethod(try ClipSpec(parsing: text), parameterNames: names)
    }
    let pytorch = try #require(try method("norm:2").fusibleClipper)
    #expect(pytorch.maxNorm == 2 && pytorch.formula == .pytorch(epsilon: 1e-6) && pytorch.order == 2)
    let tensorflow = try #require(try method("exact-norm:3").fusibleClipper)
    #expect(tensorflow.maxNorm == 3 && tensorflow.formula == .tensorflow)
    #expect(try method("norm:2,eps=0.1").fusibleClipper?.formula == .pytorch(epsilon: 0.1))
    for text in [
      "none", "tensor-norm:1", "value:0.5", "block-rms:1", "agc:0.01", "autoclip", "zclip", "adagc", "skip:max=1",
    ] {
      #expect(try method(text).fusibleClipper == nil, "\(text)")
    }
  }

  @Test("no clipping changes nothing")
  func none() throws {
    let result = try clip("none")
    #expect(result.outcome == .unchanged)
    #expect(result.after == result.before)
  }

  @Test("AGC with every parameter excluded changes nothing; without exclusions it reports a ratio")
  func agc() throws {
    let excluded = try clip("agc:0.0001,exclude=fc0+head")
    #expect(!excluded.outcome.clipped)
    #expect(excluded.after == excluded.before)
    let clipped = try clip("agc:0.0001")
    #expect(clipped.outcome.clipped)
    #expect(clipped.outcome.threshold == nil)
    #expect(isClose(clipped.outcome.coefficient, RunFixtures.norm(clipped.after) / clipped.norm, relative: 1e-6))
  }

  @Test("a non-finite norm is skipped, never raised, and nothing is modified")
  func nonFiniteNormSkips() throws {
    for text in ["norm:1", "exact-norm:1"] {
      let (model, _) = try RunFixtures.modelWithGradients()
      let before = RunFixtures.gradients(model)
      var method = try ClipMethod(try ClipSpec(parsing: text), parameterNames: model.parameterNames)
      var gradients = model.store.gradients
      let outcome = try method.clip(&gradients, values: model.store.values, norm: try GradientNorm(value: .nan))
      #expect(outcome.skipped && !outcome.clipped, "\(text)")
      #expect(RunFixtures.gradients(model) == before, "\(text)")
    }
  }
}
