import GradientClipping

/// Every parameter of a model, with all their gradients in one contiguous buffer.
///
/// Layers register their parameters here when they are made. ``gradients`` is a
/// ``GradientSet`` over the single gradient buffer, so any clipper of the core applies to a
/// model's gradients directly, and per-parameter norms are available by name. ``values`` is a
/// ``GradientSet`` over the parameters' values, which is what optimizers update. Making a store
/// installs ``NativeClippingKernels`` (once per process), so that the core's clippers rescale
/// and clamp these gradients at the CPU's full vector width; results are the same bits either
/// way.
///
/// ```swift
/// let store = ParameterStore<Float>()
/// var generator = SeededGenerator(seed: 0)
/// let layer = Linear(inputSize: 4, outputSize: 2, store: store, name: "fc", generator: &generator)
/// let loss = Loss.meanSquaredError(layer(x), y)
/// loss.backward()
/// var gradients = store.gradients
/// let report = try GlobalNormClipper(maxNorm: 1).clip(&gradients)
/// ```
public final class ParameterStore<Scalar: GradientScalar>: @unchecked Sendable {
  /// The parameters, in registration order.
  public private(set) var parameters: [Parameter<Scalar>] = []
  let arena = GradientArena<Scalar>()

  /// An empty store.
  public init() {
    _ = NativeClippingKernels.installedOnce
  }

  /// Registers a parameter with the given initial values.
  public func makeParameter(name: String, shape: [Int], values: [Scalar]) -> Parameter<Scalar> {
    precondition(
      shape.reduce(1, *) == values.count, "ParameterStore: \(values.count) values for \(name) of shape \(shape)")
    precondition(!parameters.contains { $0.name == name }, "ParameterStore: a parameter is already named \(name)")
    let index = arena.register(name: name, shape: shape)
    let parameter = Parameter(name: name, shape: shape, index: index, values: values, arena: arena)
    parameters.append(parameter)
    return parameter
  }

  /// The parameter named `name`, if any.
  public func parameter(named name: String) -> Parameter<Scalar>? { parameters.first { $0.name == name } }

  /// The number of scalars over all parameters.
  public var scalarCount: Int { arena.offsets[arena.offsets.count - 1] }

  /// The gradients, a view of the single gradient buffer.
  public var gradients: ModelGradients<Scalar> { ModelGradients(store: self) }

  /// The parameters' values, a view that optimizers update in place.
  public var values: ModelValues<Scalar> { ModelValues(store: self) }

  /// Sets every gradient to zero (PyTorch's `optimizer.zero_grad()`).
  public func zeroGradients() { arena.zeroed() }

  /// Whether backward measures each parameter's gradient norm as it completes it (the default),
  /// so that ``gradientNorm()`` and ``parameterGradientNorms()`` cost no pass over the gradients.
  ///
  /// A gradient written last by a matrix multiply (a linear layer's weight) is measured by the
  /// multiply itself, tile by tile as it finishes each, while the tile is in the cache; any
  /// other gradient is read once right after its last write. Turning this off saves that work
  /// when nothing reads the norms (no global-norm clipping, no norm telemetry); the norms are
  /// then measured on demand. Takes effect at the next ``zeroGradients()``.
  ///
  /// ```swift
  /// store.measuresGradientNorms = false  // plain SGD, no clipping: nothing to measure
  /// ```
  public var measuresGradientNorms: Bool {
    get { arena.measuresNorms }
    set { arena.measuresNorms = newValue }
  }

  /// The global 2-norm of the gradients.
  ///
  /// After ``zeroGradients()`` and backward passes, this is the norm backward measured as it
  /// completed each parameter's gradient, while that gradient was fresh in the cache: reading
  /// it costs nothing more. If the gradients were changed in any other way (through
  /// ``gradients``), it is measured again.
  public func gradientNorm() -> GradientNorm {
    if let measured = arena.measuredNorms, let total = try? GradientNorm(combining: measured) { return total }
    return (try? gradients.totalNorm(parallelism: EngineThreads.parallelism)) ?? .zero
  }

  /// The gradient of parameter `index`, copied.
  public func gradient(of parameter: Parameter<Scalar>) -> [Scalar] { Array(arena.slot(parameter.index)) }

  /// The 2-norm of each parameter's gradient, in registration order (the order of
  /// ``gradients``): the norms backward measured, like ``gradientNorm()``, or measured again if
  /// the gradients were changed otherwise.
  public func parameterGradientNorms() -> [GradientNorm] {
    if let measured = arena.measuredNorms { return measured }
    return (try? gradients.tensorNorms(parallelism: EngineThreads.parallelism))
      ?? Array(repeating: .zero, count: parameters.count)
  }

  /// The 2-norm of each parameter's gradient, by name.
  public func gradientNorms() -> [String: Double] {
    Dictionary(uniqueKeysWithValues: zip(parameters.map(\.name), parameterGradientNorms().map(\.value)))
  }
}

/// The gradients of a ``ParameterStore``: all in one contiguous buffer, tensor by tensor, in
/// registration order, named as the parameters.
public struct ModelGradients<Scalar: GradientScalar>: GradientSet, @unchecked Sendable {
  let store: ParameterStore<Scalar>

  public var tensorCount: Int { store.parameters.count }
  public func shape(ofTensor index: Int) -> [Int] { store.parameters[index].shape }
  public func name(ofTensor index: Int) -> String? { store.parameters[index].name }

  public func withTensorBuffers<R>(_ body: (TensorBuffers<Scalar>) -> R) -> R {
    body(TensorBuffers(slicing: UnsafeBufferPointer(store.arena.buffer), at: store.arena.offsets))
  }

  public mutating func withMutableTensorBuffers<R>(_ body: (MutableTensorBuffers<Scalar>) -> R) -> R {
    store.arena.invalidateNorms()
    return body(MutableTensorBuffers(slicing: store.arena.buffer, at: store.arena.offsets))
  }
}

/// The values of the parameters of a ``ParameterStore``, each in its own buffer.
public struct ModelValues<Scalar: GradientScalar>: GradientSet, @unchecked Sendable {
  let store: ParameterStore<Scalar>

  public var tensorCount: Int { store.parameters.count }
  public func shape(ofTensor index: Int) -> [Int] { store.parameters[index].shape }
  public func name(ofTensor index: Int) -> String? { store.parameters[index].name }

  public func withTensorBuffers<R>(_ body: (TensorBuffers<Scalar>) -> R) -> R {
    body(TensorBuffers(tensors: store.parameters.map { $0.storage.readOnly }))
  }

  public mutating func withMutableTensorBuffers<R>(_ body: (MutableTensorBuffers<Scalar>) -> R) -> R {
    body(MutableTensorBuffers(tensors: store.parameters.map { $0.storage.buffer }))
  }
}
