import Synchronization

/// Kernels compiled for the CPU's own vector width, which a module of this package with native
/// code installs in place of the portable Swift loops of ``ElementwiseKernels`` and of the
/// blocks' sums of squares of ``NormKernels``.
///
/// The core stays free of dependencies and builds for baseline x86-64, whose 16-byte stores
/// cap a read-write pass over cache-resident gradients at one register a cycle; `Training`
/// carries C kernels with AVX2 and AVX-512 function attributes (chosen at run time) and
/// installs them here (`NativeClippingKernels.install()`). An installed kernel must give the
/// same bits as the portable one: rescaling and clamping are exact per element, and a block's
/// sum of squares is computed with the same operations in the same order, only wider loads.
/// Which kernels ran never changes a result, only its speed. What happens to a block's sum
/// (the range check, the exact fallback, the compensated total) stays in the core.
package struct NativeKernels: Sendable {
  /// The kernels' instruction set, for benchmark reports ("avx512", "avx2").
  package let name: String
  /// `x *= factor` over `count` elements; false if nothing was done (the caller then runs the
  /// portable loop).
  package let scaleFloat: @Sendable (UnsafeMutablePointer<Float>, Int, Float) -> Bool
  package let scaleDouble: @Sendable (UnsafeMutablePointer<Double>, Int, Double) -> Bool
  /// Clamps `count` elements into `[-limit, limit]`, NaN kept, as
  /// ``GradientScalar/clamped(_:lower:upper:)``; false if nothing was done.
  package let clampFloat: @Sendable (UnsafeMutablePointer<Float>, Int, Float) -> Bool
  package let clampDouble: @Sendable (UnsafeMutablePointer<Double>, Int, Double) -> Bool
  /// `(base, count, blockLength, subBlockLength, sums)`: the sum of squares of each block of
  /// `blockLength` elements into `sums`, as ``NormKernels/blockSumOfSquares(_:count:)`` computes
  /// it, bit for bit; false if nothing was done.
  package let blockSquaresFloat: @Sendable (UnsafePointer<Float>, Int, Int, Int, UnsafeMutablePointer<Float>) -> Bool
  package let blockSquaresDouble: @Sendable (UnsafePointer<Double>, Int, Int, Int, UnsafeMutablePointer<Double>) -> Bool

  package init(
    name: String,
    scaleFloat: @escaping @Sendable (UnsafeMutablePointer<Float>, Int, Float) -> Bool,
    scaleDouble: @escaping @Sendable (UnsafeMutablePointer<Double>, Int, Double) -> Bool,
    clampFloat: @escaping @Sendable (UnsafeMutablePointer<Float>, Int, Float) -> Bool,
    clampDouble: @escaping @Sendable (UnsafeMutablePointer<Double>, Int, Double) -> Bool,
    blockSquaresFloat: @escaping @Sendable (UnsafePointer<Float>, Int, Int, Int, UnsafeMutablePointer<Float>) -> Bool,
    blockSquaresDouble: @escaping @Sendable (UnsafePointer<Double>, Int, Int, Int, UnsafeMutablePointer<Double>) -> Bool
  ) {
    self.name = name
    self.scaleFloat = scaleFloat
    self.scaleDouble = scaleDouble
    self.clampFloat = clampFloat
    self.clampDouble = clampDouble
    self.blockSquaresFloat = blockSquaresFloat
    self.blockSquaresDouble = blockSquaresDouble
  }

  private static let slot = Mutex<NativeKernels?>(nil)

  /// The installed kernels, if any.
  package static var installed: NativeKernels? { slot.withLock { $0 } }

  /// Makes `kernels` the ones every later clipping call uses (`nil`: the portable loops again).
  package static func install(_ kernels: NativeKernels?) { slot.withLock { $0 = kernels } }

  /// `base[0..<count] *= factor` if there is a kernel for `S`; false otherwise.
  func scale<S: GradientScalar>(_ base: UnsafeMutablePointer<S>, count: Int, by factor: S) -> Bool {
    if S.self == Float.self {
      return scaleFloat(Self.rebound(base), count, unsafeBitCast(factor, to: Float.self))
    }
    if S.self == Double.self {
      return scaleDouble(Self.rebound(base), count, unsafeBitCast(factor, to: Double.self))
    }
    return false
  }

  /// Clamps `base[0..<count]` into `[-limit, limit]` if there is a kernel for `S`; false
  /// otherwise.
  func clamp<S: GradientScalar>(_ base: UnsafeMutablePointer<S>, count: Int, limit: S) -> Bool {
    if S.self == Float.self {
      return clampFloat(Self.rebound(base), count, unsafeBitCast(limit, to: Float.self))
    }
    if S.self == Double.self {
      return clampDouble(Self.rebound(base), count, unsafeBitCast(limit, to: Double.self))
    }
    return false
  }

  /// The sum of squares of each block of `blockLength` elements of `base[0..<count]` into
  /// `sums` (one per block), if there is a kernel for `S`; false otherwise.
  func blockSumsOfSquares<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, blockLength: Int, into sums: UnsafeMutablePointer<S>
  ) -> Bool {
    let subBlock = NormKernels.subBlockLength
    if S.self == Float.self {
      return blockSquaresFloat(Self.rebound(base), count, blockLength, subBlock, Self.rebound(sums))
    }
    if S.self == Double.self {
      return blockSquaresDouble(Self.rebound(base), count, blockLength, subBlock, Self.rebound(sums))
    }
    return false
  }

  /// `base` as a pointer to `T`, which the callers have checked is `S` itself.
  private static func rebound<S, T>(_ base: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(base).assumingMemoryBound(to: T.self)
  }

  private static func rebound<S, T>(_ base: UnsafePointer<S>) -> UnsafePointer<T> {
    UnsafeRawPointer(base).assumingMemoryBound(to: T.self)
  }
}
