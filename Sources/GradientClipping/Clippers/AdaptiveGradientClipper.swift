/// Unit-wise adaptive gradient clipping, AGC (Brock et al. 2021, "High-performance large-scale
/// image recognition without normalization"): each unit's gradient is clipped relative to the
/// norm of the unit's parameters.
///
/// For each unit `u` (see ``UnitLayout``): `max = clipping * max(||W_u||, epsilon)`; if
/// `||G_u|| >= max`, then `G_u *= max / max(||G_u||, 1e-6)` (optax's `adaptive_grad_clip`).
/// The paper leaves the final classifier out: name it in ``excludedTensorNames``.
///
/// Differences from optax: norms are exact for any finite magnitudes; the unit layout is a
/// choice (optax's own layout is ``UnitLayout/optax``; PyTorch-style weights put output units
/// first, the default here); a NaN or infinite unit norm follows ``nonFinitePolicy``.
///
/// ```swift
/// var gradients = store.gradients
/// let report = try AdaptiveGradientClipper(clipping: 0.01, excludedTensorNames: ["head.weight", "head.bias"])
///   .clip(&gradients, parameters: store.values)
/// ```
public struct AdaptiveGradientClipper: Sendable, Hashable {
  /// Which elements of a tensor form one unit.
  public enum UnitLayout: Sendable, Hashable {
    /// Each slice along the first dimension is a unit (a row of a PyTorch `Linear` weight, an
    /// output channel of a `Conv2d` kernel); tensors of 0 or 1 dimensions are one unit.
    case outputUnitsFirst
    /// optax's layout: norms run over the first dimension (2-D and 3-D tensors) or the first
    /// three (4-D, HWIO kernels), so units lie along the remaining axes; 0-D and 1-D tensors
    /// are one unit.
    case optax
  }

  /// The ratio of gradient norm to parameter norm allowed; finite and >= 0.
  public var clipping: Double
  /// The smallest parameter norm used, so that zero-initialised units can still move.
  public var epsilon: Double
  /// Which elements form a unit.
  public var layout: UnitLayout
  /// Tensors left unclipped (by ``GradientSet/name(ofTensor:)``).
  public var excludedTensorNames: Set<String>
  /// What to do when a unit's gradient or parameter norm is NaN or infinite.
  public var nonFinitePolicy: NonFiniteNormPolicy

  /// An AGC clipper.
  public init(
    clipping: Double, epsilon: Double = 1e-3, layout: UnitLayout = .outputUnitsFirst,
    excludedTensorNames: Set<String> = [], nonFinitePolicy: NonFiniteNormPolicy = .error
  ) {
    self.clipping = clipping
    self.epsilon = epsilon
    self.layout = layout
    self.excludedTensorNames = excludedTensorNames
    self.nonFinitePolicy = nonFinitePolicy
  }

  /// Clips `gradients` unit by unit relative to `parameters`, which must have the same shapes.
  ///
  /// - Returns: a report whose `tensorCoefficients` are each tensor's smallest unit factor and
  ///   whose `norm` is the global 2-norm of the gradients before clipping.
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid
  ///   `clipping` or `epsilon`; ``ClippingError/elementCountMismatch(argument:expected:actual:)``
  ///   or ``ClippingError/shapeMismatch(argument:tensorIndex:expected:actual:)`` when the
  ///   parameters do not match; ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` under the
  ///   `error` policy. Nothing is modified when it throws.
  public func clip<Gradients: GradientSet, Parameters: GradientSet>(
    _ gradients: inout Gradients, parameters: Parameters
  ) throws(ClippingError) -> ClippingReport where Gradients.Scalar == Parameters.Scalar {
    try ClippingError.validateThreshold(clipping, name: "clipping")
    try ClippingError.validateThreshold(epsilon, name: "epsilon")
    try Self.checkShapes(gradients, parameters)
    let plans = (0..<gradients.tensorCount).map { index in
      excludedTensorNames.contains(gradients.name(ofTensor: index) ?? "\u{0}")
        ? nil : UnitPlan(shape: gradients.shape(ofTensor: index), layout: layout)
    }
    return try parameters.withTensorBuffers { weights in
      gradients.withMutableTensorBuffers { grads in
        apply(plans, gradients: grads, parameters: weights)
      }
    }.get()
  }

