// Free functions named and defaulted as in PyTorch, TensorFlow and optax, for users porting
// code. Each is a thin call into one of the clipper types, never a second implementation.

/// PyTorch's `torch.nn.utils.clip_grad_norm_`: rescales all gradients by
/// `min(1, maxNorm / (total + eps))` and returns the total norm before clipping.
///
/// Defaults are PyTorch's, including `errorIfNonfinite: false` (a NaN or infinite norm
/// propagates into the gradients, as in PyTorch). ``GlobalNormClipper`` defaults to raising
/// instead. Unlike PyTorch, the norm never overflows or underflows, and `eps` (hard-coded to
/// 1e-6 in PyTorch) can be set.
///
/// ```swift
/// var gradients: [[Float]] = [[1, 2, 3, 4, 5]]
/// let total = try clipGradNorm(&gradients, maxNorm: 3)  // 7.416..., gradients scaled by 0.4045
/// ```
///
/// - Throws: ``ClippingError`` for invalid arguments, or a non-finite norm with
///   `errorIfNonfinite`; nothing is modified when it throws.
@discardableResult
public func clipGradNorm<Gradients: GradientSet>(
  _ gradients: inout Gradients, maxNorm: Double, normType: NormOrder = .two, eps: Double = 1e-6,
  errorIfNonfinite: Bool = false
) throws(ClippingError) -> Double {
  let clipper = GlobalNormClipper(
    maxNorm: maxNorm, order: normType, formula: .pytorch(epsilon: eps),
    nonFinitePolicy: errorIfNonfinite ? .error : .propagate)
  return try clipper.clip(&gradients).norm
}

/// PyTorch's `torch.nn.utils.clip_grad_value_`: clamps every element into
/// `[-clipValue, clipValue]`; NaN stays NaN. Like PyTorch it returns nothing, and so measures
/// nothing (``ValueClipper/clipWithoutReport(_:)``); ``ValueClipper/clip(_:)`` also reports the
/// largest magnitude it saw.
///
/// ```swift
/// var gradients: [[Double]] = [[0.5, -2]]
/// try clipGradValue(&gradients, clipValue: 1)  // [[0.5, -1]]
/// ```
public func clipGradValue<Gradients: GradientSet>(
  _ gradients: inout Gradients, clipValue: Double
)
  throws(ClippingError)
{
  try ValueClipper(clipValue: clipValue).clipWithoutReport(&gradients)
}

/// PyTorch's `torch.nn.utils.get_total_norm`: the p-norm of all gradients together, exact.
///
/// ```swift
/// try getTotalNorm([[3.0], [4.0]])  // 5
/// ```
///
/// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid order;
///   ``ClippingError/nonFiniteNorm(norm:tensorIndex:)`` if `errorIfNonfinite` and the norm is
///   NaN or infinite.
public func getTotalNorm<Gradients: GradientSet>(
  _ gradients: Gradients, normType: NormOrder = .two, errorIfNonfinite: Bool = false
) throws(ClippingError) -> Double {
  let norm = try gradients.totalNorm(order: normType)
  if errorIfNonfinite && !norm.isFinite { throw .nonFiniteNorm(norm: norm.value, tensorIndex: nil) }
  return norm.value
}

/// PyTorch's `torch.nn.utils.clip_grads_with_norm_`: rescales by
/// `min(1, maxNorm / (totalNorm + eps))` using a total norm computed beforehand (`eps` is
/// PyTorch's hard-coded 1e-6 unless set).
///
/// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid
///   `maxNorm`, `eps` or `totalNorm`.
public func clipGradsWithNorm<Gradients: GradientSet>(
  _ gradients: inout Gradients, maxNorm: Double, totalNorm: Double, eps: Double = 1e-6
) throws(ClippingError) {
  let norm = try GradientNorm(value: totalNorm)
  let clipper = GlobalNormClipper(maxNorm: maxNorm, formula: .pytorch(epsilon: eps), nonFinitePolicy: .propagate)
  _ = try clipper.clip(&gradients, withNorm: norm)
}

/// TensorFlow's `tf.clip_by_global_norm` and optax's `clip_by_global_norm`: rescales by
/// `clipNorm / max(globalNorm, clipNorm)` (no epsilon) and returns the global 2-norm before
/// clipping. A NaN or infinite norm makes every element NaN, as in TensorFlow and Keras.
///
/// ```swift
/// var gradients: [[Float]] = [[3, 4]]
/// let norm = try clipByGlobalNorm(&gradients, clipNorm: 1)  // 5; gradients == [[0.6, 0.8]]
/// ```
@discardableResult
public func clipByGlobalNorm<Gradients: GradientSet>(
  _ gradients: inout Gradients, clipNorm: Double
)
  throws(ClippingError) -> Double
{
  let clipper = GlobalNormClipper(maxNorm: clipNorm, formula: .tensorflow, nonFinitePolicy: .propagate)
  return try clipper.clip(&gradients).norm
}

/// TensorFlow's `tf.clip_by_norm` applied to every tensor (Keras `clipnorm`): each tensor is
/// rescaled by `clipNorm / max(norm2(t), clipNorm)`. A non-finite norm propagates, as in
/// TensorFlow.
///
/// ```swift
/// var gradients: [[Float]] = [[3, 4], [0.1]]
/// try clipByNorm(&gradients, clipNorm: 1)  // [[0.6, 0.8], [0.1]]
/// ```
public func clipByNorm<Gradients: GradientSet>(
  _ gradients: inout Gradients, clipNorm: Double
)
  throws(ClippingError)
{
  _ = try TensorNormClipper(maxNorm: clipNorm, nonFinitePolicy: .propagate).clip(&gradients)
}

/// optax's `clip_by_block_rms`: each tensor is divided by `max(1, rms(t) / threshold)`.
///
/// ```swift
/// var gradients: [[Double]] = [[3, -3]]
/// try clipByBlockRMS(&gradients, threshold: 1)  // [[1, -1]]
/// ```
public func clipByBlockRMS<Gradients: GradientSet>(
  _ gradients: inout Gradients, threshold: Double
)
  throws(ClippingError)
{
  _ = try BlockRMSClipper(threshold: threshold, nonFinitePolicy: .propagate).clip(&gradients)
}
