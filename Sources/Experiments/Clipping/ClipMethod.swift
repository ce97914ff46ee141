import GradientClipping
import Training

/// A ``ClipSpec`` made into the core clipper it names, ready to clip a model's gradients step
/// after step (stateful methods keep their history here).
///
/// Every clipper is the core's own; this type only gives them one calling convention for the run
/// loop: the gradients, the parameter values (for AGC) and the global norm that backward measured
/// (so the global-norm methods make no second norm pass). Non-finite norms are never raised: the
/// clipper skips the step, and the run records it.
///
/// ```swift
/// var method = try ClipMethod(try ClipSpec(parsing: "norm:1.0"), parameterNames: model.parameterNames)
/// let outcome = try method.clip(&gradients, values: values, norm: store.gradientNorm())
/// ```
public struct ClipMethod: Sendable {
  /// The spec this method was made from.
  public let spec: ClipSpec
  var clipper: Clipper

  enum Clipper: Sendable {
    case none
    case global(GlobalNormClipper)
    case perTensor(TensorNormClipper)
    case value(ValueClipper)
    case blockRMS(BlockRMSClipper)
    case adaptive(AdaptiveGradientClipper)
    case autoClip(AutoClipClipper)
    case zClip(ZClipClipper)
    case adaGC(AdaGCClipper)
    case spikeSkip(SpikeDetector)
  }

  /// The method for `spec`, for a model whose parameters are `parameterNames` (AGC's `exclude`
  /// matches them by name or by prefix before a dot).
  ///
  /// - Throws: ``ExperimentError/invalidClipSpec(spec:reason:)`` for invalid parameters (a
  ///   negative threshold, a percentile outside [0, 100], ...), checked before any training.
  public init(_ spec: ClipSpec, parameterNames: [String]) throws(ExperimentError) {
    self.spec = spec
    clipper = try Self.makeClipper(spec, parameterNames: parameterNames)
    try validate()
  }

  /// Clips `gradients` in place; `norm` is their global 2-norm, measured beforehand.
  public mutating func clip(
    _ gradients: inout ModelGradients<Float>, values: ModelValues<Float>, norm: GradientNorm
  ) throws(ExperimentError) -> ClipOutcome {
    do {
      switch clipper {
      case .none:
        return .unchanged
      case .global(let global):
        // Backward measures the 2-norm; a clipper of another order measures its own.
        let report =
          global.order == norm.order ? try global.clip(&gradients, withNorm: norm) : try global.clip(&gradients)
        return Self.outcome(report, threshold: global.maxNorm)
      case .perTensor(let perTensor):
        return try Self.measured(perTensor.clip(&gradients), gradients, before: norm)
      case .value(let value):
        return try Self.measured(value.clip(&gradients), gradients, before: norm)
      case .blockRMS(let blockRMS):
        return try Self.measured(blockRMS.clip(&gradients), gradients, before: norm)
      case .adaptive(let adaptive):
        return try Self.measured(adaptive.clip(&gradients, parameters: values), gradients, before: norm)
      case .autoClip(var autoClip):
        defer { clipper = .autoClip(autoClip) }
        let report = try autoClip.clip(&gradients)
        return autoClip.scope == .global
          ? Self.outcome(report, threshold: report.threshold) : try Self.measured(report, gradients, before: norm)
      case .zClip(var zClip):
        defer { clipper = .zClip(zClip) }
        let report = try zClip.clip(&gradients)
        return Self.outcome(report, threshold: report.threshold)
      case .adaGC(var adaGC):
        defer { clipper = .adaGC(adaGC) }
        return try Self.measured(adaGC.clip(&gradients), gradients, before: norm)
      case .spikeSkip(var detector):
        defer { clipper = .spikeSkip(detector) }
        let decision = try detector.check(norm: norm)
        return ClipOutcome(
          threshold: decision.threshold.isFinite ? decision.threshold : nil, coefficient: 1, clipped: false,
          skipped: decision.shouldSkip)
      }
    } catch {
      throw .invalidClipSpec(spec: spec.text, reason: error.description)
    }
  }

  /// The global-norm clipper of a `norm` or `exact-norm` spec of the 2-norm (the norm backward
  /// measures), which an optimizer can apply inside its update (no pass over the gradients); `nil`
  /// for every other method and order.
  public var fusibleClipper: GlobalNormClipper? {
    if case .global(let global) = clipper, global.order == .two { return global }
    return nil
  }

  /// The outcome of a clipper that scales all gradients by the report's coefficient.
  static func outcome(_ report: ClippingReport, threshold: Double) -> ClipOutcome {
    ClipOutcome(
      threshold: threshold.isFinite ? threshold : nil, coefficient: report.clipped ? report.coefficient : 1,
      clipped: report.clipped, skipped: report.skipped)
  }

  /// The outcome of a clipper that does not scale uniformly: the ratio of the global norms after
  /// and before.
  private static func measured(
    _ report: ClippingReport, _ gradients: ModelGradients<Float>, before: GradientNorm
  ) throws(ClippingError) -> ClipOutcome {
    guard report.clipped, before.value > 0 else {
      return ClipOutcome(threshold: nil, coefficient: 1, clipped: report.clipped, skipped: report.skipped)
    }
    let after = try gradients.totalNorm()
    return ClipOutcome(threshold: nil, coefficient: after.value / before.value, clipped: true, skipped: report.skipped)
  }
}
