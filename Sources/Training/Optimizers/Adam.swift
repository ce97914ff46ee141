import GradientClipping

/// Adam (Kingma & Ba 2015) with PyTorch's `torch.optim.Adam` update rule and defaults; weight decay
/// is L2, added to the gradient (``AdamW`` decouples it).
///
/// For each parameter `p` with gradient `g`, at update `t` (1 on the first step):
/// ```
/// g = g + weightDecay * p                           (if weightDecay != 0)
/// m = m + (1 - beta1) * (g - m)                     (exp_avg; torch's lerp)
/// v = beta2 * v + (1 - beta2) * g * g               (exp_avg_sq)
/// vmax = max(vmax, v)                               (amsgrad only: max_exp_avg_sq)
/// denom = sqrt(v or vmax) / sqrt(1 - beta2^t) + epsilon
/// p = p - lr / (1 - beta1^t) * m / denom
/// ```
/// Epsilon is added after the bias correction of `v`, as PyTorch does (Keras and TensorFlow add
/// it before, which is the same as an epsilon `sqrt(1 - beta2^t)` times smaller here).
/// Defaults are PyTorch's: `lr` 1e-3, `betas` (0.9, 0.999), `epsilon` 1e-8, `weightDecay` 0,
/// no AMSGrad. State: `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
///
/// ``updateClipping`` (not in PyTorch; none by default) bounds each tensor's step after the
/// moments: Adafactor's RMS clipping of `m̂ / (sqrt(v̂) + epsilon)` (the L2 term is part of `g`,
/// so of the clipped update), or StableAdamW's per-tensor learning rate `lr / max(1, RMS)`. The
/// state is the same with or without it. See ``UpdateClipping`` for the formulas and sources.
///
/// ```swift
/// var weights: [[Float]] = [[1, -1]]
/// var gradients: [[Float]] = [[0.1, -3]]
/// var adam = Adam<Float>(learningRate: 0.01)
/// try adam.step(values: &weights, gradients: &gradients)  // the first step moves each by ~lr: [[0.99, -0.99]]
/// var clipped = Adam<Float>(learningRate: 0.01, updateClipping: .rms(threshold: 1))
/// ```
public struct Adam<Scalar: GradientScalar>: Optimizer {
  /// The learning rate, a schedule over the number of updates applied (a number is a constant).
  public var learningRate: LearningRateSchedule
  /// The decay rates of the first and second moment averages, each in [0, 1).
  public var betas: (Double, Double)
  /// Added to the denominator for numerical stability, >= 0.
  public var epsilon: Double
  /// L2 weight decay, >= 0, added to the gradient.
  public var weightDecay: Double
  /// Whether to use the AMSGrad variant (Reddi et al. 2018): the largest `v` so far.
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

  /// PyTorch's `torch.optim.Adam`, with its defaults; `updateClipping` (none by default) is ours.
  public init(
    learningRate: LearningRateSchedule = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
    weightDecay: Double = 0, amsgrad: Bool = false, clipping: ClippingConfiguration = .none,
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

  /// Clips `gradients` in place as ``clipping`` says, then updates `values` with Adam's rule.
  ///
  /// - Throws: ``OptimizerError``; `values` and ``state`` are then unchanged.
  @discardableResult
  public mutating func step<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: inout Gradients
  ) throws(OptimizerError) -> StepReport where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    try performStep(rule, values: &values, gradients: &gradients)
  }

  /// Updates `values` with Adam's rule, the clipping coefficient for the precomputed
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
      betas: betas, epsilon: epsilon, weightDecay: weightDecay, decoupled: false, amsgrad: amsgrad,
      updateClipping: updateClipping)
  }
}
