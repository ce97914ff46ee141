import Testing

@testable import GradientClipping
@testable import Training

/// One product to check: shape, transposes, accumulate, and the padding of every leading
/// dimension (so that strides larger than the rows are exercised).
struct MatmulShape: Sendable, CustomTestStringConvertible {
  let m: Int
  let n: Int
  let k: Int
  var transposeA = false
  var transposeB = false
  var accumulate = false
  /// Extra elements at the end of every row of A, B and C as stored.
  var padding = 3

  var testDescription: String {
    "\(m)x\(n)x\(k)" + (transposeA ? " A^T" : "") + (transposeB ? " B^T" : "") + (accumulate ? " +=" : "")
  }

  var lda: Int { (transposeA ? m : k) + padding }
  var ldb: Int { (transposeB ? k : n) + padding }
  var ldc: Int { n + padding }
  var countA: Int { (transposeA ? k : m) * lda }
  var countB: Int { (transposeB ? n : k) * ldb }
  var countC: Int { m * ldc }

  /// The shape with every combination of the two transposes and accumulate.
  var variants: [MatmulShape] {
    [false, true].flatMap { ta in
      [false, true].flatMap { tb in
        [false, true].map { acc in
          var shape = self
          (shape.transposeA, shape.transposeB, shape.accumulate) = (ta, tb, acc)
          return shape
        }
      }
    }
  }

  /// Shapes that cover the edges of the kernels: empty and unit dimensions, sizes just below,
  /// at and above the tiles (6 x 16, 12 x 32, 6 x 8, 6 x 4), the depth block (256) and the column
  /// block of the C kernels (2048), and a deep product.
  static let coverage: [MatmulShape] = [
    MatmulShape(m: 0, n: 5, k: 3), MatmulShape(m: 3, n: 0, k: 2), MatmulShape(m: 4, n: 5, k: 0),
    MatmulShape(m: 1, n: 1, k: 1), MatmulShape(m: 1, n: 1, k: 7), MatmulShape(m: 1, n: 37, k: 1),
    MatmulShape(m: 5, n: 1, k: 300), MatmulShape(m: 13, n: 33, k: 7), MatmulShape(m: 12, n: 32, k: 256),
    MatmulShape(m: 6, n: 16, k: 255), MatmulShape(m: 25, n: 65, k: 257), MatmulShape(m: 7, n: 40, k: 513),
    MatmulShape(m: 31, n: 47, k: 2), MatmulShape(m: 40, n: 70, k: 130), MatmulShape(m: 2, n: 2100, k: 5),
    MatmulShape(m: 200, n: 3, k: 40), MatmulShape(m: 9, n: 17, k: 3000),
  ]
}

/// Seeded operands for one shape, in the scalar type under test.
struct MatmulOperandsFixture<S: GradientScalar> {
  let shape: MatmulShape
  var a: [S]
  var b: [S]
  /// C before the product: random values in the rows, a sentinel in the padding.
  var c: [S]

  static var sentinel: S { 12345 }

  init(_ shape: MatmulShape, seed: UInt64, scale: S = 1) {
    self.shape = shape
    var generator = SplitMix64(seed: seed)
    // At least one element each, so that every buffer has a base address.
    a = (0..<max(1, shape.countA)).map { _ in S(Double.random(in: -1...1, using: &generator)) * scale }
    b = (0..<max(1, shape.countB)).map { _ in S(Double.random(in: -1...1, using: &generator)) * scale }
    c = (0..<max(1, shape.countC)).map { index in
      index % shape.ldc < shape.n ? S(Double.random(in: -1...1, using: &generator)) : Self.sentinel
    }
  }

