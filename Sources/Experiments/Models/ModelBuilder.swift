import GradientClipping
import Training

/// Builds each model family's layers in a store and returns its forward pass, shaped to the
/// task's output: the last ``TaskOutput/positions`` steps of a sequence, `size` values each.
struct ModelBuilder {
  let task: any LearningTask
  let sizes: ModelSizes
  let store: ParameterStore<Float>

  private var output: TaskOutput { task.output }

  /// A recurrent stack and a linear head on its last predicted steps. Images are read row by
  /// row, vectors as a sequence of one step.
  func recurrent(_ cell: RecurrentCell, generator: inout SeededGenerator) -> (TaskBatch) -> Tensor<Float> {
    let (steps, features) = Self.sequenceView(of: task.input)
    let stack = Recurrent<Float>(
      cell, inputSize: features, hiddenSize: sizes.hidden, layers: sizes.layers,
      recurrentInitialization: sizes.recurrentInitialization, store: store,
      name: cell == .rnnTanh ? "rnn" : "\(cell)", generator: &generator)
    let head = Linear<Float>(
      inputSize: sizes.hidden, outputSize: output.size, store: store, name: "head", generator: &generator)
    let (positions, hidden) = (min(output.positions, steps), sizes.hidden)
    let input = task.input
    return { batch in
      let states = stack(Self.sequence(batch.features, of: input, steps: steps, features: features))
      let last = states.slice(alongAxis: 1, (steps - positions)..<steps).reshaped(to: [-1, hidden])
      return head(last)
    }
  }

  /// ReLU layers on the flattened input, and a linear layer to every predicted position's outputs.
  func perceptron(generator: inout SeededGenerator) -> (TaskBatch) -> Tensor<Float> {
    var layers: [any Layer<Float>] = []
    var width = task.input.elementCount
    for index in 0..<sizes.layers {
      layers.append(
        Linear<Float>(
          inputSize: width, outputSize: sizes.hidden, store: store, name: "fc\(index)", generator: &generator))
      layers.append(Activation<Float>(.relu))
      width = sizes.hidden
    }
    layers.append(
      Linear<Float>(
        inputSize: width, outputSize: output.size * output.positions, store: store, name: "head",
        generator: &generator))
    let network = Sequential<Float>(layers)
    let (elements, size) = (task.input.elementCount, output.size)
    return { batch in network(batch.features.reshaped(to: [batch.size, elements])).reshaped(to: [-1, size]) }
  }

  /// Two stages of 3x3 convolution (16 and 32 channels, padding 1), ReLU and 2x2 max pooling, then
  /// a ReLU layer of `hidden` units and a linear layer to the outputs.
  func convolutional(generator: inout SeededGenerator) throws(ExperimentError) -> (TaskBatch) -> Tensor<Float> {
    guard case .image(let channels, let height, let width) = task.input, height >= 4, width >= 4 else {
      throw .incompatibleModel(model: "cnn", task: task.name, reason: "a CNN needs images of at least 4x4 (try digits)")
    }
    let flattened = 32 * (height / 4) * (width / 4)
    let network = Sequential<Float>([
      Conv2d<Float>(
        inputChannels: channels, outputChannels: 16, kernelSize: 3, padding: 1, store: store, name: "conv1",
        generator: &generator),
      Activation<Float>(.relu), MaxPool2d<Float>(kernelSize: 2),
      Conv2d<Float>(
        inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1, store: store, name: "conv2",
        generator: &generator),
      Activation<Float>(.relu), MaxPool2d<Float>(kernelSize: 2),
    ])
    let hiddenLayer = Linear<Float>(
      inputSize: flattened, outputSize: sizes.hidden, store: store, name: "fc", generator: &generator)
    let head = Linear<Float>(
      inputSize: sizes.hidden, outputSize: output.size * output.positions, store: store, name: "head",
      generator: &generator)
    let size = output.size
    return { batch in
      let features = network(batch.features).reshaped(to: [batch.size, flattened])
      return head(hiddenLayer(features).relu()).reshaped(to: [-1, size])
    }
  }

  /// Token and position embeddings, `layers` pre-LayerNorm transformer blocks, a final LayerNorm
  /// and a linear head on the last predicted positions.
  func transformer(generator: inout SeededGenerator) throws(ExperimentError) -> (TaskBatch) -> Tensor<Float> {
    guard case .sequence(let length, _, let vocabulary?) = task.input else {
      throw .incompatibleModel(
        model: "gpt", task: task.name, reason: "a GPT needs sequences of symbols (try charlm or temporal-order)")
    }
    let width = sizes.hidden
    let tokens = Embedding<Float>(count: vocabulary, size: width, store: store, name: "tok", generator: &generator)
    let positions = Embedding<Float>(count: length, size: width, store: store, name: "pos", generator: &generator)
    let blocks = (0..<sizes.layers).map { index in
      TransformerBlock<Float>(
        width: width, heads: sizes.heads, store: store, name: "blocks.\(index)", generator: &generator)
    }
    let norm = LayerNorm<Float>(size: width, store: store, name: "ln")
    let head = Linear<Float>(
      inputSize: width, outputSize: output.size, store: store, name: "head", generator: &generator)
    let predicted = min(output.positions, length)
    return { batch in
      var x = tokens(batch.tokens ?? [], shape: [batch.size, length]) + positions(Array(0..<length), shape: [length])
      for block in blocks { x = block(x) }
      let last = norm(x).slice(alongAxis: 1, (length - predicted)..<length).reshaped(to: [-1, width])
      return head(last)
    }
  }

  /// The input as `[batch, steps, features]`: images row by row (channels side by side).
  static func sequence(_ features: Tensor<Float>, of input: TaskInput, steps: Int, features width: Int) -> Tensor<Float>
  {
    let batch = features.shape.first ?? 0
    if case .image(let channels, _, _) = input, channels > 1 {
      return features.permuted([0, 2, 1, 3]).reshaped(to: [batch, steps, width])
    }
    return features.reshaped(to: [batch, steps, width])
  }

  /// How a recurrent model reads the input: `(steps, features per step)`.
  static func sequenceView(of input: TaskInput) -> (steps: Int, features: Int) {
    switch input {
    case .sequence(let length, let features, _): (length, features)
    case .image(let channels, let height, let width): (height, channels * width)
    case .vector(let features): (1, features)
    }
  }
}
