import Foundation
import Testing

/// What an output folder of `demo`, `train` or `compare` holds, read back from the files.
struct OutputFolder {
  let url: URL

  init(_ path: String) { url = URL(fileURLWithPath: path, isDirectory: true) }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// The names of the documented files that exist.
  var files: [String] {
    ["report.html", "metrics.csv", "metrics.jsonl", "summary.json", "threshold-advice.txt", "tensorboard"].filter {
      FileManager.default.fileExists(atPath: file($0).path)
    }
  }

  /// The lines of `metrics.csv`.
  func csvLines() throws -> [String] {
    try String(contentsOf: file("metrics.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
  }

  /// The runs of `summary.json`.
  func summaryRuns() throws -> [[String: Any]] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file("summary.json")))
    return try #require((object as? [String: Any])?["runs"] as? [[String: Any]])
  }

  /// The TensorBoard run directories.
  func tensorBoardRuns() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: file("tensorboard").path).sorted()
  }
}

/// The tiny settings every test trains with: well under a second of training in a debug build.
enum TinyRun {
  static let regression = [
    "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "5", "--eval-every", "5",
  ]
}

@Suite("gradclip demo, train and compare", .serialized)
struct ExperimentCommandTests {
  static let tableHeader = [
    "run", "outcome", "final loss", "best loss", "accuracy", "diverged at", "clipped", "max grad norm", "time",
  ]

  /// Checks the closing lines that name the output files.
  private func expectPaths(
    _ result: GradclipProcess.Result, _ out: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let lines = result.outputLines
    #expect(lines.contains("Report:      \(out)/report.html"), sourceLocation: sourceLocation)
    #expect(lines.contains("Metrics:     \(out)/metrics.csv"), sourceLocation: sourceLocation)
    #expect(lines.contains("             \(out)/metrics.jsonl"), sourceLocation: sourceLocation)
    #expect(lines.contains("Summary:     \(out)/summary.json"), sourceLocation: sourceLocation)
    #expect(lines.contains("Advice:      \(out)/threshold-advice.txt"), sourceLocation: sourceLocation)
    #expect(lines.contains("TensorBoard: tensorboard --logdir \(out)/tensorboard"), sourceLocation: sourceLocation)
  }

