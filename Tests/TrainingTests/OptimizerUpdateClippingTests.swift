import Foundation
import GradientClipping
import Testing

@testable import Training

/// Update clipping in the Adam family: Adafactor's RMS clipping of the update and StableAdamW's
/// per-tensor learning rate, against values worked out by hand and a scalar reference.
@Suite("Optimizer update clipping")
struct OptimizerUpdateClippingTests {
  /// `values` after one step of `optimizer` per gradient list, and the last report.
  private func run<O: Optimizer>(
    _ optimizer: inout O, from values: [[Double]], _ steps: [[[Double]]]
  ) throws -> ([[Double]], StepReport?) {
    var parameters = values.map { $0.map { O.Scalar($0) } }
    var report: StepReport?
    for gradients in steps {
      var grads = gradients.map { $0.map { O.Scalar($0) } }
      report = try optimizer.step(values: &parameters, gradients: &grads)
    }
    return (parameters.map { $0.map { Double($0) } }, report)
  }

  /// AdamW, lr 0.1, weight decay 0.1, epsilon 0.5, RMS threshold 0.5, one step. On the first
  /// step `m̂ = g` and `v̂ = g * g`, so `u = g / (|g| + 0.5)`:
  /// - tensor 0, g = [1, -2]: u = [2/3, -0.8], RMS = sqrt((4/9 + 0.64) / 2) = 0.7363574, above
  ///   0.5, so u is divided by 0.7363574 / 0.5 = 1.4727148; p = 1 * (1 - 0.01) - 0.1 * u / 1.4727148
  ///   = [0.9447321, 1.0443214];
  /// - tensor 1, g = [0.25]: u = 1/3, RMS 1/3 <= 0.5, unchanged; p = 0.5 * 0.99 - 0.1 / 3 = 0.4616667.
  private func rmsStep<S: GradientScalar>(_: S.Type, tolerance: Double) throws {
    var adamw = AdamW<S>(learningRate: 0.1, epsilon: 0.5, weightDecay: 0.1, updateClipping: .rms(threshold: 0.5))
    let (values, report) = try run(&adamw, from: [[1, 1], [0.5]], [[[1, -2], [0.25]]])
    #expect(allClose(values, [[0.944_732_127, 1.044_321_448], [0.461_666_667]], absolute: tolerance), "\(S.self)")
    let clipping = try #require(report?.updateClipping)
    #expect(allClose([clipping.tensorNorms], [[0.736_357_401, 1.0 / 3]], absolute: tolerance))
    #expect(allClose([clipping.tensorCoefficients], [[0.679_018_095, 1]], absolute: tolerance))
    #expect(clipping.threshold == 0.5 && clipping.outcome == .clipped && report?.updateClippedTensorCount == 1)
    #expect(abs(clipping.norm - ((4.0 / 9 + 0.64 + 1.0 / 9) / 3).squareRoot()) <= tolerance, "RMS of all elements")
  }

  @Test("RMS clipping, one step by hand: only the tensor whose update RMS exceeds the threshold is scaled")
  func rmsByHand() throws {
    try rmsStep(Float.self, tolerance: 1e-6)
    try rmsStep(Double.self, tolerance: 1e-9)
  }

  /// Adam (L2 decay in the gradient) with RMS clipping: weight decay 0.1 makes g = [1.1, -1.9],
  /// u = g / (|g| + 0.5) = [0.6875, -0.7916667], RMS = 0.7414150, divided by 1.4828300;
  /// p = 1 - 0.1 * u / 1.4828300 = [0.9536360, 1.0533889].
  @Test("RMS clipping with Adam's L2 decay clips the decayed gradient's update")
  func rmsWithL2() throws {
    var adam = Adam<Double>(learningRate: 0.1, epsilon: 0.5, weightDecay: 0.1, updateClipping: .rms(threshold: 0.5))
    let (values, report) = try run(&adam, from: [[1, 1]], [[[1, -2]]])
    #expect(allClose(values, [[0.953_635_952, 1.053_388_904]], absolute: 1e-9))
    #expect(abs((report?.updateClipping?.tensorNorms.first ?? 0) - 0.741_414_985) < 1e-9)
  }

