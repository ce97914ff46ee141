/// Per-layer per-example clipping, the per-layer form of DP-SGD's clipping (McMahan et al. 2018,
/// "Learning differentially private recurrent language models"): each example's gradient of each
/// tensor is clipped to that tensor's own threshold, then the examples are summed.
///
/// Every tensor carries a leading example axis of the same size `B`. For tensor `t` and example
/// `i`, `n_ti` is the 2-norm of example `i`'s slice of tensor `t` alone; its factor is
/// `m_ti = min(1, C_t / (n_ti + epsilon))` (1 for a zero slice); the result is
/// `sum_i m_ti * g_ti` for each tensor, without the example axis. Each example's clipped
/// contribution then has a global norm of at most `sqrt(sum_t C_t^2)`
/// (``PerExamplePerLayerClipResult/totalThreshold``): the sensitivity to calibrate DP-SGD's
/// noise to. The norms are exact for any finite magnitudes.
///
/// The thresholds ``Bound``:
/// - ``Bound/perTensor(_:)``: one threshold per tensor, in tensor order, as Opacus's
///   `max_grad_norm` list with `clipping="per_layer"` (`DPPerLayerOptimizer`, which clips each
///   parameter's per-sample gradients to its own entry and calibrates the noise to the list's
///   2-norm). Opacus's tests pass the flat threshold repeated for every parameter.
/// - ``Bound/uniform(total:)``: one total `C` split evenly, `C_t = C * sqrt(1 / K)` for `K`
///   tensors, as optax's `per_example_layer_norm_clip(..., uniform=True)` and McMahan et al.
/// - ``Bound/proportionalToSize(total:)``: `C_t = C * sqrt(D_t / D)`, `D_t` the elements of one
///   example's slice of tensor `t` and `D` their sum, as optax's `uniform=False`.
///
/// How ours differs: ``epsilon`` is 0 by default, which is optax's exact `min(1, C / n)` (optax
/// turns `0 / 0` into 1, and so do we); set it to `1e-6` for Opacus's
/// `min(1, C / (n + 1e-6))`. A zero slice always has factor 1 and is never counted as clipped.
/// A "layer" is a tensor here, as a parameter is in Opacus.
///
/// Non-finite norms follow ``nonFinitePolicy``, as in ``PerExampleClipper``:
/// ``NonFiniteNormPolicy/error`` (the default) throws naming the first example with a NaN or
/// infinite norm in any tensor; ``NonFiniteNormPolicy/skip`` leaves such an example out of every
/// tensor's sum (its backward pass is broken, so none of its layers is trusted) and counts it in
/// ``PerExamplePerLayerClipResult/skippedCount``; ``NonFiniteNormPolicy/propagate`` applies the
/// formula slice by slice (a NaN factor for a NaN norm, 0 for an infinite one).
///
/// Noise (the other half of DP-SGD) is added by the caller to the returned sums.
///
/// ```swift
/// let perExample: [GradientTensor<Float>] = ...   // weight [batch, 4, 3], bias [batch, 4]
/// let clipper = PerExamplePerLayerClipper(thresholds: [1, 0.5])
/// let result = try clipper.clipAndSum(perExample)
/// result.gradients          // the summed, clipped gradients: [4, 3] and [4]
/// result.clippedCounts      // examples scaled down, per tensor
/// result.totalThreshold     // sqrt(1 + 0.25): the noise's sensitivity
/// ```
///
/// Complexity: one read pass for the norms and one for the weighted sums.
public struct PerExamplePerLayerClipper: Sendable, Hashable {
  /// The per-tensor thresholds, given or split from a total.
  public enum Bound: Sendable, Hashable {
    /// `C_t` for each tensor `t`, in tensor order (Opacus's per-layer `max_grad_norm` list);
    /// each finite and >= 0, as many as the tensors.
    case perTensor([Double])
    /// `C_t = total * sqrt(1 / K)` for `K` tensors (optax, `uniform=True`); `total` finite and
    /// >= 0.
    case uniform(total: Double)
    /// `C_t = total * sqrt(D_t / D)`, `D_t` the elements of one example's slice of tensor `t`,
    /// `D` their sum (optax, `uniform=False`); every `C_t` is 0 when `D` is 0. `total` finite and
    /// >= 0.
    case proportionalToSize(total: Double)
  }