  @Test("train on regression: exit 0, a table and the paths on stdout, plain progress on stderr, every file")
  func trainRegression() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(["train"] + TinyRun.regression + ["--out", out], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let header = try #require(result.outputLines.first { $0.hasPrefix("run ") })
    let titles = header.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    #expect(titles == Self.tableHeader)
    #expect(result.outputLines.contains { $0.hasPrefix("none ") && $0.contains("completed") })
    expectPaths(result, out)
    #expect(result.errors.contains("[1/1] none: training 5 steps"))
    #expect(result.errors.contains("[1/1] none: done"))
    #expect(!result.errors.contains("\u{1B}") && !result.output.contains("\u{1B}"), "no escape codes off a terminal")
    let folder = OutputFolder(out)
    #expect(
      folder.files == [
        "report.html", "metrics.csv", "metrics.jsonl", "summary.json", "threshold-advice.txt", "tensorboard",
      ])
    #expect(try folder.csvLines().count == 1 + 5)
    #expect(try folder.summaryRuns().first?["outcome"] as? String == "completed")
    #expect(try folder.tensorBoardRuns() == ["none"])
  }

  @Test("train on the adding problem with the default tanh RNN")
  func trainAdding() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      [
        "train", "--task", "adding", "--length", "10", "--hidden", "8", "--steps", "5", "--clip", "norm:1.0", "--out",
        out,
      ],
      in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.outputLines.contains { $0.hasPrefix("norm:1.0 ") && $0.contains("completed") })
    let folder = OutputFolder(out)
    #expect(try folder.csvLines().count == 1 + 5)
    let settings = try #require(try folder.summaryRuns().first?["settings"] as? [String: String])
    #expect(settings["task"] == "adding" && settings["model"] == "rnn" && settings["length"] == "10")
    #expect(settings["clip"] == "norm:1.0" && settings["steps"] == "5" && settings["hidden"] == "8")
    #expect(settings["recurrent-init"] == "pytorch")
    #expect(try folder.tensorBoardRuns() == ["norm-1.0"])
  }

  @Test("a diverging run is a result: exit 0, reported as diverged")
  func divergingRun() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      [
        "train", "--task", "adding", "--length", "10", "--hidden", "8", "--lr", "1000", "--batch", "8", "--steps",
        "200",
        "--out", out, "--quiet",
      ], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.outputLines.contains { $0.hasPrefix("none ") && $0.contains("diverged") && $0.contains("step ") })
    let run = try #require(try OutputFolder(out).summaryRuns().first)
    #expect(run["outcome"] as? String == "diverged")
  }

  @Test("train with an infinity-norm clip spec, as --help documents it")
  func trainInfinityNorm() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      ["train"] + TinyRun.regression + ["--clip", "norm:1.0,p=inf", "--out", out, "--quiet"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.outputLines.contains { $0.hasPrefix("norm:1.0,p=inf ") && $0.contains("completed") })
  }

  @Test("train --advise prints the recommended threshold from the run's norms, as threshold-advice.txt holds it")
  func advise() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      ["train"] + TinyRun.regression + ["--advise", "--out", out, "--quiet"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let recommendation = try #require(result.outputLines.first { $0.hasPrefix("Recommended maxNorm: ") })
    #expect(recommendation.contains("(p90)") && recommendation.contains("of 5 steps"))
    let advice = try String(contentsOf: OutputFolder(out).file("threshold-advice.txt"), encoding: .utf8)
    #expect(advice.hasPrefix("== none (gradient norms before clipping)"))
    #expect(advice.contains(recommendation))
  }

  @Test("--update-clip clips Adam's update; it needs adam or adamw and a valid spec")
  func updateClip() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      ["train"] + TinyRun.regression + ["--optimizer", "adamw", "--update-clip", "rms:1", "--out", out, "--quiet"],
      in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let settings = try #require(try OutputFolder(out).summaryRuns().first?["settings"] as? [String: String])
    #expect(settings["update-clip"] == "rms(threshold: 1.0)")
    for bad in [
      ["--update-clip", "rms:1"], ["--optimizer", "adam", "--update-clip", "rms:0"],
      ["--optimizer", "adam", "--update-clip", "huge"],
    ] {
      let refused = try GradclipProcess.run(["train"] + TinyRun.regression + bad, in: files)
      #expect(refused.status == 64, "\(bad): \(refused.transcript)")
      #expect(refused.errors.contains("update-clip"), "\(bad)")
    }
  }

  @Test("compare: a grid of clip specs by seeds, a table per method, one report with every run")
  func compare() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      [
        "compare", "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "5", "--clip", "none",
        "--clip", "norm:1.0", "--seeds", "1,2", "--out", out,
      ], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let header = try #require(result.outputLines.first { $0.hasPrefix("method ") })
    for title in ["runs", "success", "diverged", "median final loss", "median accuracy", "median clipped"] {
      #expect(header.contains(title), "\(title)")
    }
    let rows = result.outputLines.filter { $0.hasPrefix("none ") || $0.hasPrefix("norm:1.0 ") }
    #expect(rows.count == 2)
    for row in rows {
      let cells = row.split(separator: " ").map(String.init)
      #expect(cells.count >= 3 && cells[1] == "2" && cells[2].hasSuffix("/2"), "\(row)")
    }
    expectPaths(result, out)
    for run in ["none seed=1", "none seed=2", "norm:1.0 seed=1", "norm:1.0 seed=2"] {
      #expect(result.errors.contains("\(run): training 5 steps"), "progress of \(run)")
    }
    let folder = OutputFolder(out)
    #expect(try folder.csvLines().count == 1 + 4 * 5)
    #expect(
      try folder.summaryRuns().compactMap { $0["name"] as? String } == [
        "none seed=1", "none seed=2", "norm:1.0 seed=1", "norm:1.0 seed=2",
      ])
    #expect(try folder.tensorBoardRuns().count == 4)
    let html = try String(contentsOf: folder.file("report.html"), encoding: .utf8)
    #expect(html.contains("norm:1.0 seed=2"))
    #expect(html.contains("<h2>Methods compared</h2>"), "the success rates and medians are in the report too")
    #expect(html.contains("<td>norm:1.0</td>") && html.contains("<td>none</td>"))
  }

  @Test("compare: specs separated by ';' and a seed range")
  func compareSpecList() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(
      [
        "compare", "--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "3", "--clip",
        "none;value:0.5", "--seeds", "3-4", "--out", out, "--quiet",
      ], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(
      try OutputFolder(out).summaryRuns().compactMap { $0["name"] as? String } == [
        "none seed=3", "none seed=4", "value:0.5 seed=3", "value:0.5 seed=4",
      ])
  }

  @Test("demo: four runs from the same seed and data, a table and the paths")
  func demo() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(["demo", "--steps", "1", "--out", out], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let names = ["none", "norm:1.0", "value:0.01", "zclip:max=1.0"]
    for name in names {
      #expect(result.outputLines.contains { $0.hasPrefix("\(name) ") && $0.contains("completed") }, "\(name)")
    }
    expectPaths(result, out)
    #expect(result.errors.contains("[4/4] zclip:max=1.0: training 1 steps"))
    let folder = OutputFolder(out)
    #expect(folder.files.count == 6)
    #expect(try folder.summaryRuns().compactMap { $0["name"] as? String } == names)
    let rows = try folder.csvLines().dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.count == 4)
    #expect(Set(rows.map { $0[2] }).count == 1, "every run's first step sees the same model and batch")
  }

  @Test("--json: every stdout line is a JSON object; evaluations, the run, and last the files")
  func json() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(["train"] + TinyRun.regression + ["--out", out, "--json"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let objects = try result.outputLines.map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }
    #expect(objects.map { $0["event"] as? String } == ["evaluation", "evaluation", "run", "files"])
    #expect(objects[0]["step"] as? Int == 0 && objects[1]["step"] as? Int == 5)
    let run = objects[2]
    #expect(run["run"] as? String == "none" && run["outcome"] as? String == "completed")
    #expect(run["steps"] as? Int == 5)
    #expect(run["divergence_step"] is NSNull)
    for key in ["final_loss", "best_loss", "accuracy", "clipped_share", "largest_gradient_norm", "seconds"] {
      #expect(run[key] is NSNumber, "\(key)")
    }
    let last = objects[3]
    #expect(last["report"] as? String == "\(out)/report.html")
    #expect(last["metrics_csv"] as? String == "\(out)/metrics.csv")
    #expect(last["metrics_jsonl"] as? String == "\(out)/metrics.jsonl")
    #expect(last["summary"] as? String == "\(out)/summary.json")
    #expect(last["threshold_advice"] as? String == "\(out)/threshold-advice.txt")
    #expect(last["tensorboard"] as? String == "\(out)/tensorboard")
    #expect(last["interrupted"] as? Bool == false)
    for key in ["report", "metrics_csv", "metrics_jsonl", "summary", "threshold_advice", "tensorboard"] {
      #expect(FileManager.default.fileExists(atPath: last[key] as? String ?? ""), "\(key)")
    }
  }

  @Test("--quiet: nothing on stderr, the table still on stdout")
  func quiet() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    for flag in ["--quiet", "-q"] {
      let result = try GradclipProcess.run(
        ["train"] + TinyRun.regression + ["--out", "\(out)\(flag)", flag], in: files)
      #expect(result.status == 0, "\(result.transcript)")
      #expect(result.errors.isEmpty, "\(flag): \(result.errors)")
      #expect(result.outputLines.contains { $0.hasPrefix("none ") })
    }
    let json = try GradclipProcess.run(
      ["train"] + TinyRun.regression + ["--out", "\(out)-json", "--json", "-q"], in: files)
    #expect(json.errors.isEmpty)
    #expect(json.outputLines.count == 4)
  }

  @Test(
    "--help on demo, train and compare explains the command with examples", arguments: ["demo", "train", "compare"])
  func help(_ command: String) throws {
    let files = try TemporaryFiles()
    let result = try GradclipProcess.run([command, "--help"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.output.contains("Examples:"))
    #expect(result.output.contains("gradclip \(command)"))
    #expect(result.output.contains("--out"))
    #expect(result.errors.isEmpty)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: files.directory.path).allSatisfy {
        $0.hasSuffix(".stdout") || $0.hasSuffix(".stderr")
      }, "help writes nothing")
  }

  @Test("train --help lists every clip method, task and model")
  func trainHelpLists() throws {
    let files = try TemporaryFiles()
    let result = try GradclipProcess.run(["train", "--help"], in: files)
    for method in [
      "none", "norm:1.0", "exact-norm", "tensor-norm", "value:0.5", "block-rms", "agc", "autoclip", "zclip",
    ] {
      #expect(result.output.contains(method), "\(method)")
    }
    for task in [
      "adding", "multiplication", "temporal-order", "temporal-order-3", "permutation", "memorization", "charlm",
      "digits", "regression",
    ] {
      #expect(result.output.contains(task), "\(task)")
    }
    for model in ["rnn", "lstm", "gru", "mlp", "cnn", "gpt"] { #expect(result.output.contains(model), "\(model)") }
  }
}