  /// AdamW, lr 0.1, betas (0.5, 0.5), epsilon 0.1, weight decay 0.1, two steps. With these betas,
  /// after two steps `m̂ = (g1 + 2 g2) / 3` and `v̂ = (g1^2 + 2 g2^2) / 3`.
  /// - Step 1: `v̂ = g^2`, so each ratio `g^2 / max(v̂, 0.01)` is at most 1: tensor 0
  ///   (g = [1, 1]) has RMS 1, tensor 1 (g = [0.05], v̂ = 0.0025 < 0.01) has RMS
  ///   sqrt(0.25) = 0.5; nothing is scaled. p = p * 0.99 - 0.1 * g / (|g| + 0.1):
  ///   [0.99 - 0.0909091, -0.99 - 0.0909091] = [0.8990909, -1.0809091], and
  ///   0.495 - 0.0333333 = 0.4616667.
  /// - Step 2, tensor 0, g = [4, -4]: m̂ = [3, -7/3], v̂ = 11, ratio 16/11, RMS = 1.2060454,
  ///   eta = 0.1 / 1.2060454 = 0.0829156; p = p * (1 - 0.00829156) - eta * m̂ / (sqrt(11) + 0.1)
  ///   = [0.8916361 - 0.0728049, -1.0719464 + 0.0566257] = [0.8188312, -1.0153207].
  /// - Step 2, tensor 1, g = [0.05]: v̂ = 0.0025, RMS 0.5, unscaled; p = 0.4616667 * 0.99
  ///   - 0.1 * 0.05 / 0.15 = 0.4237167.
  private func stableSteps<S: GradientScalar>(_: S.Type, tolerance: Double) throws {
    var adamw = AdamW<S>(
      learningRate: 0.1, betas: (0.5, 0.5), epsilon: 0.1, weightDecay: 0.1, updateClipping: .stableAdamW)
    let (first, firstReport) = try run(&adamw, from: [[1, -1], [0.5]], [[[1, 1], [0.05]]])
    #expect(allClose(first, [[0.899_090_909, -1.080_909_091], [0.461_666_667]], absolute: tolerance), "\(S.self)")
    let firstClipping = try #require(firstReport?.updateClipping)
    #expect(allClose([firstClipping.tensorNorms], [[1, 0.5]], absolute: tolerance))
    #expect(firstClipping.tensorCoefficients.allSatisfy { abs($0 - 1) <= tolerance })
    let (second, report) = try run(&adamw, from: first, [[[4, -4], [0.05]]])
    let expected: [[Double]] = [[0.818_831_190, -1.015_320_671], [0.423_716_667]]
    #expect(allClose(second, expected, absolute: tolerance), "\(S.self)")
    let clipping = try #require(report?.updateClipping)
    #expect(allClose([clipping.tensorNorms], [[(16.0 / 11).squareRoot(), 0.5]], absolute: tolerance))
    #expect(allClose([clipping.tensorCoefficients], [[(11.0 / 16).squareRoot(), 1]], absolute: tolerance))
    #expect(clipping.threshold == 1 && clipping.outcome == .clipped && report?.updateClippedTensorCount == 1)
  }

  @Test("StableAdamW by hand: nothing scaled on step 1, the spiking tensor's rate divided by its RMS on step 2")
  func stableByHand() throws {
    try stableSteps(Float.self, tolerance: 1e-6)
    try stableSteps(Double.self, tolerance: 1e-9)
  }

  @Test("Default and .none are the plain update bit for bit; an unreached threshold changes no bit either")
  func noneIsUnchanged() throws {
    var generator = OptimizerTestGenerator(seed: 11)
    let shapes = [[3, 4], [5], [0, 2], [17]]
    let start = generator.tensors(shapes, as: Float.self)
    let steps = (0..<3).map { _ in generator.tensors(shapes, scale: 2, as: Float.self) }
    for amsgrad in [false, true] {
      var plain = AdamW<Float>(learningRate: 0.01, amsgrad: amsgrad)
      var none = AdamW<Float>(learningRate: 0.01, amsgrad: amsgrad, updateClipping: .none)
      var loose = AdamW<Float>(learningRate: 0.01, amsgrad: amsgrad, updateClipping: .rms(threshold: 1e30))
      var (a, b, c) = (start, start, start)
      for gradients in steps {
        var (ga, gb, gc) = (gradients, gradients, gradients)
        let reportA = try plain.step(values: &a, gradients: &ga)
        let reportB = try none.step(values: &b, gradients: &gb)
        let reportC = try loose.step(values: &c, gradients: &gc)
        #expect(reportA.updateClipping == nil && reportB == reportA && !reportA.description.contains("update"))
        #expect(reportC.updateClipping?.outcome == .unchanged && reportC.updateClippedTensorCount == 0)
      }
      #expect(identical(a, b) && identical(a, c) && plain.state == none.state && plain.state == loose.state)
    }
  }

