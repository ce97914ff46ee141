import GradientClipping
import Testing

@testable import Training

@Suite("Autodiff")
struct AutodiffTests {
  @Test("gradients accumulate across backward calls until zeroed")
  func accumulation() {
    let store = ParameterStore<Float>()
    let x = store.makeParameter(name: "x", shape: [2], values: [1, 2])
    (x.value * x.value).sum().backward()
    #expect(store.gradient(of: x) == [2, 4])
    (x.value * x.value).sum().backward()
    #expect(store.gradient(of: x) == [4, 8])
    store.zeroGradients()
    #expect(store.gradient(of: x) == [0, 0])
  }

  @Test("no-gradient mode records nothing")
  func noGradientMode() {
    let store = ParameterStore<Float>()
    let x = store.makeParameter(name: "x", shape: [2], values: [1, 2])
    let y = GradientMode.withoutGradients { (x.value * 2).sum() }
    #expect(!y.requiresGradient && y.scalar == 6)
    #expect((x.value * 2).sum().requiresGradient)
  }

  @Test("all gradients of a model live in one buffer that the core's clippers clip")
  func gradientsInOnePlace() throws {
    var generator = SeededGenerator(seed: 3)
    let store = ParameterStore<Float>()
    let layer = Linear(inputSize: 3, outputSize: 2, store: store, name: "fc", generator: &generator)
    let x = Tensor<Float>(shape: [4, 3], scalars: (0..<12).map { Float($0) })
    Loss.meanSquaredError(layer(x), Tensor(zeros: [4, 2])).backward()
    var gradients = store.gradients
    #expect(gradients.tensorCount == 2 && gradients.name(ofTensor: 0) == "fc.weight")
    gradients.withTensorBuffers { #expect($0.contiguous?.count == 8) }
    let report = try GlobalNormClipper(maxNorm: 0.1).clip(&gradients)
    #expect(report.clipped)
    #expect(abs(try store.gradients.totalNorm().value - 0.1) < 1e-6)
    #expect(store.gradientNorms().keys.sorted() == ["fc.bias", "fc.weight"])
  }

  @Test("the same seed gives the same initial values")
  func seededInitialisation() {
    func weights(seed: UInt64) -> [Float] {
      var generator = SeededGenerator(seed: seed)
      let store = ParameterStore<Float>()
      return Linear(inputSize: 5, outputSize: 3, store: store, name: "l", generator: &generator).weight.values
    }
    #expect(weights(seed: 9) == weights(seed: 9))
    #expect(weights(seed: 9) != weights(seed: 10))
    #expect(weights(seed: 9).allSatisfy { abs($0) <= 1 / Float(5).squareRoot() })
  }
}

@Suite("Norms measured by backward")
struct MeasuredNormTests {
  @Test("the norm measured during backward equals the norm of the gradients")
  func measuredNorm() throws {
    var generator = SeededGenerator(seed: 8)
    let store = ParameterStore<Double>()
    let first = Linear(inputSize: 4, outputSize: 8, store: store, name: "a", generator: &generator)
    let second = Linear(inputSize: 8, outputSize: 2, store: store, name: "b", generator: &generator)
    let x = Tensor<Double>(shape: [3, 4], scalars: (0..<12).map { Double($0) / 7 })
    store.zeroGradients()
    for _ in 0..<2 {  // accumulation over two passes
      Loss.meanSquaredError(second(first(x).tanh()), Tensor(zeros: [3, 2])).backward()
    }
    let measured = store.gradientNorm().value
    let direct = try store.gradients.totalNorm().value
    #expect(abs(measured - direct) <= 1e-12 * direct)
    var gradients = store.gradients
    _ = try GlobalNormClipper(maxNorm: direct / 2).clip(&gradients)  // changes them outside backward
    #expect(abs(store.gradientNorm().value - direct / 2) <= 1e-6 * direct)
  }
}

@Suite("Norms measured inside the matrix multiplies")
struct FusedMeasureTests {
  /// A two-layer Float network big enough for the C kernels and two threads, the second layer
  /// applied twice (its weight gets two contributions), and its gradients after one backward.
  private static func gradients(
    threads: Int?, measuring: Bool = true, nanInput: Bool = false
  ) throws -> (
    measured: [GradientNorm], exact: [GradientNorm]
  ) {
    let previous = EngineThreads.maxThreads
    defer { EngineThreads.maxThreads = previous }
    EngineThreads.maxThreads = threads
    var generator = SeededGenerator(seed: 21)
    let store = ParameterStore<Float>()
    store.measuresGradientNorms = measuring
    let first = Linear<Float>(inputSize: 64, outputSize: 256, store: store, name: "a", generator: &generator)
    let second = Linear<Float>(inputSize: 256, outputSize: 256, store: store, name: "b", generator: &generator)
    let third = Linear<Float>(inputSize: 256, outputSize: 10, store: store, name: "c", generator: &generator)
    var scalars: [Float] = (0..<(128 * 64)).map { index in Float((index * 37) % 101) / 50 - 1 }
    if nanInput { scalars[5] = .nan }
    let x = Tensor<Float>(shape: [128, 64], scalars: scalars)
    store.zeroGradients()
    let hidden = second(second(first(x).relu()).tanh())
    Loss.meanSquaredError(third(hidden), Tensor(zeros: [128, 10])).backward()
    return (store.parameterGradientNorms(), try store.gradients.tensorNorms())
  }

  @Test("each measured norm equals the exact norm of the gradient within 1e-6, fused or not")
  func measuredEqualsExact() throws {
    for measuring in [true, false] {
      let (measured, exact) = try Self.gradients(threads: nil, measuring: measuring)
      for (got, want) in zip(measured, exact) {
        #expect(abs(got.value - want.value) <= 1e-6 * want.value, "\(got.value) vs \(want.value)")
      }
    }
  }

  @Test("the measured norms have the same bits on one thread and on several")
  func threadIndependence() throws {
    let serial = try Self.gradients(threads: 1).measured.map(\.value.bitPattern)
    let parallel = try Self.gradients(threads: 4).measured.map(\.value.bitPattern)
    #expect(serial == parallel)
  }

  @Test("a NaN in the input makes the measured norms NaN")
  func nanPropagates() throws {
    let (measured, _) = try Self.gradients(threads: nil, nanInput: true)
    #expect(measured.contains { $0.value.isNaN })
    #expect(measured.allSatisfy { !$0.value.isFinite || $0.value >= 0 })
  }
}