  /// The thresholds.
  public var bound: Bound
  /// Added to each norm before dividing: 0 (optax, the default) or `1e-6` (Opacus). Finite and
  /// >= 0.
  public var epsilon: Double
  /// What to do with an example whose norm in some tensor is NaN or infinite.
  public var nonFinitePolicy: NonFiniteNormPolicy

  /// A per-layer per-example clipper.
  public init(bound: Bound, epsilon: Double = 0, nonFinitePolicy: NonFiniteNormPolicy = .error) {
    self.bound = bound
    self.epsilon = epsilon
    self.nonFinitePolicy = nonFinitePolicy
  }

  /// A per-layer per-example clipper with one threshold per tensor (``Bound/perTensor(_:)``).
  public init(thresholds: [Double], epsilon: Double = 0, nonFinitePolicy: NonFiniteNormPolicy = .error) {
    self.init(bound: .perTensor(thresholds), epsilon: epsilon, nonFinitePolicy: nonFinitePolicy)
  }

  /// Clips each example's slice of each tensor to that tensor's threshold and sums over the
  /// examples.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming `thresholds[t]`,
  ///   `total` or `epsilon` when one is negative, NaN or infinite;
  ///   ``ClippingError/elementCountMismatch(argument:expected:actual:)`` naming `thresholds` when
  ///   their count is not the tensor count;
  ///   ``ClippingError/shapeMismatch(argument:tensorIndex:expected:actual:)`` when a tensor has no
  ///   leading axis or another example count than the first tensor;
  ///   ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` (with the example's index) under the
  ///   `error` policy. The input is never modified.
  public func clipAndSum<Gradients: GradientSet>(
    _ perExample: Gradients
  ) throws(ClippingError)
    -> PerExamplePerLayerClipResult<Gradients.Scalar>
  {
    try ClippingError.validateThreshold(epsilon, name: "epsilon")
    let shapes = perExample.shapes
    let widths = shapes.map { $0.dropFirst().reduce(1, *) }
    let thresholds = try thresholds(widths: widths)
    let examples = try PerExampleClipper.exampleCount(shapes)
    return try perExample.withTensorBuffers {
      buffers -> Result<PerExamplePerLayerClipResult<Gradients.Scalar>, ClippingError> in
      let norms = widths.indices.map { tensor in
        PerExampleClipper.exampleNorms(
          TensorBuffers(tensors: [buffers[tensor]]), examples: examples, widths: [widths[tensor]])
      }
      let weighing: Weighing
      switch weigh(norms, thresholds: thresholds, examples: examples) {
      case .success(let result): weighing = result
      case .failure(let error): return .failure(error)
      }
      let sums = PerExampleClipper.weightedSum(buffers, widths: widths, weights: weighing.weights)
      do throws(ClippingError) {
        let storage = try FlatGradientStorage(shapes: shapes.map { Array($0.dropFirst()) }, elements: sums)
        return .success(result(storage, norms: norms, thresholds: thresholds, weighing: weighing))
      } catch {
        return .failure(error)
      }
    }.get()
  }

  /// `C_t` for tensors whose example slices have `widths[t]` elements, validated.
  func thresholds(widths: [Int]) throws(ClippingError) -> [Double] {
    switch bound {
    case .perTensor(let thresholds):
      for (index, threshold) in thresholds.enumerated() {
        try ClippingError.validateThreshold(threshold, name: "thresholds[\(index)]")
      }
      guard thresholds.count == widths.count else {
        throw .elementCountMismatch(argument: "thresholds", expected: widths.count, actual: thresholds.count)
      }
      return thresholds
    case .uniform(let total):
      try ClippingError.validateThreshold(total, name: "total")
      return widths.map { _ in total * (1 / Double(widths.count)).squareRoot() }
    case .proportionalToSize(let total):
      try ClippingError.validateThreshold(total, name: "total")
      let size = Double(widths.reduce(0, +))
      return widths.map { size == 0 ? 0 : total * (Double($0) / size).squareRoot() }
    }
  }

