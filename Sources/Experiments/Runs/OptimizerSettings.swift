import GradientClipping
import Training

/// Which optimizer a run uses, and its hyperparameters, with PyTorch's update rules.
///
/// | name | optimizer | reads |
/// |---|---|---|
/// | `sgd` | `SGD` (PyTorch) | `momentum`, `weightDecay` |
/// | `adam` | `Adam` | `weightDecay` (L2) |
/// | `adamw` | `AdamW` | `weightDecay` (decoupled; PyTorch's default 0.01 when not given) |
/// | `rmsprop` | `RMSprop` | `momentum`, `weightDecay` |
/// | `adagrad` | `Adagrad` | `weightDecay` |
public struct OptimizerSettings: Sendable, Hashable {
  /// The optimizer names, as above.
  public static let names = ["sgd", "adam", "adamw", "rmsprop", "adagrad"]

  /// The optimizer's name.
  public var name: String
  /// The learning rate schedule.
  public var learningRate: LearningRateSchedule
  /// The momentum (SGD, RMSprop).
  public var momentum: Double
  /// The weight decay; `nil` is the optimizer's default.
  public var weightDecay: Double?
  /// Clipping of Adam's and AdamW's update (Adafactor's RMS clipping, StableAdamW); `.none` for
  /// the others.
  public var updateClipping: UpdateClipping = .none

  /// Settings; SGD at 0.01 without momentum by default.
  public init(
    name: String = "sgd", learningRate: LearningRateSchedule = 0.01, momentum: Double = 0, weightDecay: Double? = nil
  ) {
    self.name = name
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  /// The optimizer, without clipping (the run clips) and skipping steps whose gradients are not
  /// finite (the run records them).
  ///
  /// - Throws: ``ExperimentError/invalidSetting(name:value:requirement:)`` for an unknown name or a
  ///   hyperparameter the optimizer refuses.
  public func makeOptimizer() throws(ExperimentError) -> any Optimizer<Float> {
    let decay = weightDecay ?? 0
    let optimizer: any Optimizer<Float>
    switch name {
    case "sgd":
      optimizer = SGD<Float>(learningRate: learningRate, momentum: momentum, weightDecay: decay, nonFinitePolicy: .skip)
    case "adam":
      optimizer = Adam<Float>(
        learningRate: learningRate, weightDecay: decay, updateClipping: updateClipping, nonFinitePolicy: .skip)
    case "adamw":
      optimizer = AdamW<Float>(
        learningRate: learningRate, weightDecay: weightDecay ?? 0.01, updateClipping: updateClipping,
        nonFinitePolicy: .skip)
    case "rmsprop":
      optimizer = RMSprop<Float>(
        learningRate: learningRate, weightDecay: decay, momentum: momentum, nonFinitePolicy: .skip)
    case "adagrad": optimizer = Adagrad<Float>(learningRate: learningRate, weightDecay: decay, nonFinitePolicy: .skip)
    default:
      throw .invalidSetting(name: "optimizer", value: name, requirement: "one of \(Self.names.joined(separator: ", "))")
    }
    if updateClipping != .none, !["adam", "adamw"].contains(name) {
      throw .invalidSetting(
        name: "update-clip", value: updateClipping.description, requirement: "only adam and adamw clip their update")
    }
    try check(optimizer)
    return optimizer
  }

  /// Runs one step on an empty set, so that the optimizer checks its hyperparameters up front.
  private func check(_ optimizer: any Optimizer<Float>) throws(ExperimentError) {
    var copy = optimizer
    var values: [[Float]] = []
    var gradients: [[Float]] = []
    do {
      try copy.step(values: &values, gradients: &gradients)
    } catch {
      throw .invalidSetting(name: "optimizer", value: name, requirement: error.description)
    }
  }
}
