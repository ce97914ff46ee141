import GradientClipping

/// The update loops of ``Adam`` and ``AdamW``, over `S.Vector` blocks (see ``KernelBuffer``),
/// specialised for `Float` and `Double`.
enum AdamKernels {
  /// One step's constants, in the scalar type.
  struct Parameters<S: GradientScalar> {
    let beta2: S
    let oneMinusBeta2: S
    /// `1 - beta1`, the weight of torch's `exp_avg.lerp_(grad, 1 - beta1)`.
    let lerpWeight: S
    /// `sqrt(1 - beta2^t)`.
    let biasCorrection2Root: S
    let epsilon: S
    /// `-lr / (1 - beta1^t)`.
    let negativeStepSize: S
    /// Coupled (L2) weight decay, 0 for AdamW.
    let l2: S
    /// `1 - lr * weightDecay` for AdamW, 1 for Adam.
    let shrink: S
    let gradientScale: S
  }

  /// Adam, AdamW, and with `largestSquareAverage` AMSGrad: `p *= shrink`; `g = g * scale (+ l2 * p)`;
  /// the moments; then `p += -stepSize * m / (sqrt(v or vmax) / sqrt(bc2) + eps)`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func update<S: GradientScalar>(
    _ tensor: TensorUpdate<S>, average: UnsafeMutablePointer<S>, squareAverage: UnsafeMutablePointer<S>,
    largestSquareAverage: UnsafeMutablePointer<S>?, _ parameters: Parameters<S>
  ) {
    let (p, g) = (KernelBuffer(tensor.values), KernelBuffer(tensor.gradients))
    let (m, v, vMax) = (KernelBuffer(average), KernelBuffer(squareAverage), largestSquareAverage.map(KernelBuffer.init))
    let constants = Constants(parameters)
    let lerp = Lerp(weight: parameters.lerpWeight)
    KernelMath.forEachBlock(of: S.self, count: tensor.count) { offset, length in
      let value = p.load(offset, length) * constants.shrink
      var gradient = g.load(offset, length) * constants.scale
      if constants.decays { gradient = gradient + constants.l2 * value }
      let (first, second) = advanceMoments(
        gradient, m: m, v: v, vMax: vMax, offset, length, constants: constants, lerp: lerp)
      let denominator = KernelMath.squareRoot(second) / constants.biasCorrection2Root + constants.epsilon
      p.store(value + constants.negativeStepSize * (first / denominator), offset, length)
    }
  }

  /// One block of the moments: `m = lerp(m, g)`, `v = beta2 * v + (1 - beta2) * g^2` (and
  /// `vmax = max(vmax, v)`), stored; returns `m` and the second moment the update divides by.
  @inline(__always)
  static func advanceMoments<S: GradientScalar>(
    _ gradient: S.Vector, m: KernelBuffer<S>, v: KernelBuffer<S>, vMax: KernelBuffer<S>?, _ offset: Int,
    _ length: Int, constants: Constants<S>, lerp: Lerp<S>
  ) -> (first: S.Vector, second: S.Vector) {
    let first = lerp(m.load(offset, length), gradient)
    var second = v.load(offset, length) * constants.beta2 + constants.oneMinusBeta2 * gradient * gradient
    m.store(first, offset, length)
    v.store(second, offset, length)
    if let vMax {
      second = S.maximum(vMax.load(offset, length), second)
      vMax.store(second, offset, length)
    }
    return (first, second)
  }

  /// The parameters as vectors.
  struct Constants<S: GradientScalar> {
    let beta2, oneMinusBeta2, biasCorrection2Root, epsilon, negativeStepSize, l2, shrink, scale: S.Vector
    let decays: Bool

    @inline(__always)
    init(_ parameters: Parameters<S>) {
      beta2 = S.Vector(repeating: parameters.beta2)
      oneMinusBeta2 = S.Vector(repeating: parameters.oneMinusBeta2)
      biasCorrection2Root = S.Vector(repeating: parameters.biasCorrection2Root)
      epsilon = S.Vector(repeating: parameters.epsilon)
      negativeStepSize = S.Vector(repeating: parameters.negativeStepSize)
      l2 = S.Vector(repeating: parameters.l2)
      shrink = S.Vector(repeating: parameters.shrink)
      scale = S.Vector(repeating: parameters.gradientScale)
      decays = parameters.l2 != 0
    }
  }
}
