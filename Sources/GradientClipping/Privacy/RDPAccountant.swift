#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(ucrt)
  import ucrt
#endif

/// The privacy spent by DP-SGD, tracked with Rényi differential privacy (RDP) and converted to
/// an `(epsilon, delta)` guarantee: the accountant of Opacus's `RDPAccountant` and TensorFlow
/// Privacy's `rdp_accountant`, with the same numbers.
///
/// Each training step with Poisson sampling at rate `q` and Gaussian noise of standard deviation
/// `sigma` times the clipping norm is one run of the subsampled Gaussian mechanism, whose RDP at
/// order `alpha` is ``stepRDP(noiseMultiplier:sampleRate:order:)`` (Mironov, Talwar & Zhang
/// 2019). RDP composes by addition, so the history costs `sum over entries of steps * rdp(alpha)`
/// at each order. ``epsilon(delta:orders:)`` then takes the conversion of Balle et al. 2020
/// (theorem 21), the one Opacus uses,
///
///     eps = min over orders a of  rdp(a) - (log(delta) + log(a)) / (a - 1) + log((a - 1) / a)
///
/// and reports the order attaining it. If that is the first or last order given, a wider range
/// of orders may give a smaller epsilon (Opacus warns then).
///
/// ```swift
/// var accountant = RDPAccountant()
/// try accountant.record(noiseMultiplier: 1.1, sampleRate: 0.01, steps: 1000)
/// let spent = try accountant.epsilon(delta: 1e-5)
/// // spent.epsilon ≈ 1.71177, spent.bestOrder == 9.6 (as Opacus 1.6)
/// ```
public struct RDPAccountant: Sendable, Hashable {
  /// One stretch of training with the same noise and sample rate.
  public struct Entry: Sendable, Hashable {
    /// The noise standard deviation divided by the clipping norm (`sigma`); finite and >= 0.
    public var noiseMultiplier: Double
    /// The Poisson sampling probability of each example (`q`), in `[0, 1]`.
    public var sampleRate: Double
    /// How many steps ran with these parameters; >= 0.
    public var steps: Int

    /// An entry; the values are checked when it is recorded.
    public init(noiseMultiplier: Double, sampleRate: Double, steps: Int) {
      self.noiseMultiplier = noiseMultiplier
      self.sampleRate = sampleRate
      self.steps = steps
    }
  }

  /// Opacus's default orders: 1.1, 1.2, ..., 10.9, then 12, 13, ..., 63.
  public static let defaultOrders: [Double] = (1...99).map { 1 + Double($0) / 10 } + (12...63).map { Double($0) }

  /// The steps recorded so far, oldest first; consecutive steps with the same noise multiplier
  /// and sample rate share one entry, as in Opacus.
  public private(set) var history: [Entry]

  /// An accountant that has recorded nothing (epsilon 0 for any delta).
  public init() { history = [] }

  /// Records `steps` steps of DP-SGD with the given noise multiplier and sample rate.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming
  ///   `noiseMultiplier` (not finite or < 0), `sampleRate` (outside `[0, 1]`) or `steps` (< 0);
  ///   nothing is recorded then.
  ///
  /// ```swift
  /// try accountant.record(noiseMultiplier: 1.2, sampleRate: 0.01, steps: 500)
  /// ```
  public mutating func record(noiseMultiplier: Double, sampleRate: Double, steps: Int = 1) throws(ClippingError) {
    try Self.validate(noiseMultiplier: noiseMultiplier, sampleRate: sampleRate)
    guard steps >= 0 else {
      throw .invalidArgument(name: "steps", value: Double(steps), requirement: "must be >= 0")
    }
    if let last = history.last, last.noiseMultiplier == noiseMultiplier, last.sampleRate == sampleRate {
      history[history.count - 1].steps += steps
    } else {
      history.append(Entry(noiseMultiplier: noiseMultiplier, sampleRate: sampleRate, steps: steps))
    }
  }

  /// The RDP of the whole history at each of `orders`: `sum over entries of steps *
  /// stepRDP(order)`, which may be infinite (a noise multiplier of 0).
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming `orders` for an
  ///   order that is not finite or not > 1.
  ///
  /// ```swift
  /// try accountant.rdp(orders: [2, 8])  // [rdp(2), rdp(8)]
  /// ```
  public func rdp(orders: [Double]) throws(ClippingError) -> [Double] {
    for order in orders { try Self.validate(order: order) }
    return orders.map { order in
      history.reduce(0) { total, entry in
        guard entry.steps > 0 else { return total }
        let step = Self.unvalidatedStepRDP(entry.noiseMultiplier, entry.sampleRate, order)
        return total + Double(entry.steps) * step
      }
    }
  }

