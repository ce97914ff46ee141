import Testing

@testable import GradientClipping
@testable import Training

/// The AVX2 and AVX-512 element-wise kernels against the core's portable loops, bit for bit:
/// every length up to a few vectors, every start within a cache line, and values that test the
/// edges (NaN, infinities, signed zeros, subnormals, the bounds themselves).
@Suite(.enabled(if: NativeClippingKernels.instructionSet != nil, "no AVX2 on this CPU: the portable loops run"))
struct NativeClippingKernelsTests {
  static var levels: [Int] { [2, 3].filter { NativeClippingKernels.kernels(level: $0) != nil } }

  /// Random values of mixed magnitudes with the special values sprinkled in.
  static func values<S: GradientScalar>(_ count: Int, seed: UInt64, as: S.Type) -> [S] {
    var random = SplitMix64(seed: seed)
    let specials: [S] = [
      .nan, .infinity, -.infinity, 0, -0, S.leastNonzeroMagnitude, -S.leastNormalMagnitude, 0.5, -0.5,
    ]
    return (0..<count).map { _ in
      let draw = random.next()
      if draw % 7 == 0 { return specials[Int(draw >> 8) % specials.count] }
      return S(random.symmetric()) * S(Double(sign: .plus, exponent: Int(draw >> 40) % 20 - 10, significand: 1))
    }
  }

  static func expectSameBits<S: GradientScalar>(_ native: [S], _ portable: [S], _ context: String) {
    #expect(native.count == portable.count)
    func bits(_ value: S) -> (FloatingPointSign, S.RawExponent, S.RawSignificand) {
      (value.sign, value.exponentBitPattern, value.significandBitPattern)
    }
    let mismatch = native.indices.first { bits(native[$0]) != bits(portable[$0]) }
    #expect(mismatch == nil, "\(context): first mismatch at \(mismatch ?? -1)")
  }

