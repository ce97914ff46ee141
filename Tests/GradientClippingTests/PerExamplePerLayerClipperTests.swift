import GradientClipping
import PropertyBased
import Testing

@Suite("Per-layer per-example clipping")
struct PerExamplePerLayerClipperTests {
  /// Two examples; tensor a [2, 2], tensor b [2, 1]. Example 0: a (3, 4) norm 5, b (0) norm 0;
  /// example 1: a (0, 0.6) norm 0.6, b (0.8) norm 0.8.
  static func twoTensors<S: GradientScalar>(_: S.Type) throws -> [GradientTensor<S>] {
    [
      try GradientTensor<S>(shape: [2, 2], elements: [3, 4, 0, 0.6]),
      try GradientTensor<S>(shape: [2, 1], elements: [0, 0.8]),
    ]
  }

  @Test("each tensor of each example is clipped to its own threshold, then the examples are summed")
  func clipsEachTensor() throws {
    let result = try PerExamplePerLayerClipper(thresholds: [2, 0.5]).clipAndSum(try Self.twoTensors(Double.self))
    // a: example 0 scaled by 2 / 5 = 0.4 to (1.2, 1.6); example 1 (norm 0.6 <= 2) kept: (1.2, 2.2).
    // b: example 0 is zero (factor 1); example 1 scaled by 0.5 / 0.8 = 0.625 to 0.5.
    let expected: [Double] = [3 * 0.4, 4 * 0.4 + 0.6, 0.8 * 0.625]
    #expect(result.gradients.tensorShapes == [[2], [1]])
    for (got, want) in zip(result.gradients.elements, expected) { #expect(abs(got - want) < 1e-15) }
    #expect(result.exampleNorms == [[5, 0.6], [0, 0.8]])
    #expect(result.clippedCounts == [1, 1] && result.skippedCount == 0)
    #expect(result.thresholds == [2, 0.5] && result.totalThreshold == 4.25.squareRoot())
    // The global form treats the examples as wholes: example 1 (norm 1 <= 2) is not clipped at all.
    let global = try PerExampleClipper(l2NormClip: 2).clipAndSum(try Self.twoTensors(Double.self))
    #expect(abs(global.gradients.elements[2] - 0.8) < 1e-15)
  }

  @Test("Float gradients give the same values to Float precision")
  func float() throws {
    let result = try PerExamplePerLayerClipper(thresholds: [2, 0.5]).clipAndSum(try Self.twoTensors(Float.self))
    let expected: [Float] = [1.2, 2.2, 0.5]
    for (got, want) in zip(result.gradients.elements, expected) { #expect(abs(got - want) <= 1e-6 * want) }
    #expect(result.clippedCounts == [1, 1])
  }

  @Test("epsilon 1e-6 gives Opacus's min(1, C / (n + 1e-6)); a slice at the threshold then counts as clipped")
  func opacusEpsilon() throws {
    let clipper = PerExamplePerLayerClipper(thresholds: [2, 0.8], epsilon: 1e-6)
    let result = try clipper.clipAndSum(try Self.twoTensors(Double.self))
    let expected: [Double] = [3 * 2 / (5 + 1e-6), 4 * 2 / (5 + 1e-6) + 0.6, 0.8 * 0.8 / (0.8 + 1e-6)]
    for (got, want) in zip(result.gradients.elements, expected) { #expect(abs(got - want) < 1e-15) }
    // b's example 1 has norm exactly 0.8 = C: 0.8 / (0.8 + 1e-6) < 1.
    #expect(result.clippedCounts == [1, 1])
    let exact = try PerExamplePerLayerClipper(thresholds: [2, 0.8]).clipAndSum(try Self.twoTensors(Double.self))
    #expect(exact.clippedCounts == [1, 0] && exact.gradients.elements[2] == 0.8)
  }

  @Test("one total split evenly: optax's examples for a single layer, and C * sqrt(1 / 2) for two")
  func uniformSplit() throws {
    // optax's per_example_layer_norm_clip docstring: norms 0, 5, 5, 5.
    let optax = [try GradientTensor<Float>(shape: [4, 3], elements: [0, 0, 0, 0, 3, 4, 4, 0, 3, 3, 4, 0])]
    let clipped = try PerExamplePerLayerClipper(bound: .uniform(total: 1.25)).clipAndSum(optax)
    #expect(clipped.gradients.elements == [1.75, 1.75, 1.75] && clipped.clippedCounts == [3])
    let zero = try PerExamplePerLayerClipper(bound: .uniform(total: 0)).clipAndSum(optax)
    #expect(zero.gradients.elements == [0, 0, 0] && zero.clippedCounts == [3])
    // Two tensors, total 2: C_t = 2 * sqrt(1 / 2) = sqrt(2). a (3, 4) norm 5 is scaled by sqrt(2) / 5;
    // b (1) norm 1 <= sqrt(2) is kept.
    let pair = [
      try GradientTensor<Double>(shape: [1, 2], elements: [3, 4]),
      try GradientTensor<Double>(shape: [1, 1], elements: [1]),
    ]
    let result = try PerExamplePerLayerClipper(bound: .uniform(total: 2)).clipAndSum(pair)
    let root2 = Double(2).squareRoot()
    #expect(isClose(result.thresholds, [root2, root2]) && isClose(result.totalThreshold, 2))
    #expect(isClose(result.gradients.elements, [3 * root2 / 5, 4 * root2 / 5, 1]) && result.clippedCounts == [1, 0])
  }

  @Test("one total split by size: C_t = C * sqrt(D_t / D) with the per-example sizes")
  func proportionalSplit() throws {
    // a: 8 elements per example, all 2 (norm 4 sqrt(2)); b: 1 element, 3. D = 9, total 3:
    // C_a = 3 sqrt(8 / 9) = 2 sqrt(2), so a is halved; C_b = 1, so b is scaled by 1 / 3.
    let perExample = [
      try GradientTensor<Double>(shape: [1, 2, 4], elements: Array(repeating: 2, count: 8)),
      try GradientTensor<Double>(shape: [1, 1], elements: [3]),
    ]
    let result = try PerExamplePerLayerClipper(bound: .proportionalToSize(total: 3)).clipAndSum(perExample)
    #expect(isClose(result.thresholds, [2 * Double(2).squareRoot(), 1]) && isClose(result.totalThreshold, 3))
    #expect(isClose(result.gradients.elements, Array(repeating: 1, count: 8) + [1]))
    #expect(result.gradients.tensorShapes == [[2, 4], [1]] && result.clippedCounts == [1, 1])
    // Nothing but empty slices: D = 0, every threshold 0, nothing to clip.
    let empty = [try GradientTensor<Double>(shape: [2, 0], elements: [])]
    let none = try PerExamplePerLayerClipper(bound: .proportionalToSize(total: 3)).clipAndSum(empty)
    #expect(none.thresholds == [0] && none.clippedCounts == [0] && none.exampleNorms == [[0, 0]])
  }

  @Test("invalid thresholds, counts, epsilon and shapes are typed errors naming the argument; the input is unchanged")
  func errors() throws {
    let perExample = try Self.twoTensors(Double.self)
    let original = perExample
    let cases: [(PerExamplePerLayerClipper, String)] = [
      (PerExamplePerLayerClipper(thresholds: [1, -1]), "thresholds[1]"),
      (PerExamplePerLayerClipper(thresholds: [.nan, 1]), "thresholds[0]"),
      (PerExamplePerLayerClipper(thresholds: [1, .infinity]), "thresholds[1]"),
      (PerExamplePerLayerClipper(bound: .uniform(total: -1)), "total"),
      (PerExamplePerLayerClipper(bound: .proportionalToSize(total: .nan)), "total"),
      (PerExamplePerLayerClipper(thresholds: [1, 1], epsilon: -1e-6), "epsilon"),
    ]
    for (clipper, name) in cases {
      #expect(argumentName { _ = try clipper.clipAndSum(perExample) } == name)
    }
    #expect(throws: ClippingError.elementCountMismatch(argument: "thresholds", expected: 2, actual: 3)) {
      try PerExamplePerLayerClipper(thresholds: [1, 1, 1]).clipAndSum(perExample)
    }
    let mismatched = [
      try GradientTensor<Float>(shape: [2, 3], elements: Array(repeating: 1, count: 6)),
      try GradientTensor<Float>(shape: [3], elements: [1, 2, 3]),
    ]
    #expect(throws: ClippingError.shapeMismatch(argument: "perExample", tensorIndex: 1, expected: [2], actual: [3])) {
      try PerExamplePerLayerClipper(thresholds: [1, 1]).clipAndSum(mismatched)
    }
    #expect(throws: ClippingError.shapeMismatch(argument: "perExample", tensorIndex: 0, expected: [0], actual: [])) {
      try PerExamplePerLayerClipper(thresholds: [1]).clipAndSum([try GradientTensor<Float>(shape: [], elements: [1])])
    }
    #expect(perExample == original)
  }

