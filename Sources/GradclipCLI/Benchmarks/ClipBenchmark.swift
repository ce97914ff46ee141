import GradientClipping

#if canImport(Foundation)
  import Foundation
#endif

/// Times `GlobalNormClipper` and `ValueClipper` on the shared workloads: the same work as
/// `../shared/bench/torch_reference.py`, in float32.
///
/// For each workload the gradients are filled with normal(0, 1) * 1e-2 (seeded) and their
/// global norm is measured; then, in the reference's order, each case makes one warm-up call
/// and `reps` timed calls, and reports the median:
/// - `clip_grad_norm` `active`: max norm = norm * 1e-3, every gradient rescaled by about 1e-3;
/// - `clip_grad_norm` `inactive`: max norm = norm * 1e3, nothing to change;
/// - `clip_grad_value` `active`: every value clamped into [-1e-3, 1e-3], as PyTorch does it
///   (`ValueClipper.clipWithoutReport`, no report);
/// - `value_clipper_report` `active`: the same with `ValueClipper.clip`, which also measures the
///   largest magnitude for its report (no PyTorch counterpart).
///
/// Active calls are made to do their work every time, back to back as in the reference.
/// Left alone, a second norm-clipping call would meet gradients already at the max norm: its
/// coefficient (1 - 1e-6 / maxNorm) rounds to 1 in `Float` and the clipper rightly skips the
/// scaling pass, timing the inactive path. So, between calls, the threshold is halved (max norm
/// for norm clipping, clip value for value clipping): every call then rescales every gradient
/// by about 1/2, or clamps the values above the new bound. Only a `Double` changes between
/// calls, so nothing but the clipping itself touches memory, as in PyTorch's loop and the
/// floor's; every ``halvingsPerRestart`` calls, before the values get tiny, they are filled
/// again and one untimed call warms up the caches as at the start. Each call is checked: an
/// active call must report `clipped`, an inactive one must not; a failed check throws
/// ``ClipBenchmarkError`` instead of reporting a time for the wrong path. The timed work per call is then what PyTorch does on every call: one read pass and one
/// read-write pass for active norm clipping, a read-write pass for value clipping.
struct ClipBenchmark: Sendable {
  /// The workloads to time, in order.
  let workloads: [Workload]
  /// Timed calls per case, after one warm-up call.
  let reps: Int
  /// The most threads the clippers may use; `nil` for every core.
  let threads: Int?
  /// How the gradients are held.
  let storage: BenchmarkStorage
  /// Whether to time the adaptive clippers too (``AdaptiveClipBenchmark``; flat storage only).
  var adaptive = false
  /// The kernels to sum squares, rescale and clamp with.
  var kernels = BenchmarkKernels.native

  /// The seed of the gradients' values.
  static let seed: UInt64 = 0x5EED
  /// The gradients' standard deviation, as in the reference.
  static let gradientScale = 1e-2
  /// Clip value of `clip_grad_value`, as in the reference.
  static let clipValue = 1e-3

  var parallelism: Parallelism { threads.map { Parallelism.threads($0) } ?? .automatic }

  /// The thread count reported with each result: the cap, or every active core.
  var reportedThreads: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

  /// Runs every case on every workload, passing each result to `emit` as soon as it is known.
  func run(_ emit: (ClipBenchmarkResult) -> Void) throws {
    kernels.install()
    for workload in workloads {
      switch storage {
      case .flat:
        var gradients = try FlatGradientStorage<Float>(shapes: workload.shapes)
        try measure(&gradients, workload: workload, emit)
        if adaptive { try measureAdaptive(&gradients, workload: workload, emit) }
      case .arrays:
        var gradients: [[Float]] = workload.shapes.map { Array(repeating: 0, count: $0.reduce(1, *)) }
        try measure(&gradients, workload: workload, emit)
      }
    }
  }

  private func measure<Gradients: GradientSet>(
    _ gradients: inout Gradients, workload: Workload, _ emit: (ClipBenchmarkResult) -> Void
  ) throws where Gradients.Scalar == Float {
    GradientFiller.fill(&gradients, seed: Self.seed, scale: Self.gradientScale)
    let norm = try gradients.totalNorm(parallelism: parallelism).value
    emit(try timeActiveNorm(&gradients, maxNorm: norm * 1e-3, workload: workload))
    // Active clipping has shrunk the values: each case starts again from the original values.
    GradientFiller.fill(&gradients, seed: Self.seed, scale: Self.gradientScale)
    emit(try timeInactiveNorm(&gradients, maxNorm: norm * 1e3, workload: workload))
    GradientFiller.fill(&gradients, seed: Self.seed, scale: Self.gradientScale)
    emit(try timeValue(&gradients, workload: workload))
    GradientFiller.fill(&gradients, seed: Self.seed, scale: Self.gradientScale)
    emit(try timeReportedValue(&gradients, workload: workload))
  }

