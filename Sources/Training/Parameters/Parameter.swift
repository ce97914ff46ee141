import GradientClipping

/// A trainable tensor of a model: its values, its name, and its slot in the store's single
/// gradient buffer.
///
/// `value` is the tensor to compute with; gradients of anything computed from it flow into
/// `gradient` when ``Tensor/backward()`` runs. Optimizers update the values in place.
public final class Parameter<Scalar: GradientScalar>: @unchecked Sendable {
  /// The name, PyTorch-style (`rnn.weight_hh_l0`).
  public let name: String
  /// The shape.
  public let shape: [Int]
  /// The position in the store.
  public let index: Int
  let storage: TensorStorage<Scalar>
  let node: GraphNode<Scalar>

  init(name: String, shape: [Int], index: Int, values: [Scalar], arena: GradientArena<Scalar>) {
    self.name = name
    self.shape = shape
    self.index = index
    self.storage = TensorStorage(copying: values)
    self.node = GraphNode(
      leafWithElementCount: values.count, gradient: { arena.slot(index) }, measuring: { arena.isMeasuring },
      completed: { arena.measure(index, sumOfSquares: $0) })
  }

  /// The values, as a tensor that gradients flow back from.
  public var value: Tensor<Scalar> { Tensor(shape: shape, storage: storage, node: node) }

  /// The values, row-major; setting copies new values in (the count must match).
  public var values: [Scalar] {
    get { Array(storage.readOnly) }
    set {
      precondition(newValue.count == storage.count, "Parameter \(name): \(newValue.count) values for shape \(shape)")
      _ = storage.buffer.update(fromContentsOf: newValue)
    }
  }
}

/// The single contiguous buffer holding the gradients of every parameter of a store.
///
/// Parameters are registered first; the buffer is allocated when a gradient is first needed,
/// after which no parameter can be added.
final class GradientArena<Scalar: GradientScalar>: @unchecked Sendable {
  private(set) var shapes: [[Int]] = []
  private(set) var names: [String] = []
  private(set) var offsets: [Int] = [0]
  private var storage: TensorStorage<Scalar>?
  /// Each parameter's gradient norm, measured by backward as each gradient was completed;
  /// `nil` once anything else may have changed the gradients.
  private(set) var measuredNorms: [GradientNorm]?
  /// Whether ``zeroed()`` starts measuring (see ``ParameterStore/measuresGradientNorms``).
  var measuresNorms = true

  /// Whether backward is to measure each completed gradient.
  var isMeasuring: Bool { measuredNorms != nil }

  var isAllocated: Bool { storage != nil }

  func register(name: String, shape: [Int]) -> Int {
    precondition(storage == nil, "ParameterStore: parameter \(name) added after gradients were allocated")
    shapes.append(shape)
    names.append(name)
    offsets.append(offsets[offsets.count - 1] + shape.reduce(1, *))
    return shapes.count - 1
  }

  /// The whole buffer, allocated (zero-filled) on first use.
  var buffer: UnsafeMutableBufferPointer<Scalar> {
    if let storage { return storage.buffer }
    let allocated = TensorStorage<Scalar>(count: offsets[offsets.count - 1])
    storage = allocated
    return allocated.buffer
  }

  func slot(_ index: Int) -> UnsafeMutableBufferPointer<Scalar> {
    UnsafeMutableBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
  }

  /// Records the norm of parameter `index`'s completed gradient: from `sumOfSquares` when the
  /// product that wrote it last measured it on the way, otherwise measured here, while the
  /// gradient is fresh in the cache.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func measure(_ index: Int, sumOfSquares: Double?) {
    guard measuredNorms != nil else { return }
    if let sumOfSquares {
      measuredNorms?[index] = GradientNorm(sumOfSquares: sumOfSquares)
      return
    }
    // On the calling thread: the gradient is in this core's cache, and handing a short read to
    // other threads cost more than it saved (2-3% of an LSTM or GPT training step, measured).
    measuredNorms?[index] = Self.norm(of: slot(index))
  }

  /// The norm backward measures, as it measures it.
  static func norm(of gradient: UnsafeMutableBufferPointer<Scalar>) -> GradientNorm {
    // The order is 2, always valid: this cannot throw.
    (try? GradientNorm(of: UnsafeBufferPointer(gradient))) ?? .zero
  }

  /// All gradients are zero: every measured norm is 0 (when measuring).
  func zeroed() {
    let whole = buffer
    if let base = whole.baseAddress { zeroFill(base, count: whole.count) }  // one memset
    measuredNorms = measuresNorms ? Array(repeating: .zero, count: shapes.count) : nil
  }

  /// The gradients may have changed outside backward: measured norms are no longer valid.
  func invalidateNorms() { measuredNorms = nil }
}