  @Test("non-finite norms: error names the first bad example, skip leaves it out of every tensor, propagate per slice")
  func nonFinite() throws {
    // Example 1 has a NaN in a; example 2 an infinity in b.
    let perExample = [
      try GradientTensor<Double>(shape: [3, 1], elements: [1, .nan, 2]),
      try GradientTensor<Double>(shape: [3, 1], elements: [4, 5, .infinity]),
    ]
    let error = clippingError { _ = try PerExamplePerLayerClipper(thresholds: [10, 10]).clipAndSum(perExample) }
    guard case .nonFiniteNorm(let norm, 1) = error else {
      Issue.record("expected the NaN norm of example 1, got \(String(describing: error))")
      return
    }
    #expect(norm.isNaN)
    let skipped = try PerExamplePerLayerClipper(thresholds: [10, 10], nonFinitePolicy: .skip).clipAndSum(perExample)
    #expect(skipped.gradients.elements == [1, 4] && skipped.skippedCount == 2 && skipped.clippedCounts == [0, 0])
    let propagated = try PerExamplePerLayerClipper(thresholds: [10, 10], nonFinitePolicy: .propagate)
      .clipAndSum(perExample)
    // a: example 1's factor is NaN; b: example 2's factor is 0, so it adds nothing: 4 + 5.
    #expect(propagated.gradients.elements[0].isNaN && propagated.gradients.elements[1] == 9)
    #expect(propagated.skippedCount == 0 && propagated.clippedCounts == [0, 0])
  }

