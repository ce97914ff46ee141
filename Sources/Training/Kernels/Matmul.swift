import GradientClipping

/// General matrix multiply on row-major buffers, the engine's hottest kernel.
///
/// `C = A' * B' (+ C when accumulating)`, where `A'` is `A` or its transpose (an `m x k`
/// matrix either way) and `B'` is `B` or its transpose (`k x n`). Leading dimensions are the
/// row strides of the buffers as stored: `A` is `m x k` (`lda >= k`) or, transposed, `k x m`
/// (`lda >= m`); likewise for `B`; `C` is `m x n` (`ldc >= n`).
///
/// Paths:
/// - `Float` on x86-64 with AVX2 + FMA or AVX-512: the C kernels of `CTrainingKernels`
///   (``AcceleratedGEMM``, the level chosen by ``AcceleratedGEMM/preferredLevel(m:n:detected:)``),
///   split across threads by blocks of `C` for large products, when the product is not tiny
///   (``acceleratedThreshold``);
/// - everything else: ``PortableGEMM``, cache-blocked Swift with a SIMD micro-kernel, on the
///   calling thread.
///
/// Results never depend on the number of threads: every element of `C` is summed in the same
/// order whichever thread computes it.
enum Matmul {
  /// `Float` products of at least this many floating-point operations go to the C kernels;
  /// below it the call and packing overheads of the C path cost more than its speed saves
  /// (measured: 2 x 2 x 2 took 90 ns portable and 98 ns in C, 4 x 4 x 4 128 and 109 ns,
  /// 8 x 8 x 8 224 and 167 ns).
  static let acceleratedThreshold = 2 * 8 * 8 * 8

  /// Multiplies, overwriting `c` or (with `accumulate`) adding to it, on up to
  /// `parallelism.maxThreads` threads (every core by default).
  ///
  /// With `measuringC`, returns the sum of the squares of `C`'s values after the product when
  /// the C kernels measured it on the way (each tile as it was finished, while in the cache, in
  /// `Double`; the same bits on any number of threads), `nil` when the product took another path
  /// (the caller measures `C` itself if it needs to). Backward uses it to measure a parameter's
  /// gradient as the product writing its last contribution finishes it.
  @discardableResult
  static func gemm<S: GradientScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    c: UnsafeMutablePointer<S>, ldc: Int, accumulate: Bool, parallelism: Parallelism = .automatic,
    measuringC: Bool = false
  ) -> Double? {
    let operands = GEMMOperands(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
      c: c, ldc: ldc, accumulate: accumulate)
    operands.validate()
    return product(operands, parallelism: parallelism, measuringC: measuringC)
  }

  /// Multiplies validated operands by the fastest path for their type and size.
  static func gemm<S: GradientScalar>(_ operands: GEMMOperands<S>, parallelism: Parallelism) {
    _ = product(operands, parallelism: parallelism, measuringC: false)
  }

  /// The product by the fastest path; with `measuringC`, `C`'s sum of squares if the C kernels
  /// measured it.
  private static func product<S: GradientScalar>(
    _ operands: GEMMOperands<S>, parallelism: Parallelism, measuringC: Bool
  ) -> Double? {
    if S.self == Float.self, operands.flops >= acceleratedThreshold {
      let floats = operands.rebound(to: Float.self)
      let level = AcceleratedGEMM.preferredLevel(m: operands.m, n: operands.n)
      let threads = threadCount(parallelism)
      if measuringC, let sumOfSquares = AcceleratedGEMM.runMeasuring(floats, level: level, threads: threads) {
        return sumOfSquares
      }
      if !measuringC, AcceleratedGEMM.run(floats, level: level, threads: threads) { return nil }
    }
    PortableGEMM.run(operands)
    return nil
  }

  /// The portable Swift product (the fallback path), on the calling thread.
  static func portableGEMM<S: GradientScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    c: UnsafeMutablePointer<S>, ldc: Int, accumulate: Bool
  ) {
    let operands = GEMMOperands(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
      c: c, ldc: ldc, accumulate: accumulate)
    operands.validate()
    PortableGEMM.run(operands)
  }

  /// The threads `parallelism` allows: its cap, or every online core.
  static func threadCount(_ parallelism: Parallelism) -> Int {
    max(1, parallelism.maxThreads ?? ProcessorCount.online)
  }
}
