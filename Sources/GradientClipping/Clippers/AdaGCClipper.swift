/// AdaGC (Wang et al. 2025, "AdaGC: Improving Training Stability for Large Language Model
/// Pretraining", arXiv 2502.11034): each tensor is clipped against an exponential moving average
/// of its own past clipped norms, after a warm-up of ordinary global-norm clipping.
///
/// With `n_i = ||g_i||` the 2-norm of tensor `i` and `t` the number of finite steps seen before
/// this one:
///
/// 1. **Warm-up** (`t < warmupSteps`, the paper's `T_start`): global-norm clipping at the fixed
///    threshold `warmupMaxNorm` (the paper's `lambda_abs`) with PyTorch's formula,
///    `c = min(1, warmupMaxNorm / (||g|| + epsilon))`, every tensor scaled by `c`; and each
///    tensor's reference is the smallest clipped norm seen, `gamma_i = min(gamma_i, c * n_i)`
///    (`gamma_i = c * n_i` on the first step).
/// 2. **Adaptive** (afterwards), for each tensor on its own, with `limit_i = relativeThreshold *
///    gamma_i` (`lambda_rel * gamma_{t-1,i}`): if `n_i > limit_i`, then
///    `g_i *= limit_i / (n_i + epsilon)`; then `gamma_i = beta * gamma_i + (1 - beta) *
///    min(n_i, limit_i)`, the EMA of the clipped norm. (With `warmupSteps` 0, the first step
///    starts each reference at the tensor's own norm: `gamma_i = n_i`.)
///
/// This follows the authors' released implementation (the `AdaGC` class of their Megatron-LM
/// patch, `lishuai-97/AdaGC`) where the paper's notation leaves room: the `epsilon` 1e-6 in the
/// coefficient, the running minimum during warm-up, and the EMA fed with `lambda_rel * gamma`
/// (the norm the clipped tensor has) rather than a norm measured again after scaling. Our
/// clipped norms are computed in `Double` from the exact norms, so for `Float` gradients they
/// can differ from a re-measured norm in the last bits.
///
/// Defaults: `beta` 0.98, `relativeThreshold` 1.05, `warmupSteps` 100, `warmupMaxNorm` 1, the
/// settings of the paper's experiments. The authors' released Megatron-LM scripts use
/// `clip_ratio` 1.04 and `beta` 0.99 with the same 100 warm-up steps and `clip_grad` 1.0: pass
/// `relativeThreshold: 1.04, beta: 0.99` to reproduce them.
///
/// Beware, as in the reference: a tensor whose gradient is exactly zero at some warm-up step
/// gets `gamma_i = 0`, and from then on its threshold is 0, so its gradient is zeroed at every
/// step (the EMA is fed 0 and never recovers). Exclude such tensors (frozen or unused
/// parameters) from the set, or use a warm-up in which every tensor receives gradient.
///
/// The report: `norm` is the global 2-norm before clipping; `tensorNorms` and
/// `tensorCoefficients` give each tensor's norm and factor; `coefficient` is the smallest
/// factor; the outcome is ``ClippingReport/Outcome/clipped`` if any tensor was scaled.
/// `threshold` is `warmupMaxNorm` during warm-up and, afterwards, the smallest per-tensor
/// threshold `relativeThreshold * gamma_i` used at this step (infinity for a set of no tensors);
/// every tensor's threshold for the next step is in ``tensorThresholds``.
///
/// A NaN or infinite norm follows ``nonFinitePolicy`` (throw, skip, or apply the formula as
/// PyTorch would: a NaN factor for a NaN norm, 0 for an infinite one) and never enters the state:
/// a step with any non-finite tensor leaves ``gamma`` and ``stepCount`` as they were.
///
/// State (``StatefulClippingComponent``): ``stepCount`` and ``gamma``, kind `"adagc"`, arrays
/// `"step"` (one count) and `"gamma"` (one value per tensor, empty before the first step).
///
/// Complexity: one read pass for the tensor norms and one scaling pass over the tensors that are
/// clipped; O(tensors) bookkeeping.
///
/// ```swift
/// var adagc = try AdaGCClipper(warmupSteps: 2)
/// var step1: [[Double]] = [[3, 4], [0, 1]]   // global norm 5.099 > 1: all scaled by ~0.196
/// _ = try adagc.clip(&step1)                  // gamma == [0.981, 0.196]
/// ```
public struct AdaGCClipper: StatefulGradientClipper, Sendable, Hashable {
  /// The EMA factor `beta`, in (0, 1).
  public let beta: Double
  /// The relative threshold `lambda_rel` (> 0): a tensor is clipped when its norm exceeds this
  /// multiple of its reference `gamma`.
  public let relativeThreshold: Double
  /// The number of warm-up steps `T_start` (>= 0) of global-norm clipping.
  public let warmupSteps: Int
  /// The global threshold `lambda_abs` during warm-up; finite and >= 0.
  public let warmupMaxNorm: Double
  /// Added to the norm in every coefficient's denominator; finite and >= 0.
  public let epsilon: Double
  /// What to do with a NaN or infinite norm.
  public let nonFinitePolicy: NonFiniteNormPolicy

