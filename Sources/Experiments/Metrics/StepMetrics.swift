/// What one training step saw and did: the row that every metrics file, chart and TensorBoard
/// scalar is drawn from.
///
/// Every figure comes from the reports of the clipper and the optimizer (never recomputed):
/// `gradientNorm` is the global 2-norm of the gradients as backward left them (before any
/// clipping), `threshold` and `coefficient` are the clipper's. A step the clipper or the optimizer
/// skipped (a spike, a non-finite gradient) has `skipped` set and left the parameters unchanged.
///
/// ```swift
/// let row = StepMetrics(step: 1, loss: 0.9, gradientNorm: 12, threshold: 1, coefficient: 0.083,
///                       clipped: true, skipped: false, learningRate: 0.1, layerNorms: [11.9, 1.2])
/// ```
public struct StepMetrics: Sendable, Hashable, Codable {
  /// The step, counted from 1.
  public var step: Int
  /// The training loss of the step's batch, before the update.
  public var loss: Double
  /// The global 2-norm of the gradients before clipping.
  public var gradientNorm: Double
  /// The threshold the clipper compared against on this step (`nil` without a single threshold:
  /// no clipping, or unit-wise methods such as AGC).
  public var threshold: Double?
  /// The factor the gradients were scaled by: 1 when nothing was clipped. For clippers that do
  /// not scale uniformly (value, per-tensor, unit-wise clipping) the ratio of the global norm
  /// after clipping to the norm before.
  public var coefficient: Double
  /// Whether the clipper changed the gradients.
  public var clipped: Bool
  /// Whether the update was skipped (the parameters are unchanged).
  public var skipped: Bool
  /// The learning rate of the step.
  public var learningRate: Double
  /// The 2-norm of each parameter's gradient before clipping, in the order of
  /// ``RunRecord/layerNames``.
  public var layerNorms: [Double]

  /// Creates a row.
  public init(
    step: Int, loss: Double, gradientNorm: Double, threshold: Double?, coefficient: Double, clipped: Bool,
    skipped: Bool, learningRate: Double, layerNorms: [Double]
  ) {
    self.step = step
    self.loss = loss
    self.gradientNorm = gradientNorm
    self.threshold = threshold
    self.coefficient = coefficient
    self.clipped = clipped
    self.skipped = skipped
    self.learningRate = learningRate
    self.layerNorms = layerNorms
  }
}
