import Foundation
import PropertyBased
import Testing

@testable import GradientClipping

/// AutoClip as it was before its bookkeeping became O(log h): the history kept as plain lists,
/// sorted for every threshold. The clipper must agree with it bit for bit.
struct SortingAutoClip {
  let quantile: Double
  let historyLength: Int
  let scope: AutoClipClipper.Scope
  let includesCurrentNorm: Bool
  let nonFinitePolicy: NonFiniteNormPolicy
  var history: [[Double]] = []

  mutating func clip<Gradients: GradientSet>(_ gradients: inout Gradients) throws(ClippingError) -> ClippingReport {
    let norms = scope == .global ? [try gradients.totalNorm()] : try gradients.tensorNorms()
    if history.count != norms.count { history = Array(repeating: [], count: norms.count) }
    if let bad = norms.firstIndex(where: { !$0.isFinite }) {
      switch nonFinitePolicy {
      case .error: throw .nonFiniteNorm(norm: norms[bad].value, tensorIndex: scope == .global ? nil : bad)
      case .skip:
        return ClippingReport(norm: norms[bad].value, threshold: .infinity, coefficient: 1, outcome: .skippedNonFinite)
      case .propagate: break
      }
    }
    var thresholds: [Double] = []
    for (index, norm) in norms.enumerated() {
      if includesCurrentNorm && norm.isFinite { record(norm.value, at: index) }
      thresholds.append(SlidingQuantileTests.sortedQuantile(quantile, of: history[index]) ?? .infinity)
      if !includesCurrentNorm && norm.isFinite { record(norm.value, at: index) }
    }
    let coefficients = zip(norms, thresholds).map { norm, threshold -> Double in
      guard threshold.isFinite else { return 1 }
      return norm.value.isNaN ? .nan : min(1, norm.quotient(threshold, plus: 1e-6))
    }
    let factors = coefficients.map { Gradients.Scalar($0) }
    if factors.contains(where: { $0 != 1 }) {
      gradients.withMutableTensorBuffers { buffers in
        switch scope {
        case .global: KernelDriver(elementsOf: buffers, parallelism: .automatic).scale(by: factors[0])
        case .perTensor: KernelDriver(tensorsOf: buffers, parallelism: .automatic).scale(by: factors)
        }
      }
    }
    let smallest = coefficients.reduce(1.0) { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
    let total = (try? GradientNorm(combining: norms).value) ?? .nan
    let allFinite = norms.allSatisfy(\.isFinite)
    return ClippingReport(
      norm: total, threshold: thresholds.min() ?? .infinity, coefficient: smallest,
      outcome: !(smallest < 1) && !smallest.isNaN ? .unchanged : allFinite ? .clipped : .propagatedNonFinite,
      tensorNorms: scope == .perTensor ? norms.map(\.value) : [],
      tensorCoefficients: scope == .perTensor ? coefficients : [])
  }

  private mutating func record(_ norm: Double, at index: Int) {
    history[index].append(norm)
    if history[index].count > historyLength { history[index].removeFirst(history[index].count - historyLength) }
  }
}

/// Every number of a report as bits (NaN equals the same NaN), then its outcome.
func reportBits(_ report: ClippingReport) -> [String] {
  let numbers = [report.norm, report.threshold, report.coefficient] + report.tensorNorms + report.tensorCoefficients
  return numbers.map { String($0.bitPattern, radix: 16) } + [report.outcome.rawValue]
}

@Suite("AutoClip bookkeeping: equivalence with sorting")
struct AutoClipEquivalenceTests {
  /// One AutoClip configuration drawn from a seed: window 1 ... 12, quantile among the ends and
  /// inner values, either scope, with or without the current norm.
  struct Configuration: CustomStringConvertible {
    var quantile: Double
    var historyLength: Int
    var scope: AutoClipClipper.Scope
    var includesCurrentNorm: Bool
    var policy: NonFiniteNormPolicy

    init(seed: Int) {
      var random = TestRandom(seed: UInt64(seed) &+ 0xA5A5)
      quantile = SlidingQuantileTests.quantile(choice: Int(random.next() % 10), random: &random)
      historyLength = 1 + Int(random.next() % 12)
      scope = random.next() % 2 == 0 ? .global : .perTensor
      includesCurrentNorm = random.next() % 2 == 0
      policy = random.next() % 2 == 0 ? .propagate : .skip
    }

    var description: String {
      "q \(quantile), h \(historyLength), \(scope), current \(includesCurrentNorm), \(policy)"
    }

    func make() throws -> AutoClipClipper {
      try AutoClipClipper(
        quantile: quantile, historyLength: historyLength, scope: scope, includesCurrentNorm: includesCurrentNorm,
        nonFinitePolicy: policy)
    }

    var reference: SortingAutoClip {
      SortingAutoClip(
        quantile: quantile, historyLength: historyLength, scope: scope, includesCurrentNorm: includesCurrentNorm,
        nonFinitePolicy: policy)
    }
  }

