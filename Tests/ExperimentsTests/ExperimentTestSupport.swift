import Foundation
import GradientClipping
import Testing
import Training

@testable import Experiments

/// A temporary folder that removes itself (and everything in it) when released.
final class TemporaryFolder {
  /// The folder.
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gradclip-experiments-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// The URL of `name` in the folder (nothing is created).
  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Writes `text` as UTF-8 to `name` and returns its path.
  @discardableResult
  func write(_ text: String, named name: String) throws -> String {
    try write(Data(text.utf8), named: name)
  }

  /// Writes `data` to `name` and returns its path.
  @discardableResult
  func write(_ data: Data, named name: String) throws -> String {
    let url = file(name)
    try data.write(to: url)
    return url.path
  }
}

extension TaskTargets {
  /// The regression targets, or `nil` for class targets.
  var valueList: [Float]? {
    if case .values(let values) = self { return values }
    return nil
  }

  /// The class targets, or `nil` for regression targets.
  var classList: [Int]? {
    if case .classes(let classes) = self { return classes }
    return nil
  }
}

/// Small configurations and helpers shared by the run, clipping and output tests.
enum RunFixtures {
  /// Linear regression with a small perceptron: four parameters (`fc0.weight`, `fc0.bias`,
  /// `head.weight`, `head.bias`), fast enough for many steps in a debug build.
  static func regression(
    clip: String = "none", steps: Int = 20, learningRate: Double = 0.05, optimizer: String = "sgd",
    hidden: Int = 8, seed: UInt64 = 1, evaluationInterval: Int = 5, label: String? = nil
  ) throws -> RunConfiguration {
    RunConfiguration(
      task: "regression", model: .mlp, sizes: ModelSizes(hidden: hidden),
      optimizer: OptimizerSettings(name: optimizer, learningRate: .constant(learningRate)),
      clip: try ClipSpec(parsing: clip), steps: steps, batchSize: 16, seed: seed,
      evaluationInterval: evaluationInterval, label: label)
  }

  /// A tanh RNN on a short adding problem at a learning rate where plain SGD blows up.
  static func divergingAdding(steps: Int = 200, clip: String = "none") throws -> RunConfiguration {
    RunConfiguration(
      task: "adding", length: 10, model: .rnn, sizes: ModelSizes(hidden: 8),
      optimizer: OptimizerSettings(name: "sgd", learningRate: .constant(1000)), clip: try ClipSpec(parsing: clip),
      steps: steps, batchSize: 8, seed: 1, evaluationInterval: 50)
  }

  /// A perceptron for linear regression with fresh gradients from one batch: the model, and the
  /// global 2-norm that backward measured.
  static func modelWithGradients(hidden: Int = 4, seed: UInt64 = 3) throws -> (TaskModel, GradientNorm) {
    let task = LinearRegression()
    var generator = SeededGenerator(seed: seed)
    let model = try TaskModel(.mlp, for: task, sizes: ModelSizes(hidden: hidden), generator: &generator)
    model.store.zeroGradients()
    let batch = task.batch(size: 16, generator: &generator)
    task.output.loss(model(batch), batch.targets).backward()
    return (model, model.store.gradientNorm())
  }

  /// Every parameter's gradient, in order.
  static func gradients(_ model: TaskModel) -> [[Float]] {
    model.store.parameters.map { model.store.gradient(of: $0) }
  }

  /// Every parameter's values, in order.
  static func values(_ model: TaskModel) -> [[Float]] { model.store.parameters.map(\.values) }

  /// The global 2-norm of `tensors`, in `Double`.
  static func norm(_ tensors: [[Float]]) -> Double {
    tensors.joined().reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
  }
}

/// Whether `a` and `b` agree to a relative tolerance.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
  a == b || abs(a - b) <= relative * max(abs(a), abs(b))
}
