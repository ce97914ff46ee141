import Testing

@testable import GradientClipping
@testable import Training

/// The optimizer tests' values, from ``SplitMix64``, so that every test sees the same numbers.
struct OptimizerTestGenerator {
  private var source: SplitMix64

  init(seed: UInt64) { source = SplitMix64(seed: seed) }

  /// The next uniform number in [-1, 1).
  mutating func next() -> Double { source.symmetric() }

  /// Tensors of the given shapes, every element uniform in [-scale, scale).
  mutating func tensors<S: GradientScalar>(_ shapes: [[Int]], scale: Double = 1, as _: S.Type) -> [GradientTensor<S>] {
    shapes.map { shape in
      let count = shape.reduce(1, *)
      let elements = (0..<count).map { _ in S(next() * scale) }
      // The shape always matches the element count here.
      return (try? GradientTensor(shape: shape, elements: elements)) ?? GradientTensor(elements)
    }
  }
}

/// Every optimizer configuration the shared tests run, with hyperparameters that exercise each
/// branch of its update rule.
enum OptimizerFixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sgd, sgdMomentum, sgdNesterovDecay, sgdDampening, kerasSGD, kerasSGDNesterovDecay
  case adam, adamDecayAMSGrad, adamW, rmsprop, rmspropCenteredMomentum, adagrad

  var testDescription: String { rawValue }

  /// The optimizer, with `clipping`.
  func make<S: GradientScalar>(_: S.Type, clipping: ClippingConfiguration = .none) -> any Optimizer<S> {
    switch self {
    case .sgd: return SGD<S>(learningRate: 0.1, clipping: clipping)
    case .sgdMomentum: return SGD<S>(learningRate: 0.05, momentum: 0.9, clipping: clipping)
    case .sgdNesterovDecay:
      return SGD<S>(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01, clipping: clipping)
    case .sgdDampening: return SGD<S>(learningRate: 0.05, momentum: 0.9, dampening: 0.3, clipping: clipping)
    case .kerasSGD: return SGD<S>.keras(learningRate: 0.1, momentum: 0.9, clipping: clipping)
    case .kerasSGDNesterovDecay:
      return SGD<S>.keras(learningRate: 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.02, clipping: clipping)
    case .adam: return Adam<S>(learningRate: 0.01, clipping: clipping)
    case .adamDecayAMSGrad: return Adam<S>(learningRate: 0.01, weightDecay: 0.1, amsgrad: true, clipping: clipping)
    case .adamW: return AdamW<S>(learningRate: 0.01, weightDecay: 0.1, clipping: clipping)
    case .rmsprop: return RMSprop<S>(learningRate: 0.01, clipping: clipping)
    case .rmspropCenteredMomentum:
      return RMSprop<S>(learningRate: 0.01, weightDecay: 0.01, momentum: 0.9, centered: true, clipping: clipping)
    case .adagrad:
      return Adagrad<S>(
        learningRate: 0.1, learningRateDecay: 0.1, weightDecay: 0.01, initialAccumulatorValue: 0.1, clipping: clipping)
    }
  }
}

/// Whether every element of `got` is within `relative` of `want` (relative to `want`).
func allClose<S: GradientScalar>(_ got: [GradientTensor<S>], _ want: [GradientTensor<S>], relative: Double) -> Bool {
  guard got.map(\.shape) == want.map(\.shape) else { return false }
  return zip(got, want).allSatisfy { a, b in
    zip(a.elements, b.elements).allSatisfy { x, y in abs(Double(x) - Double(y)) <= relative * abs(Double(y)) }
  }
}

/// Whether every element of `got` is within `tolerance` of `want`.
func allClose(_ got: [[Double]], _ want: [[Double]], absolute tolerance: Double) -> Bool {
  got.count == want.count
    && zip(got, want).allSatisfy { a, b in
      a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }
}

/// Bitwise equality, every NaN equal to every NaN.
func identical<S: GradientScalar>(_ a: [GradientTensor<S>], _ b: [GradientTensor<S>]) -> Bool {
  a.map(\.shape) == b.map(\.shape)
    && zip(a, b).allSatisfy { x, y in
      zip(x.elements, y.elements).allSatisfy { ($0.isNaN && $1.isNaN) || ($0 == $1 && $0.sign == $1.sign) }
    }
}
