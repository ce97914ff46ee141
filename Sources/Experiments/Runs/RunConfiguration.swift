import GradientClipping
import Training

/// Everything that defines a training run; the same configuration and seed give the same run.
///
/// ```swift
/// var configuration = RunConfiguration(task: "adding", length: 100, model: .rnn)
/// configuration.clip = try ClipSpec(parsing: "norm:1.0")
/// configuration.optimizer = OptimizerSettings(name: "sgd", learningRate: 0.05)
/// ```
public struct RunConfiguration: Sendable, Hashable {
  /// The task's name (see ``TaskCatalog``).
  public var task: String
  /// The sequence length of sequence tasks, the window of `charlm`.
  public var length: Int
  /// The text file of `charlm` (`nil`: the built-in Shakespeare).
  public var textPath: String?
  /// The model family.
  public var model: ModelKind
  /// The model's sizes.
  public var sizes: ModelSizes
  /// The optimizer and its learning rate.
  public var optimizer: OptimizerSettings
  /// How gradients are clipped.
  public var clip: ClipSpec
  /// The number of training steps.
  public var steps: Int
  /// The examples per step.
  public var batchSize: Int
  /// The seed of the model's initialisation and of the training data.
  public var seed: UInt64
  /// Evaluate on the held-out set every this many steps (and before the first and after the last).
  public var evaluationInterval: Int
  /// The run's name in tables and charts; the clip spec when `nil`.
  public var label: String?

  /// A configuration; without clipping, SGD at 0.01, 1000 steps of 32 examples, seed 1, by default.
  public init(
    task: String, length: Int = 50, textPath: String? = nil, model: ModelKind = .rnn, sizes: ModelSizes = ModelSizes(),
    optimizer: OptimizerSettings = OptimizerSettings(), clip: ClipSpec = .none, steps: Int = 1000,
    batchSize: Int = 32, seed: UInt64 = 1, evaluationInterval: Int = 100, label: String? = nil
  ) {
    self.task = task
    self.length = length
    self.textPath = textPath
    self.model = model
    self.sizes = sizes
    self.optimizer = optimizer
    self.clip = clip
    self.steps = steps
    self.batchSize = batchSize
    self.seed = seed
    self.evaluationInterval = evaluationInterval
    self.label = label
  }

  /// The run's name: ``label``, or the clip spec.
  public var name: String { label ?? clip.text }

  /// The settings as a report lists them.
  public var settings: [RunSetting] {
    var settings = [RunSetting("task", task)]
    if let textPath { settings.append(RunSetting("text", textPath)) }
    settings += [
      RunSetting("length", "\(length)"), RunSetting("model", model.rawValue), RunSetting("hidden", "\(sizes.hidden)"),
      RunSetting("layers", "\(sizes.layers)"),
    ]
    if model == .gpt { settings.append(RunSetting("heads", "\(sizes.heads)")) }
    if [.rnn, .lstm, .gru].contains(model) {
      settings.append(RunSetting("recurrent-init", sizes.recurrentInitialization.specText))
    }
    settings += [
      RunSetting("optimizer", optimizer.name), RunSetting("lr", optimizer.learningRate.description),
    ]
    if optimizer.momentum != 0 { settings.append(RunSetting("momentum", "\(optimizer.momentum)")) }
    if let decay = optimizer.weightDecay { settings.append(RunSetting("weight-decay", "\(decay)")) }
    if optimizer.updateClipping != .none {
      settings.append(RunSetting("update-clip", optimizer.updateClipping.description))
    }
    return settings + [
      RunSetting("clip", clip.text), RunSetting("steps", "\(steps)"), RunSetting("batch", "\(batchSize)"),
      RunSetting("seed", "\(seed)"),
    ]
  }

  /// Checks the numbers that the task, model and clip spec do not check themselves.
  ///
  /// - Throws: ``ExperimentError/invalidSetting(name:value:requirement:)``.
  public func validate() throws(ExperimentError) {
    guard steps >= 1 else { throw .invalidSetting(name: "steps", value: "\(steps)", requirement: "must be >= 1") }
    guard batchSize >= 1 else {
      throw .invalidSetting(name: "batch", value: "\(batchSize)", requirement: "must be >= 1")
    }
    guard evaluationInterval >= 1 else {
      throw .invalidSetting(name: "eval-every", value: "\(evaluationInterval)", requirement: "must be >= 1")
    }
  }
}