  private func measureAdaptive(
    _ gradients: inout FlatGradientStorage<Float>, workload: Workload, _ emit: (ClipBenchmarkResult) -> Void
  ) throws {
    var original = try FlatGradientStorage<Float>(shapes: workload.shapes)
    GradientFiller.fill(&original, seed: Self.seed, scale: Self.gradientScale)
    let benchmark = AdaptiveClipBenchmark(timer: MedianTimer(reps: reps), parallelism: parallelism)
    for (clipCase, milliseconds) in try benchmark.run(&gradients, original: original) {
      emit(
        ClipBenchmarkResult(
          workload: workload.name, operation: clipCase.rawValue,
          regime: clipCase == .globalNorm ? "restored" : "active", medianMilliseconds: milliseconds,
          threads: reportedThreads, elements: workload.elementCount, storage: storage,
          kernels: kernels.reportedName))
    }
  }

  private func timeActiveNorm<Gradients: GradientSet>(
    _ gradients: inout Gradients, maxNorm: Double, workload: Workload
  ) throws -> ClipBenchmarkResult where Gradients.Scalar == Float {
    var clipper = GlobalNormClipper(maxNorm: maxNorm, parallelism: parallelism)
    var report = ClippingReport(norm: 0, threshold: maxNorm, coefficient: 1, outcome: .unchanged)
    return try time(.normActive, on: workload) { _ in
      report = try clipper.clip(&gradients)
    } untimed: { call in
      guard report.clipped else { throw wrongPath(.normActive, workload, call, "did not rescale (\(report))") }
      if call > 0, call.isMultiple(of: Self.halvingsPerRestart) {
        GradientFiller.fill(&gradients, seed: Self.seed, scale: Self.gradientScale)
        clipper.maxNorm = maxNorm
        report = try clipper.clip(&gradients)  // a warm-up call again, as at the start
      }
      clipper.maxNorm *= 0.5
    }
  }

  /// Active norm-clipping calls between two restarts from the original values: every call
  /// halves the values, and 16 halvings after the first call's 1e-3 leave their squares well
  /// inside `Float`'s range (after 40 they would fall below it, onto the kernels' slow exact
  /// path, which no training run takes).
  static let halvingsPerRestart = 16

  private func timeInactiveNorm<Gradients: GradientSet>(
    _ gradients: inout Gradients, maxNorm: Double, workload: Workload
  ) throws -> ClipBenchmarkResult where Gradients.Scalar == Float {
    let clipper = GlobalNormClipper(maxNorm: maxNorm, parallelism: parallelism)
    return try time(.normInactive, on: workload) { call in
      let report = try clipper.clip(&gradients)
      guard !report.clipped else { throw wrongPath(.normInactive, workload, call, "clipped (\(report))") }
    }
  }

  private func timeValue<Gradients: GradientSet>(
    _ gradients: inout Gradients, workload: Workload
  ) throws -> ClipBenchmarkResult where Gradients.Scalar == Float {
    var clipper = ValueClipper(clipValue: Self.clipValue, parallelism: parallelism)
    return try time(.valueActive, on: workload) { _ in
      try clipper.clipWithoutReport(&gradients)
    } untimed: { call in
      // Each call must have clamped: nothing is left above its bound (and the next bound is lower).
      let largest = try gradients.totalNorm(order: .infinity, parallelism: parallelism).value
      guard largest <= Double(Float(clipper.clipValue)) else {  // the bound as the Float gradients hold it
        throw wrongPath(.valueActive, workload, call, "left \(largest) above \(clipper.clipValue)")
      }
      clipper.clipValue *= 0.5
    }
  }

  private func timeReportedValue<Gradients: GradientSet>(
    _ gradients: inout Gradients, workload: Workload
  ) throws -> ClipBenchmarkResult where Gradients.Scalar == Float {
    var clipper = ValueClipper(clipValue: Self.clipValue, parallelism: parallelism)
    var report = ClippingReport(norm: 0, threshold: Self.clipValue, coefficient: 1, outcome: .unchanged)
    return try time(.valueReportedActive, on: workload) { _ in
      report = try clipper.clip(&gradients)
    } untimed: { call in
      guard report.clipped else {
        throw wrongPath(.valueReportedActive, workload, call, "clamped nothing (\(report))")
      }
      clipper.clipValue *= 0.5
    }
  }

  private func time(
    _ clipCase: ClipCase, on workload: Workload, _ body: (Int) throws -> Void,
    untimed: (Int) throws -> Void = { _ in }
  ) throws -> ClipBenchmarkResult {
    let milliseconds = try MedianTimer(reps: reps).medianMilliseconds(body, untimed: untimed)
    return ClipBenchmarkResult(
      workload: workload.name, operation: clipCase.operation, regime: clipCase.regime,
      medianMilliseconds: milliseconds, threads: reportedThreads, elements: workload.elementCount, storage: storage,
      kernels: kernels.reportedName)
  }

  private func wrongPath(
    _ clipCase: ClipCase, _ workload: Workload, _ call: Int, _ detail: String
  )
    -> ClipBenchmarkError
  {
    .wrongPath(
      workload: workload.name, operation: clipCase.operation, regime: clipCase.regime, call: call, detail: detail)
  }
}
