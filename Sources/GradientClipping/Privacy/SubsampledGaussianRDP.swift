#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(ucrt)
  import ucrt
#endif

/// `log(A_alpha)` of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar & Zhang 2019,
/// section 3.3), for `0 < q < 1`, `sigma > 0`, `alpha > 1`; the series of TensorFlow Privacy's
/// and Opacus's `_compute_log_a_for_int_alpha` and `_compute_log_a_for_frac_alpha`.
enum SubsampledGaussianRDP {
  /// `log(A_alpha)`: the finite binomial sum for an integer `alpha`, the two-sided series
  /// otherwise.
  static func logA(sampleRate q: Double, sigma: Double, order alpha: Double) -> Double {
    if alpha.rounded() == alpha { return logAInteger(q: q, sigma: sigma, alpha: alpha) }
    return logAFractional(q: q, sigma: sigma, alpha: alpha)
  }

  /// `log(sum_{i=0}^{alpha} C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2)))`.
  private static func logAInteger(q: Double, sigma: Double, alpha: Double) -> Double {
    let logQ = log(q)
    let logOneMinusQ = log1p(-q)
    let twoVariance = 2 * sigma * sigma
    var logA = -Double.infinity
    var logBinomial = 0.0
    var i = 0.0
    while i <= alpha {
      if i > 0 { logBinomial += log(alpha - i + 1) - log(i) }
      let term = logBinomial + i * logQ + (alpha - i) * logOneMinusQ + (i * i - i) / twoVariance
      logA = LogSpace.add(logA, term)
      i += 1
    }
    return logA
  }

  /// The two integrals over `(-inf, z0]` and `[z0, inf)`, each a series in `i` with generalised
  /// binomial coefficients `C(alpha, i)` (which alternate in sign once `i > alpha + 1`), summed
  /// until both terms fall below `exp(-30)`.
  private static func logAFractional(q: Double, sigma: Double, alpha: Double) -> Double {
    let logQ = log(q)
    let logOneMinusQ = log1p(-q)
    let twoVariance = 2 * sigma * sigma
    let z0 = sigma * sigma * log(1 / q - 1) + 0.5
    let erfcScale = 1 / (2.squareRoot() * sigma)
    var (logA0, logA1) = (-Double.infinity, -Double.infinity)
    var logAbsBinomial = 0.0
    var binomialIsPositive = true
    var i = 0.0
    while true {
      if i > 0 {
        let factor = alpha - i + 1
        logAbsBinomial += log(abs(factor)) - log(i)
        if factor < 0 { binomialIsPositive.toggle() }
      }
      let j = alpha - i
      let logS0 =
        logAbsBinomial + i * logQ + j * logOneMinusQ + (i * i - i) / twoVariance
        + log(0.5) + LogSpace.logErfc((i - z0) * erfcScale)
      let logS1 =
        logAbsBinomial + j * logQ + i * logOneMinusQ + (j * j - j) / twoVariance
        + log(0.5) + LogSpace.logErfc((z0 - j) * erfcScale)
      if binomialIsPositive {
        logA0 = LogSpace.add(logA0, logS0)
        logA1 = LogSpace.add(logA1, logS1)
      } else {
        logA0 = LogSpace.subtract(logA0, logS0)
        logA1 = LogSpace.subtract(logA1, logS1)
      }
      i += 1
      if max(logS0, logS1) < -30 { break }
    }
    return LogSpace.add(logA0, logA1)
  }
}
