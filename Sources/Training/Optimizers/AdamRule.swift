import GradientClipping

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The arithmetic of ``Adam`` and ``AdamW`` (PyTorch's single-tensor implementation).
struct AdamRule<Scalar: GradientScalar>: UpdateRule {
  let betas: (Double, Double)
  let epsilon: Double
  let weightDecay: Double
  /// AdamW: decay the parameters, not the gradient.
  let decoupled: Bool
  let amsgrad: Bool
  /// Update clipping (none: the one-pass kernel).
  let updateClipping: UpdateClipping

  var slots: [SlotSpecification] {
    [SlotSpecification("exp_avg"), SlotSpecification("exp_avg_sq")]
      + (amsgrad ? [SlotSpecification("max_exp_avg_sq")] : [])
  }

  func validate() throws(OptimizerError) {
    try OptimizerError.requireDecayRate(betas.0, name: "betas.0")
    try OptimizerError.requireDecayRate(betas.1, name: "betas.1")
    try OptimizerError.requireNonNegative(epsilon, name: "epsilon")
    try OptimizerError.requireNonNegative(weightDecay, name: "weightDecay")
    try updateClipping.validate()
  }

  func update(_ tensor: TensorUpdate<Scalar>, context: UpdateContext<Scalar>) {
    AdamKernels.update(
      tensor, average: tensor.slot(0), squareAverage: tensor.slot(1),
      largestSquareAverage: amsgrad ? tensor.slot(2) : nil, kernelParameters(context))
  }

  /// Two passes: the moments and the tensor's RMS, then the values with the step the RMS allows.
  func clippedUpdate(_ tensor: TensorUpdate<Scalar>, context: UpdateContext<Scalar>) -> TensorUpdateClipping {
    let largest = amsgrad ? tensor.slot(2) : nil
    let corrections = BiasCorrections(betas: betas, step: context.step)
    let sum = AdamKernels.updateMoments(
      tensor, average: tensor.slot(0), squareAverage: tensor.slot(1), largestSquareAverage: largest,
      kernelParameters(context), measuring: measure(corrections))
    let squares = updateClipping == .stableAdamW ? sum : sum / (corrections.first * corrections.first)
    let measured = TensorUpdateClipping(sumOfSquares: squares, count: tensor.count, coefficient: 1)
    let divisor = updateClipping.divisor(forRMS: measured.rms)
    let parameters =
      updateClipping == .stableAdamW
      ? kernelParameters(context, learningRate: context.learningRate / divisor)
      : kernelParameters(context, divisor: divisor)
    AdamKernels.updateValues(tensor, average: tensor.slot(0), squareAverage: largest ?? tensor.slot(1), parameters)
    return TensorUpdateClipping(sumOfSquares: squares, count: tensor.count, coefficient: 1 / divisor)
  }

  /// What the first pass sums for this rule's update clipping.
  private func measure(_ corrections: BiasCorrections) -> AdamKernels.Measure<Scalar> {
    guard updateClipping == .stableAdamW else { return .update }
    return .gradientRatio(biasCorrection2: Scalar(corrections.second), floor: Scalar(epsilon * epsilon))
  }

  /// The step's constants, computed in `Double` as PyTorch computes them in Python floats.
  /// `learningRate` replaces the step's rate (StableAdamW's clipped rate, decay included);
  /// `divisor` divides the step size only (RMS clipping: the decay is not clipped).
  private func kernelParameters(
    _ context: UpdateContext<Scalar>, learningRate: Double? = nil, divisor: Double = 1
  ) -> AdamKernels.Parameters<Scalar> {
    let rate = learningRate ?? context.learningRate
    let corrections = BiasCorrections(betas: betas, step: context.step)
    return AdamKernels.Parameters(
      beta2: Scalar(betas.1), oneMinusBeta2: Scalar(1 - betas.1), lerpWeight: Scalar(1 - betas.0),
      biasCorrection2Root: Scalar(corrections.second.squareRoot()), epsilon: Scalar(epsilon),
      negativeStepSize: Scalar(-(rate / corrections.first) / divisor), l2: Scalar(decoupled ? 0 : weightDecay),
      shrink: Scalar(decoupled ? 1 - rate * weightDecay : 1), gradientScale: context.gradientScale)
  }
}

/// `1 - beta1^t` and `1 - beta2^t`.
private struct BiasCorrections {
  let first: Double
  let second: Double

  init(betas: (Double, Double), step: Int) {
    first = 1 - pow(betas.0, Double(step))
    second = 1 - pow(betas.1, Double(step))
  }
}