  @Test("Update clipping keeps the moments, and so the state and its checkpoint, of the plain optimizer")
  func stateUnchanged() throws {
    var generator = OptimizerTestGenerator(seed: 5)
    let shapes = [[4, 3], [6]]
    let start = generator.tensors(shapes, as: Double.self)
    let steps = (0..<3).map { _ in generator.tensors(shapes, scale: 3, as: Double.self) }
    for clipping in [UpdateClipping.rms(threshold: 0.1), .stableAdamW] {
      var plain = Adam<Double>(learningRate: 0.01, weightDecay: 0, amsgrad: true)
      var clipped = Adam<Double>(learningRate: 0.01, weightDecay: 0, amsgrad: true, updateClipping: clipping)
      var (a, b) = (start, start)
      for gradients in steps {
        var (ga, gb) = (gradients, gradients)
        try plain.step(values: &a, gradients: &ga)
        try clipped.step(values: &b, gradients: &gb)
      }
      #expect(plain.state == clipped.state, "\(clipping): the same moments")
      #expect(clipped.state.slotNames == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
      let names = ["w", "b"]
      #expect(plain.state.namedTensors(parameterNames: names) == clipped.state.namedTensors(parameterNames: names))
      #expect(!identical(a, b), "\(clipping) moved the parameters less")
    }
  }

