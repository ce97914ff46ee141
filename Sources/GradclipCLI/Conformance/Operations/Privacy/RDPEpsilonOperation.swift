import GradientClipping

/// `rdp_epsilon`: the privacy spent by DP-SGD (``RDPAccountant``; Opacus's `RDPAccountant`).
/// Arguments: `history` (a list of `{noise_multiplier, sample_rate, steps}`), `delta`, `orders`.
/// Records the history, converts to `(epsilon, delta)` and checks `expect.epsilon` and
/// `expect.best_order`.
struct RDPEpsilonOperation: OperationRunner {
  static let name = "rdp_epsilon"

  /// The runner.
  init() {}

  var operation: String { Self.name }

  func check(_ testCase: ConformanceCase) throws(CaseFailure) {
    let plan: Plan
    do throws(JSONSchemaError) {
      plan = try Plan(testCase)
    } catch {
      throw CaseFailure(invalidCase: error)
    }
    let spent: (epsilon: Double, bestOrder: Double)
    do throws(ClippingError) {
      var accountant = RDPAccountant()
      for entry in plan.history {
        try accountant.record(noiseMultiplier: entry.noiseMultiplier, sampleRate: entry.sampleRate, steps: entry.steps)
      }
      spent = try accountant.epsilon(delta: plan.delta, orders: plan.orders)
    } catch {
      throw CaseFailure("unexpected error \(error)")
    }
    try compare(spent.epsilon, plan.expectedEpsilon, "epsilon", testCase.tolerance)
    try compare(spent.bestOrder, plan.expectedBestOrder, "best_order", testCase.tolerance)
  }

  private func compare(_ got: Double, _ want: Double, _ label: String, _ tolerance: Tolerance) throws(CaseFailure) {
    guard tolerance.accepts(got, want) else {
      throw CaseFailure("\(label): got \(got), want \(want) (\(tolerance))")
    }
  }

  /// What a case asks for, read from its arguments and expectation.
  private struct Plan {
    let history: [RDPAccountant.Entry]
    let delta: Double
    let orders: [Double]
    let expectedEpsilon: Double
    let expectedBestOrder: Double

    init(_ testCase: ConformanceCase) throws(JSONSchemaError) {
      let arguments = try CaseArguments(testCase.arguments, allowed: ["history", "delta", "orders"])
      var history: [RDPAccountant.Entry] = []
      for item in try arguments.required("history").array() {
        history.append(try Self.entry(item))
      }
      self.history = history
      delta = try arguments.scalar("delta")
      orders = try arguments.required("orders").scalars()
      guard let expect = testCase.expectation else {
        throw JSONSchemaError(path: "expect", problem: "\(RDPEpsilonOperation.name) needs \"expect\"")
      }
      expectedEpsilon = try expect.field("epsilon").scalar()
      expectedBestOrder = try expect.field("best_order").scalar()
    }

    private static func entry(_ item: JSONElement) throws(JSONSchemaError) -> RDPAccountant.Entry {
      let fields = try CaseArguments(item, allowed: ["noise_multiplier", "sample_rate", "steps"])
      return RDPAccountant.Entry(
        noiseMultiplier: try fields.scalar("noise_multiplier"),
        sampleRate: try fields.scalar("sample_rate"),
        steps: try fields.required("steps").integer(in: 0...Int(Int32.max)))
    }
  }
}
