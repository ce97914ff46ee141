#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The learning rate as a function of the number of updates already applied, `t` (0 for the
/// first step).
///
/// Every optimizer's `learningRate` is a schedule; a number literal is a constant schedule, so
/// `SGD<Float>(learningRate: 0.1)` works. A skipped step (``NonFiniteGradientPolicy/skip``) does
/// not advance `t`.
///
/// | schedule | learning rate at step `t` | matches |
/// |---|---|---|
/// | ``constant(_:)`` | `lr` | a plain float learning rate |
/// | ``step(initial:stepSize:gamma:)`` | `initial * gamma^floor(t / stepSize)` | `torch.optim.lr_scheduler.StepLR`, stepped every update |
/// | ``warmupCosine(initial:peak:warmupSteps:totalSteps:final:)`` | linear from `initial` to `peak` over `warmupSteps`, then cosine down to `final` at `totalSteps`, then `final` | `optax.warmup_cosine_decay_schedule` (`decay_steps` = `totalSteps`) |
///
/// ```swift
/// let schedule = LearningRateSchedule.warmupCosine(peak: 1e-3, warmupSteps: 100, totalSteps: 1000)
/// schedule.learningRate(atStep: 0)     // 0
/// schedule.learningRate(atStep: 50)    // 5e-4
/// schedule.learningRate(atStep: 100)   // 1e-3
/// schedule.learningRate(atStep: 550)   // 5e-4
/// schedule.learningRate(atStep: 1000)  // 0
/// ```
public enum LearningRateSchedule: Sendable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
  CustomStringConvertible
{
  /// The same learning rate at every step.
  case constant(Double)

  /// `initial * gamma^floor(t / stepSize)`: the rate is multiplied by `gamma` every `stepSize`
  /// updates (PyTorch's `StepLR` with `scheduler.step()` after every update).
  case step(initial: Double, stepSize: Int, gamma: Double)

  /// A linear warm-up followed by a cosine decay, as optax's `warmup_cosine_decay_schedule`:
  /// - `t < warmupSteps`: `initial + (peak - initial) * t / warmupSteps`;
  /// - `warmupSteps <= t <= totalSteps`: `final + (peak - final) * (1 + cos(pi * (t - warmupSteps) /
  ///   (totalSteps - warmupSteps))) / 2`;
  /// - `t > totalSteps`: `final`.
  ///
  /// With `warmupSteps` 0 this is PyTorch's `CosineAnnealingLR` (`T_max` = `totalSteps`,
  /// `eta_min` = `final`). `totalSteps` must exceed `warmupSteps`.
  case warmupCosine(initial: Double = 0, peak: Double, warmupSteps: Int, totalSteps: Int, final: Double = 0)

  /// A constant learning rate: `0.1` is `.constant(0.1)`.
  public init(floatLiteral value: Double) { self = .constant(value) }

  /// A constant learning rate: `1` is `.constant(1)`.
  public init(integerLiteral value: Int) { self = .constant(Double(value)) }

  /// The learning rate for the update that follows `step` applied updates (`step` >= 0; a
  /// negative `step` counts as 0).
  public func learningRate(atStep step: Int) -> Double {
    let t = max(0, step)
    switch self {
    case .constant(let rate):
      return rate
    case .step(let initial, let stepSize, let gamma):
      return initial * pow(gamma, Double(t / max(1, stepSize)))
    case .warmupCosine(let initial, let peak, let warmupSteps, let totalSteps, let final):
      if t < warmupSteps { return initial + (peak - initial) * Double(t) / Double(warmupSteps) }
      guard t < totalSteps else { return final }
      let progress = Double(t - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
      return final + (peak - final) * (1 + cos(Double.pi * progress)) / 2
    }
  }

  /// Checks the schedule's parameters: rates finite and >= 0, `stepSize` >= 1, `gamma` finite and
  /// >= 0, `warmupSteps` >= 0 and `totalSteps` > `warmupSteps`.
  public func validate() throws(OptimizerError) {
    switch self {
    case .constant(let rate):
      try OptimizerError.requireNonNegative(rate, name: "learningRate")
    case .step(let initial, let stepSize, let gamma):
      try OptimizerError.requireNonNegative(initial, name: "learningRate.initial")
      try OptimizerError.requireNonNegative(gamma, name: "learningRate.gamma")
      guard stepSize >= 1 else {
        throw .invalidHyperparameter(
          name: "learningRate.stepSize", value: Double(stepSize), requirement: "must be >= 1")
      }
    case .warmupCosine(let initial, let peak, let warmupSteps, let totalSteps, let final):
      try OptimizerError.requireNonNegative(initial, name: "learningRate.initial")
      try OptimizerError.requireNonNegative(peak, name: "learningRate.peak")
      try OptimizerError.requireNonNegative(final, name: "learningRate.final")
      guard warmupSteps >= 0 else {
        throw .invalidHyperparameter(
          name: "learningRate.warmupSteps", value: Double(warmupSteps), requirement: "must be >= 0")
      }
      guard totalSteps > warmupSteps else {
        throw .invalidHyperparameter(
          name: "learningRate.totalSteps", value: Double(totalSteps), requirement: "must be > warmupSteps")
      }
    }
  }

  /// The schedule in words, for logs.
  public var description: String {
    switch self {
    case .constant(let rate):
      return "\(rate)"
    case .step(let initial, let stepSize, let gamma):
      return "step(\(initial), x\(gamma) every \(stepSize))"
    case .warmupCosine(_, let peak, 0, let totalSteps, let final):
      // Without warm-up the initial rate plays no part.
      return "cosine(\(peak) -> \(final) at \(totalSteps))"
    case .warmupCosine(let initial, let peak, let warmupSteps, let totalSteps, let final):
      return "warmupCosine(\(initial) -> \(peak) over \(warmupSteps), -> \(final) at \(totalSteps))"
    }
  }
}
