import GradientClipping
import Testing

@testable import Training

@Suite("Recurrent weight initialisation")
struct RecurrentInitializationTests {
  /// `W Wᵀ` of a row-major `size x size` block.
  private func gram(_ block: ArraySlice<Double>, size: Int) -> [Double] {
    let rows = Array(block)
    return (0..<size * size).map { index in
      let (i, j) = (index / size, index % size)
      return (0..<size).reduce(0) { $0 + rows[i * size + $1] * rows[j * size + $1] }
    }
  }

  @Test(
    "orthogonal: every gate's hidden x hidden block times its transpose is gain^2 I",
    arguments: [
      RecurrentCell.rnnTanh, .lstm, .gru,
    ])
  func orthogonalBlocks(cell: RecurrentCell) throws {
    var generator = SeededGenerator(seed: 5)
    let store = ParameterStore<Double>()
    let hidden = 7
    _ = Recurrent<Double>(
      cell, inputSize: 3, hiddenSize: hidden, recurrentInitialization: .orthogonal(gain: 0.9), store: store,
      name: "rnn", generator: &generator)
    let weights = try #require(store.parameter(named: "rnn.weight_hh_l0")).values
    #expect(weights.count == cell.gateCount * hidden * hidden)
    for gate in 0..<cell.gateCount {
      let block = weights[(gate * hidden * hidden)..<((gate + 1) * hidden * hidden)]
      for (index, value) in gram(block, size: hidden).enumerated() {
        let expected = index / hidden == index % hidden ? 0.81 : 0
        #expect(abs(value - expected) < 1e-12, "gate \(gate), entry \(index): \(value)")
      }
    }
  }

  @Test("orthogonal initialisation is seeded, and leaves the other parameters in PyTorch's range")
  func seededAndBounded() throws {
    func make(seed: UInt64) -> ParameterStore<Float> {
      var generator = SeededGenerator(seed: seed)
      let store = ParameterStore<Float>()
      _ = Recurrent<Float>(
        .rnnTanh, inputSize: 2, hiddenSize: 16, recurrentInitialization: .orthogonal(gain: 1), store: store,
        name: "rnn", generator: &generator)
      return store
    }
    let (first, second, other) = (make(seed: 1), make(seed: 1), make(seed: 2))
    #expect(first.parameters.map(\.values) == second.parameters.map(\.values))
    #expect(first.parameters.map(\.values) != other.parameters.map(\.values))
    let bound = Float(1 / Double(16).squareRoot())
    for name in ["rnn.weight_ih_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0"] {
      let values = try #require(first.parameter(named: name)).values
      #expect(values.allSatisfy { abs($0) <= bound }, "\(name)")
    }
  }

  @Test("PyTorch's default keeps every recurrent weight uniform in [-1/sqrt(hidden), 1/sqrt(hidden))")
  func pytorchDefault() throws {
    var generator = SeededGenerator(seed: 3)
    let store = ParameterStore<Float>()
    _ = Recurrent<Float>(.lstm, inputSize: 2, hiddenSize: 9, store: store, name: "lstm", generator: &generator)
    let values = try #require(store.parameter(named: "lstm.weight_hh_l0")).values
    #expect(values.allSatisfy { abs($0) <= 1 / 3 })
  }
}