  @Test(
    "Invalid RMS thresholds are typed errors naming the option; nothing is modified",
    arguments: [0, -1, Double.nan, .infinity, -Double.infinity])
  func invalidThreshold(_ threshold: Double) throws {
    let start: [[Float]] = [[1, 2], [3]]
    for decoupled in [false, true] {
      var values = start
      var gradients: [[Float]] = [[0.5, -0.5], [1]]
      var optimizer: any Optimizer<Float> =
        decoupled
        ? AdamW<Float>(updateClipping: .rms(threshold: threshold))
        : Adam<Float>(updateClipping: .rms(threshold: threshold))
      #expect {
        try optimizer.step(values: &values, gradients: &gradients)
      } throws: { error in
        guard case OptimizerError.invalidHyperparameter(let name, let value, _) = error else { return false }
        return name == "updateClipping.threshold" && (value == threshold || value.isNaN && threshold.isNaN)
      }
      #expect(values == start && gradients == [[0.5, -0.5], [1]] && optimizer.state == OptimizerState())
      var fusedValues = start
      #expect(throws: OptimizerError.self) {
        try optimizer.step(values: &fusedValues, gradients: gradients, gradientNorm: try gradients.totalNorm())
      }
      #expect(fusedValues == start && optimizer.state == OptimizerState())
    }
    let error = OptimizerError.invalidHyperparameter(
      name: "updateClipping.threshold", value: 0, requirement: "must be finite and > 0")
    let message = "\(error)"
    #expect(message == "updateClipping.threshold = 0.0 is invalid: must be finite and > 0")
  }

  @Test("Fused gradient clipping combines with update clipping: the same parameters and reports as the plain path")
  func fusedPath() throws {
    var generator = OptimizerTestGenerator(seed: 8)
    let shapes = [[5, 4], [9], [0], [33]]
    let start = generator.tensors(shapes, as: Float.self)
    for updateClipping in [UpdateClipping.rms(threshold: 0.5), .stableAdamW] {
      var plain = AdamW<Float>(learningRate: 0.01, clipping: .clipGradNorm(maxNorm: 10), updateClipping: updateClipping)
      var fused = plain
      var (plainValues, fusedValues) = (start, start)
      for step in 0..<4 {
        // A spike on step 3, so that StableAdamW scales too.
        let gradients = generator.tensors(shapes, scale: step == 2 ? 50 : 0.5, as: Float.self)
        var plainGradients = gradients
        let plainReport = try plain.step(values: &plainValues, gradients: &plainGradients)
        let fusedReport = try fused.step(
          values: &fusedValues, gradients: gradients, gradientNorm: gradients.totalNorm())
        #expect(fusedReport.fused && fusedReport.clipping == plainReport.clipping)
        let (p, f) = (try #require(plainReport.updateClipping), try #require(fusedReport.updateClipping))
        #expect(allClose([p.tensorNorms], [f.tensorNorms], absolute: 1e-5) && p.outcome == f.outcome)
        #expect(allClose(fusedValues, plainValues, relative: 1e-6), "\(updateClipping), step \(step + 1)")
        #expect(plainReport.clipped == (step == 2), "only the spike is clipped to norm 10")
        #expect(step != 2 || plainReport.updateClippedTensorCount > 0, "\(updateClipping) scales at the spike")
      }
      #expect(plain.state.stepCount == 4 && fused.state.stepCount == 4)
    }
  }

  @Test("A step's description names the update clipping")
  func description() throws {
    var adam = Adam<Double>(learningRate: 0.1, epsilon: 0.5, updateClipping: .rms(threshold: 0.5))
    let (_, report) = try run(&adam, from: [[1, 1], [0.5]], [[[1, -2], [0.25]]])
    let text = try #require(report).description
    #expect(text.hasPrefix("step 1, lr 0.1; update clipping: 1 of 2 tensors scaled, smallest coefficient 0.67"))
    #expect(UpdateClipping.rms(threshold: 2).description == "rms(threshold: 2.0)")
    #expect("\(UpdateClipping.stableAdamW) \(UpdateClipping.none)" == "stableAdamW none")
  }

  @Test("StableAdamW with epsilon 0 and a zero gradient: the 0 / 0 terms of the RMS count 0, not NaN")
  func zeroEpsilon() throws {
    var adamw = AdamW<Float>(learningRate: 0.1, epsilon: 0, weightDecay: 0, updateClipping: .stableAdamW)
    var values: [[Float]] = [[1, 2, 3], [4]]
    var gradients: [[Float]] = [[0.5, 0, -1], [2]]
    var report = try adamw.step(values: &values, gradients: &gradients)
    #expect(report.updateClipping?.tensorNorms.allSatisfy(\.isFinite) == true)
    var plain = AdamW<Float>(learningRate: 0.1, epsilon: 0, weightDecay: 0)
    var plainValues: [[Float]] = [[1, 2, 3], [4]]
    var plainGradients: [[Float]] = [[0.5, 0, -1], [2]]
    try plain.step(values: &plainValues, gradients: &plainGradients)
    #expect(values[0][1].isNaN && plainValues[0][1].isNaN, "0 / (0 + 0) in the update itself, as in plain Adam")
    #expect(values[0][0] == plainValues[0][0] && values[1] == plainValues[1])
    gradients = [[0, 0, 0], [0]]
    report = try adamw.step(values: &values, gradients: &gradients)
    #expect(report.updateClipping?.tensorNorms == [0, 0])
  }
}

/// Scalar references of both update clippings, element by element from the formulas of
/// ``UpdateClipping``, in `Double`, compared with the vectorised kernels over several steps.
@Suite("Optimizer update clipping against a scalar reference")
struct OptimizerUpdateClippingReferenceTests {
  struct Configuration: Sendable, CustomTestStringConvertible {
    let clipping: UpdateClipping
    let decoupled: Bool
    let amsgrad: Bool
    var testDescription: String { "\(clipping) \(decoupled ? "AdamW" : "Adam")\(amsgrad ? " AMSGrad" : "")" }
  }

  static let configurations: [Configuration] = [UpdateClipping.rms(threshold: 0.3), .stableAdamW].flatMap { clipping in
    [(false, false), (true, false), (false, true)].map { Configuration(clipping: clipping, decoupled: $0, amsgrad: $1) }
  }

  private let lr = 0.01
  private let beta1 = 0.9
  private let beta2 = 0.95
  private let eps = 1e-6
  private let decay = 0.1