  /// The smallest `epsilon` over `orders` for which the history is `(epsilon, delta)`-DP, and the
  /// order attaining it (the first such order on a tie). Infinite RDP gives `epsilon` infinity
  /// at the first order; an empty history gives the conversion of RDP 0 (as Opacus does).
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming `delta` (not in
  ///   `(0, 1)`) or `orders` (empty, or an order that is not finite or not > 1).
  ///
  /// ```swift
  /// let (epsilon, order) = try accountant.epsilon(delta: 1e-5)
  /// ```
  public func epsilon(
    delta: Double, orders: [Double] = RDPAccountant.defaultOrders
  ) throws(ClippingError) -> (epsilon: Double, bestOrder: Double) {
    guard delta > 0, delta < 1 else {
      throw .invalidArgument(name: "delta", value: delta, requirement: "must be in (0, 1)")
    }
    guard !orders.isEmpty else {
      throw .invalidArgument(name: "orders", value: 0, requirement: "must hold at least one order (count 0)")
    }
    let totals = try rdp(orders: orders)
    var best: (epsilon: Double, bestOrder: Double)?
    for (order, total) in zip(orders, totals) {
      let epsilon = Self.balleEpsilon(rdp: total, order: order, delta: delta)
      if epsilon.isNaN { continue }
      if best == nil || epsilon < best?.epsilon ?? .infinity { best = (epsilon, order) }
    }
    return best ?? (.infinity, .nan)
  }

  /// The RDP at `order` of one step of the Poisson-subsampled Gaussian mechanism with sampling
  /// probability `sampleRate` and noise `noiseMultiplier` (Mironov, Talwar & Zhang 2019):
  /// `log(A_alpha) / (alpha - 1)`, computed in log space as Opacus's `_compute_rdp` does, with
  /// the special cases
  /// - sample rate 0: 0 (nothing is released about anyone);
  /// - noise multiplier 0: infinity (no privacy);
  /// - sample rate 1: `alpha / (2 sigma^2)`, the plain Gaussian mechanism.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming
  ///   `noiseMultiplier`, `sampleRate` or `order` (not finite or not > 1).
  ///
  /// ```swift
  /// try RDPAccountant.stepRDP(noiseMultiplier: 2, sampleRate: 1, order: 4)  // 4 / 8 = 0.5
  /// ```
  public static func stepRDP(
    noiseMultiplier: Double, sampleRate: Double, order: Double
  ) throws(ClippingError) -> Double {
    try validate(noiseMultiplier: noiseMultiplier, sampleRate: sampleRate)
    try validate(order: order)
    return unvalidatedStepRDP(noiseMultiplier, sampleRate, order)
  }
}

extension RDPAccountant {
  static func unvalidatedStepRDP(_ sigma: Double, _ q: Double, _ alpha: Double) -> Double {
    if q == 0 { return 0 }
    if sigma == 0 { return .infinity }
    if q == 1 { return alpha / (2 * sigma * sigma) }
    return SubsampledGaussianRDP.logA(sampleRate: q, sigma: sigma, order: alpha) / (alpha - 1)
  }

  static func balleEpsilon(rdp: Double, order: Double, delta: Double) -> Double {
    rdp - (log(delta) + log(order)) / (order - 1) + log((order - 1) / order)
  }

  static func validate(noiseMultiplier: Double, sampleRate: Double) throws(ClippingError) {
    guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
      throw .invalidArgument(name: "noiseMultiplier", value: noiseMultiplier, requirement: "must be finite and >= 0")
    }
    guard sampleRate >= 0, sampleRate <= 1 else {
      throw .invalidArgument(name: "sampleRate", value: sampleRate, requirement: "must be in [0, 1]")
    }
  }

  static func validate(order: Double) throws(ClippingError) {
    guard order.isFinite, order > 1 else {
      throw .invalidArgument(name: "orders", value: order, requirement: "every order must be finite and > 1")
    }
  }
}