  private func apply<S: GradientScalar>(
    _ plans: [UnitPlan?], gradients: MutableTensorBuffers<S>, parameters: TensorBuffers<S>
  ) -> Result<ClippingReport, ClippingError> {
    let units = UnitNorms(plans: plans, gradients: gradients, parameters: parameters)
    let globalNorm = units.globalNorm
    var factors: [[Double]] = []
    for (index, plan) in plans.enumerated() {
      guard plan != nil else {
        factors.append([])
        continue
      }
      var tensorFactors: [Double] = []
      for (gradientNorm, parameterNorm) in zip(units.gradients[index], units.parameters[index]) {
        if !(gradientNorm.isFinite && parameterNorm.isFinite) && nonFinitePolicy != .propagate {
          if nonFinitePolicy == .error {
            return .failure(
              .nonFiniteNorm(norm: gradientNorm.isFinite ? parameterNorm : gradientNorm, tensorIndex: index))
          }
          return .success(
            ClippingReport(norm: globalNorm, threshold: clipping, coefficient: 1, outcome: .skippedNonFinite))
        }
        let limit = clipping * max(parameterNorm, epsilon)
        tensorFactors.append(gradientNorm >= limit && gradientNorm > 0 ? limit / max(gradientNorm, 1e-6) : 1)
      }
      factors.append(tensorFactors)
    }
    units.scale(gradients, by: factors)
    let smallest = factors.map { $0.min() ?? 1 }
    let overall = smallest.min() ?? 1
    return .success(
      ClippingReport(
        norm: globalNorm, threshold: clipping, coefficient: overall, outcome: overall < 1 ? .clipped : .unchanged,
        tensorNorms: [], tensorCoefficients: smallest))
  }

  private static func checkShapes<G: GradientSet, P: GradientSet>(_ gradients: G, _ parameters: P) throws(ClippingError)
  {
    guard gradients.tensorCount == parameters.tensorCount else {
      throw .elementCountMismatch(
        argument: "parameters", expected: gradients.tensorCount, actual: parameters.tensorCount)
    }
    for index in 0..<gradients.tensorCount where gradients.shape(ofTensor: index) != parameters.shape(ofTensor: index) {
      throw .shapeMismatch(
        argument: "parameters", tensorIndex: index, expected: gradients.shape(ofTensor: index),
        actual: parameters.shape(ofTensor: index))
    }
  }
}

/// Where the units of one tensor are: `count` units, unit `u`'s elements at
/// `u * unitStride + j * elementStride` for `j` in `0..<unitLength`.
struct UnitPlan {
  let count: Int
  let unitLength: Int
  let unitStride: Int
  let elementStride: Int

  init(shape: [Int], layout: AdaptiveGradientClipper.UnitLayout) {
    let total = shape.reduce(1, *)
    guard shape.count >= 2 else {
      (count, unitLength, unitStride, elementStride) = (1, total, 0, 1)
      return
    }
    switch layout {
    case .outputUnitsFirst:
      (count, unitLength, unitStride, elementStride) = (shape[0], total / max(shape[0], 1), total / max(shape[0], 1), 1)
    case .optax:
      // Norms over the leading axis (axes 0-2 for 4-D): units are the trailing positions.
      let reduced = shape.count == 4 ? shape[0] * shape[1] * shape[2] : shape[0]
      let units = reduced == 0 ? 0 : total / reduced
      (count, unitLength, unitStride, elementStride) = (units, reduced, 1, units)
    }
  }

  /// Whether the elements of each unit lie next to each other.
  var isContiguous: Bool { elementStride == 1 }

  /// The base address of each unit of the tensor at `base`.
  func unitBases<S: GradientScalar>(_ base: UnsafeMutablePointer<S>?, as _: S.Type) -> [UnsafeMutableRawPointer?] {
    guard let base else { return Array(repeating: nil, count: count) }
    return (0..<count).map { UnsafeMutableRawPointer(base + $0 * unitStride) }
  }

  /// The exact 2-norm of each unit of a strided layout (optax's), unit by unit.
  func stridedUnitNorms<S: GradientScalar>(_ elements: UnsafeBufferPointer<S>) -> [Double] {
    (0..<count).map { unit in
      var values: [S] = []
      values.reserveCapacity(unitLength)
      for j in 0..<unitLength { values.append(elements[unit * unitStride + j * elementStride]) }
      return (try? [values].totalNorm().value) ?? .nan
    }
  }

