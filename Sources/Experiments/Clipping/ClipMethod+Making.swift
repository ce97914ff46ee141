import GradientClipping
import Training

// Building the core clipper a spec names, and checking its arguments before training starts.
extension ClipMethod {
  /// The core clipper `spec` names. Non-finite norms skip the step (the run records it).
  static func makeClipper(_ spec: ClipSpec, parameterNames: [String]) throws(ExperimentError) -> Clipper {
    let value = spec.value ?? 0
    switch spec.name {
    case "norm":
      return .global(
        GlobalNormClipper(
          maxNorm: value, order: try order(spec), formula: .pytorch(epsilon: try spec.number("eps", default: 1e-6)),
          nonFinitePolicy: .skip))
    case "exact-norm":
      return .global(
        GlobalNormClipper(maxNorm: value, order: try order(spec), formula: .tensorflow, nonFinitePolicy: .skip))
    case "tensor-norm":
      return .perTensor(TensorNormClipper(maxNorm: value, order: try order(spec), nonFinitePolicy: .skip))
    case "value":
      return .value(ValueClipper(clipValue: value))
    case "block-rms":
      return .blockRMS(BlockRMSClipper(threshold: value, nonFinitePolicy: .skip))
    case "agc":
      return .adaptive(try adaptive(spec, value: value, parameterNames: parameterNames))
    case "autoclip":
      return .autoClip(try autoClip(spec))
    case "zclip":
      return .zClip(try zClip(spec))
    case "adagc":
      return .adaGC(
        try core(spec) {
          try AdaGCClipper(
            beta: try spec.number("beta", default: 0.98), relativeThreshold: try spec.number("lambda", default: 1.05),
            warmupSteps: try spec.integer("warmup", default: 100), warmupMaxNorm: try spec.number("max", default: 1),
            epsilon: try spec.number("eps", default: 1e-6), nonFinitePolicy: .skip)
        })
    case "skip":
      return .spikeSkip(try spikeDetector(spec))
    default:
      return .none
    }
  }

  /// Clips an empty set once, so that the core clipper checks its own arguments (a negative
  /// threshold, an invalid order) before any training.
  func validate() throws(ExperimentError) {
    var copy = self
    let store = ParameterStore<Float>()
    var gradients = store.gradients
    _ = try copy.clip(&gradients, values: store.values, norm: .zero)
  }

  private static func order(_ spec: ClipSpec) throws(ExperimentError) -> NormOrder {
    NormOrder(try spec.number("p", default: 2))
  }

  private static func adaptive(
    _ spec: ClipSpec, value: Double, parameterNames: [String]
  ) throws(ExperimentError) -> AdaptiveGradientClipper {
    let layout = try spec.choice("layout", of: ["pytorch", "optax"], default: "pytorch")
    let patterns = (spec.parameters["exclude"] ?? "").split(separator: "+").map(String.init)
    let excluded = parameterNames.filter { name in
      patterns.contains { name == $0 || name.hasPrefix($0 + ".") }
    }
    if let unmatched = patterns.first(where: { pattern in
      !excluded.contains { $0 == pattern || $0.hasPrefix(pattern + ".") }
    }) {
      throw .invalidClipSpec(spec: spec.text, reason: "exclude=\(unmatched) names no parameter of the model")
    }
    return AdaptiveGradientClipper(
      clipping: value, epsilon: try spec.number("eps", default: 1e-3),
      layout: layout == "optax" ? .optax : .outputUnitsFirst, excludedTensorNames: Set(excluded), nonFinitePolicy: .skip
    )
  }

  private static func autoClip(_ spec: ClipSpec) throws(ExperimentError) -> AutoClipClipper {
    let percentile = try spec.number("p", default: 10)
    guard (0...100).contains(percentile) else {
      throw .invalidClipSpec(
        spec: spec.text, reason: "p=\(spec.parameters["p"] ?? "") must be a percentile in [0, 100]")
    }
    let scope = try spec.choice("scope", of: ["global", "tensor"], default: "global")
    return try core(spec) {
      try AutoClipClipper(
        quantile: percentile / 100, historyLength: try spec.integer("history", default: 1000),
        scope: scope == "tensor" ? .perTensor : .global, includesCurrentNorm: try spec.flag("current", default: true),
        nonFinitePolicy: .skip)
    }
  }

  private static func spikeDetector(_ spec: ClipSpec) throws(ExperimentError) -> SpikeDetector {
    let maxNorm = spec.parameters["max"] == nil ? nil : try spec.number("max", default: 0)
    let z = spec.parameters["z"] == nil ? nil : try spec.number("z", default: 0)
    guard maxNorm != nil || z != nil else {
      throw .invalidClipSpec(spec: spec.text, reason: "skip needs max=NORM, z=SCORE or both")
    }
    return try core(spec) {
      try SpikeDetector(
        maxNorm: maxNorm, zThreshold: z, alpha: try spec.number("alpha", default: 0.97),
        warmupSteps: try spec.integer("warmup", default: 25), nonFinitePolicy: .skip)
    }
  }

  private static func zClip(_ spec: ClipSpec) throws(ExperimentError) -> ZClipClipper {
    let mode = try spec.choice("mode", of: ["zscore", "percentile"], default: "zscore")
    let option = try spec.choice("clip", of: ["adaptive", "mean"], default: "adaptive")
    let cap = spec.parameters["max"] == nil ? nil : try spec.number("max", default: 0)
    return try core(spec) {
      try ZClipClipper(
        alpha: try spec.number("alpha", default: 0.97), zThreshold: try spec.number("z", default: 2.5),
        maxGradNorm: cap, warmupSteps: try spec.integer("warmup", default: 25),
        mode: mode == "percentile" ? .percentile : .zScore, clipOption: option == "mean" ? .mean : .adaptiveScaling,
        clipFactor: try spec.number("factor", default: 1),
        skipUpdateOnSpike: try spec.flag("skip-on-spike", default: false),
        nonFinitePolicy: .skip)
    }
  }

  /// Makes a core clipper whose initialiser checks its own arguments: its `ClippingError` becomes
  /// an ``ExperimentError/invalidClipSpec(spec:reason:)``.
  private static func core<Clipper>(_ spec: ClipSpec, _ make: () throws -> Clipper) throws(ExperimentError) -> Clipper {
    do {
      return try make()
    } catch let error as ExperimentError {
      throw error
    } catch {
      throw .invalidClipSpec(spec: spec.text, reason: "\(error)")
    }
  }
}
