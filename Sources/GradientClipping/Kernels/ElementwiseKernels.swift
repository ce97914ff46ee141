/// Vectorised in-place element-wise kernels: rescaling and clamping.
enum ElementwiseKernels {
  /// `x *= factor` for `count` elements at `base`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func scale<S: GradientScalar>(_ base: UnsafeMutablePointer<S>, count: Int, by factor: S) {
    let lanes = S.Vector.scalarCount
    let factors = S.Vector(repeating: factor)
    var element = base
    let vectorEnd = base + (count - count % (2 * lanes))
    while element < vectorEnd {
      let raw = UnsafeMutableRawPointer(element)
      let second = lanes * MemoryLayout<S>.stride
      let a = raw.loadUnaligned(as: S.Vector.self)
      let b = raw.loadUnaligned(fromByteOffset: second, as: S.Vector.self)
      raw.storeBytes(of: a * factors, as: S.Vector.self)
      raw.storeBytes(of: b * factors, toByteOffset: second, as: S.Vector.self)
      element += 2 * lanes
    }
    while element < base + count {
      element.pointee *= factor
      element += 1
    }
  }

  /// Clamps `count` elements at `base` into `[-limit, limit]`; NaN stays NaN. Returns the
  /// largest magnitude seen before clamping (NaN if a NaN was seen).
  ///
  /// Block by block, in one of two ways chosen by what the previous block needed:
  /// - after a block within the limit, the block's largest magnitude is measured first (a read
  ///   pass over data that then sits in the L1 cache) and the block is clamped only if something
  ///   in it exceeds the limit, so a set within the limit is never written;
  /// - after a block that needed clamping, the block is measured and clamped in one pass, which
  ///   is what clamping most of a set costs least in.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func clamp<S: GradientScalar>(_ base: UnsafeMutablePointer<S>, count: Int, limit: S) -> Double {
    let bounds = ClampBounds(limit: limit)
    var largest = S.zero
    var sawNaN = false
    var previousBlockExceeded = false
    var start = 0
    while start < count {
      let block = base + start
      let length = Swift.min(clampBlockLength, count - start)
      let summary: (largest: S, sawNaN: Bool)
      if previousBlockExceeded {
        summary = measureAndClamp(block, count: length, within: bounds)
      } else {
        summary = NormKernels.magnitudeSummary(UnsafePointer(block), count: length)
        if summary.largest > limit { clampBlock(block, count: length, within: bounds) }
      }
      previousBlockExceeded = summary.largest > limit
      largest = Swift.max(largest, summary.largest)
      sawNaN = sawNaN || summary.sawNaN
      start += length
    }
    return sawNaN ? .nan : Double(largest)
  }

  /// Clamps `count` elements at `base` into `[-limit, limit]`, NaN kept, without measuring them:
  /// every element is written, register by register.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func clampWithoutMeasuring<S: GradientScalar>(_ base: UnsafeMutablePointer<S>, count: Int, limit: S) {
    clampBlock(base, count: count, within: ClampBounds(limit: limit))
  }

  /// Elements measured, then clamped, at a time: 16 KiB of `Float`s, which stay in the L1 cache
  /// between the two.
  private static let clampBlockLength = 4096

  /// `[-limit, limit]` as registers and as scalars, made once per call, outside the kernels'
  /// loops (see ``GradientScalar/clamped(_:lower:upper:)``).
  private struct ClampBounds<S: GradientScalar> {
    let lower: S.Register
    let upper: S.Register
    let limit: S

    init(limit: S) {
      self.lower = S.Register(repeating: -limit)
      self.upper = S.Register(repeating: limit)
      self.limit = limit
    }

    /// `value` clamped into the bounds; NaN stays NaN (both comparisons are false for it).
    func clamped(_ value: S) -> S {
      let belowUpper = limit < value ? limit : value
      return belowUpper < -limit ? -limit : belowUpper
    }
  }

  /// Clamps `count` elements, register by register.
  @inline(never)
  private static func clampBlock<S: GradientScalar>(
    _ base: UnsafeMutablePointer<S>, count: Int, within bounds: ClampBounds<S>
  ) {
    let lanes = S.Vector.scalarCount
    var index = 0
    while index + lanes <= count {
      clampVector(at: UnsafeMutableRawPointer(base + index), within: bounds)
      index += lanes
    }
    while index < count {
      base[index] = bounds.clamped(base[index])
      index += 1
    }
  }

  /// Clamps a block in one pass and returns what ``NormKernels/magnitudeSummary(_:count:)``
  /// returns for the block before clamping. Every element is written.
  ///
  /// Each vector is loaded whole for the measurement, then clamped register by register (loads
  /// that the compiler merges with the vector's).
  @inline(never)
  private static func measureAndClamp<S: GradientScalar>(
    _ base: UnsafeMutablePointer<S>, count: Int, within bounds: ClampBounds<S>
  ) -> (largest: S, sawNaN: Bool) {
    let registerSize = MemoryLayout<S.Register>.size
    return NormKernels.magnitudeSummary(
      UnsafePointer(base), count: count,
      afterVector: { index in
        // Written out rather than a call of clampVector, which the compiler then left a call.
        let raw = UnsafeMutableRawPointer(base + index)
        for offset in stride(from: 0, to: MemoryLayout<S.Vector>.size, by: registerSize) {
          clampRegister(at: raw + offset, within: bounds)
        }
      },
      afterElement: { index in base[index] = bounds.clamped(base[index]) })
  }

  /// Clamps the vector at `raw`, register by register (a vector's worth per loop iteration).
  @inline(__always)
  private static func clampVector<S: GradientScalar>(at raw: UnsafeMutableRawPointer, within bounds: ClampBounds<S>) {
    let registerSize = MemoryLayout<S.Register>.size
    for offset in stride(from: 0, to: MemoryLayout<S.Vector>.size, by: registerSize) {
      clampRegister(at: raw + offset, within: bounds)
    }
  }

  @inline(__always)
  private static func clampRegister<S: GradientScalar>(at raw: UnsafeMutableRawPointer, within bounds: ClampBounds<S>) {
    let register = raw.loadUnaligned(as: S.Register.self)
    raw.storeBytes(of: S.clamped(register, lower: bounds.lower, upper: bounds.upper), as: S.Register.self)
  }
}
