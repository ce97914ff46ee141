import GradientClipping

/// The gradient buffers of an operation's inputs, as its rule sees them during backward: one
/// per input, `nil` for an input that needs no gradient.
///
/// Reading an element (`targets[i]`) gives a buffer to add into, zero-filled if nothing has
/// flowed into it yet. A rule that writes every element of an input's gradient can instead ask
/// for ``overwritable(_:)``: when the buffer is fresh it then assigns, and the buffer is never
/// zero-filled, which saves a pass over the memory of every intermediate result.
struct GradientTargets<Scalar: GradientScalar>: RandomAccessCollection {
  let nodes: [GraphNode<Scalar>?]
  /// The inputs to which this rule writes the last contribution to a parameter's gradient.
  private let completingLeaves: InputPositions

  init(nodes: [GraphNode<Scalar>?], completingLeaves: InputPositions = InputPositions()) {
    self.nodes = nodes
    self.completingLeaves = completingLeaves
  }

  var startIndex: Int { 0 }
  var endIndex: Int { nodes.count }

  /// Input `index`'s gradient, to add into; `nil` if it needs none.
  subscript(index: Int) -> UnsafeMutableBufferPointer<Scalar>? { nodes[index]?.gradientBuffer() }

  /// Input `index`'s gradient for a rule that writes every element: with `overwrite` true the
  /// rule must assign each element, with false add to it. `nil` if it needs no gradient.
  func overwritable(_ index: Int) -> (buffer: UnsafeMutableBufferPointer<Scalar>, overwrite: Bool)? {
    nodes[index]?.overwritableGradientBuffer()
  }

  /// Whether input `index` is a parameter whose gradient this rule completes: a rule that can
  /// measure the gradient as it writes it (``Matmul``'s `measuringC`)
  /// then passes the measure on with ``recordSumOfSquares(_:ofInput:)``, and backward does not
  /// read the gradient again to measure it.
  func completesLeaf(_ index: Int) -> Bool { completingLeaves.contains(index) }

  /// Records the sum of the squares of input `index`'s whole gradient after this rule's
  /// contribution, for a parameter this rule completes.
  func recordSumOfSquares(_ sumOfSquares: Double, ofInput index: Int) {
    precondition(
      completingLeaves.contains(index), "recordSumOfSquares: input \(index) is not a parameter this rule completes")
    nodes[index]?.measuredSumOfSquares = sumOfSquares
  }
}
