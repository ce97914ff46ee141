import GradientClipping

/// The arithmetic of one optimizer: what state it keeps and how it updates one tensor. Everything
/// else a step does (checks, the non-finite policy, clipping, the schedule, state allocation) is
/// shared, in ``OptimizerStep``.
protocol UpdateRule {
  associatedtype Scalar: GradientScalar

  /// The per-tensor buffers the rule needs with its current hyperparameters, in the order
  /// ``TensorUpdate/slot(_:)`` numbers them.
  var slots: [SlotSpecification] { get }

  /// Checks the hyperparameters.
  func validate() throws(OptimizerError)

  /// Updates one tensor's values (and slots) from its gradients.
  func update(_ tensor: TensorUpdate<Scalar>, context: UpdateContext<Scalar>)

  /// The update clipping the rule applies; ``UpdateClipping/none`` (the default) for rules
  /// without it.
  var updateClipping: UpdateClipping { get }

  /// Updates one tensor as ``update(_:context:)`` does, with ``updateClipping``, and says what
  /// it measured and applied. Called instead of ``update(_:context:)`` when ``updateClipping``
  /// is not ``UpdateClipping/none``.
  func clippedUpdate(_ tensor: TensorUpdate<Scalar>, context: UpdateContext<Scalar>) -> TensorUpdateClipping
}

extension UpdateRule {
  var updateClipping: UpdateClipping { .none }

  func clippedUpdate(_ tensor: TensorUpdate<Scalar>, context: UpdateContext<Scalar>) -> TensorUpdateClipping {
    update(tensor, context: context)
    return TensorUpdateClipping(sumOfSquares: 0, count: tensor.count, coefficient: 1)
  }
}

/// What is the same for every tensor of a step.
struct UpdateContext<Scalar: GradientScalar> {
  /// The 1-based number of this update (PyTorch's `state["step"]` after its increment).
  let step: Int
  /// The learning rate of this step.
  let learningRate: Double
  /// The factor every gradient is multiplied by as it is read: the fused clipping coefficient, or 1.
  let gradientScale: Scalar
  /// For each of the rule's slots, whether it was allocated by this step.
  let freshSlots: [Bool]
}

/// One tensor's buffers during an update: its values, its gradients (read-only: the update never
/// writes them) and its part of each slot of the rule.
struct TensorUpdate<Scalar: GradientScalar> {
  let values: UnsafeMutablePointer<Scalar>
  let gradients: UnsafePointer<Scalar>
  let count: Int
  /// The start of this tensor's part of slot 0 of the state; slot `k` is `slotStride * k` further.
  private let slotBase: UnsafeMutablePointer<Scalar>?
  private let slotIndices: [Int]
  private let slotStride: Int

  init(
    values: UnsafeMutablePointer<Scalar>, gradients: UnsafePointer<Scalar>, count: Int,
    slotBase: UnsafeMutablePointer<Scalar>?, slotIndices: [Int], slotStride: Int
  ) {
    self.values = values
    self.gradients = gradients
    self.count = count
    self.slotBase = slotBase
    self.slotIndices = slotIndices
    self.slotStride = slotStride
  }

  /// This tensor's part of the rule's slot `k` (the `k`-th of ``UpdateRule/slots``).
  func slot(_ k: Int) -> UnsafeMutablePointer<Scalar> {
    guard let slotBase else { preconditionFailure("slot \(k) requested, but the rule declared no slots") }
    return slotBase + slotIndices[k] * slotStride
  }
}
