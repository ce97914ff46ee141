import GradientClipping
import Testing

@testable import Training

/// AGC as an optimizer's clipping: relative to the very parameters the optimizer updates, before
/// the update, as optax's `chain(adaptive_grad_clip(c), sgd(lr))`.
@Suite("Optimizer clipping: AGC")
struct OptimizerAdaptiveClippingTests {
  /// Two vectors (arrays of arrays are one-dimensional tensors: each is one unit).
  private let values: [[Double]] = [[3, 4, 0, 1], [0.5, 0]]
  private let gradients: [[Double]] = [[30, 40, 0, 0.001], [10, 0]]

  @Test("one SGD step with AGC equals AGC by hand against the old parameters, then the plain step")
  func matchesManualAGC() throws {
    let agc = AdaptiveGradientClipper(clipping: 0.1)
    var sgd = SGD<Double>(learningRate: 0.5, clipping: .adaptive(agc))
    var parameters = values
    var grads = gradients
    let report = try sgd.step(values: &parameters, gradients: &grads)
    var manual = gradients
    let manualReport = try agc.clip(&manual, parameters: values)
    #expect(grads == manual, "the gradients were clipped in place, as by hand")
    let expected = zip(values, manual).map { value, gradient in zip(value, gradient).map { $0 - 0.5 * $1 } }
    #expect(parameters == expected)
    #expect(report.clipping == [manualReport] && report.clipped)
    // [3, 4, 0, 1] has norm sqrt(26): its gradient (norm sqrt(2500 + 1e-6)) is scaled to norm
    // 0.1 * sqrt(26); the bias [0.5, 0] (norm 0.5) allows 0.05, and its gradient [10, 0] is scaled to it.
    let scale = 0.1 * 26.0.squareRoot() / (2500 + 1e-6).squareRoot()
    #expect(abs(manual[0][0] - 30 * scale) < 1e-12 && abs(manual[0][1] - 40 * scale) < 1e-12)
    #expect(abs(manual[1][0] - 0.05) < 1e-12 && manual[1][1] == 0)
  }

  @Test("AGC runs before the rest of the chain; a leading global-norm clipper then measures the clipped gradients")
  func beforeTheChain() throws {
    let agc = AdaptiveGradientClipper(clipping: 0.1)
    let global = GlobalNormClipper(maxNorm: 0.1)
    var sgd = SGD<Double>(learningRate: 1, clipping: .adaptive(agc, then: global))
    var parameters = values
    var grads = gradients
    let report = try sgd.step(values: &parameters, gradients: &grads)
    var manual = gradients
    _ = try agc.clip(&manual, parameters: values)
    let afterAGC = try manual.totalNorm().value
    _ = try global.clip(&manual)
    #expect(grads == manual)
    #expect(report.clipping.count == 2 && report.clipping[1].norm == afterAGC)
  }

  @Test("an invalid AGC threshold throws before anything is modified; the fused path refuses AGC")
  func refusals() throws {
    var sgd = SGD<Double>(learningRate: 1, clipping: .adaptive(AdaptiveGradientClipper(clipping: -1)))
    var parameters = values
    var grads = gradients
    #expect(throws: OptimizerError.self) { try sgd.step(values: &parameters, gradients: &grads) }
    #expect(parameters == values && grads == gradients && sgd.stepCount == 0)
    var fused = SGD<Double>(learningRate: 1, clipping: .adaptive(AdaptiveGradientClipper(clipping: 0.1)))
    let norm = try gradients.totalNorm()
    #expect(throws: OptimizerError.self) { try fused.step(values: &parameters, gradients: grads, gradientNorm: norm) }
    #expect(parameters == values)
  }
}