  /// One step of the reference over every tensor.
  private func referenceStep(
    _ configuration: Configuration, p: inout [[Double]], m: inout [[Double]], v: inout [[Double]],
    vMax: inout [[Double]], g: [[Double]], t: Int
  ) {
    let (bc1, bc2) = (1 - pow(beta1, Double(t)), 1 - pow(beta2, Double(t)))
    for k in p.indices where !p[k].isEmpty {
      let grad = p[k].indices.map { i in configuration.decoupled ? g[k][i] : g[k][i] + decay * p[k][i] }
      for i in p[k].indices {
        m[k][i] = beta1 * m[k][i] + (1 - beta1) * grad[i]
        v[k][i] = beta2 * v[k][i] + (1 - beta2) * grad[i] * grad[i]
        vMax[k][i] = max(vMax[k][i], v[k][i])
      }
      let vHat = p[k].indices.map { i in (configuration.amsgrad ? vMax[k][i] : v[k][i]) / bc2 }
      let u = p[k].indices.map { i in m[k][i] / bc1 / (vHat[i].squareRoot() + eps) }
      let n = Double(p[k].count)
      var (rate, stepRate) = (lr, lr)
      switch configuration.clipping {
      case .rms(let threshold):
        let squares: [Double] = u.map { $0 * $0 }
        let rms = (squares.reduce(0, +) / n).squareRoot()
        stepRate = lr / max(1, rms / threshold)
      case .stableAdamW:
        let ratios: [Double] = p[k].indices.map { i in grad[i] * grad[i] / max(vHat[i], eps * eps) }
        let rms = (ratios.reduce(0, +) / n).squareRoot()
        rate = lr / max(1, rms)
        stepRate = rate
      case .none: break
      }
      for i in p[k].indices {
        if configuration.decoupled { p[k][i] *= 1 - rate * decay }
        p[k][i] -= stepRate * u[i]
      }
    }
  }

  private func optimizer<S: GradientScalar>(_ configuration: Configuration, _: S.Type) -> any Optimizer<S> {
    configuration.decoupled
      ? AdamW<S>(
        learningRate: .constant(lr), betas: (beta1, beta2), epsilon: eps, weightDecay: decay,
        amsgrad: configuration.amsgrad, updateClipping: configuration.clipping)
      : Adam<S>(
        learningRate: .constant(lr), betas: (beta1, beta2), epsilon: eps, weightDecay: decay,
        amsgrad: configuration.amsgrad, updateClipping: configuration.clipping)
  }

  private func compare<S: GradientScalar>(_ configuration: Configuration, _: S.Type, relative: Double) throws {
    var generator = OptimizerTestGenerator(seed: 99)
    let shapes = [[7, 5], [3], [0, 4], [40]]
    let start = generator.tensors(shapes, as: S.self)
    var optimizer = optimizer(configuration, S.self)
    var values = start
    var p = start.map { $0.elements.map { Double($0) } }
    var (m, v, vMax) = (p.map { $0.map { _ in 0.0 } }, p.map { $0.map { _ in 0.0 } }, p.map { $0.map { _ in 0.0 } })
    var scaledTensors = 0
    for t in 1...6 {
      // Every third step a spike: both methods then scale some tensors.
      var gradients = generator.tensors(shapes, scale: t % 3 == 0 ? 20 : 0.2, as: S.self)
      let g = gradients.map { $0.elements.map { Double($0) } }
      scaledTensors += try optimizer.step(values: &values, gradients: &gradients).updateClippedTensorCount
      referenceStep(configuration, p: &p, m: &m, v: &v, vMax: &vMax, g: g, t: t)
    }
    let got = values.map { $0.elements.map { Double($0) } }
    let worst = zip(got.joined(), p.joined()).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? 0
    #expect(worst <= relative, "\(configuration) \(S.self): worst relative error \(worst)")
    #expect(scaledTensors > 0, "\(configuration) \(S.self): some steps were scaled")
  }

  @Test("Six steps with spikes match the reference", arguments: configurations)
  func matchesReference(_ configuration: Configuration) throws {
    try compare(configuration, Float.self, relative: 2e-5)
    try compare(configuration, Double.self, relative: 1e-12)
  }
}
