import GradientClipping
import Testing

@Suite("Clippers")
struct ClipperTests {
  @Test("PyTorch formula: the worked example 1..5 with max norm 3")
  func pytorchWorkedExample() throws {
    var gradients: [[Float]] = [[1, 2, 3, 4, 5]]
    let report = try GlobalNormClipper(maxNorm: 3).clip(&gradients)
    #expect(abs(report.norm - 7.416198487095663) < 1e-6)
    #expect(report.outcome == .clipped && report.clipped && !report.skipped)
    #expect(abs(report.coefficient - 3 / (7.416198487095663 + 1e-6)) < 1e-12)
    let expected: [Float] = [
      0.40451985597610474, 0.8090397119522095, 1.213559627532959, 1.618079423904419, 2.022599220275879,
    ]
    for (got, want) in zip(gradients[0], expected) { #expect(abs(got - want) <= 1e-6) }
  }

  @Test("PyTorch formula scales even exactly at the threshold; TensorFlow's does not")
  func atThreshold() throws {
    var torch: [[Double]] = [[3, 4]]
    let torchReport = try GlobalNormClipper(maxNorm: 5).clip(&torch)
    #expect(torchReport.outcome == .clipped)
    #expect(torch[0][0] < 3)
    var tensorflow: [[Double]] = [[3, 4]]
    let tensorflowReport = try GlobalNormClipper(maxNorm: 5, formula: .tensorflow).clip(&tensorflow)
    #expect(tensorflowReport.outcome == .unchanged && tensorflowReport.coefficient == 1)
    #expect(tensorflow == [[3, 4]])
  }

  @Test("epsilon is settable")
  func epsilon() throws {
    var gradients: [[Double]] = [[3, 4]]
    let report = try GlobalNormClipper(maxNorm: 1, formula: .pytorch(epsilon: 1)).clip(&gradients)
    #expect(report.coefficient == 1.0 / 6)
    #expect(gradients == [[0.5, 4.0 / 6]])
  }

  @Test("a coefficient of 1 leaves every bit as it was, -0 and subnormals included")
  func noPassWhenWithinThreshold() throws {
    var gradients: [[Float]] = [[-0.0, 1e-45, 0.5], [0.25]]
    let before = gradients.map { $0.map(\.bitPattern) }
    for clipper in [GlobalNormClipper(maxNorm: 10), GlobalNormClipper(maxNorm: 10, formula: .tensorflow)] {
      let report = try clipper.clip(&gradients)
      #expect(report.outcome == .unchanged && report.coefficient == 1)
    }
    #expect(try TensorNormClipper(maxNorm: 10).clip(&gradients).outcome == .unchanged)
    #expect(try BlockRMSClipper(threshold: 10).clip(&gradients).outcome == .unchanged)
    #expect(try ValueClipper(clipValue: 10).clip(&gradients).outcome == .unchanged)
    #expect(gradients.map { $0.map(\.bitPattern) } == before)
  }

  @Test("per-tensor norm clipping scales each tensor by its own factor")
  func perTensor() throws {
    var gradients: [[Float]] = [[3, 4], [0.3, 0.4], [], [0, 0]]
    let report = try TensorNormClipper(maxNorm: 1).clip(&gradients)
    #expect(gradients[0] == [0.6, 0.8])
    #expect(gradients[1] == [0.3, 0.4])
    #expect(gradients[3] == [0, 0])
    #expect(report.tensorNorms.count == 4 && report.tensorNorms[0] == 5)
    #expect(report.tensorCoefficients[0] == 0.2 && report.tensorCoefficients[1] == 1)
    #expect(report.coefficient == 0.2 && report.outcome == .clipped)
    #expect(abs(report.norm - (25.25).squareRoot()) < 1e-6)
  }

  @Test("per-tensor clipping with max norm 0 zeroes non-zero tensors and keeps zero ones")
  func perTensorZeroThreshold() throws {
    var gradients: [[Double]] = [[1, -2], [0, 0]]
    _ = try TensorNormClipper(maxNorm: 0).clip(&gradients)
    #expect(gradients == [[0, -0.0], [0, 0]])
  }

  @Test("block RMS clipping divides by max(1, rms / threshold)")
  func blockRMS() throws {
    var gradients: [[Double]] = [[3, -3, 3, -3], [0.1, 0.1], []]
    let report = try BlockRMSClipper(threshold: 1).clip(&gradients)
    #expect(gradients[0] == [1, -1, 1, -1])
    #expect(gradients[1] == [0.1, 0.1])
    #expect(report.tensorNorms[0] == 3 && report.tensorNorms[2] == 0)
    #expect(report.tensorCoefficients == [1.0 / 3, 1, 1])
  }

  @Test("value clipping clamps, keeps NaN, and clamps infinities")
  func valueClipping() throws {
    var gradients: [[Float]] = [[0.2, -3, 7, .nan, .infinity, -.infinity] + Array(repeating: 5, count: 40)]
    let report = try ValueClipper(clipValue: 1).clip(&gradients)
    #expect(Array(gradients[0][0..<3]) == [0.2, -1, 1])
    #expect(gradients[0][3].isNaN)
    #expect(gradients[0][4] == 1 && gradients[0][5] == -1)
    #expect(gradients[0][6...].allSatisfy { $0 == 1 })
    #expect(report.norm.isNaN && report.outcome == .propagatedNonFinite)
    var finite: [[Double]] = [[0.5, -4]]
    let finiteReport = try ValueClipper(clipValue: 2).clip(&finite)
    #expect(finiteReport.norm == 4 && finiteReport.coefficient == 0.5 && finiteReport.clipped)
    var zero: [[Float]] = [[1, -1, 0]]
    try ValueClipper(clipValue: 0).clip(&zero)
    #expect(zero == [[0, 0, 0]])
  }

  @Test(
    "invalid thresholds throw an error naming the argument, and nothing is modified",
    arguments: [-1, Double.nan, .infinity, -Double.infinity])
  func invalidThresholds(value: Double) {
    let original: [[Float]] = [[10, 20], [30]]
    var gradients = original
    expectInvalid("maxNorm", value) { try GlobalNormClipper(maxNorm: value).clip(&gradients) }
    expectInvalid("maxNorm", value) { try GlobalNormClipper(maxNorm: value, formula: .tensorflow).clip(&gradients) }
    expectInvalid("epsilon", value) {
      try GlobalNormClipper(maxNorm: 1, formula: .pytorch(epsilon: value)).clip(&gradients)
    }
    expectInvalid("maxNorm", value) { try TensorNormClipper(maxNorm: value).clip(&gradients) }
    expectInvalid("clipValue", value) { try ValueClipper(clipValue: value).clip(&gradients) }
    expectInvalid("clipValue", value) { try ValueClipper(clipValue: value).clipWithoutReport(&gradients) }
    expectInvalid("threshold", value) { try BlockRMSClipper(threshold: value).clip(&gradients) }
    expectInvalid("maxNorm", value) { try clipGradNorm(&gradients, maxNorm: value) }
    #expect(gradients == original)
  }

  @Test("invalid norm orders throw, and nothing is modified", arguments: [0, -2, Double.nan])
  func invalidOrders(order: Double) {
    let original: [[Double]] = [[10, 20]]
    var gradients = original
    expectInvalid("order", order) { try GlobalNormClipper(maxNorm: 1, order: NormOrder(order)).clip(&gradients) }
    expectInvalid("order", order) { try TensorNormClipper(maxNorm: 1, order: NormOrder(order)).clip(&gradients) }
    #expect(gradients == original)
  }

  @Test("non-finite norms: error and skip modify nothing; propagate is PyTorch's behaviour")
  func nonFinitePolicies() throws {
    let withNaN: [[Float]] = [[1, .nan], [2]]
    let withInfinity: [[Float]] = [[.infinity, 1], [2]]
    for original in [withNaN, withInfinity] {
      var gradients = original
      #expect {
        try GlobalNormClipper(maxNorm: 1).clip(&gradients)
      } throws: { error in
        guard case .nonFiniteNorm(_, nil) = error as? ClippingError else { return false }
        return true
      }
      #expect(bits(gradients) == bits(original))
      let skipped = try GlobalNormClipper(maxNorm: 1, nonFinitePolicy: .skip).clip(&gradients)
      #expect(skipped.skipped && skipped.outcome == .skippedNonFinite && skipped.coefficient == 1)
      #expect(bits(gradients) == bits(original))
      #expect(throws: ClippingError.self) { try TensorNormClipper(maxNorm: 1).clip(&gradients) }
      #expect(throws: ClippingError.self) { try BlockRMSClipper(threshold: 1).clip(&gradients) }
      #expect(try TensorNormClipper(maxNorm: 1, nonFinitePolicy: .skip).clip(&gradients).skipped)
      #expect(bits(gradients) == bits(original))
    }
    var nan = withNaN
    let propagated = try GlobalNormClipper(maxNorm: 1, nonFinitePolicy: .propagate).clip(&nan)
    #expect(propagated.outcome == .propagatedNonFinite)
    #expect(nan.allSatisfy { $0.allSatisfy(\.isNaN) })
    var infinite = withInfinity
    _ = try GlobalNormClipper(maxNorm: 1, nonFinitePolicy: .propagate).clip(&infinite)
    #expect(infinite[0][0].isNaN && infinite[0][1] == 0 && infinite[1][0] == 0)
    var tensorflow = withInfinity
    _ = try clipByGlobalNorm(&tensorflow, clipNorm: 1)  // TensorFlow: NaN everywhere
    #expect(tensorflow.allSatisfy { $0.allSatisfy(\.isNaN) })
  }

