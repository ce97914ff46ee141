import GradientClipping

/// How a tensor was made, for reverse-mode differentiation: the nodes of its inputs and the
/// rule that turns the gradient of the output into gradients of the inputs.
///
/// A node's gradient buffer is allocated the first time a gradient flows into it: zero-filled for
/// a rule that adds into it, or left for the first rule to overwrite whole (which saves a pass
/// over every intermediate gradient; see ``GradientTargets``). A parameter's node (a leaf) has no
/// rule; its gradient buffer is the parameter's slot in its store, so that every gradient of a
/// model lands in one contiguous buffer.
final class GraphNode<Scalar: GradientScalar>: @unchecked Sendable {
  typealias Rule = (_ outputGradient: UnsafeBufferPointer<Scalar>, _ inputGradients: GradientTargets<Scalar>) -> Void

  /// The nodes of the inputs, `nil` for an input that needs no gradient.
  let inputs: [GraphNode?]
  /// The gradient rule: it must add into each non-nil input gradient (or, through
  /// ``GradientTargets/overwritable(_:)``, overwrite a fresh one whole).
  let rule: Rule?
  let elementCount: Int
  private let leafGradient: (() -> UnsafeMutableBufferPointer<Scalar>)?
  /// For a view of the same elements (a reshape): the node whose gradient buffer this node
  /// shares, so that gradients flow through without a copy.
  private let aliased: GraphNode?
  /// Called on a leaf when backward has added every contribution to its gradient, with the
  /// sum of the squares of the gradient if the last contribution measured it on the way
  /// (``measuredSumOfSquares``), `nil` otherwise.
  let leafCompleted: ((_ sumOfSquares: Double?) -> Void)?
  /// For a leaf: the sum of squares of its gradient, recorded by the rule that wrote its last
  /// contribution if that rule measured it as it wrote (see ``GradientTargets``); consumed when
  /// the leaf completes.
  var measuredSumOfSquares: Double?
  /// For a leaf: whether its gradient is to be measured as backward completes it.
  let leafIsMeasured: () -> Bool
  private var ownGradient: TensorStorage<Scalar>?
  /// Whether `ownGradient` holds values (zeros at least), rather than memory a rule will overwrite.
  private var ownGradientIsInitialized = false

  /// A node made by an operation.
  init(elementCount: Int, inputs: [GraphNode?], rule: @escaping Rule) {
    self.elementCount = elementCount
    self.inputs = inputs
    self.rule = rule
    self.leafGradient = nil
    self.leafIsMeasured = { false }
    self.leafCompleted = nil
    self.aliased = nil
  }

  /// A view's node: the same elements in another shape, whose gradient is `input`'s gradient,
  /// the very same buffer. It has no rule: gradients written into it are already `input`'s.
  init(aliasOf input: GraphNode) {
    self.elementCount = input.elementCount
    self.inputs = [input]
    self.rule = nil
    self.leafGradient = nil
    self.leafIsMeasured = { false }
    self.leafCompleted = nil
    self.aliased = input
  }

  /// A parameter's node: gradients accumulate into `gradient()`.
  init(
    leafWithElementCount elementCount: Int, gradient: @escaping () -> UnsafeMutableBufferPointer<Scalar>,
    measuring: @escaping () -> Bool, completed: @escaping (_ sumOfSquares: Double?) -> Void
  ) {
    self.elementCount = elementCount
    self.inputs = []
    self.rule = nil
    self.leafGradient = gradient
    self.leafIsMeasured = measuring
    self.leafCompleted = completed
    self.aliased = nil
  }

  var isLeaf: Bool { leafGradient != nil }

  /// The buffer gradients accumulate into, zero-filled when first needed.
  func gradientBuffer() -> UnsafeMutableBufferPointer<Scalar> {
    if let leafGradient { return leafGradient() }
    if let aliased { return aliased.gradientBuffer() }
    if let ownGradient {
      if !ownGradientIsInitialized {
        ownGradient.zero()
        ownGradientIsInitialized = true
      }
      return ownGradient.buffer
    }
    let storage = TensorStorage<Scalar>(count: elementCount)
    ownGradient = storage
    ownGradientIsInitialized = true
    return storage.buffer
  }

  /// The gradient buffer for a rule that will write every element: `overwrite` is true when
  /// nothing has flowed into it yet (the rule must then assign, not add, and the buffer is not
  /// zero-filled), false otherwise (the rule adds, as into ``gradientBuffer()``).
  func overwritableGradientBuffer() -> (buffer: UnsafeMutableBufferPointer<Scalar>, overwrite: Bool) {
    if let leafGradient { return (leafGradient(), false) }
    if let aliased { return aliased.overwritableGradientBuffer() }
    if let ownGradient {
      defer { ownGradientIsInitialized = true }
      return (ownGradient.buffer, !ownGradientIsInitialized)
    }
    let storage = TensorStorage<Scalar>(uninitializedCount: elementCount) { _ in }
    ownGradient = storage
    ownGradientIsInitialized = true
    return (storage.buffer, true)
  }

  /// The accumulated gradient of an operation's output, if any flowed into it.
  var accumulatedGradient: UnsafeBufferPointer<Scalar>? { ownGradient?.readOnly }

  /// Frees an operation's gradient once it has been passed on.
  func releaseGradient() {
    ownGradient = nil
    ownGradientIsInitialized = false
  }
}