  @Test("empty batches, no tensors and zero-size tensors give zero sums of the right shapes")
  func empty() throws {
    let none = try PerExamplePerLayerClipper(thresholds: []).clipAndSum([[Float]]())
    #expect(none.gradients.tensorCount == 0 && none.totalThreshold == 0 && none.clippedCounts.isEmpty)
    let noExamples = [
      try GradientTensor<Float>(shape: [0, 3], elements: []), try GradientTensor<Float>(shape: [0], elements: []),
    ]
    let result = try PerExamplePerLayerClipper(bound: .uniform(total: 1)).clipAndSum(noExamples)
    #expect(result.gradients.tensorShapes == [[3], []] && result.gradients.elements == [0, 0, 0, 0])
    #expect(result.exampleNorms == [[], []] && result.clippedCounts == [0, 0])
    let zeroSize = [
      try GradientTensor<Double>(shape: [2, 0], elements: []),
      try GradientTensor<Double>(shape: [2, 1], elements: [3, 4]),
    ]
    let sums = try PerExamplePerLayerClipper(thresholds: [0, 3.5]).clipAndSum(zeroSize)
    #expect(sums.gradients.tensorShapes == [[0], [1]] && sums.exampleNorms == [[0, 0], [3, 4]])
    #expect(isClose(sums.gradients.elements, [3 + 3.5]) && sums.clippedCounts == [0, 1])
  }

  /// With a single tensor the per-layer form is the global form: bit for bit, counts included.
  @Test func oneTensorIsTheGlobalForm() async {
    await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...6), Gen.int(in: 0...5)) {
      seed, batch, width in
      var random = TestRandom(seed: UInt64(seed))
      let clip = abs(random.uniform()) * 4
      let perExample = [
        try GradientTensor<Float>(shape: [batch, width], elements: random.floats(batch * width, scale: 3))
      ]
      let layer = try PerExamplePerLayerClipper(thresholds: [clip]).clipAndSum(perExample)
      let global = try PerExampleClipper(l2NormClip: clip).clipAndSum(perExample)
      #expect(bits([layer.gradients.elements]) == bits([global.gradients.elements]))
      #expect(layer.clippedCounts == [global.clippedCount] && layer.exampleNorms == [global.exampleNorms])
    }
  }

  /// After clipping, each example's slice of tensor t has norm at most C_t: one example at a time.
  @Test func eachSliceEndsWithinItsThreshold() async {
    await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...4).array(of: 1...4)) { seed, widths in
      var random = TestRandom(seed: UInt64(seed))
      let thresholds = widths.map { _ in abs(random.uniform()) }
      let scale = Double(sign: .plus, exponent: Int(random.next() % 41) - 20, significand: 1)
      let perExample = try widths.map {
        try GradientTensor<Double>(shape: [1, $0], elements: random.doubles($0, scale: scale))
      }
      let result = try PerExamplePerLayerClipper(thresholds: thresholds).clipAndSum(perExample)
      for (norm, threshold) in zip(try result.gradients.tensorNorms(), thresholds) {
        #expect(norm.value <= threshold * (1 + 1e-12))
      }
      #expect(isClose(result.totalThreshold, thresholds.map { $0 * $0 }.reduce(0, +).squareRoot()))
    }
  }
}
