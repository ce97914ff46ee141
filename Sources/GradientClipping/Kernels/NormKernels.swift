/// Vectorised partial norms of one contiguous buffer.
///
/// The fast path sums a block of ``GradientScalar/kernelBlockLength`` elements in the input's
/// own precision: two independent SIMD accumulators (32 `Float` or 16 `Double` lanes) sum
/// sub-blocks of 512 elements, the sub-blocks' partials are added lane-wise, and the block's sum
/// is carried into a compensated `Double` total. Every lane thus sums at most 20 rounded terms,
/// which bounds the relative error of a `Float` block by about 24 units in the last place
/// (1.4e-6 for the sum of squares, 7e-7 for the norm). A block whose sum could have overflowed
/// or underflowed (outside the scalar's safe range), or that holds a NaN or an infinity, is
/// summed again exactly: scaled by a power of two near its largest magnitude, in `Double`.
/// Blocks are cut at fixed offsets, so the result does not depend on threads.
enum NormKernels {
  /// Elements each pair of accumulators sums before its partial is added to the block's.
  static let subBlockLength = 512

  /// The partial norm of `count` elements at `base`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  ///
  /// With `native` kernels, the blocks' sums of squares come from them (the same bits).
  static func powerSum<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, kind: NormKind, native: NativeKernels? = nil
  ) -> PowerSum {
    switch kind {
    case .two:
      if let native, let sum = nativeSumOfSquares(base, count: count, native) { return sum }
      return blockwise(base, count: count, kind: kind) { blockSumOfSquares($0, count: $1) }
    case .one:
      return blockwise(base, count: count, kind: kind) { blockSumOfMagnitudes($0, count: $1) }
    case .infinity:
      return PowerSum(scale: 1, sum: maximumMagnitude(base, count: count))
    case .general:
      var result = PowerSum.zero
      var start = 0
      while start < count {
        let length = min(S.kernelBlockLength, count - start)
        result.add(scaledPowerSum(base + start, count: length, kind: kind), kind: kind)
        start += length
      }
      return result
    }
  }

  /// ``powerSum(_:count:kind:native:)`` for p = 2 with the blocks' sums from `native` (into a
  /// buffer on the stack for up to 64K elements); `nil` if `native` has no kernel for `S`.
  private static func nativeSumOfSquares<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, _ native: NativeKernels
  ) -> PowerSum? {
    let blockLength = S.kernelBlockLength
    let blockCount = (count + blockLength - 1) / blockLength
    return withUnsafeTemporaryAllocation(of: S.self, capacity: max(1, blockCount)) { sums in
      guard let sums = sums.baseAddress,
        native.blockSumsOfSquares(base, count: count, blockLength: blockLength, into: sums)
      else { return nil }
      return blockwise(base, count: count, kind: .two) { block, _ in sums[(block - base) / blockLength] }
    }
  }

  /// Sums `fastBlock` over the blocks into a compensated total; a block whose fast sum is out of
  /// the safe range is summed again exactly.
  @inline(__always)
  private static func blockwise<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, kind: NormKind, _ fastBlock: (UnsafePointer<S>, Int) -> S
  ) -> PowerSum {
    var fast = PowerSum.zero
    var exact = PowerSum.zero
    var start = 0
    while start < count {
      let length = min(S.kernelBlockLength, count - start)
      let sum = Double(fastBlock(base + start, length))
      if (sum >= S.lowerSafeBlockSum && sum <= S.upperSafeBlockSum) || (sum == 0 && kind == .one) {
        fast.addCompensated(sum)
      } else {
        exact.add(exactBlockSum(base + start, count: length, fastSum: sum, kind: kind), kind: kind)
      }
      start += length
    }
    fast.add(exact, kind: kind)
    return fast
  }

  /// The sum of squares of a block, in the input's precision.
  @inline(__always)
  static func blockSumOfSquares<S: GradientScalar>(_ base: UnsafePointer<S>, count: Int) -> S {
    blockSum(base, count: count) { $0 * $0 }
  }

  /// The sum of magnitudes of a block, in the input's precision; NaN propagates.
  @inline(__always)
  static func blockSumOfMagnitudes<S: GradientScalar>(_ base: UnsafePointer<S>, count: Int) -> S {
    blockSum(base, count: count) { S.magnitudes($0) }
  }

  @inline(__always)
  private static func blockSum<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, _ term: (S.Vector) -> S.Vector
  ) -> S {
    let lanes = S.Vector.scalarCount
    var block = S.Vector()
    var index = 0
    while index + 2 * lanes <= count {
      var first = S.Vector()
      var second = S.Vector()
      let end = min(count, index + subBlockLength)
      while index + 2 * lanes <= end {
        let raw = UnsafeRawPointer(base + index)
        first += term(raw.loadUnaligned(as: S.Vector.self))
        second += term(raw.loadUnaligned(fromByteOffset: lanes * MemoryLayout<S>.stride, as: S.Vector.self))
        index += 2 * lanes
      }
      block += first + second
    }
    var sum = S.laneSum(of: block)
    while index < count {  // the last, partial vectors, padded with zeros
      var tail = S.Vector()
      let length = min(lanes, count - index)
      for offset in 0..<length { tail[offset] = base[index + offset] }
      sum += S.laneSum(of: term(tail))
      index += length
    }
    return sum
  }

  /// The largest magnitude; NaN if any element is NaN.
  @inline(__always)
  static func maximumMagnitude<S: GradientScalar>(_ base: UnsafePointer<S>, count: Int) -> Double {
    let summary = magnitudeSummary(base, count: count)
    return summary.sawNaN ? .nan : Double(summary.largest)
  }

  /// The largest magnitude among the elements that are not NaN (an infinity counts), and
  /// whether any element is NaN.
  ///
  /// NaN is found through a running sum of the elements, which a NaN turns into NaN for good:
  /// one addition per vector instead of a comparison and a mask. When the sum is not finite (a
  /// NaN, an infinity, or an overflow of large values) the block is scanned for a NaN.
  @inline(__always)
  static func magnitudeSummary<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int
  ) -> (largest: S, sawNaN: Bool) {
    magnitudeSummary(base, count: count, afterVector: { _ in }, afterElement: { _ in })
  }

  /// ``magnitudeSummary(_:count:)``, calling `afterVector(index)` once the vector at `index`
  /// has been read and `afterElement(index)` once each element of the tail has: a caller may
  /// rewrite what was read (the clamp of ``ElementwiseKernels/clamp(_:count:limit:)``) provided
  /// that a NaN stays NaN, as the NaN scan reads the elements again at the end.
  @inline(__always)
  static func magnitudeSummary<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, afterVector: (Int) -> Void, afterElement: (Int) -> Void
  ) -> (largest: S, sawNaN: Bool) {
    let lanes = S.Vector.scalarCount
    var maximum = S.Vector()
    var probe = S.Vector()
    var index = 0
    while index + lanes <= count {
      let a = UnsafeRawPointer(base + index).loadUnaligned(as: S.Vector.self)
      maximum = S.maximum(maximum, S.magnitudes(a))  // a NaN lane leaves the maximum alone
      probe += a
      afterVector(index)
      index += lanes
    }
    var largest = S.largestLane(of: maximum)
    var sawNaN = false
    while index < count {
      let value = base[index]
      if value.isNaN { sawNaN = true } else { largest = Swift.max(largest, abs(value)) }
      afterElement(index)
      index += 1
    }
    if !sawNaN && !S.laneSum(of: probe).isFinite {
      sawNaN = (0..<count).contains { base[$0].isNaN }
    }
    return (largest, sawNaN)
  }

  /// The exact partial of a block whose fast sum was out of the safe range: `fastSum` is
  /// NaN (a NaN in the block), infinite (an infinity, or an overflow), or too small.
  static func exactBlockSum<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, fastSum: Double, kind: NormKind
  ) -> PowerSum {
    if fastSum.isNaN { return .nonFinite(.nan) }
    let largest = maximumMagnitude(base, count: count)
    if !largest.isFinite { return .nonFinite(largest) }
    if largest == 0 { return .zero }
    if kind == .two, fastSum < S.lowerSafeBlockSum, let scaled = scaledSumOfSquares(base, count: count, largest) {
      return scaled
    }
    return scaledPowerSum(base, count: count, largestMagnitude: largest, kind: kind)
  }

  /// The sum of squares of a block of tiny values, vectorised: every value is multiplied by
  /// `2^-e`, the power of two that brings the largest magnitude into [1, 2) (exact: a power of
  /// two), and the squares are summed in the input's precision as in the fast path; `nil` when
  /// `2^-e` is not a finite value of the precision (the largest magnitude is subnormal).
  ///
  /// Squares of the scaled values that underflow are below `2^-126` next to a largest square of
  /// at least 1: the same bound on their loss as the fast path's.
  private static func scaledSumOfSquares<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, _ largest: Double
  ) -> PowerSum? {
    let exponent = largest.exponent
    let factor = S(Double(sign: .plus, exponent: -exponent, significand: 1))
    guard factor.isFinite, factor.isNormal else { return nil }
    let factors = S.Vector(repeating: factor)
    let sum = blockSum(base, count: count) { vector in
      let scaled = vector * factors
      return scaled * scaled
    }
    return PowerSum(scale: Double(sign: .plus, exponent: exponent, significand: 1), sum: Double(sum))
  }

  /// `sum (|x| / s)^p` in `Double` with `s` the power of two just above the largest magnitude.
  static func scaledPowerSum<S: GradientScalar>(_ base: UnsafePointer<S>, count: Int, kind: NormKind) -> PowerSum {
    let largest = maximumMagnitude(base, count: count)
    if !largest.isFinite { return .nonFinite(largest) }
    if largest == 0 { return .zero }
    return scaledPowerSum(base, count: count, largestMagnitude: largest, kind: kind)
  }

  private static func scaledPowerSum<S: GradientScalar>(
    _ base: UnsafePointer<S>, count: Int, largestMagnitude: Double, kind: NormKind
  ) -> PowerSum {
    // largest / 2 < 2^e <= largest (no overflow even at the top of the range); dividing by a
    // power of two is exact.
    let scale = Double(sign: .plus, exponent: largestMagnitude.exponent, significand: 1)
    var sum = PowerSum.zero
    for index in 0..<count {
      sum.addCompensated(kind.power(abs(Double(base[index])) / scale))
    }
    return PowerSum(scale: scale, sum: sum.total)
  }
}