  @Test("the per-tensor error names the tensor")
  func perTensorErrorNamesTensor() {
    var gradients: [[Double]] = [[1], [2], [.nan]]
    #expect {
      try TensorNormClipper(maxNorm: 1).clip(&gradients)
    } throws: { error in
      guard let error = error as? ClippingError, case .nonFiniteNorm(_, 2) = error else { return false }
      return error.description.contains("tensor 2")
    }
  }

  @Test("the two-step form equals the one-step form, and combines norms from several sets")
  func twoStep() throws {
    var random = TestRandom(seed: 11)
    let first = [random.floats(1000), random.floats(7)]
    let second = [random.floats(300)]
    var oneStep = first + second
    let clipper = GlobalNormClipper(maxNorm: 0.5)
    let report = try clipper.clip(&oneStep)
    var a = first
    var b = second
    let total = try GradientNorm(combining: [a.totalNorm(), b.totalNorm()])
    _ = try clipper.clip(&a, withNorm: total)
    let bReport = try clipper.clip(&b, withNorm: total)
    #expect(abs(bReport.norm - report.norm) <= 1e-6 * report.norm)
    for (got, want) in zip((a + b).joined(), oneStep.joined()) { #expect(abs(got - want) <= 1e-6 * abs(want) + 1e-12) }
    #expect(throws: ClippingError.self) { try clipper.clip(&a, withNorm: GradientNorm(value: 1, order: 1)) }
  }

  @Test("report(forNorm:as:) is what clip(_:withNorm:) reports, without gradients")
  func reportForNorm() throws {
    let torch = GlobalNormClipper(maxNorm: 1)
    let keras = GlobalNormClipper(maxNorm: 1, formula: .tensorflow)
    for clipper in [torch, keras] {
      for norm in [0.0, 0.5, 1.0, 1 + 1e-7, 4, 1e300] {
        var float: [[Float]] = [[Float(norm)]]
        var double: [[Double]] = [[norm]]
        let measured = try GradientNorm(value: norm)
        #expect(try clipper.report(forNorm: measured, as: Float.self) == clipper.clip(&float, withNorm: measured))
        #expect(try clipper.report(forNorm: measured, as: Double.self) == clipper.clip(&double, withNorm: measured))
      }
    }
    let four = try torch.report(forNorm: GradientNorm(value: 4), as: Float.self)
    #expect(four.outcome == .clipped && abs(four.coefficient - 1 / (4 + 1e-6)) <= 1e-15)
    // Just above the threshold: the coefficient rounds to 1 in Float, not in Double.
    let barely = try GradientNorm(value: 1 + 1e-9)
    #expect(try keras.report(forNorm: barely, as: Float.self).outcome == .unchanged)
    #expect(try keras.report(forNorm: barely, as: Double.self).outcome == .clipped)
    #expect(throws: ClippingError.self) { try torch.report(forNorm: GradientNorm(value: 1, order: 1), as: Float.self) }
    #expect(throws: ClippingError.self) { try torch.report(forNorm: GradientNorm(value: .nan), as: Float.self) }
    expectInvalid("maxNorm", -1) { try GlobalNormClipper(maxNorm: -1).report(forNorm: .zero, as: Float.self) }
  }

  @Test("validate() names the first invalid argument and accepts valid ones")
  func validateArguments() throws {
    try GlobalNormClipper(maxNorm: 0).validate()
    try GlobalNormClipper(maxNorm: 1, order: .infinity, formula: .tensorflow).validate()
    expectInvalid("maxNorm", .nan) { try GlobalNormClipper(maxNorm: .nan).validate() }
    expectInvalid("maxNorm", .infinity) { try GlobalNormClipper(maxNorm: .infinity).validate() }
    expectInvalid("epsilon", -1) { try GlobalNormClipper(maxNorm: 1, formula: .pytorch(epsilon: -1)).validate() }
  }

  @Test("empty sets and zero-size tensors work with every clipper")
  func emptySets() throws {
    var none: [[Float]] = []
    var zeroSize = try FlatGradientStorage<Double>(shapes: [[0], [3, 0]])
    for clipper in [
      GlobalNormClipper(maxNorm: 1) as any GradientClipper, TensorNormClipper(maxNorm: 1), ValueClipper(clipValue: 1),
      BlockRMSClipper(threshold: 1),
    ] {
      var clipper = clipper
      let report = try clipper.clip(&none)
      #expect(report.norm == 0 && report.outcome == .unchanged)
      #expect(try clipper.clip(&zeroSize).outcome == .unchanged)
    }
    #expect(try clipGradNorm(&none, maxNorm: 1) == 0)
  }

  @Test("PyTorch- and TensorFlow-style functions are the clippers")
  func frameworkFunctions() throws {
    var torch: [[Float]] = [[1, 2, 3, 4, 5]]
    var clipper: [[Float]] = torch
    #expect(try clipGradNorm(&torch, maxNorm: 3) == GlobalNormClipper(maxNorm: 3).clip(&clipper).norm)
    #expect(torch == clipper)
    var global: [[Double]] = [[3, 4]]
    #expect(try clipByGlobalNorm(&global, clipNorm: 1) == 5)
    #expect(close(global, [[0.6, 0.8]]))
    var perTensor: [[Double]] = [[3, 4], [0.1]]
    try clipByNorm(&perTensor, clipNorm: 1)
    #expect(close(perTensor, [[0.6, 0.8], [0.1]]))
    var rms: [[Double]] = [[3, -3]]
    try clipByBlockRMS(&rms, threshold: 1)
    #expect(rms == [[1, -1]])
    var values: [[Double]] = [[0.5, -2]]
    try clipGradValue(&values, clipValue: 1)
    #expect(values == [[0.5, -1]])
    #expect(try getTotalNorm([[3.0], [4.0]]) == 5)
    #expect(throws: ClippingError.self) { try getTotalNorm([[Double.nan]], errorIfNonfinite: true) }
    var withNorm: [[Double]] = [[3, 4]]
    try clipGradsWithNorm(&withNorm, maxNorm: 1, totalNorm: 5)
    #expect(abs(withNorm[0][0] - 0.6) < 1e-6)
    var nan: [[Float]] = [[.nan]]
    #expect(try clipGradNorm(&nan, maxNorm: 1).isNaN)  // PyTorch's default: propagate
  }

  private func expectInvalid(
    _ name: String, _ value: Double, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Any
  ) {
    #expect(sourceLocation: sourceLocation) {
      _ = try body()
    } throws: { error in
      guard case .invalidArgument(let argument, let given, _) = error as? ClippingError else { return false }
      return argument == name && given.bitPattern == value.bitPattern
    }
  }

  private func close(_ got: [[Double]], _ want: [[Double]]) -> Bool {
    got.count == want.count
      && zip(got, want).allSatisfy { got, want in
        got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) }
      }
  }

  private func bits(_ gradients: [[Float]]) -> [[UInt32]] { gradients.map { $0.map(\.bitPattern) } }
}
