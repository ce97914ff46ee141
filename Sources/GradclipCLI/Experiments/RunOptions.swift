import ArgumentParser
import Experiments
import Training

/// The options that define a run, shared by `train` and `compare`.
struct RunOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The task: \(TaskCatalog.names.joined(separator: ", ")).", valueName: "name"))
  var task = "adding"

  @Option(help: "Sequence length of sequence tasks (the window of charlm).")
  var length = 50

  @Option(help: ArgumentHelp("A UTF-8 text file for charlm (default: the built-in Shakespeare).", valueName: "file"))
  var text: String?

  @Option(
    help: ArgumentHelp("The model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
  var model = "rnn"

  @Option(help: "Hidden size of recurrent and perceptron layers; width of a GPT.")
  var hidden = 64

  @Option(help: "Stacked recurrent layers, hidden perceptron layers or transformer blocks.")
  var layers = 1

  @Option(help: "Attention heads of a GPT.")
  var heads = 4

  @Option(
    help: ArgumentHelp(
      "Recurrent weight initialisation: pytorch (uniform, the default), orthogonal or orthogonal:GAIN.",
      valueName: "spec"))
  var recurrentInit = "pytorch"

  @Option(help: ArgumentHelp("The optimizer: \(OptimizerSettings.names.joined(separator: ", ")).", valueName: "name"))
  var optimizer = "sgd"

  @Option(help: "The (peak) learning rate.")
  var lr = 0.01

  @Option(
    help: ArgumentHelp(
      "Learning-rate schedule: constant, step:SIZE:GAMMA (StepLR), cosine[:WARMUP] (warm-up, then cosine to 0).",
      valueName: "spec"))
  var schedule = "constant"

  @Option(
    help: ArgumentHelp(
      "Clipping of Adam's/AdamW's update: none, rms:D (Adafactor, per tensor) or stable-adamw.", valueName: "spec"))
  var updateClip = "none"

  @Option(help: "Momentum of SGD and RMSprop.")
  var momentum = 0.0

  @Option(help: "Weight decay (default: the optimizer's own, 0.01 for adamw, else 0).")
  var weightDecay: Double?

  @Option(help: "Training steps (batches).")
  var steps: Int?

  @Option(
    help: "Epochs over the training examples (data-set tasks: digits, charlm counts windows); instead of --steps.")
  var epochs: Int?

  @Option(help: "Examples per step.")
  var batch = 32

  @Option(help: "Seed of the initial model and the data.")
  var seed: UInt64 = 1

  @Option(help: "Evaluate on the held-out set every N steps (default: 20 times per run).")
  var evalEvery: Int?

  /// The configuration these options give, for `clip` and, when given, another learning rate,
  /// length or seed.
  func configuration(
    clip: ClipSpec, learningRate: Double? = nil, length: Int? = nil, seed: UInt64? = nil, label: String? = nil
  ) throws(ExperimentError) -> RunConfiguration {
    guard let kind = ModelKind(rawValue: model) else {
      throw .invalidSetting(
        name: "model", value: model, requirement: "one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    let rate = learningRate ?? lr
    var configuration = RunConfiguration(
      task: task, length: length ?? self.length, textPath: text, model: kind,
      sizes: ModelSizes(
        hidden: hidden, layers: layers, heads: heads,
        recurrentInitialization: try RecurrentInitialization(spec: recurrentInit)),
      optimizer: OptimizerSettings(
        name: optimizer, learningRate: .constant(rate), momentum: momentum, weightDecay: weightDecay),
      clip: clip, batchSize: batch, seed: seed ?? self.seed, label: label)
    configuration.optimizer.updateClipping = try Self.updateClipping(updateClip)
    if configuration.optimizer.updateClipping != .none, !["adam", "adamw"].contains(optimizer) {
      throw .invalidSetting(name: "update-clip", value: updateClip, requirement: "needs --optimizer adam or adamw")
    }
    configuration.steps = try stepCount()
    configuration.optimizer.learningRate = try ScheduleSpec.parse(schedule, rate: rate, steps: configuration.steps)
    configuration.evaluationInterval = evalEvery ?? max(configuration.steps / 20, 1)
    return configuration
  }

  /// The `--update-clip` spec.
  static func updateClipping(_ text: String) throws(ExperimentError) -> UpdateClipping {
    let parts = text.lowercased().split(separator: ":")
    switch (parts.first, parts.count) {
    case ("none", 1): return .none
    case ("stable-adamw", 1): return .stableAdamW
    case ("rms", 2):
      if let threshold = Double(parts[1]), threshold.isFinite, threshold > 0 { return .rms(threshold: threshold) }
    default: break
    }
    throw .invalidSetting(name: "update-clip", value: text, requirement: "none, rms:D with D > 0, or stable-adamw")
  }

  /// The number of steps: `--steps`, or `--epochs` over the task's training examples.
  private func stepCount() throws(ExperimentError) -> Int {
    if let epochs {
      guard steps == nil else {
        throw .invalidSetting(name: "epochs", value: "\(epochs)", requirement: "give --steps or --epochs, not both")
      }
      let task = try TaskCatalog.task(named: task, length: length, textPath: text)
      guard let examples = task.trainingExampleCount else {
        throw .invalidSetting(
          name: "epochs", value: "\(epochs)",
          requirement: "\(task.name) draws fresh examples every step and has no epochs; use --steps")
      }
      return max(epochs, 0) * ((examples + batch - 1) / max(batch, 1))
    }
    return steps ?? 1000
  }
}
