/// Rescales all gradients together so that their global p-norm is at most `maxNorm`.
///
/// The global norm is the p-norm of every element of every tensor, as if concatenated. Two
/// formulas are in use and both are here, chosen with ``Formula``:
///
/// | formula | coefficient | matches |
/// |---|---|---|
/// | ``Formula/pytorch(epsilon:)`` | `min(1, maxNorm / (norm + epsilon))`, epsilon 1e-6 | `torch.nn.utils.clip_grad_norm_` |
/// | ``Formula/tensorflow`` | `maxNorm / max(norm, maxNorm)` | `tf.clip_by_global_norm`, Keras `global_clipnorm`, optax `clip_by_global_norm` |
///
/// Every gradient is multiplied by the coefficient. With PyTorch's formula a gradient exactly at
/// the threshold is still scaled by `maxNorm / (maxNorm + 1e-6)`, just below 1, and the clipped
/// norm lands just under `maxNorm`; the TensorFlow formula leaves it alone and clips to exactly
/// `maxNorm`. When the coefficient is 1 no pass over the gradients is made.
///
/// Differences from the frameworks, all deliberate:
/// - The norm is exact for any finite magnitudes (PyTorch and TensorFlow overflow to infinity
///   when a `Float` sum of squares exceeds 3.4e38, and then zero or NaN every gradient).
/// - A NaN or infinite norm follows ``nonFinitePolicy``, by default
///   ``NonFiniteNormPolicy/error`` (PyTorch propagates by default).
/// - With `maxNorm` 0 and all-zero gradients, the TensorFlow formula here leaves the zeros
///   (TensorFlow computes 0/0 and returns NaN).
/// - Under ``NonFiniteNormPolicy/propagate`` the TensorFlow formula makes every element NaN for
///   a NaN or infinite norm, as `tf.clip_by_global_norm` and Keras do; optax instead gives 0
///   for the finite elements of a set with an infinite norm.
///
/// Complexity: one read pass for the norm, and one read-write pass only when clipping;
/// vectorised, spread over cores, the same bits on any number of threads.
///
/// ```swift
/// var gradients: [[Float]] = [[1, 2, 3, 4, 5]]          // norm 7.416
/// let report = try GlobalNormClipper(maxNorm: 3).clip(&gradients)
/// // report.norm == 7.416..., gradients[0] ≈ [0.4045, 0.809, 1.2136, 1.618, 2.0226]
/// ```
public struct GlobalNormClipper: GradientClipper, Sendable, Hashable {
  /// How the coefficient is computed from the norm; see ``GlobalNormClipper``.
  public enum Formula: Sendable, Hashable {
    /// `min(1, maxNorm / (norm + epsilon))` (PyTorch, epsilon 1e-6 by default).
    case pytorch(epsilon: Double = 1e-6)
    /// `maxNorm / max(norm, maxNorm)`, no epsilon (TensorFlow, Keras, optax).
    case tensorflow
  }

  /// The largest global norm allowed; finite and >= 0.
  public var maxNorm: Double
  /// The order of the norm.
  public var order: NormOrder
  /// The coefficient formula.
  public var formula: Formula
  /// What to do when the norm is NaN or infinite.
  public var nonFinitePolicy: NonFiniteNormPolicy
  /// How many threads the kernels may use; results do not depend on it.
  public var parallelism: Parallelism

  /// Creates a global-norm clipper.
  public init(
    maxNorm: Double, order: NormOrder = .two, formula: Formula = .pytorch(),
    nonFinitePolicy: NonFiniteNormPolicy = .error, parallelism: Parallelism = .automatic
  ) {
    self.maxNorm = maxNorm
    self.order = order
    self.formula = formula
    self.nonFinitePolicy = nonFinitePolicy
    self.parallelism = parallelism
  }

  /// Measures the global norm and rescales the gradients if it exceeds ``maxNorm``.
  ///
  /// - Returns: a report whose `norm` is the global norm before clipping.
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid
  ///   `maxNorm`, `epsilon` or `order`; ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` under
  ///   the `error` policy. Nothing is modified when it throws.
  public func clip<Gradients: GradientSet>(_ gradients: inout Gradients) throws(ClippingError) -> ClippingReport {
    let kind = try validated()
    return try gradients.withMutableTensorBuffers { buffers in
      let driver = KernelDriver(elementsOf: buffers, parallelism: parallelism)
      let norm = GradientNorm(powerSum: driver.totalPowerSum(kind: kind), order: order)
      return apply(decide(norm).effective(in: Gradients.Scalar.self), for: norm, with: driver)
    }.get()
  }

