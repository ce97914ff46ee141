/// Clips the gradient of each example on its own and sums them: the core of DP-SGD (Abadi et
/// al. 2016) and optax's `per_example_global_norm_clip`.
///
/// Every tensor carries a leading example axis of the same size `B`. For example `i`, `n_i` is
/// the 2-norm of its slices of all tensors together; its factor is `m_i = min(1, c / n_i)` (1 for
/// a zero gradient); the result is `sum_i m_i * g_i`, tensors without the example axis. The
/// norms are exact for any finite magnitudes.
///
/// A NaN or infinite example norm follows ``nonFinitePolicy``: ``NonFiniteNormPolicy/error``
/// (the default) throws naming the example; ``NonFiniteNormPolicy/skip`` leaves that example
/// out of the sum and counts it; ``NonFiniteNormPolicy/propagate`` applies the formula (a NaN
/// factor, or 0 for an infinite norm), as optax does.
///
/// Noise (the other half of DP-SGD) is added by the caller to the returned sum. For a threshold
/// per tensor (Opacus's `clipping="per_layer"`, optax's `per_example_layer_norm_clip`), see
/// ``PerExamplePerLayerClipper``.
///
/// ```swift
/// let perExample: [GradientTensor<Float>] = ...   // each of shape [batch, ...]
/// let result = try PerExampleClipper(l2NormClip: 1).clipAndSum(perExample)
/// result.gradients          // the summed, clipped gradients
/// result.clippedCount       // how many examples were scaled down
/// ```
///
/// Complexity: one read pass for the norms and one for the weighted sum.
public struct PerExampleClipper: Sendable, Hashable {
  /// The largest norm of one example's gradient; finite and >= 0.
  public var l2NormClip: Double
  /// What to do with an example whose norm is NaN or infinite.
  public var nonFinitePolicy: NonFiniteNormPolicy

  /// A per-example clipper.
  public init(l2NormClip: Double, nonFinitePolicy: NonFiniteNormPolicy = .error) {
    self.l2NormClip = l2NormClip
    self.nonFinitePolicy = nonFinitePolicy
  }

  /// Clips each example's gradient to ``l2NormClip`` and sums over the examples.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid
  ///   `l2NormClip`; ``ClippingError/shapeMismatch(argument:tensorIndex:expected:actual:)`` when a
  ///   tensor has no leading axis or another example count than the first tensor;
  ///   ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` (with the example's index) under the
  ///   `error` policy. The input is never modified.
  public func clipAndSum<Gradients: GradientSet>(
    _ perExample: Gradients
  ) throws(ClippingError)
    -> PerExampleClipResult<Gradients.Scalar>
  {
    try ClippingError.validateThreshold(l2NormClip, name: "l2NormClip")
    let shapes = perExample.shapes
    let examples = try Self.exampleCount(shapes)
    let summedShapes = shapes.map { Array($0.dropFirst()) }
    return try perExample.withTensorBuffers {
      buffers -> Result<PerExampleClipResult<Gradients.Scalar>, ClippingError> in
      let widths = summedShapes.map { $0.reduce(1, *) }
      let norms = Self.exampleNorms(buffers, examples: examples, widths: widths)
      var weights: [Double] = []
      for (example, norm) in norms.enumerated() {
        switch factor(norm, example: example) {
        case .success(let weight): weights.append(weight)
        case .failure(let error): return .failure(error)
        }
      }
      let sums = Self.weightedSum(buffers, widths: widths, weights: widths.map { _ in weights })
      let storage: FlatGradientStorage<Gradients.Scalar>
      do throws(ClippingError) {
        storage = try FlatGradientStorage(shapes: summedShapes, elements: sums)
      } catch {
        return .failure(error)
      }
      return .success(
        PerExampleClipResult(
          gradients: storage, exampleNorms: norms.map(\.value),
          clippedCount: zip(norms, weights).filter { $0.0.isFinite && $0.1 < 1 }.count,
          skippedCount: nonFinitePolicy == .skip ? norms.filter { !$0.isFinite }.count : 0))
    }.get()
  }

  /// `m_i`, or the error the policy calls for.
  private func factor(_ norm: GradientNorm, example: Int) -> Result<Double, ClippingError> {
    if !norm.isFinite {
      switch nonFinitePolicy {
      case .error: return .failure(.nonFiniteNorm(norm: norm.value, tensorIndex: example))
      case .skip: return .success(0)
      case .propagate: return .success(norm.value.isNaN ? .nan : 0)
      }
    }
    return .success(norm.value == 0 ? 1 : min(1, norm.quotient(l2NormClip)))
  }

  /// The common leading size `B` of every tensor.
  static func exampleCount(_ shapes: [[Int]]) throws(ClippingError) -> Int {
    guard let first = shapes.first else { return 0 }
    guard let examples = first.first else {
      throw .shapeMismatch(argument: "perExample", tensorIndex: 0, expected: [0], actual: first)
    }
    for (index, shape) in shapes.enumerated() where shape.first != examples {
      throw .shapeMismatch(
        argument: "perExample", tensorIndex: index, expected: [examples] + shape.dropFirst(), actual: shape)
    }
    return examples
  }

  /// The 2-norm of each example's slices of all tensors together.
  /// `widths[t]` is the element count of one example's slice of tensor `t`.
  static func exampleNorms<S>(_ buffers: TensorBuffers<S>, examples: Int, widths: [Int]) -> [GradientNorm] {
    (0..<examples).map { example in
      let slices = widths.enumerated().map { tensor, width in
        UnsafeBufferPointer(rebasing: buffers[tensor][example * width..<(example + 1) * width])
      }
      let driver = KernelDriver<S>(tensorsOf: TensorBuffers(tensors: slices), parallelism: .serial)
      return GradientNorm(powerSum: driver.totalPowerSum(kind: .two), order: .two)
    }
  }

  /// `sum_i weights[t][i] * g_i` for each tensor `t`, tensor after tensor, examples added in
  /// order; an example of weight 0 is left out (so an infinite element times 0 adds nothing).
  static func weightedSum<S>(_ buffers: TensorBuffers<S>, widths: [Int], weights: [[Double]]) -> [S] {
    var sums: [S] = []
    for (tensor, width) in widths.enumerated() {
      let whole = buffers[tensor]
      var total = [S](repeating: 0, count: width)
      for (example, weight) in weights[tensor].enumerated() where weight != 0 {
        let scale = S(weight)
        for offset in 0..<width { total[offset] += scale * whole[example * width + offset] }
      }
      sums += total
    }
    return sums
  }
}

/// What ``PerExampleClipper/clipAndSum(_:)`` produced.
public struct PerExampleClipResult<Scalar: GradientScalar>: Sendable {
  /// The sum over examples of the clipped gradients: each input tensor without its example axis.
  public let gradients: FlatGradientStorage<Scalar>
  /// Each example's gradient norm before clipping.
  public let exampleNorms: [Double]
  /// How many examples were scaled down (`m_i < 1`, finite norms only).
  public let clippedCount: Int
  /// How many examples were left out because their norm was not finite (the `skip` policy).
  public let skippedCount: Int
}
