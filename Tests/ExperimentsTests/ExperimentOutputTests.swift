import Foundation
import Testing

@testable import Experiments

@Suite("Outputs: the output folder")
struct ExperimentOutputTests {
  @Test("a folder that does not exist is made, parents included")
  func createsParents() throws {
    let folder = try TemporaryFolder()
    let directory = folder.file("a/b/c")
    let output = try ExperimentOutput(directory: directory, title: "t")
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue)
    #expect(output.directory == directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["metrics.csv", "metrics.jsonl"])
  }

  @Test("an existing empty folder is used")
  func emptyFolder() throws {
    let folder = try TemporaryFolder()
    let directory = folder.file("empty")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    _ = try ExperimentOutput(directory: directory, title: "t")
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("metrics.csv").path))
  }

  @Test("a folder with anything in it, or a file, is refused and left untouched")
  func refusesExisting() throws {
    let folder = try TemporaryFolder()
    let full = folder.file("full")
    try FileManager.default.createDirectory(at: full, withIntermediateDirectories: false)
    try Data("mine".utf8).write(to: full.appendingPathComponent("notes.txt"))
    #expect(throws: ExperimentError.outputExists(path: full.path)) {
      try ExperimentOutput(directory: full, title: "t")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: full.path) == ["notes.txt"])
    #expect(try String(contentsOf: full.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")

    let hidden = folder.file("hidden")
    try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: false)
    try Data().write(to: hidden.appendingPathComponent(".keep"))
    #expect(throws: ExperimentError.outputExists(path: hidden.path)) {
      try ExperimentOutput(directory: hidden, title: "t")
    }

    let file = folder.file("file")
    try Data("x".utf8).write(to: file)
    #expect(throws: ExperimentError.outputExists(path: file.path)) {
      try ExperimentOutput(directory: file, title: "t")
    }
    #expect(try Data(contentsOf: file) == Data("x".utf8))
  }

  @Test("a folder that cannot be made is an unwritable output")
  func unwritable() throws {
    let folder = try TemporaryFolder()
    let file = folder.file("plain")
    try Data("x".utf8).write(to: file)
    let below = file.appendingPathComponent("sub")
    do {
      _ = try ExperimentOutput(directory: below, title: "t")
      Issue.record("a folder was made under a file")
    } catch {
      guard case .unwritableOutput(let path, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path == below.path)
    }
  }

  @Test("the default folder is gradclip-runs/<date>-<time>-<task>, in UTC")
  func defaultDirectory() {
    let base = URL(fileURLWithPath: "/tmp/base", isDirectory: true)
    let date = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15 15:06:40 UTC
    let url = ExperimentOutput.defaultDirectory(task: "adding", date: date, base: base)
    #expect(url.path == "/tmp/base/gradclip-runs/2025-06-15-150640-adding")
  }

  @Test("finish writes the summary and the report; finishing twice never overwrites them")
  func finishOnce() throws {
    let folder = try TemporaryFolder()
    let directory = folder.file("out")
    let output = try ExperimentOutput(directory: directory, title: "t")
    try TrainingRun(try RunFixtures.regression(steps: 2)).train(observers: [output])
    let files = try output.finish()
    #expect(files.report == directory.appendingPathComponent("report.html"))
    #expect(files.csv == directory.appendingPathComponent("metrics.csv"))
    #expect(files.jsonLines == directory.appendingPathComponent("metrics.jsonl"))
    #expect(files.summary == directory.appendingPathComponent("summary.json"))
    #expect(files.advice == directory.appendingPathComponent("threshold-advice.txt"))
    let advice = try String(contentsOf: files.advice, encoding: .utf8)
    #expect(advice.contains("== none (gradient norms before clipping)") && advice.contains("Recommended maxNorm: "))
    #expect(files.tensorBoard == directory.appendingPathComponent("tensorboard", isDirectory: true))
    let report = try Data(contentsOf: files.report)
    #expect(throws: (any Error).self) { try output.finish() }
    #expect(try Data(contentsOf: files.report) == report)
  }

  @Test("the records of the finished runs are kept in order; an interrupted run is included")
  func records() throws {
    let folder = try TemporaryFolder()
    let output = try ExperimentOutput(directory: folder.file("out"), title: "t")
    try TrainingRun(try RunFixtures.regression(steps: 2)).train(observers: [output])
    try TrainingRun(try RunFixtures.regression(clip: "norm:1.0", steps: 5)).train(observers: [output]) { true }
    #expect(output.records.map(\.name) == ["none", "norm:1.0"])
    #expect(output.records.map(\.outcome) == [.completed, .interrupted])
    try output.finish()
  }
}
