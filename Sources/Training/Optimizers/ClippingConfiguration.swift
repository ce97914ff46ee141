import GradientClipping

/// How an optimizer clips the gradients before every update: a chain of the core's clippers,
/// applied in order, always before the update and never by a second implementation.
///
/// Three ways to say it, one mechanism:
///
/// | spelling | clipper | matches |
/// |---|---|---|
/// | ``clipGradNorm(maxNorm:normType:eps:)`` | `GlobalNormClipper`, formula `.pytorch(epsilon:)` | `torch.nn.utils.clip_grad_norm_` before `optimizer.step()` |
/// | ``clipGradValue(_:)`` | `ValueClipper` | `torch.nn.utils.clip_grad_value_` |
/// | ``init(clipNorm:globalClipNorm:clipValue:)`` with `clipNorm` | `TensorNormClipper` (each tensor on its own) | Keras `clipnorm` |
/// | ... with `globalClipNorm` | `GlobalNormClipper`, formula `.tensorflow` | Keras `global_clipnorm` |
/// | ... with `clipValue` | `ValueClipper` | Keras `clipvalue` |
/// | ``chain(_:)`` | any clippers, in order | optax `chain(clip..., optimizer)` |
/// | ``adaptive(_:then:)`` | `AdaptiveGradientClipper` (AGC, relative to the parameters), then any clippers | optax `chain(adaptive_grad_clip(...), optimizer)` |
///
/// A non-finite gradient is caught before the chain runs (see ``NonFiniteGradientPolicy``), so the
/// clippers' own non-finite policies never come into play inside an optimizer.
///
/// Before the chain runs, the arguments of every core clipper in it are checked, so an invalid
/// threshold throws with nothing modified. A custom clipper cannot be checked beforehand: if it
/// throws, the stages before it have already clipped the gradients (the parameters and the
/// optimizer's state are still untouched).
///
/// Cost: a chain that starts with a `GlobalNormClipper` measures the norm once, and that pass
/// also detects non-finite gradients; any other chain makes one extra read pass (the largest
/// magnitude) to detect them. With a precomputed norm (the optimizers' `step(values:gradients:gradientNorm:)`)
/// a single global-norm clipper costs no pass at all.
///
/// ```swift
/// // PyTorch: clip_grad_norm_(params, 1.0); opt.step()
/// var sgd = SGD<Float>(learningRate: 0.1, clipping: .clipGradNorm(maxNorm: 1))
/// // Keras: SGD(clipnorm=1.0)
/// var keras = SGD<Float>.keras(clipping: try ClippingConfiguration(clipNorm: 1))
/// // optax: chain(clip(0.5), clip_by_global_norm(1.0), sgd)
/// var chained = SGD<Float>(
///   learningRate: 0.1,
///   clipping: .chain(ValueClipper(clipValue: 0.5), GlobalNormClipper(maxNorm: 1, formula: .tensorflow)))
/// ```
public struct ClippingConfiguration: Sendable {
  /// The clippers, applied in order before every update.
  public var clippers: [any GradientClipper & Sendable]

  /// Unit-wise adaptive clipping (AGC), applied first, with the parameters' values as its
  /// reference; `nil` for none.
  public var adaptiveClipper: AdaptiveGradientClipper?

  /// A chain of `clippers`, applied in order.
  public init(_ clippers: [any GradientClipper & Sendable] = []) {
    self.clippers = clippers
  }

  /// AGC (Brock et al. 2021) before every update, relative to the parameters the optimizer
  /// updates, then `clippers` in order: optax's `chain(adaptive_grad_clip(clipping), ...)`.
  ///
  /// ```swift
  /// var sgd = SGD<Float>(
  ///   learningRate: 0.1, clipping: .adaptive(AdaptiveGradientClipper(clipping: 0.01, excludedTensorNames: ["head.weight"])))
  /// ```
  public static func adaptive(
    _ clipper: AdaptiveGradientClipper, then clippers: any GradientClipper & Sendable...
  ) -> ClippingConfiguration {
    var configuration = ClippingConfiguration(clippers)
    configuration.adaptiveClipper = clipper
    return configuration
  }

  /// Keras's optimizer options: at most one of `clipNorm` (each tensor clipped to this 2-norm,
  /// `TensorNormClipper`), `globalClipNorm` (all tensors together, `GlobalNormClipper` with the
  /// TensorFlow formula, no epsilon) and `clipValue` (`ValueClipper`). As in Keras, a value of 0
  /// means no clipping.
  ///
  /// - Throws: ``OptimizerError/invalidHyperparameter(name:value:requirement:)`` if more than one
  ///   is set (Keras raises the same), or if one is negative, NaN or infinite.
  public init(clipNorm: Double? = nil, globalClipNorm: Double? = nil, clipValue: Double? = nil) throws(OptimizerError) {
    let given = [("clipNorm", clipNorm), ("globalClipNorm", globalClipNorm), ("clipValue", clipValue)]
      .compactMap { name, value in value.map { (name, $0) } }
    if given.count > 1 {
      throw .invalidHyperparameter(
        name: given[1].0, value: given[1].1,
        requirement: "only one of clipNorm, globalClipNorm and clipValue can be set")
    }
    for (name, value) in given { try OptimizerError.requireNonNegative(value, name: name) }
    if let clipNorm, clipNorm > 0 {
      self.init([TensorNormClipper(maxNorm: clipNorm)])
    } else if let globalClipNorm, globalClipNorm > 0 {
      self.init([GlobalNormClipper(maxNorm: globalClipNorm, formula: .tensorflow)])
    } else if let clipValue, clipValue > 0 {
      self.init([ValueClipper(clipValue: clipValue)])
    } else {
      self.init()
    }
  }

  /// No clipping.
  public static var none: ClippingConfiguration { ClippingConfiguration() }

  /// PyTorch's `clip_grad_norm_` before every step: all gradients scaled by
  /// `min(1, maxNorm / (total + eps))`.
  public static func clipGradNorm(
    maxNorm: Double, normType: NormOrder = .two, eps: Double = 1e-6
  )
    -> ClippingConfiguration
  {
    ClippingConfiguration([GlobalNormClipper(maxNorm: maxNorm, order: normType, formula: .pytorch(epsilon: eps))])
  }

  /// PyTorch's `clip_grad_value_` before every step: every element clamped into
  /// `[-clipValue, clipValue]`.
  public static func clipGradValue(_ clipValue: Double) -> ClippingConfiguration {
    ClippingConfiguration([ValueClipper(clipValue: clipValue)])
  }

  /// The given clippers applied in order, optax style.
  public static func chain(_ clippers: any GradientClipper & Sendable...) -> ClippingConfiguration {
    ClippingConfiguration(clippers)
  }

  /// Whether there is nothing to apply.
  public var isEmpty: Bool { clippers.isEmpty && adaptiveClipper == nil }
}
