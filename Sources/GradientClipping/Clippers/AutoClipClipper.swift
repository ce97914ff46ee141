/// AutoClip (Seetharaman et al. 2020, "AutoClip: adaptive gradient clipping for source
/// separation networks"): the threshold is a quantile of the gradient norms seen so far.
///
/// Each call: measure the 2-norm (of all gradients, or of each tensor with
/// ``Scope/perTensor``); the threshold is the `quantile` of the recorded norms, linearly
/// interpolated between order statistics (`torch.quantile`, NumPy's default); clip as
/// PyTorch's `clip_grad_norm_` with that threshold (`min(1, threshold / (norm + 1e-6))`); then
/// record the norm, keeping the last `historyLength`. With no recorded norm yet, nothing is
/// clipped.
///
/// By default the current norm is recorded after it is used, as the `autoclip` package's
/// `QuantileClip` does; ``includesCurrentNorm`` records it first, as the paper defines the
/// threshold (the percentile of all norms seen, the current one included).
///
/// State: the recorded norms, in ``history``; ``resetState()`` clears them, and
/// ``state``/``restore(_:)`` save and restore them (``StatefulGradientClipper``). A NaN or
/// infinite norm is never recorded: ``nonFinitePolicy`` decides (throw, skip, or apply PyTorch's
/// formula); a `Double` norm too large for a `Double` is clipped exactly but not recorded either.
///
/// Complexity: the norm pass, a scaling pass when clipping, and O(log h) per norm for the
/// bookkeeping, `h = historyLength`, worst case rather than amortized: each history is kept in a
/// windowed order-statistics structure (two binary heaps split at the rank the quantile needs,
/// each knowing where every norm sits so that the oldest is removed at once, beside a ring of the
/// norms in arrival order), so recording a norm, forgetting the oldest and reading the two order
/// statistics never sort the history. The thresholds are bit for bit those of sorting the history
/// (the same two order statistics, the same interpolation). Memory: `h` norms per history, never
/// more. Reading ``history`` or ``state`` costs O(h); ``restore(_:)`` O(h log h).
///
/// ```swift
/// var autoclip = try AutoClipClipper(quantile: 0.1, historyLength: 1000)
/// let report = try autoclip.clip(&gradients)
/// ```
public struct AutoClipClipper: StatefulGradientClipper, Sendable, Hashable {
  /// Whether one history covers all gradients or each tensor has its own.
  public enum Scope: String, Sendable, Hashable {
    /// One norm of all gradients, one history.
    case global
    /// A norm, a history and a threshold per tensor.
    case perTensor = "per-tensor"
  }

  /// The quantile in [0, 1] (the paper's percentile / 100).
  public let quantile: Double
  /// How many norms are kept (per tensor with ``Scope/perTensor``).
  public let historyLength: Int
  /// Global or per tensor.
  public let scope: Scope
  /// Whether the current norm joins the history before the threshold is taken (the paper).
  public let includesCurrentNorm: Bool
  /// What to do with a NaN or infinite norm.
  public let nonFinitePolicy: NonFiniteNormPolicy
  /// The recorded norms: one list for ``Scope/global``, one per tensor otherwise; oldest first.
  /// Empty before the first step. O(h) to read.
  public var history: [[Double]] { windows.map(\.values) }
  /// One window of norms per history, with its quantile kept up to date.
  private var windows: [SlidingQuantile] = []

  /// An AutoClip clipper with an empty history.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for a quantile outside
  ///   [0, 1] or a history length below 1.
  public init(
    quantile: Double, historyLength: Int, scope: Scope = .global, includesCurrentNorm: Bool = false,
    nonFinitePolicy: NonFiniteNormPolicy = .error
  ) throws(ClippingError) {
    guard quantile >= 0, quantile <= 1 else {
      throw .invalidArgument(name: "quantile", value: quantile, requirement: "must be in [0, 1]")
    }
    guard historyLength >= 1 else {
      throw .invalidArgument(name: "historyLength", value: Double(historyLength), requirement: "must be >= 1")
    }
    self.quantile = quantile
    self.historyLength = historyLength
    self.scope = scope
    self.includesCurrentNorm = includesCurrentNorm
    self.nonFinitePolicy = nonFinitePolicy
  }

  /// Forgets every recorded norm.
  public mutating func resetState() { windows = [] }

