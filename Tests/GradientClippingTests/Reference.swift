@testable import GradientClipping

/// Reference norms computed independently of the library: in `Double`, each element divided by
/// the largest magnitude (so nothing overflows or underflows), summed with Kahan compensation.
/// For `Float` inputs every step is exact to far below the library's 1e-6 target; for `Double`
/// inputs it is within a few ulps, far below 1e-12.
enum Reference {
  static func norm<S: BinaryFloatingPoint>(_ tensors: [[S]], order p: Double) -> Double {
    let values = tensors.flatMap { $0 }.map { Double($0) }
    if values.contains(where: \.isNaN) { return .nan }
    if values.contains(where: \.isInfinite) { return .infinity }
    let largest = values.map(abs).max() ?? 0
    if p == .infinity || largest == 0 { return largest }
    var sum = 0.0
    var compensation = 0.0
    for value in values {
      let term = pow(abs(value) / largest, p) - compensation
      let next = sum + term
      compensation = (next - sum) - term
      sum = next
    }
    return largest * pow(sum, 1 / p)
  }

  static func relativeError(_ got: Double, _ want: Double) -> Double {
    if got == want { return 0 }
    return abs(got - want) / abs(want)
  }
}

/// A deterministic generator for test data (the core's SplitMix64).
struct TestRandom {
  private var source: SplitMix64

  init(seed: UInt64) { source = SplitMix64(seed: seed) }

  mutating func next() -> UInt64 { source.next() }

  /// Uniform in [-1, 1).
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }

  mutating func floats(_ count: Int, scale: Double = 1) -> [Float] {
    (0..<count).map { _ in Float(uniform() * scale) }
  }

  mutating func doubles(_ count: Int, scale: Double = 1) -> [Double] {
    (0..<count).map { _ in uniform() * scale }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
