import Testing

@testable import GradclipCLI

@Suite("Fixture suites")
struct FixtureConformanceTests {
  @Test("Every implemented case of every fixture suite passes", arguments: try FixtureSuites.implementedCases())
  func implementedCasePasses(_ fixture: FixtureCase) {
    let outcome = ConformanceRunner().run(fixture.testCase)
    #expect(outcome == .passed, "\(fixture.testDescription): \(outcome.failureMessage ?? "\(outcome)")")
  }

  /// The suites that must run in full, with the number of cases of each operation, so that a
  /// runner or a fixture that lost cases cannot pass by skipping them.
  static let completeSuites: [CompleteSuite] = [
    CompleteSuite(
      file: "torch-clip-grad.json", operations: ["clip_grad_norm": 22, "total_norm": 4, "clip_grad_value": 7]),
    CompleteSuite(file: "tf-clip-by-norm.json", operations: ["clip_by_norm": 8, "clip_by_global_norm": 8]),
    CompleteSuite(
      file: "optax-clipping.json",
      operations: ["clip_by_block_rms": 4, "per_example_global_norm_clip": 4, "adaptive_grad_clip": 8]),
    CompleteSuite(file: "optimizers-torch.json", operations: ["optimizer": 10]),
    CompleteSuite(file: "optimizers-keras.json", operations: ["optimizer": 3]),
    CompleteSuite(
      file: "training-traces.json", operations: ["train_linear_mse_sgd": 1, "recurrent_gradients": 4]),
    CompleteSuite(file: "adaptive-clipping.json", operations: ["zclip": 3, "autoclip_quantile": 3]),
    CompleteSuite(file: "dp-accounting.json", operations: ["rdp_epsilon": 6]),
  ]

  @Test("The clipping suites pass in full, none of their cases skipped", arguments: completeSuites)
  func suitePassesInFull(_ expected: CompleteSuite) throws {
    let suite = try FixtureSuites.load(expected.file)
    for (op, count) in expected.operations {
      let cases = suite.cases.filter { $0.op == op }
      #expect(cases.count == count, "\(expected.file): \(op) has \(cases.count) cases, expected \(count)")
      let outcomes = cases.map { ConformanceRunner().run($0) }
      #expect(outcomes.filter(\.isPassed).count == count, "\(outcomes.compactMap(\.failureMessage))")
    }
    if expected.file != "optax-clipping.json" {
      #expect(suite.cases.count == expected.operations.values.reduce(0, +), "\(expected.file) has cases of other ops")
    }
  }

  @Test("Every fixture file is present and readable, 95 cases, all implemented")
  func fixtureInventory() throws {
    let suites = try FixtureSuites.fileNames.map(FixtureSuites.load)
    #expect(suites.map(\.cases.count).reduce(0, +) == 95)
    #expect(try FixtureSuites.implementedCases().count == 95)
    for (name, suite) in zip(FixtureSuites.fileNames, suites) {
      #expect(Set(suite.cases.map(\.id)).count == suite.cases.count, "\(name) has duplicate case ids")
    }
  }
}