  /// Clips `gradients` to the current quantile threshold and records their norm(s).
  public mutating func clip<Gradients: GradientSet>(
    _ gradients: inout Gradients
  ) throws(ClippingError)
    -> ClippingReport
  {
    let norms: [GradientNorm]
    switch scope {
    case .global: norms = [try gradients.totalNorm()]
    case .perTensor: norms = try gradients.tensorNorms()
    }
    if windows.count != norms.count {
      windows = Array(repeating: SlidingQuantile(quantile: quantile, capacity: historyLength), count: norms.count)
    }
    if let bad = norms.firstIndex(where: { !$0.isFinite }) {
      switch nonFinitePolicy {
      case .error: throw .nonFiniteNorm(norm: norms[bad].value, tensorIndex: scope == .global ? nil : bad)
      case .skip:
        return ClippingReport(norm: norms[bad].value, threshold: .infinity, coefficient: 1, outcome: .skippedNonFinite)
      case .propagate: break
      }
    }
    var thresholds: [Double] = []
    for (index, norm) in norms.enumerated() {
      // `value.isFinite`, not just `isFinite` (finite gradients): a Double norm beyond
      // `Double.greatestFiniteMagnitude` is infinite as a value and is not recorded either.
      let recorded = norm.value.isFinite
      if includesCurrentNorm && recorded { windows[index].append(norm.value) }
      thresholds.append(windows[index].currentQuantile ?? .infinity)
      if !includesCurrentNorm && recorded { windows[index].append(norm.value) }
    }
    let coefficients = zip(norms, thresholds).map { norm, threshold -> Double in
      guard threshold.isFinite else { return 1 }
      return norm.value.isNaN ? .nan : min(1, norm.quotient(threshold, plus: 1e-6))
    }
    let factors = coefficients.map { Gradients.Scalar($0) }
    if factors.contains(where: { $0 != 1 }) {
      gradients.withMutableTensorBuffers { buffers in
        switch scope {
        case .global: KernelDriver(elementsOf: buffers, parallelism: .automatic).scale(by: factors[0])
        case .perTensor: KernelDriver(tensorsOf: buffers, parallelism: .automatic).scale(by: factors)
        }
      }
    }
    let smallest = coefficients.reduce(1.0) { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
    let total = (try? GradientNorm(combining: norms).value) ?? .nan
    let allFinite = norms.allSatisfy(\.isFinite)
    return ClippingReport(
      norm: total, threshold: thresholds.min() ?? .infinity, coefficient: smallest,
      outcome: !(smallest < 1) && !smallest.isNaN ? .unchanged : allFinite ? .clipped : .propagatedNonFinite,
      tensorNorms: scope == .perTensor ? norms.map(\.value) : [],
      tensorCoefficients: scope == .perTensor ? coefficients : [])
  }

}

extension AutoClipClipper {
  /// The state: kind `"autoclip"`, arrays `"history"` (every recorded norm, list after list,
  /// oldest first) and `"history_lengths"` (the length of each list: one for ``Scope/global``,
  /// one per tensor for ``Scope/perTensor``; empty before the first step).
  public var state: ClipperState {
    let lengths = windows.map { Double($0.count) }
    return ClipperState(kind: "autoclip", arrays: ["history": windows.flatMap(\.values), "history_lengths": lengths])
  }

  /// Restores a state saved by ``state``.
  ///
  /// - Throws: a ``ClippingError`` naming the array if the kind is not `"autoclip"`, an array is
  ///   missing or unknown, a norm is not finite and >= 0, a length is not a whole number or is
  ///   longer than ``historyLength``, the lengths do not add up to the number of norms, or a
  ///   ``Scope/global`` clipper is given more than one list. Nothing changes when it throws.
  public mutating func restore(_ state: ClipperState) throws(ClippingError) {
    let reader = try ClipperStateReader(state, kind: "autoclip", names: ["history", "history_lengths"])
    let norms = try reader.values("history")
    let lengths = try reader.counts("history_lengths")
    if scope == .global && lengths.count > 1 {
      throw .elementCountMismatch(argument: "state.history_lengths", expected: 1, actual: lengths.count)
    }
    for (index, length) in lengths.enumerated() where length > historyLength {
      throw .invalidArgument(
        name: "state.history_lengths[\(index)]", value: Double(length),
        requirement: "must be <= historyLength (\(historyLength))")
    }
    let total = lengths.reduce(0, +)
    guard total == norms.count else {
      throw .elementCountMismatch(argument: "state.history", expected: total, actual: norms.count)
    }
    var start = 0
    windows = lengths.map { length in
      defer { start += length }
      return SlidingQuantile(quantile: quantile, capacity: historyLength, values: Array(norms[start..<start + length]))
    }
  }
}