  /// Rescales the gradients using a norm measured beforehand: the second half of
  /// ``clip(_:)``, for a norm combined from several places (``GradientNorm/init(combining:)``).
  ///
  /// - Throws: as ``clip(_:)``, and ``ClippingError/invalidArgument(name:value:requirement:)``
  ///   if `norm` has another order than ``order``.
  public func clip<Gradients: GradientSet>(
    _ gradients: inout Gradients, withNorm norm: GradientNorm
  )
    throws(ClippingError) -> ClippingReport
  {
    let decision = try checkedDecision(forNorm: norm, as: Gradients.Scalar.self)
    guard case .scale = decision else { return try report(norm, decision).get() }
    return try gradients.withMutableTensorBuffers { buffers in
      apply(decision, for: norm, with: KernelDriver(elementsOf: buffers, parallelism: parallelism))
    }.get()
  }

  /// What ``clip(_:withNorm:)`` would report for gradients of `scalar` whose norm is `norm`,
  /// without any gradients: for an optimizer that applies the coefficient inside its own update
  /// (the report's ``ClippingReport/coefficient`` when its outcome is ``ClippingReport/Outcome/clipped``,
  /// else 1). A coefficient that would round to 1 in `scalar` reports no clipping, as `clip` does.
  ///
  /// Complexity: O(1); no pass over anything.
  ///
  /// ```swift
  /// let clipper = GlobalNormClipper(maxNorm: 1)
  /// let report = try clipper.report(forNorm: GradientNorm(value: 4), as: Float.self)
  /// // report.outcome == .clipped, report.coefficient ≈ 0.25
  /// ```
  ///
  /// - Throws: as ``clip(_:withNorm:)``.
  public func report<Scalar: GradientScalar>(
    forNorm norm: GradientNorm, as scalar: Scalar.Type
  ) throws(ClippingError) -> ClippingReport {
    try report(norm, checkedDecision(forNorm: norm, as: scalar)).get()
  }

  /// Checks the arguments (`maxNorm`, `epsilon`, `order`) without clipping anything.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming the first
  ///   invalid argument.
  public func validate() throws(ClippingError) {
    _ = try validated()
  }

  /// The coefficient this clipper would apply for a norm of `norm` (NaN for a NaN norm).
  public func coefficient(forNorm norm: GradientNorm) -> Double {
    switch formula {
    case .pytorch(let epsilon):
      return norm.value.isNaN ? .nan : min(1, norm.quotient(maxNorm, plus: epsilon))
    case .tensorflow:
      // TensorFlow and Keras turn every element into NaN for an infinite norm (optax gives 0).
      return !norm.isFinite ? .nan : norm.value <= maxNorm ? 1 : norm.quotient(maxNorm)
    }
  }

  private func validated() throws(ClippingError) -> NormKind {
    try ClippingError.validateThreshold(maxNorm, name: "maxNorm")
    if case .pytorch(let epsilon) = formula {
      try ClippingError.validateThreshold(epsilon, name: "epsilon")
    }
    return try order.validated(argument: "order")
  }

  /// The decision for `norm` on gradients of `scalar`, after checking the arguments and the
  /// norm's order.
  private func checkedDecision<Scalar: GradientScalar>(
    forNorm norm: GradientNorm, as _: Scalar.Type
  ) throws(ClippingError) -> ScalingDecision {
    _ = try validated()
    guard norm.order == order else {
      throw .invalidArgument(name: "norm.order", value: norm.order.value, requirement: "must equal order (\(order))")
    }
    return decide(norm).effective(in: Scalar.self)
  }

  private func decide(_ norm: GradientNorm) -> ScalingDecision {
    ScalingDecision.deciding(norm: norm.value, isFinite: norm.isFinite, tensorIndex: nil, policy: nonFinitePolicy) {
      coefficient(forNorm: norm)
    }
  }

  private func apply<S>(
    _ decision: ScalingDecision, for norm: GradientNorm, with driver: KernelDriver<S>
  ) -> Result<ClippingReport, ClippingError> {
    if case .scale(let coefficient) = decision { driver.scale(by: S(coefficient)) }
    return report(norm, decision)
  }

  private func report(_ norm: GradientNorm, _ decision: ScalingDecision) -> Result<ClippingReport, ClippingError> {
    if case .fail(let error) = decision { return .failure(error) }
    return .success(
      ClippingReport(
        norm: norm.value, threshold: maxNorm, coefficient: decision.coefficient,
        outcome: .init(decision, normIsFinite: norm.isFinite)))
  }
}
