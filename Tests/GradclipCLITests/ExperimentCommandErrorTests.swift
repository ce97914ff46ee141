import Foundation
import Testing

/// A command line that must fail, the exit code, and what standard error must name.
struct FailingCommand: Sendable, CustomTestStringConvertible {
  let arguments: [String]
  let status: Int32
  let mentions: [String]

  var testDescription: String { arguments.joined(separator: " ") }

  static let regression = ["--task", "regression", "--model", "mlp", "--hidden", "8", "--steps", "2"]

  static let usage: [FailingCommand] = [
    FailingCommand(arguments: ["train", "--bogus"], status: 64, mentions: ["--bogus", "Usage: gradclip train"]),
    FailingCommand(
      arguments: ["compare", "--seedz", "1"], status: 64, mentions: ["--seedz", "Usage: gradclip compare"]),
    FailingCommand(arguments: ["demo", "--clip", "none"], status: 64, mentions: ["--clip", "Usage: gradclip demo"]),
    FailingCommand(arguments: ["demo", "--steps", "0"], status: 64, mentions: ["steps"]),
    FailingCommand(arguments: ["train", "--task", "nosuch", "--steps", "1"], status: 64, mentions: ["nosuch"]),
    FailingCommand(arguments: ["train", "--model", "transformer"], status: 64, mentions: ["transformer"]),
    FailingCommand(arguments: ["train", "--optimizer", "lion"] + regression, status: 64, mentions: ["lion"]),
    FailingCommand(arguments: ["train", "--steps", "0"], status: 64, mentions: ["steps", "0"]),
    FailingCommand(arguments: ["train", "--steps", "ten"], status: 64, mentions: ["ten"]),
    FailingCommand(arguments: ["train", "--recurrent-init", "xavier"], status: 64, mentions: ["xavier"]),
    FailingCommand(arguments: ["train", "--recurrent-init", "orthogonal:-1"], status: 64, mentions: ["orthogonal:-1"]),
    FailingCommand(arguments: ["train", "--batch", "0"] + regression, status: 64, mentions: ["batch"]),
    FailingCommand(arguments: ["train", "--schedule", "linear"] + regression, status: 64, mentions: ["linear"]),
    FailingCommand(arguments: ["train", "--task", "adding", "--epochs", "2"], status: 64, mentions: ["epochs"]),
    FailingCommand(arguments: ["train", "--clip", "norm:abc"] + regression, status: 64, mentions: ["norm:abc"]),
    FailingCommand(arguments: ["train", "--clip", "clip:1.0"] + regression, status: 64, mentions: ["clip:1.0"]),
    FailingCommand(arguments: ["train", "--clip", "norm"] + regression, status: 64, mentions: ["norm", "threshold"]),
    FailingCommand(arguments: ["train", "--clip", "norm:-1"] + regression, status: 64, mentions: ["norm:-1"]),
    FailingCommand(arguments: ["train", "--clip", "autoclip:p=200"] + regression, status: 64, mentions: ["p=200"]),
    FailingCommand(
      arguments: ["train", "--clip", "agc:0.01,exclude=classifier"] + regression, status: 64, mentions: ["classifier"]
    ),
    FailingCommand(
      arguments: ["train", "--model", "cnn"] + Array(regression.prefix(2)), status: 64, mentions: ["cnn"]),
    FailingCommand(arguments: ["compare", "--seeds", "1,x"] + regression, status: 64, mentions: ["1,x"]),
    FailingCommand(arguments: ["compare", "--seeds", "5-1"] + regression, status: 64, mentions: ["5-1"]),
    FailingCommand(arguments: ["compare", "--seeds", ""] + regression, status: 64, mentions: ["seeds"]),
    FailingCommand(arguments: ["compare", "--lrs", "0.1,-1"] + regression, status: 64, mentions: ["0.1,-1"]),
    FailingCommand(arguments: ["compare", "--lengths", "20,0"] + regression, status: 64, mentions: ["20,0"]),
    FailingCommand(arguments: ["compare", "--clip", "none;bogus:1"] + regression, status: 64, mentions: ["bogus:1"]),
  ]
}

@Suite("gradclip demo, train and compare: bad input", .serialized)
struct ExperimentCommandErrorTests {
  @Test("bad flags and values exit 64 with a message naming them, and write nothing", arguments: FailingCommand.usage)
  func usage(_ command: FailingCommand) throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let result = try GradclipProcess.run(command.arguments + ["--out", out], in: files)
    #expect(result.status == command.status, "\(result.transcript)")
    #expect(!result.signalled)
    for mention in command.mentions { #expect(result.errors.contains(mention), "\(mention) in \(result.errors)") }
    #expect(!FileManager.default.fileExists(atPath: out), "no output folder for a bad command")
  }

  @Test("charlm with a missing --text exits 66 naming the file")
  func missingText() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let text = files.missing(named: "no-such-file.txt")
    for command in ["train", "compare"] {
      let result = try GradclipProcess.run(
        [command, "--task", "charlm", "--text", text, "--length", "8", "--hidden", "8", "--steps", "2", "--out", out],
        in: files)
      #expect(result.status == 66, "\(result.transcript)")
      #expect(result.errors.contains(text))
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test("charlm on a text file of one's own trains")
  func ownText() throws {
    let files = try TemporaryFiles()
    let out = files.missing(named: "out")
    let text = try files.write(
      String(repeating: "to be or not to be, that is the question. ", count: 20), named: "t.txt")
    let result = try GradclipProcess.run(
      [
        "train", "--task", "charlm", "--text", text, "--length", "8", "--hidden", "8", "--steps", "2", "--out", out,
        "-q",
      ],
      in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let summary = try OutputFolder(out).summaryRuns()
    #expect((summary.first?["settings"] as? [String: String])?["text"] == text)
  }

  @Test(
    "--out pointing to a folder with files exits 73 and leaves the folder as it was", arguments: ["train", "compare"])
  func outputExists(_ command: String) throws {
    let files = try TemporaryFiles()
    let out = files.directory.appendingPathComponent("taken")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
    try Data("precious".utf8).write(to: out.appendingPathComponent("notes.txt"))
    let result = try GradclipProcess.run([command] + FailingCommand.regression + ["--out", out.path], in: files)
    #expect(result.status == 73, "\(result.transcript)")
    #expect(result.errors.contains(out.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
    #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "precious")
  }

  @Test("--out pointing to an existing empty folder is used")
  func emptyOutput() throws {
    let files = try TemporaryFiles()
    let out = files.directory.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
    let result = try GradclipProcess.run(["train"] + FailingCommand.regression + ["--out", out.path, "-q"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(OutputFolder(out.path).files.count == 6)
  }

  @Test("without --out, a new folder under gradclip-runs/ named by date, time and task")
  func defaultOutput() throws {
    let files = try TemporaryFiles()
    let result = try GradclipProcess.run(["train"] + FailingCommand.regression + ["-q"], in: files)
    #expect(result.status == 0, "\(result.transcript)")
    let runs = files.directory.appendingPathComponent("gradclip-runs")
    let names = try FileManager.default.contentsOfDirectory(atPath: runs.path)
    try #require(names.count == 1)
    #expect(names[0].hasSuffix("-regression"))
    #expect(names[0].range(of: #"^\d{4}-\d{2}-\d{2}-\d{6}-regression$"#, options: .regularExpression) != nil)
    let reportLine = try #require(result.outputLines.first { $0.hasPrefix("Report:") })
    #expect(reportLine.hasSuffix("gradclip-runs/\(names[0])/report.html"))
  }
}
