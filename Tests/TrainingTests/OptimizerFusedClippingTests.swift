import GradientClipping
import Testing

@testable import Training

/// Clipping that costs nothing: with a precomputed global norm, the coefficient applied inside
/// the update gives the parameters of the plain path (clip in place, then update).
@Suite("Fused clipping")
struct OptimizerFusedClippingTests {
  private static let shapes = [[4, 5], [7], [], [0, 3], [2, 3, 3], [40]]

  /// Runs three steps both ways and compares; `scale` makes the gradients' norm large enough to clip.
  private func compare<S: GradientScalar>(
    _ fixture: OptimizerFixture, _: S.Type, clipper: GlobalNormClipper, scale: Double = 3
  ) throws {
    var generator = OptimizerTestGenerator(seed: 42)
    let start = generator.tensors(Self.shapes, as: S.self)
    var plain = fixture.make(S.self, clipping: ClippingConfiguration([clipper]))
    var fused = fixture.make(S.self, clipping: ClippingConfiguration([clipper]))
    var plainValues = start
    var fusedValues = start
    for _ in 0..<3 {
      let gradients = generator.tensors(Self.shapes, scale: scale, as: S.self)
      var plainGradients = gradients
      let plainReport = try plain.step(values: &plainValues, gradients: &plainGradients)
      let norm = try gradients.totalNorm(order: clipper.order)
      let fusedReport = try fused.step(values: &fusedValues, gradients: gradients, gradientNorm: norm)
      #expect(fusedReport.fused && !plainReport.fused)
      #expect(fusedReport.clipping == plainReport.clipping, "\(fixture): the same clipping decision")
      #expect(plainReport.clipped == (scale > 1))
      #expect(allClose(fusedValues, plainValues, relative: 1e-6), "\(fixture) \(S.self)")
      #expect(fused.state.stepCount == plain.state.stepCount)
    }
  }

  @Test("Fused equals unfused within 1e-6 relative, PyTorch's formula", arguments: OptimizerFixture.allCases)
  func pytorchFormula(_ fixture: OptimizerFixture) throws {
    try compare(fixture, Float.self, clipper: GlobalNormClipper(maxNorm: 1))
    try compare(fixture, Double.self, clipper: GlobalNormClipper(maxNorm: 1))
  }

  @Test("Fused equals unfused within 1e-6 relative, TensorFlow's formula", arguments: OptimizerFixture.allCases)
  func tensorflowFormula(_ fixture: OptimizerFixture) throws {
    try compare(fixture, Float.self, clipper: GlobalNormClipper(maxNorm: 0.5, formula: .tensorflow))
    try compare(fixture, Double.self, clipper: GlobalNormClipper(maxNorm: 0.5, formula: .tensorflow))
  }

  @Test("Fused equals unfused when nothing is clipped, and with another norm order")
  func unclippedAndOtherOrder() throws {
    try compare(.adam, Float.self, clipper: GlobalNormClipper(maxNorm: 100), scale: 0.1)
    try compare(.sgdMomentum, Double.self, clipper: GlobalNormClipper(maxNorm: 1, order: .infinity))
    try compare(.rmsprop, Float.self, clipper: GlobalNormClipper(maxNorm: 2, order: 1))
  }

  @Test("The fused path gives the same bits as the plain one")
  func bitIdentical() throws {
    var generator = OptimizerTestGenerator(seed: 3)
    let start = generator.tensors(Self.shapes, as: Float.self)
    let gradients = generator.tensors(Self.shapes, scale: 5, as: Float.self)
    for fixture in OptimizerFixture.allCases {
      var plain = fixture.make(Float.self, clipping: .clipGradNorm(maxNorm: 1))
      var fused = plain
      var (plainValues, fusedValues, plainGradients) = (start, start, gradients)
      try plain.step(values: &plainValues, gradients: &plainGradients)
      try fused.step(values: &fusedValues, gradients: gradients, gradientNorm: try gradients.totalNorm())
      #expect(identical(plainValues, fusedValues), "\(fixture)")
    }
  }

