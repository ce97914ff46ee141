import Foundation
import Testing

/// Runs the built `gradclip` executable, as a user would.
@Suite("gradclip executable")
struct GradclipExecutableTests {
  /// What a run of the executable gave.
  struct Run {
    let status: Int32
    let output: String
    let errors: String

    /// The last line of standard output.
    var lastLine: String? { output.split(separator: "\n").last.map(String.init) }
  }

  /// The `gradclip` executable, which SwiftPM builds into the same folder as the test bundle.
  static func executable() throws -> URL {
    let candidates = searchFolders().map { $0.appendingPathComponent("gradclip") }
    let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    return try #require(found, "gradclip not found in \(candidates.map(\.path)); run `swift build` first")
  }

  /// The folders near the test bundle and the test process where SwiftPM puts products.
  private static func searchFolders() -> [URL] {
    let process = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
    let starts = [Bundle.main.bundleURL, Bundle.module.bundleURL, process]
    return starts.flatMap { start in
      (1...4).map { depth in (0..<depth).reduce(start) { url, _ in url.deletingLastPathComponent() } }
    }
  }

  private func gradclip(_ arguments: [String]) throws -> Run {
    let files = try TemporaryFiles()
    let outputURL = files.directory.appendingPathComponent("stdout")
    let errorURL = files.directory.appendingPathComponent("stderr")
    try Data().write(to: outputURL)
    try Data().write(to: errorURL)
    let output = try FileHandle(forWritingTo: outputURL)
    let errors = try FileHandle(forWritingTo: errorURL)
    let process = Process()
    process.executableURL = try Self.executable()
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    try output.close()
    try errors.close()
    return Run(
      status: process.terminationStatus, output: try String(contentsOf: outputURL, encoding: .utf8),
      errors: try String(contentsOf: errorURL, encoding: .utf8))
  }

  @Test("A passing suite exits 0 with the summary as its last line")
  func passingSuite() throws {
    let run = try gradclip(["conformance", try FixtureSuites.url("torch-clip-grad.json").path])
    #expect(run.status == 0, "\(run.output)\(run.errors)")
    #expect(run.output == "conformance: 33 passed, 0 failed, 0 skipped\n")
    #expect(run.errors.isEmpty)
  }

  @Test("All fixture suites exit 0 with every case passed and none skipped")
  func allFixtures() throws {
    let run = try gradclip(["conformance"] + FixtureSuites.fileNames.map { try FixtureSuites.url($0).path })
    #expect(run.status == 0, "\(run.output)\(run.errors)")
    #expect(run.lastLine == "conformance: 95 passed, 0 failed, 0 skipped")
    #expect(!run.output.contains("skipped (not implemented)"))
  }

  @Test("A missing file exits 66, naming the file on stderr")
  func missingFile() throws {
    let files = try TemporaryFiles()
    let missing = files.missing(named: "no-such-suite.json")
    let run = try gradclip(["conformance", missing, try FixtureSuites.url("tf-clip-by-norm.json").path])
    #expect(run.status == 66)
    #expect(run.errors == "gradclip conformance: cannot read \(missing): no such file\n")
    #expect(run.lastLine == "conformance: 16 passed, 0 failed, 0 skipped")
  }

  @Test("A malformed file exits 65; a failing case exits 1")
  func malformedAndFailing() throws {
    let files = try TemporaryFiles()
    let malformed = try files.write(#"{"schema": 1"#, named: "malformed.json")
    let malformedRun = try gradclip(["conformance", malformed])
    #expect(malformedRun.status == 65)
    #expect(malformedRun.errors.contains("\(malformed) is not valid JSON"))
    #expect(malformedRun.lastLine == "conformance: 0 passed, 0 failed, 0 skipped")

    let failing = try files.write(
      TestCaseBuilder.suiteText([TestCaseBuilder.clipValueCaseText(id: "wrong", want: "[0.5, 3]")]), named: "f.json")
    let failingRun = try gradclip(["conformance", failing])
    #expect(failingRun.status == 1)
    #expect(failingRun.output.hasPrefix("FAIL \(failing):wrong: grads[0][1]: got 1.0, want 3.0"))
    #expect(failingRun.lastLine == "conformance: 0 passed, 1 failed, 0 skipped")
  }

  @Test("--help explains the command with an example; no file is a usage error")
  func help() throws {
    let run = try gradclip(["conformance", "--help"])
    #expect(run.status == 0)
    #expect(run.output.contains("Example:"))
    #expect(run.output.contains("gradclip conformance"))
    let usage = try gradclip(["conformance"])
    #expect(usage.status == 64)
  }
}
