import Testing

@testable import GradclipCLI

/// The runner must not pass vacuously: wrong values, missing or wrong errors, changed gradients
/// and unreadable expectations all fail, with a message naming the first mismatch.
@Suite("Runner catches what is wrong")
struct RunnerSelfCheckTests {
  private let grads = #"[{"shape": [2], "data": [0.5, 3]}]"#

  private func outcome(of testCase: ConformanceCase, registry: OperationRegistry = .standard) -> CaseOutcome {
    ConformanceRunner(registry: registry).run(testCase)
  }

  @Test("A correct expectation passes")
  func correctExpectationPasses() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", args: #"{"clip_value": 1}"#, grads: grads,
      expect: #"{"grads": [{"shape": [2], "data": [0.5, 1]}]}"#)
    #expect(outcome(of: testCase) == .passed)
  }

  @Test("A wrong expected element fails in both storages, naming the element")
  func wrongElementFails() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", args: #"{"clip_value": 1}"#, grads: grads,
      expect: #"{"grads": [{"shape": [2], "data": [0.5, 1.001]}]}"#)
    let message = try #require(outcome(of: testCase).failureMessage)
    #expect(message.hasPrefix("grads[0][1]: got 1.0, want 1.001 (off by 0.001"))
    #expect(message.hasSuffix("(with FlatGradientStorage<Double> and [GradientTensor<Double>])"))
  }

  @Test("A wrong expected total norm fails")
  func wrongTotalNormFails() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_norm", args: #"{"max_norm": 100}"#, grads: #"[{"shape": [2], "data": [3, 4]}]"#,
      expect: #"{"total_norm": 5.0001}"#)
    let message = try #require(outcome(of: testCase).failureMessage)
    #expect(message.hasPrefix("total_norm: got 5.0, want 5.0001"))
  }

  @Test("A missing expected error fails")
  func missingErrorFails() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_norm", args: #"{"max_norm": 1, "nonfinite": "propagate"}"#,
      grads: #"[{"shape": [2], "data": [1, "nan"]}]"#, expect: #"{"error": "nonfinite"}"#)
    let message = try #require(outcome(of: testCase).failureMessage)
    #expect(message.hasPrefix("expected error nonfinite, but no error was raised"))
  }

  @Test("An error of the wrong kind fails")
  func wrongErrorKindFails() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_norm", args: #"{"max_norm": 1, "nonfinite": "error"}"#,
      grads: #"[{"shape": [2], "data": [1, "inf"]}]"#, expect: #"{"error": "invalid_argument"}"#)
    let message = try #require(outcome(of: testCase).failureMessage)
    #expect(message.hasPrefix("expected error invalid_argument, got nonfinite"))
  }

  @Test("An unexpected error fails")
  func unexpectedErrorFails() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      op: "clip_by_norm", args: #"{"max_norm": -1}"#, grads: grads, expect: #"{"grads": \#(grads)}"#)
    let message = try #require(outcome(of: testCase).failureMessage)
    #expect(message.hasPrefix("unexpected error invalid_argument: maxNorm = -1.0 is invalid"))
  }

  @Test(
    "Expected errors of the library pass, with the gradients unchanged",
    arguments: [
      ("clip_grad_norm", #"{"max_norm": -1}"#, "invalid_argument"),
      ("clip_grad_norm", #"{"max_norm": 1, "norm_type": 0}"#, "invalid_argument"),
      ("clip_grad_norm", #"{"max_norm": 1, "eps": "nan"}"#, "invalid_argument"),
      ("total_norm", #"{"norm_type": -2}"#, "invalid_argument"),
      ("clip_grad_value", #"{"clip_value": "inf"}"#, "invalid_argument"),
      ("clip_by_norm", #"{"max_norm": "nan"}"#, "invalid_argument"),
      ("clip_by_global_norm", #"{"max_norm": -0.5}"#, "invalid_argument"),
      ("clip_by_block_rms", #"{"threshold": -1}"#, "invalid_argument"),
      ("clip_by_block_rms", #"{"threshold": 1, "nonfinite": "error"}"#, "nonfinite"),
    ])
  func expectedErrorPasses(op: String, args: String, error: String) throws {
    let input = #"[{"shape": [3], "data": [0.5, 3, "-inf"]}, {"shape": [], "data": [-0.0]}]"#
    let testCase = try TestCaseBuilder.conformanceCase(
      op: op, dtype: "float32", args: args, grads: input, expect: #"{"error": "\#(error)", "grads": \#(input)}"#)
    #expect(outcome(of: testCase) == .passed, "\(outcome(of: testCase))")
  }

  @Test("Gradients changed before an error are caught, bit for bit")
  func changedGradientsAfterErrorFail() throws {
    let registry = OperationRegistry([GradientOperationRunner<ModifyThenFailOperation>()])
    let testCase = try TestCaseBuilder.conformanceCase(
      op: ModifyThenFailOperation.name, grads: #"[{"shape": [2], "data": ["nan", 1e-30]}]"#,
      expect: #"{"error": "nonfinite"}"#, tol: #"{"rtol": 1, "atol": 1}"#)
    let message = try #require(outcome(of: testCase, registry: registry).failureMessage)
    #expect(message.hasPrefix("error nonfinite was raised, but grads[0][1] changed from 1e-30 to 0.0"))
  }

  @Test("A failure in one storage only names that storage")
  func storageSpecificFailureNamesStorage() throws {
    let registry = OperationRegistry([GradientOperationRunner<FlatOnlyClampOperation>()])
    let testCase = try TestCaseBuilder.conformanceCase(
      op: FlatOnlyClampOperation.name, dtype: "float32", grads: #"[{"shape": [1], "data": [2]}]"#,
      expect: #"{"grads": [{"shape": [1], "data": [2]}], "total_norm": 2}"#)
    let message = try #require(outcome(of: testCase, registry: registry).failureMessage)
    #expect(
      message == "grads[0][0]: got 0.0, want 2.0 (off by 2, tol allows 2.01e-10) (with FlatGradientStorage<Float> only)"
    )
  }

  @Test("Expected shapes and tensor counts must match")
  func shapeMismatchFails() throws {
    let wrongShape = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", args: #"{"clip_value": 9}"#, grads: grads,
      expect: #"{"grads": [{"shape": [1, 2], "data": [0.5, 3]}]}"#)
    #expect(outcome(of: wrongShape).failureMessage?.hasPrefix("grads[0]: got shape [2], want shape [1, 2]") == true)
    let wrongCount = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", args: #"{"clip_value": 9}"#, grads: grads, expect: #"{"grads": []}"#)
    #expect(outcome(of: wrongCount).failureMessage?.hasPrefix("grads: got 1 tensors, want 0") == true)
  }

  @Test("Cases that cannot be checked as written fail, saying why")
  func invalidCasesFail() throws {
    let cases: [(args: String, expect: String, message: String)] = [
      (#"{"max_nrom": 1}"#, #"{"total_norm": 1}"#, "invalid case: args.max_nrom: unknown argument"),
      (#"{}"#, #"{"total_norm": 1}"#, "invalid case: args.max_norm: missing required argument"),
      (#"{"max_norm": 1}"#, #"{}"#, "invalid case: expect has nothing to check"),
      (#"{"max_norm": 1}"#, #"{"num_clipped": 0}"#, "invalid case: expect.num_clipped cannot be checked"),
      (#"{"max_norm": 1}"#, #"{"error": "overflow"}"#, "invalid case: expect.error: unknown error \"overflow\""),
      (#"{"max_norm": 1, "nonfinite": "ignore"}"#, #"{"total_norm": 1}"#, "invalid case: args.nonfinite: expected"),
      (#"{"max_norm": 1, "norm_type": "infinity"}"#, #"{"total_norm": 1}"#, "invalid case: args.norm_type: expected"),
    ]
    for (args, expect, prefix) in cases {
      let testCase = try TestCaseBuilder.conformanceCase(op: "clip_grad_norm", args: args, grads: grads, expect: expect)
      let message = outcome(of: testCase).failureMessage ?? "passed"
      #expect(message.hasPrefix(prefix), "\(args) \(expect): \(message)")
    }
  }

  @Test("A stateless operation given steps instead of expect fails")
  func stepsForStatelessOperationFail() throws {
    let testCase = try TestCaseBuilder.conformanceCase(
      #"{"id": "s", "op": "clip_grad_value", "dtype": "float32", "args": {"clip_value": 1}, "#
        + #""tol": {"rtol": 0, "atol": 0}, "steps": []}"#)
    #expect(outcome(of: testCase).failureMessage?.hasPrefix("invalid case: clip_grad_value is stateless") == true)
  }

  @Test("An operation without a runner is skipped as not implemented")
  func unknownOperationIsSkipped() throws {
    let testCase = try TestCaseBuilder.conformanceCase(op: "future_method", grads: grads, expect: #"{"grads": []}"#)
    #expect(outcome(of: testCase) == .notImplemented(op: "future_method"))
    #expect(outcome(of: testCase, registry: OperationRegistry()) == .notImplemented(op: "future_method"))
  }

  @Test("The standard registry implements the clipping, optimizer, training and privacy operations")
  func standardRegistry() {
    #expect(
      OperationRegistry.standard.operations == [
        "adaptive_grad_clip", "autoclip_quantile", "clip_by_block_rms", "clip_by_global_norm", "clip_by_norm",
        "clip_grad_norm",
        "clip_grad_value", "optimizer",
        "per_example_global_norm_clip", "rdp_epsilon", "recurrent_gradients", "total_norm", "train_linear_mse_sgd",
        "zclip",
      ])
  }

  @Test("float32 cases round their inputs to Float and compute in Float")
  func float32RoundsInputs() throws {
    // 2^24 + 1 is not a Float: it rounds to 2^24.
    let input = #"[{"shape": [1], "data": [16777217]}]"#
    let rounded = #"{"grads": [{"shape": [1], "data": [16777216]}]}"#
    let exact = #"{"rtol": 0, "atol": 0}"#
    let float32 = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", dtype: "float32", args: #"{"clip_value": 1e9}"#, grads: input, expect: rounded, tol: exact)
    #expect(outcome(of: float32) == .passed)
    let float64 = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", dtype: "float64", args: #"{"clip_value": 1e9}"#, grads: input, expect: rounded, tol: exact)
    #expect(outcome(of: float64).failureMessage?.hasPrefix("grads[0][0]: got 16777217.0, want 16777216.0") == true)
  }

  @Test("Non-finite values match the same non-finite values only")
  func nonFiniteValuesMatch() throws {
    let input = #"[{"shape": [3], "data": ["nan", "inf", "-inf"]}]"#
    let same = try TestCaseBuilder.conformanceCase(
      op: "total_norm", args: #"{"norm_type": "inf"}"#, grads: input,
      expect: #"{"grads": \#(input), "total_norm": "nan"}"#)
    #expect(outcome(of: same) == .passed, "\(outcome(of: same))")
    let swapped = try TestCaseBuilder.conformanceCase(
      op: "clip_grad_value", args: #"{"clip_value": 1e300}"#, grads: #"[{"shape": [1], "data": ["inf"]}]"#,
      expect: #"{"grads": [{"shape": [1], "data": ["inf"]}]}"#)
    #expect(outcome(of: swapped).failureMessage?.hasPrefix("grads[0][0]: got 1e+300, want inf") == true)
  }
}