  /// Runs `native` and `portable` on the same values at every start offset and length, and
  /// compares the whole buffers (elements outside the range must be left alone).
  static func compare<S: GradientScalar>(
    _ type: S.Type, level: Int,
    native: (NativeKernels, UnsafeMutablePointer<S>, Int) -> Bool,
    portable: (UnsafeMutablePointer<S>, Int) -> Void
  ) throws {
    let kernels = try #require(NativeClippingKernels.kernels(level: level))
    let padding = 20
    for offset in 0..<16 {
      for count in 0...150 {
        let original = values(offset + count + padding, seed: UInt64(offset * 1000 + count), as: S.self)
        var fast = original
        var slow = original
        let done = fast.withUnsafeMutableBufferPointer { buffer in
          buffer.baseAddress.map { native(kernels, $0 + offset, count) } ?? false
        }
        slow.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { portable($0 + offset, count) } }
        #expect(done)
        expectSameBits(fast, slow, "level \(level), \(S.self), offset \(offset), count \(count)")
      }
    }
  }

  @Test("Rescaling gives the portable loop's bits", arguments: [0.7, 1e-30, 3e5, -2.0, 0.0])
  func scale(factor: Double) throws {
    for level in Self.levels {
      try Self.compare(Float.self, level: level) {
        $0.scale($1, count: $2, by: Float(factor))
      } portable: {
        ElementwiseKernels.scale($0, count: $1, by: Float(factor))
      }
      try Self.compare(Double.self, level: level) {
        $0.scale($1, count: $2, by: factor)
      } portable: {
        ElementwiseKernels.scale($0, count: $1, by: factor)
      }
    }
  }

  @Test("Clamping gives the portable loop's bits, NaN kept", arguments: [0.25, 1e-20, 0.0, Double.infinity])
  func clamp(limit: Double) throws {
    for level in Self.levels {
      try Self.compare(Float.self, level: level) {
        $0.clamp($1, count: $2, limit: Float(limit))
      } portable: {
        ElementwiseKernels.clampWithoutMeasuring($0, count: $1, limit: Float(limit))
      }
      try Self.compare(Double.self, level: level) {
        $0.clamp($1, count: $2, limit: limit)
      } portable: {
        ElementwiseKernels.clampWithoutMeasuring($0, count: $1, limit: limit)
      }
    }
  }

  @Test("Blocks' sums of squares are the portable kernel's bits", arguments: [1.0, 1e-18, 1e18])
  func blockSumsOfSquares(magnitude: Double) throws {
    for level in Self.levels {
      let kernels = try #require(NativeClippingKernels.kernels(level: level))
      try Self.compareBlockSums(Float.self, kernels, magnitude: magnitude)
      try Self.compareBlockSums(Double.self, kernels, magnitude: magnitude)
    }
  }

  /// Every length up to two blocks and a bit (all sub-block and tail cases), then a few long
  /// buffers, at two start offsets.
  static func compareBlockSums<S: GradientScalar>(
    _ type: S.Type, _ kernels: NativeKernels, magnitude: Double
  ) throws {
    let blockLength = S.kernelBlockLength
    let lengths = Array(0...(2 * blockLength + 40)) + [10 * blockLength + 7, 65_536]
    // Finite values (a NaN or an infinity in nearly every block would hide the sums), with one
    // NaN and one infinity placed in blocks of the long buffers.
    var pool = values(65_536 + 8, seed: 3, as: S.self).map { $0.isFinite ? $0 * S(magnitude) : 0 }
    pool[7 * blockLength + 100] = .nan
    pool[9 * blockLength + 5] = -.infinity
    for offset in [0, 3] {
      for count in lengths {
        var native = [S](repeating: -1, count: (count + blockLength - 1) / blockLength)
        let done = pool.withUnsafeBufferPointer { values in
          native.withUnsafeMutableBufferPointer { sums in
            guard let base = values.baseAddress, let sums = sums.baseAddress else { return count == 0 }
            return kernels.blockSumsOfSquares(base + offset, count: count, blockLength: blockLength, into: sums)
          }
        }
        let portable = pool.withUnsafeBufferPointer { values in
          stride(from: 0, to: count, by: blockLength).compactMap { start in
            values.baseAddress.map {
              NormKernels.blockSumOfSquares($0 + offset + start, count: min(blockLength, count - start))
            }
          }
        }
        #expect(done)
        let nanAgree = native.indices.allSatisfy { native[$0].isNaN == portable[$0].isNaN }
        #expect(nanAgree, "\(S.self) offset \(offset) count \(count): NaN in one only")
        expectSameBits(
          native.map { $0.isNaN ? 0 : $0 }, portable.map { $0.isNaN ? 0 : $0 },
          "\(S.self) x\(magnitude) offset \(offset) count \(count)")
      }
    }
  }

  @Test("The clippers give the same bits with the native kernels installed as without")
  func clippersUnchanged() throws {
    let shapes = [[300, 7], [1], [0], [65_537], [33, 33]]
    var original = try FlatGradientStorage<Float>(shapes: shapes)
    var random = SplitMix64(seed: 11)
    original.withMutableElements { elements in
      for index in elements.indices { elements[index] = Float(random.symmetric()) }
    }
    func clipAll() throws -> (elements: [Float], norms: [Double]) {
      var gradients = original
      let global = try GlobalNormClipper(maxNorm: 0.5).clip(&gradients)
      let perTensor = try TensorNormClipper(maxNorm: 0.25).clip(&gradients)
      try ValueClipper(clipValue: 0.01).clipWithoutReport(&gradients)
      let norms = try gradients.tensorNorms().map(\.value) + [gradients.totalNorm().value]
      return (gradients.elements, [global.norm, perTensor.norm] + norms)
    }
    NativeKernels.install(nil)
    let portable = try clipAll()
    NativeClippingKernels.install()
    let native = try clipAll()
    Self.expectSameBits(native.elements, portable.elements, "clipped values")
    Self.expectSameBits(native.norms, portable.norms, "norms")
  }
}
