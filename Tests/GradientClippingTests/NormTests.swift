import GradientClipping
import Testing

@Suite("Norms")
struct NormTests {
  static let orders: [NormOrder] = [1, 2, 3, 0.5, .infinity]

  @Test("matches the reference for every order, Float and Double", arguments: orders)
  func matchesReference(order: NormOrder) throws {
    var random = TestRandom(seed: 1)
    let floats = [random.floats(1000), random.floats(37, scale: 10), random.floats(70_000, scale: 0.01)]
    let doubles = [random.doubles(1000), random.doubles(37, scale: 10), random.doubles(70_000, scale: 0.01)]
    let floatNorm = try floats.totalNorm(order: order).value
    let doubleNorm = try doubles.totalNorm(order: order).value
    #expect(Reference.relativeError(floatNorm, Reference.norm(floats, order: order.value)) < 1e-6)
    #expect(Reference.relativeError(doubleNorm, Reference.norm(doubles, order: order.value)) < 1e-12)
  }

  @Test("per-tensor norms match the reference")
  func tensorNorms() throws {
    var random = TestRandom(seed: 2)
    let tensors = [random.floats(5), [], random.floats(100_000), [3, 4]]
    let norms = try tensors.tensorNorms().map(\.value)
    #expect(norms.count == 4)
    for (norm, tensor) in zip(norms, tensors) {
      #expect(Reference.relativeError(norm, Reference.norm([tensor], order: 2)) < 1e-6)
    }
    #expect(norms[1] == 0)
    #expect(norms[3] == 5)
  }

  @Test(
    "Float magnitudes from 1e-40 to 1e38 neither overflow nor underflow",
    arguments: [1e-40, 1e-30, 1e-20, 1, 1e19, 1e30, 1e38])
  func adversarialFloatMagnitudes(magnitude: Double) throws {
    var random = TestRandom(seed: 3)
    let tensors = [random.floats(2000, scale: magnitude), random.floats(3, scale: magnitude)]
    for order in Self.orders {
      let norm = try tensors.totalNorm(order: order).value
      let reference = Reference.norm(tensors, order: order.value)
      #expect(norm.isFinite && norm > 0)
      #expect(Reference.relativeError(norm, reference) < 1e-6, "order \(order), magnitude \(magnitude)")
    }
  }

  @Test(
    "underflowing Float blocks (scaled by a power of two and summed vectorised) stay exact, whole blocks and tails",
    arguments: [1e-18, 1e-25, 1e-30, 1e-36, 2e-38])
  func underflowingFloatBlocks(magnitude: Double) throws {
    var random = TestRandom(seed: 11)
    // 5000 values: two whole kernel blocks of 2048 and a partial one; a few values far below the rest.
    var values = random.floats(5000, scale: magnitude)
    for index in stride(from: 0, to: values.count, by: 97) { values[index] *= 1e-6 }
    let tensors = [values]
    let norm = try tensors.totalNorm().value
    #expect(Reference.relativeError(norm, Reference.norm(tensors, order: 2)) < 1e-6, "magnitude \(magnitude)")
    #expect(try tensors.totalNorm(parallelism: .threads(2)).value == norm, "the same bits on two threads")
  }

  @Test("a norm from a sum of squares equals the norm from its square root, and combines exactly")
  func fromSumOfSquares() throws {
    for sum in [0.0, 1e-300, 2.5e-7, 1, 25, 3.3e38, 1e300] {
      let norm = GradientNorm(sumOfSquares: sum)
      let root = sum.squareRoot()
      #expect(abs(norm.value - root) <= root.ulp, "\(sum)")
      #expect(norm.order == .two && norm.isFinite)
    }
    #expect(GradientNorm(sumOfSquares: .nan).value.isNaN)
    #expect(GradientNorm(sumOfSquares: .infinity).value == .infinity)
    let combined = try GradientNorm(combining: [GradientNorm(sumOfSquares: 9), GradientNorm(sumOfSquares: 16)])
    #expect(combined.value == 5)
    let huge = try GradientNorm(combining: [GradientNorm(sumOfSquares: 1e300), GradientNorm(value: 1e200)])
    #expect(abs(huge.value - 1e200 * (1 + 1e-100).squareRoot()) <= 1e200 * 1e-15)
  }