  /// The number of steps taken with finite gradients (non-finite steps are not counted).
  public private(set) var stepCount = 0
  /// Each tensor's reference norm `gamma_i`: during warm-up the smallest clipped norm, then the
  /// EMA of the clipped norms. Empty before the first step.
  public private(set) var gamma: [Double] = []

  /// An AdaGC clipper with the paper's defaults.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` naming the argument:
  ///   `beta` outside (0, 1), `relativeThreshold` not finite and > 0, `warmupSteps` below 0,
  ///   `warmupMaxNorm` or `epsilon` not finite and >= 0.
  public init(
    beta: Double = 0.98, relativeThreshold: Double = 1.05, warmupSteps: Int = 100, warmupMaxNorm: Double = 1,
    epsilon: Double = 1e-6, nonFinitePolicy: NonFiniteNormPolicy = .error
  ) throws(ClippingError) {
    guard beta > 0, beta < 1 else {
      throw .invalidArgument(name: "beta", value: beta, requirement: "must be in (0, 1)")
    }
    guard relativeThreshold > 0, relativeThreshold.isFinite else {
      throw .invalidArgument(name: "relativeThreshold", value: relativeThreshold, requirement: "must be finite and > 0")
    }
    guard warmupSteps >= 0 else {
      throw .invalidArgument(name: "warmupSteps", value: Double(warmupSteps), requirement: "must be >= 0")
    }
    try ClippingError.validateThreshold(warmupMaxNorm, name: "warmupMaxNorm")
    try ClippingError.validateThreshold(epsilon, name: "epsilon")
    (self.beta, self.relativeThreshold, self.warmupSteps) = (beta, relativeThreshold, warmupSteps)
    (self.warmupMaxNorm, self.epsilon, self.nonFinitePolicy) = (warmupMaxNorm, epsilon, nonFinitePolicy)
  }

  /// Whether the next step is a warm-up step (global-norm clipping).
  public var isWarmingUp: Bool { stepCount < warmupSteps }

  /// Each tensor's threshold `relativeThreshold * gamma_i` for the next adaptive step (empty
  /// before the first step).
  public var tensorThresholds: [Double] { gamma.map { relativeThreshold * $0 } }

  /// Clips `gradients` (globally during warm-up, then tensor by tensor) and updates the state.
  ///
  /// - Returns: a report with each tensor's norm and coefficient; see ``AdaGCClipper``.
  /// - Throws: ``ClippingError/elementCountMismatch(argument:expected:actual:)`` if the number
  ///   of tensors differs from earlier steps; ``ClippingError/nonFiniteNorm(norm:tensorIndex:)``
  ///   under the `error` policy (the global norm during warm-up, the first non-finite tensor
  ///   after). Nothing is modified when it throws.
  public mutating func clip<Gradients: GradientSet>(
    _ gradients: inout Gradients
  ) throws(ClippingError)
    -> ClippingReport
  {
    if stepCount > 0 && gamma.count != gradients.tensorCount {
      throw .elementCountMismatch(argument: "gradients", expected: gamma.count, actual: gradients.tensorCount)
    }
    let norms = try gradients.tensorNorms()
    let total = try GradientNorm(combining: norms)
    let report: ClippingReport
    if isWarmingUp {
      report = try warmUpStep(&gradients, norms: norms, total: total)
    } else {
      report = try adaptiveStep(&gradients, norms: norms, total: total)
    }
    if norms.allSatisfy(\.isFinite) { stepCount += 1 }
    return report
  }

