import GradientClipping

/// A stack of recurrent layers, batch first (PyTorch's `nn.RNN` with tanh, `nn.LSTM`,
/// `nn.GRU` with `batch_first=True`): parameters named and laid out as PyTorch's
/// (`<name>.weight_ih_l0`, `<name>.weight_hh_l0`, `<name>.bias_ih_l0`, `<name>.bias_hh_l0`, then
/// `_l1` ...; LSTM gates i, f, g, o; GRU gates r, z, n), so that a PyTorch state dict loads as
/// it is. Every parameter is initialised uniformly in `[-1/sqrt(hidden), 1/sqrt(hidden))`, as
/// PyTorch does.
///
/// ```swift
/// let lstm = Recurrent<Float>(.lstm, inputSize: 64, hiddenSize: 256, layers: 2, store: store, name: "lstm",
///                             generator: &generator)
/// let states = lstm(embedded)   // [batch, time, 256]
/// ```
public struct Recurrent<Scalar: GradientScalar>: Layer {
  /// The cell.
  public let cell: RecurrentCell
  /// The parameters of each layer: weight_ih, weight_hh, bias_ih, bias_hh.
  public let layers: [[Parameter<Scalar>]]

  /// A stack of `layers` recurrent layers with freshly initialised parameters in `store`; the
  /// hidden-to-hidden weights as `recurrentInitialization` says (PyTorch's default otherwise).
  public init(
    _ cell: RecurrentCell, inputSize: Int, hiddenSize: Int, layers: Int = 1,
    recurrentInitialization: RecurrentInitialization = .pytorch, store: ParameterStore<Scalar>, name: String,
    generator: inout SeededGenerator
  ) {
    precondition(layers >= 1 && hiddenSize >= 1, "Recurrent: \(layers) layers of hidden size \(hiddenSize)")
    self.cell = cell
    let bound = 1 / Double(hiddenSize).squareRoot()
    var stack: [[Parameter<Scalar>]] = []
    for index in 0..<layers {
      let shape = RecurrentLayerShape(
        cell: cell, inputSize: index == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize)
      stack.append(
        zip(
          ["weight_ih", "weight_hh", "bias_ih", "bias_hh"],
          [shape.weightIHShape, shape.weightHHShape, shape.biasShape, shape.biasShape]
        )
        .map { role, parameterShape in
          var values: [Scalar] = Initializers.uniform(
            count: parameterShape.reduce(1, *), bound: bound, generator: &generator)
          if role == "weight_hh", case .orthogonal(let gain) = recurrentInitialization {
            values = (0..<cell.gateCount).flatMap { _ in
              Initializers.orthogonal(size: hiddenSize, gain: gain, generator: &generator) as [Scalar]
            }
          }
          return store.makeParameter(name: "\(name).\(role)_l\(index)", shape: parameterShape, values: values)
        })
    }
    self.layers = stack
  }

  /// The hidden states of the last layer at every step, `[batch, time, hidden]`.
  public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
    layers.reduce(input) { sequence, parameters in
      sequence.recurrent(
        cell, weightIH: parameters[0].value, weightHH: parameters[1].value, biasIH: parameters[2].value,
        biasHH: parameters[3].value)
    }
  }
}
