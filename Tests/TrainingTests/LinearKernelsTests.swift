import GradientClipping
import Testing

@testable import Training

@Suite("Linear kernels")
struct LinearKernelsTests {
  /// The sum of squares in `Double`, one term at a time: the reference.
  private static func reference(_ values: [Float]) -> Double {
    values.reduce(0) { $0 + Double($1) * Double($1) }
  }

  private static func sumOfSquares(_ values: [Float]) -> Double? {
    values.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { LinearKernels.sumOfSquares($0, count: buffer.count) } ?? 0
    }
  }

  @Test("a bias's sum of squares is the Double sum within count ulps, at every length and magnitude")
  func floatSumOfSquares() throws {
    for count in 0...37 {
      for magnitude: Float in [1e-30, 1e-3, 1, 3e19, .greatestFiniteMagnitude, .leastNonzeroMagnitude] {
        let values = (0..<count).map { Float(($0 * 29) % 11 - 5) / 5 * magnitude }
        let want = Self.reference(values)
        let got = try #require(Self.sumOfSquares(values))
        #expect(abs(got - want) <= Double(count) * want.ulp, "count \(count), magnitude \(magnitude)")
        #expect(want.isFinite)
      }
    }
  }

  @Test("a NaN or an infinity makes the sum NaN or infinite")
  func nonFinite() throws {
    #expect(try #require(Self.sumOfSquares([1, .nan, 2])).isNaN)
    #expect(try #require(Self.sumOfSquares([1, 2, 3, 4, -.infinity])) == .infinity)
  }

  @Test("Double values are left to backward's exact measure")
  func doubleIsNotMeasured() {
    let values: [Double] = [1e200, 2]
    let sum = values.withUnsafeBufferPointer { LinearKernels.sumOfSquares($0.baseAddress!, count: 2) }
    #expect(sum == nil)
  }
}
