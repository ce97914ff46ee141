import Training

/// The model families a run can train, by their command-line names.
///
/// | name | model | inputs it takes |
/// |---|---|---|
/// | `rnn` | tanh RNN (`nn.RNN`) + linear head on the last predicted steps | sequences; images row by row; vectors as one step |
/// | `lstm` | LSTM (`nn.LSTM`) + linear head | the same |
/// | `gru` | GRU (`nn.GRU`) + linear head | the same |
/// | `mlp` | ReLU perceptron on the flattened input | anything |
/// | `cnn` | two 3x3 convolution + 2x2 max-pool stages, then a ReLU layer | images |
/// | `gpt` | pre-LayerNorm causal transformer with learned positions | symbol sequences |
public enum ModelKind: String, Sendable, Hashable, CaseIterable {
  case rnn, lstm, gru, mlp, cnn, gpt
}

/// The sizes of a model; each family reads the ones it has.
public struct ModelSizes: Sendable, Hashable {
  /// The hidden size of recurrent and perceptron layers, the width of a GPT, the size of the
  /// CNN's fully connected layer.
  public var hidden: Int
  /// The number of stacked recurrent layers, hidden perceptron layers or transformer blocks.
  public var layers: Int
  /// The attention heads of a GPT (the width must be a multiple of it).
  public var heads: Int
  /// How recurrent models initialise their hidden-to-hidden weights.
  public var recurrentInitialization: RecurrentInitialization

  /// Sizes; the defaults suit the built-in tasks on a laptop.
  public init(
    hidden: Int = 64, layers: Int = 1, heads: Int = 4, recurrentInitialization: RecurrentInitialization = .pytorch
  ) {
    self.hidden = hidden
    self.layers = layers
    self.heads = heads
    self.recurrentInitialization = recurrentInitialization
  }

  /// Checks that every size is usable by `kind`.
  ///
  /// - Throws: ``ExperimentError/invalidSetting(name:value:requirement:)``.
  public func validate(for kind: ModelKind) throws(ExperimentError) {
    guard hidden >= 1 else { throw .invalidSetting(name: "hidden", value: "\(hidden)", requirement: "must be >= 1") }
    guard layers >= 1 else { throw .invalidSetting(name: "layers", value: "\(layers)", requirement: "must be >= 1") }
    guard heads >= 1 else { throw .invalidSetting(name: "heads", value: "\(heads)", requirement: "must be >= 1") }
    if case .orthogonal(let gain) = recurrentInitialization, !(gain.isFinite && gain > 0) {
      throw .invalidSetting(name: "recurrent-init", value: "orthogonal:\(gain)", requirement: "the gain must be > 0")
    }
    if kind == .gpt, hidden % heads != 0 {
      throw .invalidSetting(
        name: "hidden", value: "\(hidden)", requirement: "the GPT's width must be a multiple of --heads (\(heads))")
    }
  }
}

extension RecurrentInitialization {
  /// The spec of `--recurrent-init`: `pytorch`, `orthogonal` (gain 1) or `orthogonal:GAIN`.
  ///
  /// - Throws: `ExperimentError.invalidSetting` for anything else.
  public init(spec: String) throws(ExperimentError) {
    let parts = spec.lowercased().split(separator: ":", omittingEmptySubsequences: false)
    switch (parts.first, parts.count) {
    case ("pytorch", 1): self = .pytorch
    case ("orthogonal", 1): self = .orthogonal(gain: 1)
    case ("orthogonal", 2):
      guard let gain = Double(parts[1]), gain.isFinite, gain > 0 else { fallthrough }
      self = .orthogonal(gain: gain)
    default:
      throw .invalidSetting(name: "recurrent-init", value: spec, requirement: "pytorch, orthogonal or orthogonal:GAIN")
    }
  }

  /// The spec that gives this initialisation.
  public var specText: String {
    switch self {
    case .pytorch: "pytorch"
    case .orthogonal(let gain): gain == 1 ? "orthogonal" : "orthogonal:\(gain)"
    }
  }
}