  /// Multiplies unit `u` of a strided layout by `factors[u]`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func scaleStridedUnits<S: GradientScalar>(_ elements: UnsafeMutableBufferPointer<S>, by factors: [Double]) {
    guard let base = elements.baseAddress else { return }
    for (unit, factor) in factors.enumerated() where factor != 1 {
      let scale = S(factor)
      let start = base + unit * unitStride
      for j in 0..<unitLength { start[j * elementStride] *= scale }
    }
  }
}

/// The unit norms of gradients and parameters: the units of every contiguous tensor measured in
/// one kernel pass each (all units of all tensors as segments, spread over threads), strided
/// tensors unit by unit.
struct UnitNorms<S: GradientScalar> {
  /// Per tensor, the 2-norm of each unit's gradient (empty for excluded tensors).
  var gradients: [[Double]]
  /// Per tensor, the 2-norm of each unit's parameters.
  var parameters: [[Double]]
  /// The global 2-norm of the gradients, combined exactly from the units' and the excluded
  /// tensors' norms (no pass of its own over the units).
  var globalNorm: Double
  private let plans: [UnitPlan?]
  private let contiguousBases: [UnsafeMutableRawPointer?]
  private let contiguousLengths: [Int]

  init(plans: [UnitPlan?], gradients: MutableTensorBuffers<S>, parameters: TensorBuffers<S>) {
    self.plans = plans
    var gradientBases: [UnsafeMutableRawPointer?] = []
    var parameterBases: [UnsafeMutableRawPointer?] = []
    var lengths: [Int] = []
    for (index, plan) in plans.enumerated() {
      guard let plan, plan.isContiguous else { continue }
      gradientBases += plan.unitBases(gradients[index].baseAddress, as: S.self)
      parameterBases += plan.unitBases(UnsafeMutablePointer(mutating: parameters[index].baseAddress), as: S.self)
      lengths += Array(repeating: plan.unitLength, count: plan.count)
    }
    let measure = { (bases: [UnsafeMutableRawPointer?], lengths: [Int]) in
      KernelDriver<S>(segments: (bases, lengths), parallelism: .automatic).segmentPowerSums(kind: .two)
        .map { GradientNorm(powerSum: $0, order: .two) }
    }
    let gradientUnits = measure(gradientBases, lengths)
    let (gradientNorms, parameterNorms) = (gradientUnits.map(\.value), measure(parameterBases, lengths).map(\.value))
    let excluded = plans.indices.filter { plans[$0] == nil }
    let excludedNorms = measure(
      excluded.map { UnsafeMutableRawPointer(gradients[$0].baseAddress) }, excluded.map { gradients[$0].count })
    var stridedNorms: [GradientNorm] = []
    var next = 0
    self.gradients = []
    self.parameters = []
    for (index, plan) in plans.enumerated() {
      guard let plan else {
        self.gradients.append([])
        self.parameters.append([])
        continue
      }
      if plan.isContiguous {
        self.gradients.append(Array(gradientNorms[next..<next + plan.count]))
        self.parameters.append(Array(parameterNorms[next..<next + plan.count]))
        next += plan.count
      } else {
        self.gradients.append(plan.stridedUnitNorms(UnsafeBufferPointer(gradients[index])))
        self.parameters.append(plan.stridedUnitNorms(parameters[index]))
        stridedNorms += self.gradients[index].map { (try? GradientNorm(value: $0)) ?? GradientNorm.zero }
      }
    }
    globalNorm = (try? GradientNorm(combining: gradientUnits + excludedNorms + stridedNorms).value) ?? .nan
    contiguousBases = gradientBases
    contiguousLengths = lengths
  }

  /// Multiplies each unit by its factor (`factors[tensor][unit]`): the contiguous ones in one
  /// kernel pass, spread over threads.
  func scale(_ gradients: MutableTensorBuffers<S>, by factors: [[Double]]) {
    var contiguousFactors: [S] = []
    contiguousFactors.reserveCapacity(contiguousLengths.count)
    for (index, plan) in plans.enumerated() {
      guard let plan else { continue }
      if plan.isContiguous {
        contiguousFactors += factors[index].map { S($0) }
      } else {
        plan.scaleStridedUnits(gradients[index], by: factors[index])
      }
    }
    KernelDriver<S>(segments: (contiguousBases, contiguousLengths), parallelism: .automatic)
      .scale(by: contiguousFactors)
  }
}
