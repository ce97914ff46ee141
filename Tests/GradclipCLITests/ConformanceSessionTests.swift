import Testing

@testable import GradclipCLI

/// What `gradclip conformance` prints and the status it exits with, run in-process.
@Suite("Conformance session output")
struct ConformanceSessionTests {
  /// What one session printed.
  struct Transcript {
    var output: [String] = []
    var errors: [String] = []
    var tally = ConformanceTally()
  }

  private func run(_ files: [String], verbose: Bool = false) -> Transcript {
    var transcript = Transcript()
    transcript.tally = ConformanceSession(verbose: verbose).run(
      files: files, output: { transcript.output.append($0) }, errorOutput: { transcript.errors.append($0) })
    return transcript
  }

  @Test("All fixture suites: every case is implemented and passes, nothing is skipped")
  func allFixtures() throws {
    let transcript = run(try FixtureSuites.fileNames.map { try FixtureSuites.url($0).path })
    #expect(transcript.output == ["conformance: 95 passed, 0 failed, 0 skipped"])
    #expect(transcript.errors.isEmpty)
    #expect(transcript.tally.exitStatus == 0)
  }

  @Test("A failing case prints FAIL <file>:<id>: <first mismatch> and exits 1")
  func failingCase() throws {
    let files = try TemporaryFiles()
    let path = try files.write(
      TestCaseBuilder.suiteText([
        TestCaseBuilder.clipValueCaseText(id: "good", want: "[0.5, 1]"),
        TestCaseBuilder.clipValueCaseText(id: "bad", want: "[0.5, 2]"),
      ]), named: "suite.json")
    let transcript = run([path])
    #expect(
      transcript.output == [
        "FAIL \(path):bad: grads[0][1]: got 1.0, want 2.0 (off by 1, tol allows 1e-12) "
          + "(with FlatGradientStorage<Double> and [GradientTensor<Double>])",
        "conformance: 1 passed, 1 failed, 0 skipped",
      ])
    #expect(transcript.tally.exitStatus == 1)
  }

  @Test("--verbose also prints passing and skipped ids")
  func verbose() throws {
    let files = try TemporaryFiles()
    let skipped =
      #"{"id": "later", "op": "future_method", "dtype": "float32", "args": {}, "tol": {"rtol": 0, "atol": 0}, "steps": []}"#
    let path = try files.write(
      TestCaseBuilder.suiteText([TestCaseBuilder.clipValueCaseText(id: "good", want: "[0.5, 1]"), skipped]),
      named: "suite.json")
    let transcript = run([path], verbose: true)
    #expect(
      transcript.output == [
        "\(path): test (2 cases)", "PASS \(path):good", "SKIP \(path):later: future_method is not implemented",
        "skipped (not implemented): future_method (1)", "conformance: 1 passed, 0 failed, 1 skipped",
      ])
  }

  @Test("Unreadable and malformed files are reported on stderr, the other files still run, the worst status wins")
  func fileProblems() throws {
    let files = try TemporaryFiles()
    let failing = try files.write(
      TestCaseBuilder.suiteText([TestCaseBuilder.clipValueCaseText(id: "bad", want: "[0, 0]")]), named: "failing.json")
    let malformed = try files.write("{", named: "malformed.json")
    let missing = files.missing(named: "missing.json")

    let withMalformed = run([malformed, failing])
    #expect(withMalformed.errors.count == 1)
    #expect(
      withMalformed.errors.first?.hasPrefix("gradclip conformance: \(malformed) is not valid JSON: line 1") == true)
    #expect(withMalformed.output.last == "conformance: 0 passed, 1 failed, 0 skipped")
    #expect(withMalformed.tally.exitStatus == 65)

    let withMissing = run([failing, missing, malformed])
    #expect(
      withMissing.errors == withMalformed.errors.map { _ in "gradclip conformance: cannot read \(missing): no such file"
      } + withMalformed.errors)
    #expect(withMissing.output.last == "conformance: 0 passed, 1 failed, 0 skipped")
    #expect(withMissing.tally.exitStatus == 66)
  }

  @Test("The exit status is the worst of the outcomes")
  func exitStatusOrder() {
    var tally = ConformanceTally()
    #expect(tally.exitStatus == 0)
    tally.record(.notImplemented(op: "future_method"))
    tally.record(.passed)
    #expect(tally.exitStatus == 0)
    tally.record(.failed("x"))
    #expect(tally.exitStatus == 1)
    tally.record(.wrongSchema(path: "a", problem: "p"))
    #expect(tally.exitStatus == 65)
    tally.record(.unreadable(path: "b", reason: "r"))
    tally.record(.malformedJSON(path: "c", reason: "r"))
    #expect(tally.exitStatus == 66)
    #expect(tally.summaryLine == "conformance: 1 passed, 1 failed, 1 skipped")
  }
}
