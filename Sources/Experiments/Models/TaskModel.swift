import GradientClipping
import Training

/// A model built for a task: its parameters (all gradients in one buffer) and its forward pass
/// from a batch to the task's outputs, `[batch * positions, size]`.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// let model = try TaskModel(.rnn, for: AddingProblem(length: 50), sizes: ModelSizes(hidden: 32),
///                           generator: &generator)
/// let predictions = model(task.batch(size: 8, generator: &generator))   // [8, 1]
/// ```
public struct TaskModel {
  /// The model family.
  public let kind: ModelKind
  /// The sizes it was built with.
  public let sizes: ModelSizes
  /// Every parameter, named as PyTorch would (`rnn.weight_hh_l0`, `head.weight`, ...).
  public let store: ParameterStore<Float>
  private let forward: (TaskBatch) -> Tensor<Float>

  /// A freshly initialised model of family `kind` for `task`'s inputs and outputs (PyTorch's
  /// default initialisation, drawn from `generator`).
  ///
  /// - Throws: ``ExperimentError/incompatibleModel(model:task:reason:)`` when the family cannot
  ///   take the task's inputs (a CNN needs images, a GPT symbols), or invalid sizes.
  public init(
    _ kind: ModelKind, for task: any LearningTask, sizes: ModelSizes, generator: inout SeededGenerator
  ) throws(ExperimentError) {
    try sizes.validate(for: kind)
    let store = ParameterStore<Float>()
    let builder = ModelBuilder(task: task, sizes: sizes, store: store)
    switch kind {
    case .rnn: forward = builder.recurrent(.rnnTanh, generator: &generator)
    case .lstm: forward = builder.recurrent(.lstm, generator: &generator)
    case .gru: forward = builder.recurrent(.gru, generator: &generator)
    case .mlp: forward = builder.perceptron(generator: &generator)
    case .cnn: forward = try builder.convolutional(generator: &generator)
    case .gpt: forward = try builder.transformer(generator: &generator)
    }
    self.kind = kind
    self.sizes = sizes
    self.store = store
  }

  /// The outputs for `batch`: `[batch.size * positions, size]`.
  public func callAsFunction(_ batch: TaskBatch) -> Tensor<Float> { forward(batch) }

  /// The number of scalars over all parameters.
  public var parameterCount: Int { store.scalarCount }

  /// The parameter names, in the order of the gradient buffer.
  public var parameterNames: [String] { store.parameters.map(\.name) }
}
