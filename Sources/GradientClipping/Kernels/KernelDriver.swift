/// Runs the kernels over a list of segments (the tensors, or one contiguous buffer holding
/// them all), cut into the pieces of a ``WorkPlan`` and spread over threads.
///
/// Segments are held as untyped base addresses and counts, so that building and walking a table
/// of thousands of tensors costs no generic overhead; only the kernels are typed.
struct KernelDriver<S: GradientScalar> {
  let bases: [UnsafeMutableRawPointer?]
  let plan: WorkPlan
  let parallelism: Parallelism
  /// The native kernels installed when the driver was made (read once per call of a clipper),
  /// or `nil` for the portable loops.
  let native: NativeKernels?

  init(segments: (bases: [UnsafeMutableRawPointer?], counts: [Int]), parallelism: Parallelism) {
    self.bases = segments.bases
    self.plan = WorkPlan(segmentLengths: segments.counts)
    self.parallelism = parallelism
    self.native = NativeKernels.installed
  }

  /// The tensors of `buffers`, one segment each: for per-tensor operations.
  init(tensorsOf buffers: MutableTensorBuffers<S>, parallelism: Parallelism) {
    self.init(segments: buffers.layout.tensorSegments, parallelism: parallelism)
  }

  /// One segment for the whole set when it is contiguous, else one per tensor: for operations
  /// that treat every element alike.
  init(elementsOf buffers: MutableTensorBuffers<S>, parallelism: Parallelism) {
    self.init(segments: buffers.layout.elementSegments, parallelism: parallelism)
  }

  init(tensorsOf buffers: TensorBuffers<S>, parallelism: Parallelism) {
    self.init(segments: buffers.layout.tensorSegments, parallelism: parallelism)
  }

  init(elementsOf buffers: TensorBuffers<S>, parallelism: Parallelism) {
    self.init(segments: buffers.layout.elementSegments, parallelism: parallelism)
  }

  /// The element count of each segment.
  var segmentLengths: [Int] { plan.segmentLengths }

  /// The partial norm of each segment, the same bits on any number of threads.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func segmentPowerSums(kind: NormKind) -> [PowerSum] {
    let pieceSums = forEachPiece(producing: PowerSum.zero) { base, count, _ in
      NormKernels.powerSum(UnsafePointer(base), count: count, kind: kind, native: native)
    }
    return (0..<plan.segmentCount).map { segment in
      var total = PowerSum.zero
      for piece in plan.pieceRange(ofSegment: segment) { total.add(pieceSums[piece], kind: kind) }
      return total
    }
  }

  /// The partial norm of all segments together.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func totalPowerSum(kind: NormKind) -> PowerSum {
    var total = PowerSum.zero
    for sum in segmentPowerSums(kind: kind) { total.add(sum, kind: kind) }
    return total
  }

  /// Multiplies every element of segment `s` by `factors[s]`; segments whose factor is 1 are
  /// not touched.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func scale(by factors: [S]) {
    _ = forEachPiece(producing: ()) { base, count, segment in
      let factor = factors[segment]
      if factor != 1 { scalePiece(base, count: count, by: factor) }
    }
  }

  /// Multiplies every element by `factor`; nothing is done when it is 1.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func scale(by factor: S) {
    guard factor != 1 else { return }
    _ = forEachPiece(producing: ()) { base, count, _ in scalePiece(base, count: count, by: factor) }
  }

  /// One piece rescaled by the native kernel, or by the portable loop.
  private func scalePiece(_ base: UnsafeMutablePointer<S>, count: Int, by factor: S) {
    if native?.scale(base, count: count, by: factor) != true {
      ElementwiseKernels.scale(base, count: count, by: factor)
    }
  }

  /// Clamps every element into `[-limit, limit]` and returns the largest magnitude before
  /// (NaN if any element was NaN).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func clamp(to limit: S) -> Double {
    let maxima = forEachPiece(producing: 0.0) { base, count, _ in
      ElementwiseKernels.clamp(base, count: count, limit: limit)
    }
    var largest = PowerSum.zero
    for maximum in maxima { largest.add(PowerSum(scale: 1, sum: maximum), kind: .infinity) }
    return largest.total
  }

  /// Clamps every element into `[-limit, limit]` without measuring anything.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  func clampWithoutMeasuring(to limit: S) {
    _ = forEachPiece(producing: ()) { base, count, _ in
      if native?.clamp(base, count: count, limit: limit) != true {
        ElementwiseKernels.clampWithoutMeasuring(base, count: count, limit: limit)
      }
    }
  }

  /// Runs `work(base, count, segment)` on every non-empty piece and returns the results in
  /// piece order (`initial` for empty pieces).
  private func forEachPiece<T>(
    producing initial: T, _ work: (UnsafeMutablePointer<S>, Int, Int) -> T
  ) -> [T] {
    var results = [T](repeating: initial, count: plan.pieceCount)
    let plan = self.plan
    let bases = self.bases
    results.withUnsafeMutableBufferPointer { results in
      let output = UncheckedSendable(results)
      parallelism.forEachTask(of: plan) { pieces in
        for index in pieces {
          let piece = plan.pieces[index]
          guard piece.count > 0, let base = bases[piece.segment] else { continue }
          let typed = base.assumingMemoryBound(to: S.self)
          output.value[index] = work(typed + piece.start, piece.count, piece.segment)
        }
      }
    }
    return results
  }
}
