import Testing

@testable import GradientClipping
@testable import Training

/// The recurrent tests' values, from ``SplitMix64``.
struct RecurrentTestRandom {
  private var source: SplitMix64

  init(seed: UInt64) { source = SplitMix64(seed: seed) }

  /// A value uniform in `[-scale, scale)`.
  mutating func uniform(scale: Double) -> Double { source.symmetric() * scale }

  mutating func values(_ count: Int, scale: Double) -> [Double] {
    (0..<count).map { _ in uniform(scale: scale) }
  }
}

/// The sizes of a test problem.
struct RecurrentTestSize: Sendable, CustomTestStringConvertible {
  let cell: RecurrentCell
  let batch: Int
  let steps: Int
  let inputSize: Int
  let hiddenSize: Int
  var hasBiases = true
  var hasInitialState = true

  var testDescription: String {
    "\(cell) B\(batch) T\(steps) I\(inputSize) H\(hiddenSize)"
      + (hasBiases ? "" : " no bias") + (hasInitialState ? "" : " zero state")
  }

  var layer: RecurrentLayerShape { RecurrentLayerShape(cell: cell, inputSize: inputSize, hiddenSize: hiddenSize) }
}

/// One layer, its input and initial states, and a loss that is a fixed linear function of the
/// output and of the final states: `L = sum(output * a) + sum(h_T * b) + sum(c_T * c)`, so that
/// the gradients backward starts from are `a`, `b` and `c`, every path is exercised, and the
/// loss is cheap to evaluate for finite differences.
struct RecurrentProblem<S: GradientScalar> {
  let size: RecurrentTestSize
  var weightIH: [S]
  var weightHH: [S]
  var biasIH: [S]
  var biasHH: [S]
  var input: [S]
  var initialHidden: [S]
  var initialCell: [S]
  let outputCoefficients: [S]
  let hiddenCoefficients: [S]
  let cellCoefficients: [S]

  var layer: RecurrentLayerShape { size.layer }
}

extension RecurrentProblem where S == Double {
  /// A problem of `size` with values uniform in `[-scale, scale)` from `seed`.
  init(_ size: RecurrentTestSize, seed: UInt64 = 7, scale: Double = 0.8) {
    var random = RecurrentTestRandom(seed: seed)
    let layer = size.layer
    let (width, hidden) = (layer.gateWidth, size.hiddenSize)
    let state = size.batch * hidden
    self.size = size
    weightIH = random.values(width * size.inputSize, scale: scale)
    weightHH = random.values(width * hidden, scale: scale)
    biasIH = size.hasBiases ? random.values(width, scale: scale) : []
    biasHH = size.hasBiases ? random.values(width, scale: scale) : []
    input = random.values(size.batch * size.steps * size.inputSize, scale: 1)
    initialHidden = size.hasInitialState ? random.values(state, scale: 0.9) : []
    initialCell = size.hasInitialState && size.cell.hasCellState ? random.values(state, scale: 1.5) : []
    outputCoefficients = random.values(size.batch * size.steps * hidden, scale: 1)
    hiddenCoefficients = random.values(state, scale: 1)
    cellCoefficients = size.cell.hasCellState ? random.values(state, scale: 1) : []
  }
}

extension RecurrentProblem {
  /// The same problem rounded to `T`.
  func converted<T: GradientScalar>(to _: T.Type) -> RecurrentProblem<T> {
    func convert(_ values: [S]) -> [T] { values.map { T(Double($0)) } }
    return RecurrentProblem<T>(
      size: size, weightIH: convert(weightIH), weightHH: convert(weightHH), biasIH: convert(biasIH),
      biasHH: convert(biasHH), input: convert(input), initialHidden: convert(initialHidden),
      initialCell: convert(initialCell), outputCoefficients: convert(outputCoefficients),
      hiddenCoefficients: convert(hiddenCoefficients), cellCoefficients: convert(cellCoefficients))
  }