  /// Warm-up: global clipping at `warmupMaxNorm`; the references track the smallest clipped norm.
  private mutating func warmUpStep<Gradients: GradientSet>(
    _ gradients: inout Gradients, norms: [GradientNorm], total: GradientNorm
  ) throws(ClippingError) -> ClippingReport {
    let clipper = GlobalNormClipper(
      maxNorm: warmupMaxNorm, formula: .pytorch(epsilon: epsilon), nonFinitePolicy: nonFinitePolicy)
    var report = try clipper.clip(&gradients, withNorm: total)
    report.tensorNorms = norms.map(\.value)
    report.tensorCoefficients = Array(repeating: report.coefficient, count: norms.count)
    guard norms.allSatisfy(\.isFinite) else { return report }
    let clipped = norms.map { Self.scaledNorm($0.value, by: report.coefficient, cap: warmupMaxNorm) }
    gamma = stepCount == 0 ? clipped : zip(gamma, clipped).map { min($0, $1) }
    return report
  }

  /// `coefficient * norm`, the norm of a tensor scaled during warm-up; at most `cap` when the
  /// coefficient is below 1, so a `Double` tensor norm beyond the `Double` range stays finite.
  private static func scaledNorm(_ norm: Double, by coefficient: Double, cap: Double) -> Double {
    guard coefficient < 1 else { return norm }
    let product = coefficient * norm
    return product.isNaN ? 0 : min(product, cap)
  }

  /// After warm-up: each tensor against `relativeThreshold * gamma_i`; the references move.
  private mutating func adaptiveStep<Gradients: GradientSet>(
    _ gradients: inout Gradients, norms: [GradientNorm], total: GradientNorm
  ) throws(ClippingError) -> ClippingReport {
    let references = stepCount == 0 ? norms.map { min($0.value, .greatestFiniteMagnitude) } : gamma
    let limits = references.map { relativeThreshold * $0 }
    let decisions = zip(norms, limits).enumerated().map { index, pair in
      let (norm, limit) = pair
      return ScalingDecision.deciding(
        norm: norm.value, isFinite: norm.isFinite, tensorIndex: index, policy: nonFinitePolicy
      ) {
        if norm.value.isNaN { return .nan }
        if !norm.isFinite { return 0 }
        return norm.value > limit ? norm.quotient(limit, plus: epsilon) : 1
      }
    }
    let scaling = PerTensorScaling(
      norms: norms.map(\.value), normsAreFinite: norms.allSatisfy(\.isFinite), decisions: decisions,
      threshold: limits.min() ?? .infinity, reportedNorm: total.value)
    let report = try gradients.withMutableTensorBuffers { buffers in
      scaling.apply(with: KernelDriver(tensorsOf: buffers, parallelism: .automatic))
    }.get()
    if norms.allSatisfy(\.isFinite) {
      gamma = zip(zip(references, limits), norms).map { pair, norm in
        beta * pair.0 + (1 - beta) * min(norm.value, pair.1)
      }
    }
    return report
  }

  // MARK: State

  /// The state: kind `"adagc"`, arrays `"step"` (``stepCount``) and `"gamma"` (``gamma``).
  public var state: ClipperState {
    ClipperState(kind: "adagc", arrays: ["step": ClipperState.stored(stepCount), "gamma": gamma])
  }

  /// Restores a state saved by ``state``.
  ///
  /// - Throws: a ``ClippingError`` naming the array if the kind is not `"adagc"`, an array is
  ///   missing or unknown, `step` is not one whole number >= 0, a `gamma` value is not finite
  ///   and >= 0, or `gamma` is not empty at step 0. Nothing changes when it throws.
  public mutating func restore(_ state: ClipperState) throws(ClippingError) {
    let reader = try ClipperStateReader(state, kind: "adagc", names: ["step", "gamma"])
    let step = try reader.count("step")
    let gamma = try reader.values("gamma")
    if step == 0 && !gamma.isEmpty {
      throw .elementCountMismatch(argument: "state.gamma", expected: 0, actual: gamma.count)
    }
    (stepCount, self.gamma) = (step, gamma)
  }

  /// Forgets the references and the step count: warm-up starts again.
  public mutating func resetState() {
    stepCount = 0
    gamma = []
  }
}
