import GradientClipping

/// AdamW (Loshchilov & Hutter 2019) with PyTorch's `torch.optim.AdamW` update rule and defaults:
/// ``Adam`` with the weight decay decoupled from the gradient.
///
/// Each update first shrinks the parameters, `p = p * (1 - lr * weightDecay)`, then applies
/// Adam's rule to the gradient without any decay term. Defaults are PyTorch's: `lr` 1e-3,
/// `betas` (0.9, 0.999), `epsilon` 1e-8, `weightDecay` 0.01, no AMSGrad. State: `exp_avg`,
/// `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
///
/// ``updateClipping`` (not in PyTorch; none by default) bounds each tensor's step after the
/// moments. With ``UpdateClipping/rms(threshold:)`` (Adafactor), the shrink by
/// `1 - lr * weightDecay` is applied as usual and only the Adam step `lr * u` is clipped; with
/// ``UpdateClipping/stableAdamW``, the tensor's learning rate `lr / max(1, RMS)` drives both the
/// shrink and the step, as in Wortsman et al. (2023), Algorithm 2. See ``UpdateClipping``.
///
/// ```swift
/// var adamw = AdamW<Float>(learningRate: 1e-3, weightDecay: 0.1, clipping: .clipGradNorm(maxNorm: 1))
/// try adamw.step(values: &weights, gradients: &gradients)
/// var stable = AdamW<Float>(learningRate: 2e-3, betas: (0.9, 0.99), weightDecay: 0.2, updateClipping: .stableAdamW)
/// ```
public struct AdamW<Scalar: GradientScalar>: Optimizer {
  /// The learning rate, a schedule over the number of updates applied (a number is a constant).
  public var learningRate: LearningRateSchedule
  /// The decay rates of the first and second moment averages, each in [0, 1).
  public var betas: (Double, Double)
  /// Added to the denominator for numerical stability, >= 0.
  public var epsilon: Double
  /// Decoupled weight decay, >= 0: each update multiplies the parameters by `1 - lr * weightDecay`.
  public var weightDecay: Double
  /// Whether to use the AMSGrad variant: the largest `v` so far.
  public var amsgrad: Bool
  /// The clipping applied to the gradients before every update (none by default).
  public var clipping: ClippingConfiguration
  /// The clipping of each tensor's update, after the moments (none by default): Adafactor's
  /// RMS clipping or StableAdamW's learning-rate scaling; see ``UpdateClipping``.
  public var updateClipping: UpdateClipping
  /// What a step does with a NaN or infinite gradient (throw, by default).
  public var nonFinitePolicy: NonFiniteGradientPolicy
  /// The step counts and per-tensor buffers kept between steps.
  public var state: OptimizerState<Scalar>

  /// PyTorch's `torch.optim.AdamW`, with its defaults; `updateClipping` (none by default) is ours.
  public init(
    learningRate: LearningRateSchedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
    weightDecay: Double = 0.01, amsgrad: Bool = false, clipping: ClippingConfiguration = .none,
    updateClipping: UpdateClipping = .none, nonFinitePolicy: NonFiniteGradientPolicy = .error
  ) {
    self.learningRate = learningRate
    self.betas = betas
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.amsgrad = amsgrad
    self.clipping = clipping
    self.updateClipping = updateClipping
    self.nonFinitePolicy = nonFinitePolicy
    self.state = OptimizerState()
  }

  /// Clips `gradients` in place as ``clipping`` says, then updates `values` with AdamW's rule.
  ///
  /// - Throws: ``OptimizerError``; `values` and ``state`` are then unchanged.
  @discardableResult
  public mutating func step<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: inout Gradients
  ) throws(OptimizerError) -> StepReport where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    try performStep(rule, values: &values, gradients: &gradients)
  }

  /// Updates `values` with AdamW's rule, the clipping coefficient for the precomputed
  /// `gradientNorm` applied inside the update; `gradients` is not modified.
  ///
  /// - Throws: ``OptimizerError``; `values` and ``state`` are then unchanged.
  @discardableResult
  public mutating func step<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: Gradients, gradientNorm: GradientNorm
  ) throws(OptimizerError) -> StepReport where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    try performStep(rule, values: &values, gradients: gradients, gradientNorm: gradientNorm)
  }

  private var rule: AdamRule<Scalar> {
    AdamRule(
      betas: betas, epsilon: epsilon, weightDecay: weightDecay, decoupled: true, amsgrad: amsgrad,
      updateClipping: updateClipping)
  }
}
