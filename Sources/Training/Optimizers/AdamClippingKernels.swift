import GradientClipping

/// The two passes of ``Adam`` and ``AdamW`` with update clipping (see ``UpdateClipping``): the
/// first updates the moments and measures the tensor, the second updates the parameters with
/// the tensor's step size. Every value the second pass computes is the same bits as the one-pass
/// kernel's, so an unscaled step is the plain update.
extension AdamKernels {
  /// What the first pass sums.
  enum Measure<S: GradientScalar> {
    /// `(m / denominator)^2`, the square of the update before its `1 / (1 - beta1^t)` factor.
    case update
    /// `g^2 / max(v / (1 - beta2^t), floor)`, StableAdamW's ratio (`floor = epsilon^2`).
    case gradientRatio(biasCorrection2: S, floor: S)
  }

  /// The number of vector blocks summed in the scalar type before the sum is carried into a
  /// `Double` (32 blocks: 512 `Float`s, 256 `Double`s).
  private static let carryBlocks = 32

  /// Updates the moments of one tensor (as ``update(_:average:squareAverage:largestSquareAverage:_:)``
  /// does) and returns the sum `measure` asks for, over the tensor's elements. The values are
  /// not written.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func updateMoments<S: GradientScalar>(
    _ tensor: TensorUpdate<S>, average: UnsafeMutablePointer<S>, squareAverage: UnsafeMutablePointer<S>,
    largestSquareAverage: UnsafeMutablePointer<S>?, _ parameters: Parameters<S>, measuring measure: Measure<S>
  ) -> Double {
    let (p, g) = (KernelBuffer(tensor.values), KernelBuffer(tensor.gradients))
    let (m, v, vMax) = (KernelBuffer(average), KernelBuffer(squareAverage), largestSquareAverage.map(KernelBuffer.init))
    let constants = Constants(parameters)
    let lerp = Lerp(weight: parameters.lerpWeight)
    var accumulator = Accumulator<S>()
    KernelMath.forEachBlock(of: S.self, count: tensor.count) { offset, length in
      var gradient = g.load(offset, length) * constants.scale
      if constants.decays { gradient = gradient + constants.l2 * (p.load(offset, length) * constants.shrink) }
      let (first, second) = advanceMoments(
        gradient, m: m, v: v, vMax: vMax, offset, length, constants: constants, lerp: lerp)
      let term = Self.term(measure, gradient: gradient, first: first, second: second, constants)
      accumulator.add(term, length: length)
    }
    return accumulator.total
  }

  /// The summand of `measure` for one block.
  @inline(__always)
  private static func term<S: GradientScalar>(
    _ measure: Measure<S>, gradient: S.Vector, first: S.Vector, second: S.Vector, _ constants: Constants<S>
  ) -> S.Vector {
    switch measure {
    case .update:
      let update = first / (KernelMath.squareRoot(second) / constants.biasCorrection2Root + constants.epsilon)
      return update * update
    case .gradientRatio(let biasCorrection2, let floor):
      let denominator = S.maximum(second / S.Vector(repeating: biasCorrection2), S.Vector(repeating: floor))
      let ratio = gradient * gradient / denominator
      // 0 / 0 only where the gradient is 0 and epsilon is 0: such an element counts 0.
      return floor > 0 ? ratio : ratio.replacing(with: 0, where: denominator .== S.Vector())
    }
  }

  /// The second pass: `p = p * shrink + negativeStepSize * m / (sqrt(v or vmax) / sqrt(bc2) + eps)`,
  /// the moments as the first pass left them.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func updateValues<S: GradientScalar>(
    _ tensor: TensorUpdate<S>, average: UnsafeMutablePointer<S>, squareAverage: UnsafeMutablePointer<S>,
    _ parameters: Parameters<S>
  ) {
    let (p, m, v) = (KernelBuffer(tensor.values), KernelBuffer(average), KernelBuffer(squareAverage))
    let constants = Constants(parameters)
    KernelMath.forEachBlock(of: S.self, count: tensor.count) { offset, length in
      let value = p.load(offset, length) * constants.shrink
      let denominator =
        KernelMath.squareRoot(v.load(offset, length)) / constants.biasCorrection2Root
        + constants.epsilon
      p.store(value + constants.negativeStepSize * (m.load(offset, length) / denominator), offset, length)
    }
  }

  /// A sum of vectors, lane by lane in the scalar type for ``carryBlocks`` blocks, then carried
  /// into a `Double`; lanes past a short last block are left out.
  private struct Accumulator<S: GradientScalar> {
    private var lanes = S.Vector()
    private var blocks = 0
    private var carried = 0.0

    var total: Double { carried + Double(S.laneSum(of: lanes)) }

    @inline(__always)
    mutating func add(_ term: S.Vector, length: Int) {
      var term = term
      if length < S.Vector.scalarCount {
        for lane in length..<S.Vector.scalarCount { term[lane] = 0 }
      }
      lanes += term
      blocks += 1
      if blocks == AdamKernels.carryBlocks {
        carried += Double(S.laneSum(of: lanes))
        lanes = S.Vector()
        blocks = 0
      }
    }
  }
}