  @Test("mixed huge and tiny Float values in one set")
  func mixedMagnitudes() throws {
    let tensors: [[Float]] = [[3e38, -3e38, 1e-40], [1e-45, 2e-38], [1]]
    let norm = try tensors.totalNorm().value
    #expect(Reference.relativeError(norm, Reference.norm(tensors, order: 2)) < 1e-6)
    #expect(
      Reference.relativeError(
        try [[Float]]([[1e-40, 1e-40, 1e-45]]).totalNorm().value,
        Reference.norm([[Float(1e-40), 1e-40, 1e-45]], order: 2)) < 1e-6)
  }

  @Test("Double magnitudes from 1e-320 to 1e308")
  func adversarialDoubleMagnitudes() throws {
    for magnitude in [1e-320, 1e-300, 1e-160, 1, 1e160, 1e300, 1e308] {
      var random = TestRandom(seed: 4)
      let tensors = [random.doubles(1500, scale: magnitude)]
      for order in Self.orders {
        let norm = try tensors.totalNorm(order: order).value
        #expect(
          Reference.relativeError(norm, Reference.norm(tensors, order: order.value)) < 1e-12,
          "\(magnitude) \(order) got \(norm) want \(Reference.norm(tensors, order: order.value))")
      }
    }
  }

  @Test("a Double norm beyond the Double range is infinite, but clipping still scales correctly")
  func doubleNormBeyondRange() throws {
    var gradients: [[Double]] = [[1e308, 1e308, 1e308, 1e308]]
    let norm = try gradients.totalNorm()
    #expect(norm.value == .infinity)
    #expect(norm.isFinite)  // the gradients are finite: this is not a non-finite norm
    let report = try GlobalNormClipper(maxNorm: 1, formula: .tensorflow).clip(&gradients)
    #expect(report.outcome == .clipped)
    for value in gradients[0] { #expect(abs(value - 0.5) < 1e-15) }
  }

  @Test("NaN in gives NaN, infinity in gives infinity", arguments: NormTests.orders)
  func nonFinite(order: NormOrder) throws {
    var withNaN: [[Float]] = [[1, 2], [.nan, 3]]
    let withInfinity: [[Float]] = [[1, .infinity], [3]]
    let withBoth: [[Double]] = [[.infinity, 1], [.nan]]
    #expect(try withNaN.totalNorm(order: order).value.isNaN)
    #expect(try withInfinity.totalNorm(order: order).value == .infinity)
    #expect(try withBoth.totalNorm(order: order).value.isNaN)
    #expect(try !withNaN.totalNorm(order: order).isFinite)
    // A NaN far into a large tensor, past the vectorised blocks.
    withNaN = [Array(repeating: 1, count: 100_003)]
    withNaN[0][99_999] = .nan
    #expect(try withNaN.totalNorm(order: order).value.isNaN)
  }

  @Test("empty sets and zero-size tensors have norm 0")
  func empty() throws {
    let none: [[Float]] = []
    let zeroSize: [[Double]] = [[], []]
    let flat = try FlatGradientStorage<Float>(shapes: [[0, 3], [2, 0]])
    for order in Self.orders {
      #expect(try none.totalNorm(order: order).value == 0)
      #expect(try zeroSize.totalNorm(order: order).value == 0)
      #expect(try flat.totalNorm(order: order).value == 0)
      #expect(try flat.tensorNorms(order: order).map(\.value) == [0, 0])
    }
  }

  @Test("invalid orders are rejected, naming the argument", arguments: [0, -1, -Double.infinity, .nan])
  func invalidOrder(order: Double) {
    let gradients: [[Float]] = [[1]]
    #expect {
      try gradients.totalNorm(order: NormOrder(order))
    } throws: { error in
      guard case .invalidArgument(let name, _, _) = error as? ClippingError else { return false }
      return name == "order"
    }
  }

  @Test("the same bits on any number of threads", arguments: [NormOrder.one, .two, 3, .infinity])
  func threadIndependence(order: NormOrder) throws {
    var random = TestRandom(seed: 5)
    let arrays = [random.floats(300_001), random.floats(17), random.floats(140_000, scale: 1e20)]
    let flat = FlatGradientStorage(copying: arrays.map { GradientTensor($0) })
    let parallelisms: [Parallelism] = [.serial, .threads(2), .threads(3), .threads(8), .automatic]
    for gradients in [AnyNormSource(arrays), AnyNormSource(flat)] {
      let norms = try parallelisms.map { try gradients.norm(order, $0).bitPattern }
      #expect(Set(norms).count == 1, "\(norms)")
      let perTensor = try parallelisms.map { try gradients.tensorNorms(order, $0).map(\.bitPattern) }
      #expect(Set(perTensor).count == 1)
    }
  }

  @Test(
    "the norm of one buffer has the bits of the norm of a set holding it",
    arguments: [NormOrder.one, .two, 3, .infinity])
  func oneBufferNorm(order: NormOrder) throws {
    var random = TestRandom(seed: 9)
    var huge = random.floats(140_001, scale: 1e20)
    huge[70_000] = 3e38
    let buffers: [[Float]] = [[], [2], random.floats(300_001), random.floats(65_536 * 2 + 5, scale: 1e-30), huge]
    for values in buffers {
      let set = try [values].totalNorm(order: order).value
      let one = try values.withUnsafeBufferPointer { try GradientNorm(of: $0, order: order) }.value
      #expect(one.bitPattern == set.bitPattern, "\(values.count) values: \(one) vs \(set)")
    }
    let doubles = random.doubles(100_003, scale: 1e300)
    let one = try doubles.withUnsafeBufferPointer { try GradientNorm(of: $0, order: order) }.value
    #expect(one.bitPattern == (try [doubles].totalNorm(order: order).value).bitPattern)
    let withNaN: [Float] = [1, .nan, .infinity]
    #expect(try withNaN.withUnsafeBufferPointer { try GradientNorm(of: $0, order: order) }.value.isNaN)
    #expect(throws: ClippingError.self) { try withNaN.withUnsafeBufferPointer { try GradientNorm(of: $0, order: 0) } }
  }

  @Test("thousands of tiny tensors")
  func manyTinyTensors() throws {
    var random = TestRandom(seed: 6)
    let tensors = (0..<5000).map { index in random.floats(index % 4) }
    let norm = try tensors.totalNorm().value
    #expect(Reference.relativeError(norm, Reference.norm(tensors, order: 2)) < 1e-6)
    let flat = FlatGradientStorage(copying: tensors.map { GradientTensor($0) })
    #expect(Reference.relativeError(try flat.totalNorm().value, norm) < 1e-6)
    #expect(try flat.tensorNorms().count == 5000)
  }

  @Test("one huge tensor")
  func hugeTensor() throws {
    var gradients = try FlatGradientStorage<Float>(shapes: [[4096, 4096]], repeating: 0.5)
    gradients.withMutableElements(ofTensor: 0) { $0[12345] = 3e30 }
    let norm = try gradients.totalNorm().value
    let exact = (Double(4096 * 4096 - 1) * 0.25 + 9e60).squareRoot()
    #expect(Reference.relativeError(norm, exact) < 1e-6)
  }

  @Test("combining norms gives the norm of the union")
  func combining() throws {
    var random = TestRandom(seed: 7)
    let first = [random.floats(1000, scale: 1e30)]
    let second = [random.floats(10), random.floats(3)]
    for order in Self.orders {
      let combined = try GradientNorm(combining: [first.totalNorm(order: order), second.totalNorm(order: order)])
      let whole = try (first + second).totalNorm(order: order)
      #expect(Reference.relativeError(combined.value, whole.value) < 1e-6)
    }
    #expect(throws: ClippingError.self) {
      try GradientNorm(combining: [first.totalNorm(order: 1), second.totalNorm(order: 2)])
    }
    #expect(try GradientNorm(combining: []).value == 0)
  }

  @Test("a norm from a number keeps its value")
  func normFromValue() throws {
    for value in [0, 1e-300, 3.5, 1e300, Double.infinity] {
      #expect(try GradientNorm(value: value).value == value)
      #expect(try GradientNorm(value: value, order: 1).value == value)
      #expect(try GradientNorm(value: value, order: .infinity).value == value)
    }
    #expect(try GradientNorm(value: .nan).value.isNaN)
    #expect(throws: ClippingError.self) { try GradientNorm(value: -1) }
  }
}

/// Norm calls on either storage, for tests that run both.
struct AnyNormSource {
  let norm: (NormOrder, Parallelism) throws -> Double
  let tensorNorms: (NormOrder, Parallelism) throws -> [Double]

  init<G: GradientSet>(_ gradients: G) {
    norm = { try gradients.totalNorm(order: $0, parallelism: $1).value }
    tensorNorms = { try gradients.tensorNorms(order: $0, parallelism: $1).map(\.value) }
  }
}