  @Test("The fused path leaves the gradients unscaled")
  func gradientsUnscaled() throws {
    var values: [[Float]] = [[1, 1]]
    let gradients: [[Float]] = [[3, 4]]
    var sgd = SGD<Float>(
      learningRate: 1, clipping: ClippingConfiguration([GlobalNormClipper(maxNorm: 1, formula: .tensorflow)]))
    let report = try sgd.step(values: &values, gradients: gradients, gradientNorm: try gradients.totalNorm())
    #expect(gradients == [[3, 4]])
    #expect(values == [[1 - 0.6, 1 - 0.8]])
    #expect(report.clipping.first?.coefficient == 0.2)
  }

  @Test("Without clipping, the norm only guards against non-finite gradients")
  func noClipping() throws {
    var values: [[Double]] = [[1]]
    var sgd = SGD<Double>(learningRate: 0.5)
    let report = try sgd.step(values: &values, gradients: [[2.0]], gradientNorm: try GradientNorm(value: 2))
    #expect(values == [[0]] && report.clipping.isEmpty && report.fused)
  }

  @Test("A chain that is not one global-norm clipper cannot be fused, and nothing is modified")
  func unsupportedChain() throws {
    var values: [[Float]] = [[1, 2]]
    let gradients: [[Float]] = [[3, 4]]
    for clipping in [
      ClippingConfiguration.clipGradValue(1), try ClippingConfiguration(clipNorm: 1),
      .chain(GlobalNormClipper(maxNorm: 1), ValueClipper(clipValue: 1)),
    ] {
      var sgd = SGD<Float>(learningRate: 1, momentum: 0.9, clipping: clipping)
      #expect {
        try sgd.step(values: &values, gradients: gradients, gradientNorm: try gradients.totalNorm())
      } throws: { error in
        guard case OptimizerError.fusedClippingUnsupported = error else { return false }
        return true
      }
      #expect(values == [[1, 2]] && sgd.state == OptimizerState())
    }
    var skipping = SGD<Float>(learningRate: 1, clipping: .clipGradValue(1), nonFinitePolicy: .skip)
    #expect(throws: OptimizerError.self, "checked before the non-finite policy") {
      try skipping.step(values: &values, gradients: gradients, gradientNorm: try GradientNorm(value: .nan))
    }
    #expect(skipping.state.skippedStepCount == 0)
  }

  @Test("An invalid clipper argument is refused before the non-finite policy, and nothing is modified")
  func invalidArgument() throws {
    var values: [[Float]] = [[1, 2]]
    let gradients: [[Float]] = [[3, 4]]
    var sgd = SGD<Float>(learningRate: 1, clipping: .clipGradNorm(maxNorm: -1), nonFinitePolicy: .skip)
    for norm in [try GradientNorm(value: 5), try GradientNorm(value: .nan)] {
      #expect {
        try sgd.step(values: &values, gradients: gradients, gradientNorm: norm)
      } throws: { error in
        guard case OptimizerError.clipping(.invalidArgument(let name, _, _)) = error else { return false }
        return name == "maxNorm"
      }
    }
    #expect(values == [[1, 2]] && sgd.state == OptimizerState())
  }

  @Test("A norm of another order than the clipper's is refused")
  func wrongOrder() throws {
    var values: [[Float]] = [[1, 2]]
    let gradients: [[Float]] = [[3, 4]]
    var sgd = SGD<Float>(learningRate: 1, clipping: .clipGradNorm(maxNorm: 1))
    #expect {
      try sgd.step(values: &values, gradients: gradients, gradientNorm: try gradients.totalNorm(order: .infinity))
    } throws: { error in
      guard case OptimizerError.clipping(.invalidArgument(let name, _, _)) = error else { return false }
      return name == "norm.order"
    }
    #expect(values == [[1, 2]] && sgd.stepCount == 0)
  }
}
