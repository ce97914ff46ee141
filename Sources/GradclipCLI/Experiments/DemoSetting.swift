import Experiments

/// The setting of `gradclip demo`, chosen by measurement (see `Scripts/demo_setting_scan.sh` and
/// the README): the adding problem at a sequence length and learning rate where plain SGD on a
/// tanh RNN is unstable.
enum DemoSetting {
  /// The sequence length.
  static let length = 50
  /// The hidden size.
  static let hidden = 64
  /// Plain SGD's learning rate.
  static let learningRate = 0.3
  /// Steps per run.
  static let steps = 3000
  /// Examples per step.
  static let batch = 32
  /// The seed of every run.
  static let seed: UInt64 = 1
  /// The four clipping methods.
  static let clipSpecs = ["none", "norm:1.0", "value:0.1", "zclip:max=1.0"]

  static let title = "gradclip demo: the adding problem, tanh RNN, plain SGD"

  static var subtitle: String {
    "sequence length \(length), hidden \(hidden), SGD lr \(learningRate), batch \(batch), \(steps) steps, seed \(seed)"
  }

  static var description: String {
    "Trains a tanh RNN (hidden \(hidden)) on the adding problem (Hochreiter & Schmidhuber 1997; Pascanu et al. 2013) "
      + "at sequence length \(length) with plain SGD at learning rate \(learningRate), \(steps) steps of \(batch) "
      + "sequences, four times from the same seed and data: \(clipSpecs.joined(separator: ", "))."
  }

  static var notes: [String] {
    [
      description,
      "An example is solved when the output is within 0.04 of the sum of the two marked values; predicting the "
        + "mean alone gives a loss of about 0.167 and solves about 8% of the held-out sequences.",
    ]
  }

  /// The four runs.
  static func configurations(steps: Int, seed: UInt64) throws(ExperimentError) -> [RunConfiguration] {
    var configurations: [RunConfiguration] = []
    for text in clipSpecs {
      configurations.append(
        RunConfiguration(
          task: "adding", length: length, model: .rnn, sizes: ModelSizes(hidden: hidden),
          optimizer: OptimizerSettings(name: "sgd", learningRate: .constant(learningRate)),
          clip: try ClipSpec(parsing: text), steps: steps, batchSize: batch, seed: seed,
          evaluationInterval: max(steps / 30, 1)))
    }
    return configurations
  }
}
