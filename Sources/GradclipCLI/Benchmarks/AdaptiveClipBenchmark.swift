import GradientClipping

/// Times the adaptive clippers on a workload, each in a state where it clips on every call, next
/// to plain global-norm clipping (``ClipBenchmark``'s `clip_grad_norm active`).
///
/// Before every timed call, untimed: the gradients get their original values back (a copy) and a
/// stateful clipper gets back a state in which the current norm is a spike: AutoClip a full
/// history (`historyLength` 1000) of norms 1000 times smaller; ZClip a mean 1000 times smaller
/// with a small variance; AdaGC past its warm-up with every tensor's reference 1000 times below its
/// norm. AGC uses `λ` = 1e-6 against parameters of normal(0, 1): every unit is clipped. So every
/// timed call measures, decides and rescales, as the active global-norm case does, and its own
/// bookkeeping (a quantile of 1000 norms, an EMA update).
struct AdaptiveClipBenchmark {
  /// The timer.
  let timer: MedianTimer
  /// The threads the global-norm pass of AGC may use (the others use every core).
  let parallelism: Parallelism

  /// The cases, named as their packages or papers name them.
  enum Case: String, CaseIterable, Sendable {
    /// Global-norm clipping timed the same way (values restored before each call), to read the
    /// adaptive rows against.
    case globalNorm = "clip_grad_norm"
    case agc = "adaptive_grad_clip"
    case autoClip = "autoclip"
    case zClip = "zclip"
    case adaGC = "adagc"
  }

  /// The median milliseconds of each case on `gradients`, whose values are restored from
  /// `original` before every call.
  func run(
    _ gradients: inout FlatGradientStorage<Float>, original: FlatGradientStorage<Float>
  ) throws -> [(Case, Double)] {
    let norm = try original.totalNorm(parallelism: parallelism).value
    let tensorNorms = try original.tensorNorms().map(\.value)
    return [
      (.globalNorm, try timeGlobalNorm(&gradients, original: original, maxNorm: norm * 1e-3)),
      (.agc, try timeAGC(&gradients, original: original)),
      (
        .autoClip,
        try timeStateful(
          .autoClip, &gradients, original: original,
          clipper: try AutoClipClipper(quantile: 0.5, historyLength: 1000),
          state: ClipperState(
            kind: "autoclip",
            arrays: ["history": Array(repeating: norm * 1e-3, count: 1000), "history_lengths": [1000]]))
      ),
      (
        .zClip,
        try timeStateful(
          .zClip, &gradients, original: original, clipper: try ZClipClipper(warmupSteps: 1),
          state: ClipperState(
            kind: "zclip", arrays: ["warmup_norms": [norm * 1e-3], "mean": [norm * 1e-3], "variance": [norm * 1e-8]]))
      ),
      (
        .adaGC,
        try timeStateful(
          .adaGC, &gradients, original: original, clipper: try AdaGCClipper(warmupSteps: 1),
          state: ClipperState(kind: "adagc", arrays: ["step": [2], "gamma": tensorNorms.map { $0 * 1e-3 }]))
      ),
    ]
  }

  private func timeGlobalNorm(
    _ gradients: inout FlatGradientStorage<Float>, original: FlatGradientStorage<Float>, maxNorm: Double
  ) throws -> Double {
    let clipper = GlobalNormClipper(maxNorm: maxNorm, parallelism: parallelism)
    return try time(Case.globalNorm) {
      try clipper.clip(&gradients)
    } reset: {
      Self.copy(original, into: &gradients)
    }
  }

  private func timeAGC(
    _ gradients: inout FlatGradientStorage<Float>, original: FlatGradientStorage<Float>
  ) throws -> Double {
    var parameters = try FlatGradientStorage<Float>(shapes: original.shapes)
    GradientFiller.fill(&parameters, seed: 0xA6C, scale: 1)
    let clipper = AdaptiveGradientClipper(clipping: 1e-6)
    return try time(Case.agc) {
      try clipper.clip(&gradients, parameters: parameters)
    } reset: {
      Self.copy(original, into: &gradients)
    }
  }

  private func timeStateful<Clipper: StatefulGradientClipper>(
    _ clipCase: Case, _ gradients: inout FlatGradientStorage<Float>, original: FlatGradientStorage<Float>,
    clipper: Clipper, state: ClipperState
  ) throws -> Double {
    var clipper = clipper
    return try time(clipCase) {
      try clipper.clip(&gradients)
    } reset: {
      Self.copy(original, into: &gradients)
      try clipper.restore(state)
    }
  }

  /// Copies the values of `source` into `target`'s own buffer (an assignment would share the
  /// buffer, and the next write would copy it inside the timed span).
  static func copy(_ source: FlatGradientStorage<Float>, into target: inout FlatGradientStorage<Float>) {
    source.withTensorBuffers { sources in
      target.withMutableTensorBuffers { targets in
        for index in 0..<targets.tensorCount {
          guard let from = sources[index].baseAddress, let to = targets[index].baseAddress else { continue }
          to.update(from: from, count: targets[index].count)
        }
      }
    }
  }

  /// Times `clip`, after `reset` (untimed) before every call; every call must clip.
  private func time(
    _ clipCase: Case, _ clip: () throws -> ClippingReport, reset: () throws -> Void
  ) throws -> Double {
    var report: ClippingReport?
    try reset()
    return try timer.medianMilliseconds { _ in
      report = try clip()
    } untimed: { call in
      guard let report, report.clipped else {
        throw ClipBenchmarkError.wrongPath(
          workload: "", operation: clipCase.rawValue, regime: "active", call: call,
          detail: "did not clip (\(report.map { "\($0)" } ?? "no report"))")
      }
      try reset()
    }
  }
}
