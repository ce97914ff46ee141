import CTrainingKernels
import GradientClipping

/// The single-precision product through the C kernels of `CTrainingKernels` (AVX2 + FMA or
/// AVX-512, chosen at run time), cut into blocks of `C` across the threads of the core's worker
/// pool.
enum AcceleratedGEMM {
  /// The vector level of this CPU (`ctk_vector_level()`): 0 when there is no C fast path.
  static let detectedLevel = Int(ctk_vector_level())

  /// Products of fewer floating-point operations than this run on the calling thread.
  ///
  /// The core's worker pool has its workers spinning for a moment after each job, so a split
  /// costs a microsecond or two rather than the 25-30 microseconds Dispatch took to wake its
  /// workers here. 2^21 operations (about 20 microseconds of work on one core; 128^3 is 2^22)
  /// is where two threads start to pay on an idle 2-core machine.
  static let parallelThreshold = 1 << 21

  /// Whether `level` has a C path on this machine (levels above the CPU's are lowered to it).
  static func isAvailable(level: Int = detectedLevel) -> Bool {
    ctk_sgemm_tile_rows(Int32(level)) > 0
  }

  /// The level to use for an `m x n` product on a CPU of level `detected`: AVX-512 unless its
  /// larger tiles (12 x 32) would compute clearly more padding than AVX2's (6 x 16).
  ///
  /// Both kernels give the same bits (see `ctk_sgemm`), so the choice only affects speed. On
  /// this machine (whose AVX-512 runs at the FMA rate of AVX2) the AVX2 kernel was twice as
  /// fast on 16 x 16 x 16 and 1.7 times on 64 x 1 x 64, and as fast on large products.
  static func preferredLevel(m: Int, n: Int, detected: Int = detectedLevel) -> Int {
    guard detected >= 3 else { return detected }
    func padded(_ extent: Int, _ tile: Int) -> Int { (extent + tile - 1) / tile * tile }
    let wideArea = padded(m, 12) * padded(n, 32)
    let narrowArea = padded(m, 6) * padded(n, 16)
    return wideArea * 8 > narrowArea * 9 ? 2 : 3
  }

  /// Computes the product at vector `level` on up to `threads` threads; returns false, having
  /// written nothing, if that level has no C path here.
  static func run(_ operands: GEMMOperands<Float>, level: Int, threads: Int) -> Bool {
    guard let partition = partition(of: operands, level: level, threads: threads) else { return false }
    run(operands, level: level, partition: partition)
    return true
  }

  /// Computes the product as ``run(_:level:threads:)`` does and returns the sum of the squares
  /// of `C`'s values after it, measured tile by tile as the C kernel finishes each tile (in
  /// `Double`; the tiles' sums added in row-major tile order, so the same bits on any number
  /// of threads); `nil`, having written nothing, if the level has no C path here.
  static func runMeasuring(_ operands: GEMMOperands<Float>, level: Int, threads: Int) -> Double? {
    guard let partition = partition(of: operands, level: level, threads: threads) else { return nil }
    let grid = TileGrid(operands: operands, level: level)
    // Not an array: one cost a microsecond per product in allocation and metadata lookups, a
    // measurable share of a small model's backward pass.
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: grid.count) { storage in
      guard let base = storage.baseAddress else { return 0 }  // no tiles: an empty product
      storage.initialize(repeating: 0)
      let slots = TileSlots(base: base, grid: grid)
      run(operands, level: level, partition: partition, measuringInto: slots)
      return slots.total
    }
  }

  /// How the product is cut across threads, or `nil` if `level` has no C path.
  private static func partition(of operands: GEMMOperands<Float>, level: Int, threads: Int) -> GEMMPartition? {
    let tileRows = ctk_sgemm_tile_rows(Int32(level))
    let tileColumns = ctk_sgemm_tile_columns(Int32(level))
    guard tileRows > 0, tileColumns > 0 else { return nil }
    // At least half the threshold's work per thread: on many cores, a product just above the
    // threshold is not cut into slivers that each pack a whole operand again.
    let tasks = operands.flops >= parallelThreshold ? min(threads, 2 * operands.flops / parallelThreshold) : 1
    return GEMMPartition.plan(
      m: operands.m, n: operands.n, tileRows: tileRows, tileColumns: tileColumns, tasks: tasks)
  }

  /// Computes the product block by block of `partition`, the blocks in parallel, at a level
  /// that has a C path (see ``isAvailable(level:)``); with `slots`, each tile's measure goes to
  /// its slot.
  static func run(
    _ operands: GEMMOperands<Float>, level: Int, partition: GEMMPartition, measuringInto slots: TileSlots? = nil
  ) {
    guard partition.count > 1 else {
      multiply(operands, level: level, measuringInto: slots)
      return
    }
    // The core's pool: its workers are awake within a microsecond, where Dispatch's take tens.
    let shared = UncheckedOperands(operands, slots: slots)
    WorkerPool.shared.run(taskCount: partition.count, maxThreads: partition.count) { index in
      let range = partition.block(index)
      multiply(
        block(range, of: partition, in: shared.operands), level: level,
        measuringInto: shared.slots?.block(startingAt: range.lowerBound, along: partition.axis))
    }
  }

  /// The block `range` of `partition` as a product of its own.
  private static func block(
    _ range: Range<Int>, of partition: GEMMPartition, in operands: GEMMOperands<Float>
  ) -> GEMMOperands<Float> {
    switch partition.axis {
    case .rows: return operands.rows(range)
    case .columns: return operands.columns(range)
    }
  }

  /// One call of the C kernel on the calling thread; if it cannot run (its packing buffer
  /// could not be allocated), the portable path computes the block instead.
  private static func multiply(_ o: GEMMOperands<Float>, level: Int, measuringInto slots: TileSlots?) {
    let done = ctk_sgemm_measured(
      Int32(level), o.transposeA, o.transposeB, o.m, o.n, o.k, o.a, o.lda, o.b, o.ldb, o.c, o.ldc,
      o.accumulate, slots?.base, slots?.rowStride ?? 0, 1)  // packed: a tile's right neighbour is the next slot
    if !done {
      PortableGEMM.run(o)
      slots?.recordWhole(o)
    }
  }
}

/// Operands shared by the pool's workers, each of which reads its own block of them.
private struct UncheckedOperands: @unchecked Sendable {
  let operands: GEMMOperands<Float>
  let slots: TileSlots?
  init(_ operands: GEMMOperands<Float>, slots: TileSlots?) {
    self.operands = operands
    self.slots = slots
  }
}