  /// The factors `m_ti` (`weights[t][i]`) and which examples the policy left out.
  struct Weighing {
    var weights: [[Double]]
    var skipped: [Bool]
  }

  /// The factors for the norms `norms[t][i]`, or the error the policy calls for.
  private func weigh(
    _ norms: [[GradientNorm]], thresholds: [Double], examples: Int
  ) -> Result<Weighing, ClippingError> {
    let broken = (0..<examples).map { example in norms.contains { !$0[example].isFinite } }
    if nonFinitePolicy == .error, let example = broken.firstIndex(of: true),
      let tensor = norms.firstIndex(where: { !$0[example].isFinite })
    {
      return .failure(.nonFiniteNorm(norm: norms[tensor][example].value, tensorIndex: example))
    }
    let skipped = nonFinitePolicy == .skip ? broken : Array(repeating: false, count: examples)
    let weights = zip(norms, thresholds).map { tensorNorms, threshold in
      tensorNorms.enumerated().map { example, norm in
        skipped[example] ? 0 : factor(norm, threshold: threshold)
      }
    }
    return .success(Weighing(weights: weights, skipped: skipped))
  }

  /// `m = min(1, threshold / (n + epsilon))`, 1 for a zero norm; NaN or 0 for a NaN or infinite
  /// norm (the `propagate` policy).
  private func factor(_ norm: GradientNorm, threshold: Double) -> Double {
    guard norm.isFinite else { return norm.value.isNaN ? .nan : 0 }
    return norm.value == 0 ? 1 : min(1, norm.quotient(threshold, plus: epsilon))
  }

  /// The result, with the counts.
  private func result<S>(
    _ storage: FlatGradientStorage<S>, norms: [[GradientNorm]], thresholds: [Double], weighing: Weighing
  ) -> PerExamplePerLayerClipResult<S> {
    let clippedCounts = zip(norms, weighing.weights).map { tensorNorms, weights in
      tensorNorms.indices.filter { example in
        !weighing.skipped[example] && tensorNorms[example].isFinite && weights[example] < 1
      }.count
    }
    let total = (try? [thresholds].totalNorm().value) ?? .nan
    return PerExamplePerLayerClipResult(
      gradients: storage, exampleNorms: norms.map { $0.map(\.value) }, thresholds: thresholds,
      totalThreshold: total, clippedCounts: clippedCounts, skippedCount: weighing.skipped.filter { $0 }.count)
  }
}

/// What ``PerExamplePerLayerClipper/clipAndSum(_:)`` produced.
public struct PerExamplePerLayerClipResult<Scalar: GradientScalar>: Sendable {
  /// The sum over examples of the clipped gradients: each input tensor without its example axis.
  public let gradients: FlatGradientStorage<Scalar>
  /// `exampleNorms[t][i]`: the 2-norm of example `i`'s slice of tensor `t` before clipping.
  public let exampleNorms: [[Double]]
  /// `C_t`, the threshold each tensor was clipped to (given or split from a total).
  public let thresholds: [Double]
  /// `sqrt(sum_t C_t^2)`: the largest global norm one example can contribute after clipping, the
  /// sensitivity DP-SGD's noise is calibrated to (Opacus's `max_grad_norm` for per-layer
  /// clipping).
  public let totalThreshold: Double
  /// `clippedCounts[t]`: how many examples were scaled down in tensor `t` (`m_ti < 1`, finite
  /// norms, examples not skipped).
  public let clippedCounts: [Int]
  /// How many examples were left out because a norm was not finite (the `skip` policy).
  public let skippedCount: Int
}