  /// Calls `body` with a view of the weights.
  func withWeights<R>(_ body: (RecurrentWeights<S>) -> R) -> R {
    weightIH.withUnsafeBufferPointer { weightIH in
      weightHH.withUnsafeBufferPointer { weightHH in
        biasIH.withUnsafeBufferPointer { biasIH in
          biasHH.withUnsafeBufferPointer { biasHH in
            body(
              RecurrentWeights(
                layer, weightIH: weightIH, weightHH: weightHH, biasIH: size.hasBiases ? biasIH : nil,
                biasHH: size.hasBiases ? biasHH : nil))
          }
        }
      }
    }
  }

  /// The forward run.
  func forward() -> RecurrentForwardResult<S> {
    withWeights { weights in
      input.withUnsafeBufferPointer { input in
        initialHidden.withUnsafeBufferPointer { hidden in
          initialCell.withUnsafeBufferPointer { cell in
            RecurrentForward.run(
              weights, input: input, batch: size.batch, steps: size.steps,
              initialHidden: hidden.isEmpty ? nil : hidden, initialCell: cell.isEmpty ? nil : cell)
          }
        }
      }
    }
  }

  /// The loss, summed in `Double`.
  func loss() -> Double {
    let result = forward()
    func dot(_ a: [S], _ b: [S]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    return dot(result.output, outputCoefficients) + dot(result.finalHidden, hiddenCoefficients)
      + dot(result.finalCell ?? [], cellCoefficients)
  }

  /// Runs forward and backward, adding the weight gradients to `gradients`.
  @discardableResult
  func backward(into gradients: inout RecurrentGradientArrays<S>) -> RecurrentBackwardResult<S> {
    let cache = forward().cache
    return withWeights { weights in
      input.withUnsafeBufferPointer { input in
        outputCoefficients.withUnsafeBufferPointer { output in
          hiddenCoefficients.withUnsafeBufferPointer { hidden in
            cellCoefficients.withUnsafeBufferPointer { cell in
              gradients.withGradients { view in
                RecurrentBackward.run(
                  weights, cache: cache, input: input, outputGradient: output, finalHiddenGradient: hidden,
                  finalCellGradient: cell.isEmpty ? nil : cell, accumulatingInto: view)
              }
            }
          }
        }
      }
    }
  }
}

/// Owned buffers for the four weight gradients of a layer.
struct RecurrentGradientArrays<S: GradientScalar> {
  let layer: RecurrentLayerShape
  let hasBiases: Bool
  var weightIH: [S]
  var weightHH: [S]
  var biasIH: [S]
  var biasHH: [S]

  /// Gradients of `layer`, every element `value`.
  init(_ layer: RecurrentLayerShape, hasBiases: Bool = true, value: S = 0) {
    self.layer = layer
    self.hasBiases = hasBiases
    weightIH = [S](repeating: value, count: layer.gateWidth * layer.inputSize)
    weightHH = [S](repeating: value, count: layer.gateWidth * layer.hiddenSize)
    biasIH = [S](repeating: value, count: hasBiases ? layer.gateWidth : 0)
    biasHH = [S](repeating: value, count: hasBiases ? layer.gateWidth : 0)
  }

  /// The four gradients, in PyTorch's order.
  var all: [[S]] { [weightIH, weightHH, biasIH, biasHH] }

  /// Calls `body` with a writable view.
  mutating func withGradients<R>(_ body: (RecurrentWeightGradients<S>) -> R) -> R {
    let (layer, hasBiases) = (layer, hasBiases)
    return weightIH.withUnsafeMutableBufferPointer { weightIH in
      weightHH.withUnsafeMutableBufferPointer { weightHH in
        biasIH.withUnsafeMutableBufferPointer { biasIH in
          biasHH.withUnsafeMutableBufferPointer { biasHH in
            body(
              RecurrentWeightGradients(
                layer, weightIH: weightIH, weightHH: weightHH, biasIH: hasBiases ? biasIH : nil,
                biasHH: hasBiases ? biasHH : nil))
          }
        }
      }
    }
  }
}
