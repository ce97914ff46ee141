import GradientClipping
import Training

/// Linear regression with mean squared error: the textbook first example, with 10 inputs.
///
/// Inputs are 10 standard normal values; the target is `w·x + b + noise`, with the weights `w`
/// and bias `b` drawn once (standard normal, seed 0) and the noise normal with standard deviation
/// 0.1. A linear model can reach a loss of 0.01 (the noise variance); an example is solved when
/// the prediction is within 0.3 (three noise deviations) of the target.
public struct LinearRegression: SyntheticTask {
  /// The number of inputs.
  public let features: Int
  private let weights: [Double]
  private let bias: Double

  /// The noise's standard deviation.
  static let noise = 0.1

  /// The task with `features` inputs (10 by default).
  public init(features: Int = 10) {
    self.features = max(features, 1)
    var generator = SeededGenerator(seed: 0)
    weights = (0..<self.features).map { _ in generator.normal() }
    bias = generator.normal()
  }

  public var name: String { "regression" }

  public var summary: String {
    "y = w·x + b + noise (sd 0.1) with \(features) standard normal inputs; solved when within 0.3"
  }

  public var input: TaskInput { .vector(features: features) }

  public var output: TaskOutput { TaskOutput(kind: .regression, size: 1, criterion: .withinTolerance(0.3)) }

  public func batch(size: Int, generator: inout SeededGenerator) -> TaskBatch {
    var inputs: [Float] = []
    inputs.reserveCapacity(size * features)
    var targets: [Float] = []
    for _ in 0..<size {
      let x = (0..<features).map { _ in generator.normal() }
      inputs += x.map { Float($0) }
      targets.append(Float(zip(weights, x).reduce(bias) { $0 + $1.0 * $1.1 } + Self.noise * generator.normal()))
    }
    return TaskBatch(size: size, features: Tensor(shape: [size, features], scalars: inputs), targets: .values(targets))
  }
}