  /// Runs `multiply` on copies of the operands and returns the resulting C.
  func run(_ multiply: (GEMMOperands<S>) -> Void) -> [S] {
    var result = c
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        result.withUnsafeMutableBufferPointer { c in
          guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else {
            Issue.record("empty operand buffer")
            return
          }
          multiply(
            GEMMOperands(
              transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m, n: shape.n, k: shape.k,
              a: a, lda: shape.lda, b: b, ldb: shape.ldb, c: c, ldc: shape.ldc, accumulate: shape.accumulate))
        }
      }
    }
    return result
  }

  /// The exact product (to `Double` rounding) and, for each element, the sum of the
  /// magnitudes of its terms, both in the layout of C.
  func exactProduct() -> (values: [Double], magnitudes: [Double]) {
    let (a, b) = (self.a.map { Double($0) }, self.b.map { Double($0) })
    var values = [Double](repeating: 0, count: c.count)
    var magnitudes = values
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        for row in 0..<shape.m {
          for column in 0..<shape.n {
            let old = shape.accumulate ? Double(c[row * shape.ldc + column]) : 0
            var (sum, magnitude) = (old, abs(old))
            for inner in 0..<shape.k {
              let x = shape.transposeA ? a[inner * shape.lda + row] : a[row * shape.lda + inner]
              let y = shape.transposeB ? b[column * shape.ldb + inner] : b[inner * shape.ldb + column]
              sum += x * y
              magnitude += abs(x * y)
            }
            values[row * shape.ldc + column] = sum
            magnitudes[row * shape.ldc + column] = magnitude
          }
        }
      }
    }
    return (values, magnitudes)
  }
}

/// The check of a computed C against the product computed in `Double`.
///
/// Tolerance: every path computes each element as a sum of `k` products plus (when
/// accumulating) the old value, in some order, in the scalar type, with one rounding per
/// multiply-add (or two without FMA) and one per addition of a partial sum into C: at most
/// `2k + 2` roundings on the path of any term. The classic bound on a floating-point sum
/// (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., section 3.1) then gives
/// `|computed - exact| <= gamma * (sum of |a[i,p] * b[p,j]| + |c[i,j]|)` with
/// `gamma = (2k + 2) u / (1 - (2k + 2) u)` and `u` the unit roundoff (2^-24 for `Float`, 2^-53
/// for `Double`). The reference is computed in `Double` (for `Double` inputs its own error is of
/// the same order, so the bound is doubled). This is a worst case for any summation order,
/// scaled by `k` and the magnitudes, so it holds for every path without depending on which
/// order each path uses; in practice errors are far smaller.
enum MatmulCheck {
  static func unitRoundoff<S: GradientScalar>(_: S.Type) -> Double { Double(S.ulpOfOne) / 2 }

  /// Records a test issue for every element of `computed` outside the bound, and for any
  /// padding element that changed.
  static func expectClose<S: GradientScalar>(
    _ computed: [S], to fixture: MatmulOperandsFixture<S>, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let shape = fixture.shape
    let u = unitRoundoff(S.self) * (S.self == Double.self ? 2 : 1)
    let steps = Double(2 * shape.k + 2) * u
    let gamma = steps / (1 - steps)
    let (exact, magnitudes) = fixture.exactProduct()
    var failures = 0
    for row in 0..<shape.m {
      for column in 0..<shape.n {
        let index = row * shape.ldc + column
        let value = Double(computed[index])
        if !(abs(value - exact[index]) <= gamma * magnitudes[index]), failures < 5 {
          failures += 1
          let bound = gamma * magnitudes[index]
          let message = "\(shape.testDescription): C[\(row), \(column)] = \(value), exact \(exact[index])"
          Issue.record("\(message), bound \(bound)", sourceLocation: sourceLocation)
        }
      }
    }
    expectPaddingUntouched(computed, fixture: fixture, sourceLocation: sourceLocation)
  }

  /// Records an issue if any element past `n` in a row of C changed.
  static func expectPaddingUntouched<S: GradientScalar>(
    _ computed: [S], fixture: MatmulOperandsFixture<S>, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let shape = fixture.shape
    let touched = (0..<shape.countC).filter { $0 % shape.ldc >= shape.n && computed[$0] != fixture.c[$0] }
    #expect(
      touched.isEmpty, "\(shape.testDescription): padding of C written at \(touched.prefix(5))",
      sourceLocation: sourceLocation)
  }
}
