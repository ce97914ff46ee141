import Foundation
import Testing

@Suite("gradclip train: Ctrl-C, checkpoints and terminals", .serialized)
struct ExperimentCommandSessionTests {
  @Test("SIGINT during train: exit 130, the metrics so far flushed, the report written for them")
  func interrupt() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let process = try GradclipProcess(
      [
        "train", "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "1000000", "--eval-every",
        "100000", "--out", out,
      ], in: files)
    try process.start()
    let started = process.waitForErrors { $0.contains("training 1000000 steps") }
    #expect(started, "no progress line: \(process.errorsSoFar)")
    Thread.sleep(forTimeInterval: 1)
    process.interrupt()
    let result = try process.finish()
    #expect(result.status == 130 && !result.signalled, "\(result.transcript)")
    #expect(result.output.contains("Interrupted: the report covers the runs so far."))
    #expect(result.errors.contains("interrupted at step"))
    let folder = OutputFolder(out)
    #expect(
      folder.files == [
        "report.html", "metrics.csv", "metrics.jsonl", "summary.json", "threshold-advice.txt", "tensorboard",
      ])
    let run = try #require(try folder.summaryRuns().first)
    #expect(run["outcome"] as? String == "interrupted")
    let steps = try #require((run["summary"] as? [String: Any])?["stepCount"] as? Int)
    #expect(steps > 0 && steps < 1_000_000)
    let rows = try folder.csvLines().dropFirst()
    #expect(rows.count == steps, "one CSV row per step run")
    #expect(rows.last?.hasPrefix("none,\(steps),") == true)
    let jsonLines = try String(contentsOf: folder.file("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
    #expect(jsonLines.count == steps)
    let html = try String(contentsOf: folder.file("report.html"), encoding: .utf8)
    #expect(html.hasSuffix("</html>\n") || html.hasSuffix("</html>"))
  }

  @Test("SIGINT during compare: the runs so far are reported and the rest are not started")
  func interruptCompare() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let process = try GradclipProcess(
      [
        "compare", "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "1000000", "--eval-every",
        "100000", "--clip", "none", "--clip", "norm:1.0", "--seeds", "1", "--out", out, "--json",
      ], in: files)
    try process.start()
    #expect(process.waitForErrors { $0.contains("none seed=1: training") })
    Thread.sleep(forTimeInterval: 0.5)
    process.interrupt()
    let result = try process.finish()
    #expect(result.status == 130, "\(result.transcript)")
    let last = try #require(result.outputLines.last)
    let filesEvent = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    #expect(filesEvent["event"] as? String == "files" && filesEvent["interrupted"] as? Bool == true)
    let runs = try OutputFolder(out).summaryRuns()
    #expect(runs.compactMap { $0["name"] as? String } == ["none seed=1"])
    #expect(!result.errors.contains("norm:1.0 seed=1: training"))
  }

  @Test("--save, then --resume: the run goes on from the saved parameters and optimizer step")
  func saveAndResume() throws {
    let files = try TemporaryFiles()
    let checkpoint = files.missing(named: "run.safetensors")
    let base = ["train", "--task", "regression", "--model", "mlp", "--hidden", "8", "--optimizer", "adam", "-q"]
    let first = try GradclipProcess.run(
      base + ["--steps", "5", "--eval-every", "5", "--save", checkpoint, "--out", files.missing(named: "first")],
      in: files)
    #expect(first.status == 0, "\(first.transcript)")
    #expect(FileManager.default.fileExists(atPath: checkpoint))

    let second = try GradclipProcess.run(
      base + ["--steps", "3", "--resume", checkpoint, "--out", files.missing(named: "second")], in: files)
    #expect(second.status == 0, "\(second.transcript)")
    let saved = try #require(try OutputFolder(files.missing(named: "first")).summaryRuns().first)
    let resumed = try #require(try OutputFolder(files.missing(named: "second")).summaryRuns().first)
    let settings = try #require(resumed["settings"] as? [String: String])
    #expect(settings["resumed-at-optimizer-step"] == "5")
    let savedEvaluations = try #require(saved["evaluations"] as? [[String: Any]])
    let resumedEvaluations = try #require(resumed["evaluations"] as? [[String: Any]])
    let savedLoss = try #require(savedEvaluations.last?["loss"] as? NSNumber)
    let resumedLoss = try #require(resumedEvaluations.first?["loss"] as? NSNumber)
    #expect(resumedLoss.doubleValue == savedLoss.doubleValue, "the resumed run starts where the saved one ended")
  }

  @Test("--save onto an existing file exits 73 before training; --resume of a missing file 66; another model 64")
  func checkpointErrors() throws {
    let files = try TemporaryFiles()
    let checkpoint = files.missing(named: "run.safetensors")
    let base = ["train", "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "2", "-q"]
    let saved = try GradclipProcess.run(base + ["--save", checkpoint, "--out", files.missing(named: "a")], in: files)
    #expect(saved.status == 0, "\(saved.transcript)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))

    let again = try GradclipProcess.run(base + ["--save", checkpoint, "--out", files.missing(named: "b")], in: files)
    #expect(again.status == 73, "\(again.transcript)")
    #expect(again.errors.contains(checkpoint))
    #expect(!FileManager.default.fileExists(atPath: files.missing(named: "b")), "nothing trained or written")
    #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == bytes)

    let missing = files.missing(named: "nothing.safetensors")
    let absent = try GradclipProcess.run(base + ["--resume", missing, "--out", files.missing(named: "c")], in: files)
    #expect(absent.status == 66, "\(absent.transcript)")
    #expect(absent.errors.contains(missing))

    let other = try GradclipProcess.run(
      [
        "train", "--task", "regression", "--model", "mlp", "--hidden", "16", "--steps", "2", "--resume", checkpoint,
        "--out", files.missing(named: "d"),
      ], in: files)
    #expect(other.status == 64, "\(other.transcript)")
    #expect(other.errors.contains(checkpoint) && other.errors.contains("hidden"))
    #expect(!FileManager.default.fileExists(atPath: files.missing(named: "d")))
  }

  /// Runs a tiny `train` with standard error on a pseudo-terminal; what it wrote there.
  private func onTerminal(environment: [String: String]) throws -> String {
    let terminal = try #require(PseudoTerminal(), "no pseudo-terminal")
    let files = try TemporaryFiles()
    let process = try GradclipProcess(
      ["train"] + TinyRun.regression + ["--out", files.missing(named: "out")], in: files, environment: environment)
    terminal.startReading()
    try process.start(standardError: terminal.terminal)
    terminal.closeTerminal()
    let result = try process.finish()
    #expect(result.status == 0, "\(result.transcript)")
    return terminal.text()
  }

  @Test(
    "on a terminal: a progress bar redrawn in place, in colour unless NO_COLOR is set",
    .enabled(if: PseudoTerminal.isAvailable, "needs pseudo-terminals (/dev/ptmx)"))
  func terminalColours() throws {
    let coloured = try onTerminal(environment: [:])
    #expect(coloured.contains("\r\u{1B}[2K"), "the bar is redrawn in place: \(coloured.debugDescription)")
    #expect(coloured.contains("5/5"), "\(coloured.debugDescription)")
    #expect(coloured.contains("\u{1B}[1m"), "colours on a terminal: \(coloured.debugDescription)")
    let plain = try onTerminal(environment: ["NO_COLOR": "1"])
    #expect(plain.contains("5/5"))
    let colourCodes = plain.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression)
    #expect(colourCodes == nil, "no colours with NO_COLOR: \(plain.debugDescription)")
  }
}
