import GradientClipping
import Testing

@testable import Training

/// The C kernels' measure of C (`ctk_sgemm_measured`): each tile's sum of squares as it is
/// finished, which backward uses as a weight gradient's norm.
@Suite(.enabled(if: AcceleratedGEMM.isAvailable(level: 2), "no AVX2 + FMA on this CPU: the C path is not used"))
struct MatmulMeasureTests {
  /// The product at `level` on up to `threads` threads, and its measure.
  static func measured(_ fixture: MatmulOperandsFixture<Float>, level: Int, threads: Int) -> (c: [Float], sum: Double) {
    var sum: Double?
    let c = fixture.run { operands in sum = AcceleratedGEMM.runMeasuring(operands, level: level, threads: threads) }
    return (c, sum ?? .nan)
  }

  /// The sum of the squares of C's `m x n` elements, in `Double`.
  static func sumOfSquares(_ c: [Float], shape: MatmulShape) -> Double {
    var sum = 0.0
    for row in 0..<shape.m {
      for column in 0..<shape.n {
        let value = Double(c[row * shape.ldc + column])
        sum += value * value
      }
    }
    return sum
  }

  @Test(
    "the measure is C's sum of squares within 1e-6, and C is the unmeasured product", arguments: MatmulShape.coverage)
  func measureMatchesProduct(shape: MatmulShape) {
    for level in MatmulAcceleratedTests.levels {
      for variant in MatmulAcceleratedTests.twoVariants(of: shape) {
        let fixture = MatmulOperandsFixture<Float>(variant, seed: 31)
        let (c, sum) = Self.measured(fixture, level: level, threads: 1)
        #expect(c == MatmulAcceleratedTests.multiply(fixture, level: level), "\(variant.testDescription)")
        let want = Self.sumOfSquares(c, shape: variant)
        #expect(abs(sum - want) <= 1e-6 * want, "\(variant.testDescription) level \(level): \(sum) vs \(want)")
      }
    }
  }

  @Test("the measure has the same bits on 1, 2 and 5 threads")
  func threadIndependence() {
    for level in MatmulAcceleratedTests.levels {
      for variant in MatmulAcceleratedTests.twoVariants(of: MatmulShape(m: 300, n: 290, k: 64)) {
        let fixture = MatmulOperandsFixture<Float>(variant, seed: 32)
        let sums = [1, 2, 5].map { Self.measured(fixture, level: level, threads: $0).sum.bitPattern }
        #expect(Set(sums).count == 1, "\(variant.testDescription) level \(level)")
      }
    }
  }

  @Test("tiles whose squares overflow or underflow in float are summed in double", arguments: [1e-11, 1e10])
  func extremeMagnitudes(scale: Float) {
    for level in MatmulAcceleratedTests.levels {
      let fixture = MatmulOperandsFixture<Float>(MatmulShape(m: 30, n: 40, k: 20), seed: 33, scale: scale)
      let (c, sum) = Self.measured(fixture, level: level, threads: 1)
      let want = Self.sumOfSquares(c, shape: fixture.shape)
      // The squares are out of float's range (above 3.4e38 or below 1.2e-38), their sum in double is not.
      let shape = fixture.shape
      let elements = (0..<shape.m).flatMap { row in (0..<shape.n).map { c[row * shape.ldc + $0] } }
      let largest = elements.map { abs(Double($0)) }.max() ?? 0
      #expect(want.isFinite && (largest * largest > 3.4e38 || largest * largest < 1.2e-38))
      #expect(abs(sum - want) <= 1e-6 * want, "level \(level): \(sum) vs \(want)")
    }
  }

  @Test("a NaN in an operand makes the measure NaN")
  func nanPropagates() {
    for level in MatmulAcceleratedTests.levels {
      var fixture = MatmulOperandsFixture<Float>(MatmulShape(m: 30, n: 40, k: 20), seed: 34)
      fixture.a[17] = .nan
      #expect(Self.measured(fixture, level: level, threads: 2).sum.isNaN)
    }
  }

  @Test("an infinity in an operand makes the measure infinite, not NaN, in edge tiles too")
  func infinityPropagates() {
    for level in MatmulAcceleratedTests.levels {
      // Row 29 of C (in the last, partial row of tiles) becomes infinite; B has no zeros.
      var fixture = MatmulOperandsFixture<Float>(MatmulShape(m: 30, n: 40, k: 20), seed: 35)
      fixture.a[29 * fixture.shape.lda + 3] = .infinity
      fixture.b = fixture.b.map { $0 == 0 ? 0.5 : $0 }
      let (c, sum) = Self.measured(fixture, level: level, threads: 1)
      #expect(c.contains(.infinity) || c.contains(-.infinity))
      #expect(sum == .infinity, "level \(level): \(sum)")
    }
  }
}
