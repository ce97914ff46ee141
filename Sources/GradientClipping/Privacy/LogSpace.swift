#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(ucrt)
  import ucrt
#endif

/// Arithmetic on numbers held as their natural logarithms, as the RDP accountant needs it
/// (TensorFlow Privacy's and Opacus's `_log_add`, `_log_sub`, `_log_erfc`). Zero is `-infinity`.
enum LogSpace {
  /// `log(exp(x) + exp(y))`, without overflow.
  static func add(_ x: Double, _ y: Double) -> Double {
    let (small, large) = x < y ? (x, y) : (y, x)
    if small == -.infinity { return large }
    return log1p(exp(small - large)) + large
  }

  /// `log(exp(x) - exp(y))` for `x >= y`, without overflow. A difference that would be 0 or
  /// negative gives `-infinity` (Opacus raises for a negative one; the accountant's series never
  /// produce it).
  static func subtract(_ x: Double, _ y: Double) -> Double {
    if y == -.infinity { return x }
    guard x > y else { return -.infinity }
    return x + log(-expm1(y - x))
  }

  /// `log(erfc(x))`, accurate where `erfc(x)` underflows: beyond that point (x > 26.5) it uses
  /// the Laurent series at infinity, `erfc(x) ~ exp(-x^2 - 0.5/x^2 + 0.625/x^4 - 37/24/x^6 +
  /// 353/64/x^8) / (x sqrt(pi))`, as TensorFlow Privacy and older Opacus do.
  static func logErfc(_ x: Double) -> Double {
    let value = erfc(x)
    if value >= Double.leastNormalMagnitude { return log(value) }
    return logErfcTail(x)
  }

  /// The Laurent series of `log(erfc(x))` at infinity, for large positive `x` (error about
  /// `30 / x^10`).
  static func logErfcTail(_ x: Double) -> Double {
    let u = 1 / (x * x)
    let series = u * (-0.5 + u * (0.625 + u * (-37.0 / 24 + u * 353.0 / 64)))
    return -log(Double.pi) / 2 - log(x) - x * x + series
  }
}
