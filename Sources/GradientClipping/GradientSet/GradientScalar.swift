/// The element types that gradients can hold: `Float` and `Double`.
///
/// Every norm and clipper of this library is generic over the scalar type and runs
/// vectorised kernels chosen for it: `Float` in 16-lane vectors, `Double` in 8-lane vectors
/// (four and four SSE registers on baseline x86-64, one AVX-512 register where available).
///
/// The conformances are closed: only `Float` and `Double` conform, so that every kernel is
/// specialised and tested for both.
///
/// ```swift
/// func describe<S: GradientScalar>(_ type: S.Type) -> String { "\(S.Vector.scalarCount) lanes" }
/// ```
public protocol GradientScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
  /// The SIMD vector the kernels process this scalar in.
  associatedtype Vector: SIMD where Vector.Scalar == Self

  /// One 16-byte register of this scalar (`SIMD4<Float>`, `SIMD2<Double>`): a quarter of
  /// ``Vector``, the width that clamping works in (see ``clamped(_:lower:upper:)``).
  associatedtype Register: SIMD where Register.Scalar == Self

  /// The number of elements one kernel block sums in this precision before the block's
  /// partial sum is carried into a `Double` accumulator (in sub-blocks of 512, so that no lane
  /// sums more than about 20 terms). The worst-case rounding error of a block's norm then stays
  /// below the library's accuracy target (1e-6 relative for `Float`, 1e-12 for `Double`).
  static var kernelBlockLength: Int { get }

  /// Block sums (of squares or magnitudes) inside `[lowerSafeBlockSum, upperSafeBlockSum]` are free of
  /// underflow and overflow in this precision; a block outside that range is summed again
  /// with scaling, in `Double`.
  static var lowerSafeBlockSum: Double { get }

  /// See ``lowerSafeBlockSum``.
  static var upperSafeBlockSum: Double { get }

  /// The magnitude of every lane (the sign bit cleared; NaN stays NaN).
  ///
  /// This and the operations below are requirements, not generic code, because the
  /// generic SIMD comparisons of the standard library compile to a loop over lanes inside
  /// specialised generic functions; the concrete implementations compile to vector
  /// instructions.
  static func magnitudes(_ vector: Vector) -> Vector

  /// The larger of each pair of lanes; where `candidate` is NaN, `current` is kept.
  static func maximum(_ current: Vector, _ candidate: Vector) -> Vector

  /// The largest lane, where no lane is NaN.
  static func largestLane(of vector: Vector) -> Self

  /// The sum of the lanes, added pairwise (halves folded onto each other).
  static func laneSum(of vector: Vector) -> Self

  /// Each lane clamped into `[lower, upper]`; a NaN lane stays NaN.
  ///
  /// On registers rather than vectors: a select of one register compiles to a single `min` or
  /// `max` instruction, whereas the compiler splits a 16-lane select into compare-and-blend
  /// sequences four times as long. Pass `lower` and `upper` in from outside the loop that uses
  /// them: built there from a scalar, they lead the compiler to the longer form again.
  static func clamped(_ register: Register, lower: Register, upper: Register) -> Register
}

extension Float: GradientScalar {
  public typealias Vector = SIMD16<Float>
  public typealias Register = SIMD4<Float>
  public static var kernelBlockLength: Int { 2048 }
  // Squares below 2^-126 lose bits as subnormals; 2048 of them cost at most 2^-139 absolute,
  // negligible (under 2^-38 relative) above 2^-100.
  public static var lowerSafeBlockSum: Double { 0x1p-100 }
  public static var upperSafeBlockSum: Double { Double(Float.greatestFiniteMagnitude) }

  @inline(__always)
  public static func magnitudes(_ vector: SIMD16<Float>) -> SIMD16<Float> {
    unsafeBitCast(unsafeBitCast(vector, to: SIMD16<UInt32>.self) & 0x7fff_ffff, to: SIMD16<Float>.self)
  }

  @inline(__always)
  public static func maximum(_ current: SIMD16<Float>, _ candidate: SIMD16<Float>) -> SIMD16<Float> {
    current.replacing(with: candidate, where: current .< candidate)
  }

  @inline(__always)
  public static func largestLane(of vector: SIMD16<Float>) -> Float {
    let eight = vector.lowHalf.replacing(with: vector.highHalf, where: vector.lowHalf .< vector.highHalf)
    let four = eight.lowHalf.replacing(with: eight.highHalf, where: eight.lowHalf .< eight.highHalf)
    return Swift.max(Swift.max(four[0], four[1]), Swift.max(four[2], four[3]))
  }

  @inline(__always)
  public static func laneSum(of vector: SIMD16<Float>) -> Float {
    let eight = vector.lowHalf + vector.highHalf
    let four = eight.lowHalf + eight.highHalf
    return (four[0] + four[2]) + (four[1] + four[3])
  }
  @inline(__always)
  public static func clamped(_ register: SIMD4<Float>, lower: SIMD4<Float>, upper: SIMD4<Float>) -> SIMD4<Float> {
    let belowUpper = register.replacing(with: upper, where: upper .< register)  // false for NaN
    return belowUpper.replacing(with: lower, where: belowUpper .< lower)
  }

}

extension Double: GradientScalar {
  public typealias Vector = SIMD8<Double>
  public typealias Register = SIMD2<Double>
  public static var kernelBlockLength: Int { 2048 }
  public static var lowerSafeBlockSum: Double { 0x1p-900 }
  // Kept far from the top of the range so that adding many block sums cannot overflow.
  public static var upperSafeBlockSum: Double { 0x1p900 }

  @inline(__always)
  public static func magnitudes(_ vector: SIMD8<Double>) -> SIMD8<Double> {
    unsafeBitCast(unsafeBitCast(vector, to: SIMD8<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: SIMD8<Double>.self)
  }

  @inline(__always)
  public static func maximum(_ current: SIMD8<Double>, _ candidate: SIMD8<Double>) -> SIMD8<Double> {
    current.replacing(with: candidate, where: current .< candidate)
  }

  @inline(__always)
  public static func largestLane(of vector: SIMD8<Double>) -> Double {
    let four = vector.lowHalf.replacing(with: vector.highHalf, where: vector.lowHalf .< vector.highHalf)
    return Swift.max(Swift.max(four[0], four[1]), Swift.max(four[2], four[3]))
  }

  @inline(__always)
  public static func laneSum(of vector: SIMD8<Double>) -> Double {
    let four = vector.lowHalf + vector.highHalf
    return (four[0] + four[2]) + (four[1] + four[3])
  }
  @inline(__always)
  public static func clamped(_ register: SIMD2<Double>, lower: SIMD2<Double>, upper: SIMD2<Double>) -> SIMD2<Double> {
    let belowUpper = register.replacing(with: upper, where: upper .< register)  // false for NaN
    return belowUpper.replacing(with: lower, where: belowUpper .< lower)
  }

}
