/// A p-norm of gradients, kept in a form that can be combined with others exactly.
///
/// Returned by ``GradientSet/totalNorm(order:parallelism:)`` and
/// ``GradientSet/tensorNorms(order:parallelism:)``. ``value`` is the norm. Internally the norm
/// is held as `scale^p * sum` with a power-of-two `scale`, so that norms of several gradient
/// sets (several model parts, several devices) combine into the norm of their union without
/// overflow or loss: ``init(combining:)``. Pass the result to a clipper's `clip(_:withNorm:)`.
///
/// ```swift
/// let encoder = try encoderGradients.totalNorm()
/// let decoder = try decoderGradients.totalNorm()
/// let total = try GradientNorm(combining: [encoder, decoder])
/// try clipper.clip(&encoderGradients, withNorm: total)
/// try clipper.clip(&decoderGradients, withNorm: total)
/// ```
public struct GradientNorm: Sendable, Hashable, CustomStringConvertible {
  /// The order p of the norm.
  public let order: NormOrder

  let powerSum: PowerSum
  let kind: NormKind

  init(powerSum: PowerSum, order: NormOrder) {
    self.order = order
    self.powerSum = powerSum
    self.kind = NormKind(order: order.value)
  }

  /// The norm of nothing, or of zeros: 0, in order 2.
  public static let zero = GradientNorm(powerSum: .zero, order: .two)

  /// A norm known only as a number, for example one reduced across processes.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` if `value` is
  ///   negative or `order` is not > 0. A NaN or infinite `value` is accepted: the clipper's
  ///   ``NonFiniteNormPolicy`` decides what it means.
  public init(value: Double, order: NormOrder = .two) throws(ClippingError) {
    let kind = try order.validated(argument: "order")
    guard !(value < 0) else {
      throw .invalidArgument(name: "value", value: value, requirement: "a norm must be >= 0")
    }
    // value = scale * root with a power-of-two scale, so that value^p cannot overflow.
    var powerSum = PowerSum.nonFinite(value)
    if value.isFinite && value > 0, case .infinity = kind {
      powerSum = PowerSum(scale: 1, sum: value)
    } else if value.isFinite && value > 0 {
      let scale = Double(sign: .plus, exponent: value.exponent, significand: 1)
      powerSum = PowerSum(scale: scale, sum: kind.power(value / scale))
    } else if value == 0 {
      powerSum = .zero
    }
    self.init(powerSum: powerSum, order: order)
  }

  /// The 2-norm whose square is `sumOfSquares`, for an engine that summed the squares itself
  /// (in `Double`, where they cannot overflow): no square root and no rescaling. NaN or an
  /// infinity gives that norm.
  ///
  /// - Precondition: `sumOfSquares` is not negative.
  package init(sumOfSquares: Double) {
    precondition(!(sumOfSquares < 0), "GradientNorm(sumOfSquares:): \(sumOfSquares) is negative")
    let powerSum = sumOfSquares.isFinite ? PowerSum(scale: 1, sum: sumOfSquares) : .nonFinite(sumOfSquares)
    self.init(powerSum: sumOfSquares == 0 ? .zero : powerSum, order: .two)
  }

  /// The p-norm of one contiguous buffer, computed on the calling thread without allocating:
  /// for an engine that measures each gradient as it finishes writing it, while it is still in
  /// the cache.
  ///
  /// The same bits as ``GradientSet/totalNorm(order:parallelism:)`` of a set holding `elements`
  /// as its one tensor, and as exact; that path also builds a work plan and may spread the work
  /// over threads, which costs about a microsecond per call.
  ///
  /// Complexity: one read pass over the elements, vectorised, on the calling thread.
  ///
  /// ```swift
  /// let gradient: [Float] = [3, 4]
  /// let norm = try gradient.withUnsafeBufferPointer { try GradientNorm(of: $0) }  // 5
  /// ```
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` if `order` is NaN or
  ///   not > 0.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public init<S: GradientScalar>(of elements: UnsafeBufferPointer<S>, order: NormOrder = .two) throws(ClippingError) {
    let kind = try order.validated(argument: "order")
    // Piece by piece and combined as KernelDriver combines a segment's pieces, for the same bits.
    var segment = PowerSum.zero
    if let base = elements.baseAddress {
      var start = 0
      while start < elements.count {
        let count = Swift.min(WorkPlan.pieceLength, elements.count - start)
        segment.add(NormKernels.powerSum(base + start, count: count, kind: kind), kind: kind)
        start += count
      }
    }
    var total = PowerSum.zero
    total.add(segment, kind: kind)
    self.init(powerSum: total, order: order)
  }

  /// The norm of the union of the sets whose norms are `norms`: the p-th root of the sum of
  /// their p-th powers, or the largest for p = infinity. An empty list gives 0 (in order 2).
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` if the norms do not
  ///   all have the same order.
  public init(combining norms: [GradientNorm]) throws(ClippingError) {
    let order = norms.first?.order ?? .two
    for norm in norms where norm.order != order {
      throw .invalidArgument(
        name: "norms.order", value: norm.order.value, requirement: "every norm must have order \(order)")
    }
    let kind = NormKind(order: order.value)
    let total = norms.reduce(into: PowerSum.zero) { $0.add($1.powerSum, kind: kind) }
    self.init(powerSum: total, order: order)
  }

  /// The norm. NaN if a gradient was NaN; infinite if a gradient was infinite (or, for
  /// `Double` gradients only, if the norm exceeds `Double.greatestFiniteMagnitude`; the
  /// clippers still compute the right coefficient from the exact internal form).
  public var value: Double { powerSum.norm(kind: kind) }

  /// Whether the gradients were all finite.
  public var isFinite: Bool { powerSum.total.isFinite }

  public var description: String { "\(value) (p = \(order))" }

  /// `numerator / (value + epsilon)` without overflow.
  func quotient(_ numerator: Double, plus epsilon: Double = 0) -> Double {
    powerSum.quotient(numerator, byNormPlus: epsilon, kind: kind)
  }
}