  /// `count` steps of tensors of `lengths` elements: elements from a few values (norms repeat),
  /// scales over many orders of magnitude, now and then a NaN or an infinity.
  static func steps(seed: Int, count: Int, lengths: [Int]) -> [[[Double]]] {
    var random = TestRandom(seed: UInt64(seed))
    return (0..<count).map { _ in
      let scale = Double(sign: .plus, exponent: Int(random.next() % 21) - 10, significand: 1)
      var step = lengths.map { length in (0..<length).map { _ in scale * Double(Int(random.next() % 5) - 2) } }
      let tensor = Int(random.next() % UInt64(lengths.count))
      if !step[tensor].isEmpty, random.next() % 8 == 0 {
        step[tensor][0] = [Double.nan, .infinity, -.infinity][Int(random.next() % 3)]
      }
      return step
    }
  }

  @Test("Double gradients: reports, gradients and history bit for bit as sorting the history")
  func doubleStreams() async {
    await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...4).array(of: 1...4)) {
      seed, lengths in
      let configuration = Configuration(seed: seed)
      var clipper = try configuration.make()
      var reference = configuration.reference
      for step in Self.steps(seed: seed, count: 40, lengths: lengths) {
        var (a, b) = (step, step)
        let (got, want) = (try clipper.clip(&a), try reference.clip(&b))
        #expect(reportBits(got) == reportBits(want) && bits(a) == bits(b), "\(configuration)")
        #expect(clipper.history == reference.history, "\(configuration)")
      }
    }
  }

  @Test("Float gradients: reports, gradients and history bit for bit as sorting the history")
  func floatStreams() async {
    await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...4).array(of: 1...4)) {
      seed, lengths in
      let configuration = Configuration(seed: seed)
      var clipper = try configuration.make()
      var reference = configuration.reference
      for step in Self.steps(seed: seed, count: 40, lengths: lengths) {
        let floats = step.map { $0.map { Float($0) } }
        var (a, b) = (floats, floats)
        let (got, want) = (try clipper.clip(&a), try reference.clip(&b))
        #expect(reportBits(got) == reportBits(want) && bits(a) == bits(b), "\(configuration)")
        #expect(clipper.history == reference.history, "\(configuration)")
      }
    }
  }

  @Test("saved at any step, restored into a fresh clipper (through JSON), continued: the same bits as never stopping")
  func restoreAndContinue() async {
    await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...30)) { seed, split in
      let configuration = Configuration(seed: seed)
      let steps = Self.steps(seed: seed, count: 30, lengths: [3, 1, 2])
      var original = try configuration.make()
      for step in steps[..<split] {
        var gradients = step
        _ = try original.clip(&gradients)
      }
      var resumed = try configuration.make()
      try resumed.restore(JSONDecoder().decode(ClipperState.self, from: JSONEncoder().encode(original.state)))
      #expect(resumed == original && resumed.hashValue == original.hashValue)
      for step in steps[split...] {
        var (a, b) = (step, step)
        let (reportA, reportB) = (try original.clip(&a), try resumed.clip(&b))
        #expect(reportBits(reportA) == reportBits(reportB) && bits(a) == bits(b), "\(configuration), split \(split)")
      }
      #expect(resumed == original && resumed.state == original.state)
    }
  }

  @Test("a long stream through a window of 200: thresholds as sorting gives, history bounded")
  func longWindow() throws {
    for (quantile, current) in [(0.1, false), (0.5, true), (0.97, false)] {
      var clipper = try AutoClipClipper(quantile: quantile, historyLength: 200, includesCurrentNorm: current)
      var reference = SortingAutoClip(
        quantile: quantile, historyLength: 200, scope: .global, includesCurrentNorm: current, nonFinitePolicy: .error)
      var random = TestRandom(seed: 99)
      for step in 0..<1500 {
        // A drifting scale with spikes, as in training.
        let spike = random.next() % 50 == 0 ? 100.0 : 1
        let gradient = [[(1 + Double(step) / 300) * spike * (random.uniform() + 1.5)]]
        var (a, b) = (gradient, gradient)
        #expect(reportBits(try clipper.clip(&a)) == reportBits(try reference.clip(&b)) && bits(a) == bits(b))
      }
      #expect(clipper.history == reference.history && clipper.history[0].count == 200)
    }
  }

  @Test("a Double norm beyond Double.greatestFiniteMagnitude is infinite as a value and is not recorded")
  func overflowingDoubleNorm() throws {
    var clipper = try AutoClipClipper(quantile: 0.5, historyLength: 4)
    var gradients: [[Double]] = [[3, 4]]
    _ = try clipper.clip(&gradients)
    var huge: [[Double]] = [[.greatestFiniteMagnitude, .greatestFiniteMagnitude]]
    let report = try clipper.clip(&huge)
    #expect(report.clipped && report.threshold == 5 && report.norm == .infinity)
    #expect(abs(huge[0][0] - 5 / Double(2).squareRoot()) < 1e-12)  // clipped exactly to norm 5
    #expect(clipper.history == [[5]])
    var restored = try AutoClipClipper(quantile: 0.5, historyLength: 4)
    try restored.restore(clipper.state)  // the state holds no infinity, so it restores
    #expect(restored == clipper)
  }
}
