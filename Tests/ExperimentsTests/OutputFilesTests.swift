import Foundation
import Testing

@testable import Experiments

/// Runs written into a fresh output folder, finished, with what they recorded.
final class FinishedOutput {
  let folder: TemporaryFolder
  let files: ExperimentOutput.Files
  let records: [RunRecord]

  init(_ configurations: [RunConfiguration]) throws {
    folder = try TemporaryFolder()
    let output = try ExperimentOutput(
      directory: folder.file("out"), title: "Output test", subtitle: "tiny runs", notes: ["A note."])
    for configuration in configurations { try TrainingRun(configuration).train(observers: [output]) }
    files = try output.finish(generated: Date(timeIntervalSince1970: 1_750_000_000))
    records = output.records
  }

  /// The lines of `url`, without the final newline.
  static func lines(_ url: URL) throws -> [String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.hasSuffix("\n"), "\(url.lastPathComponent) ends with a newline")
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  /// The fields of a CSV line (RFC 4180 quoting).
  static func fields(_ line: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(line)[...]
    while let character = characters.popFirst() {
      if quoted {
        if character == "\"" {
          if characters.first == "\"" {
            field.append("\"")
            characters.removeFirst()
          } else {
            quoted = false
          }
        } else {
          field.append(character)
        }
      } else if character == "\"" {
        quoted = true
      } else if character == "," {
        fields.append(field)
        field = ""
      } else {
        field.append(character)
      }
    }
    return fields + [field]
  }

  /// Each line of `metrics.jsonl` as an object.
  func jsonLines() throws -> [[String: Any]] {
    try Self.lines(files.jsonLines).map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      return try #require(object as? [String: Any], "\(line) is not an object")
    }
  }
}

@Suite("Outputs: metrics.csv, metrics.jsonl and summary.json")
struct OutputFilesTests {
  static let columns = [
    "run", "step", "loss", "gradient_norm", "threshold", "coefficient", "clipped", "skipped", "learning_rate",
  ]
  static let layers = ["fc0.weight", "fc0.bias", "head.weight", "head.bias"]

  private func twoRuns() throws -> FinishedOutput {
    try FinishedOutput([
      try RunFixtures.regression(steps: 6, evaluationInterval: 3),
      try RunFixtures.regression(clip: "norm:0.5", steps: 4, evaluationInterval: 3),
    ])
  }

  @Test("metrics.csv: the documented header, then one row per step and run with the recorded figures")
  func csv() throws {
    let output = try twoRuns()
    let lines = try FinishedOutput.lines(output.files.csv)
    #expect(lines.first == (Self.columns + Self.layers.map { "norm:\($0)" }).joined(separator: ","))
    let rows = lines.dropFirst().map(FinishedOutput.fields)
    #expect(rows.count == 6 + 4)
    let expected = output.records.flatMap { record in record.steps.map { (record.name, $0) } }
    for (fields, (name, step)) in zip(rows, expected) {
      try #require(fields.count == Self.columns.count + Self.layers.count, "\(fields)")
      #expect(fields[0] == name)
      #expect(Int(fields[1]) == step.step)
      #expect(Double(fields[2]) == step.loss, "the loss reads back to the same Double")
      #expect(Double(fields[3]) == step.gradientNorm)
      #expect(fields[4] == (step.threshold.map { "\($0)" } ?? ""))
      #expect(Double(fields[5]) == step.coefficient)
      #expect(fields[6] == (step.clipped ? "1" : "0"))
      #expect(fields[7] == (step.skipped ? "1" : "0"))
      #expect(Double(fields[8]) == step.learningRate)
      #expect(fields[9...].map { Double($0) } == step.layerNorms.map { Optional($0) })
    }
    #expect(rows.prefix(6).allSatisfy { $0[0] == "none" && $0[4].isEmpty })
    #expect(rows.suffix(4).allSatisfy { $0[0] == "norm:0.5" && $0[4] == "0.5" })
  }

  /// A finite row of metrics.jsonl, decoded with `JSONDecoder`, which reads numbers exactly.
  struct Row: Decodable {
    var run: String
    var step: Int
    var loss: Double
    var gradientNorm: Double
    var threshold: Double?
    var coefficient: Double
    var clipped: Bool
    var skipped: Bool
    var learningRate: Double
    var layerNorms: [String: Double]

    enum CodingKeys: String, CodingKey {
      case run, step, loss, threshold, coefficient, clipped, skipped
      case gradientNorm = "gradient_norm"
      case learningRate = "learning_rate"
      case layerNorms = "layer_norms"
    }
  }

  @Test("metrics.jsonl: one object per step and run, with layer norms by name and null without a threshold")
  func jsonLines() throws {
    let output = try twoRuns()
    let objects = try output.jsonLines()
    #expect(objects.count == 10)
    let expected = output.records.flatMap { record in record.steps.map { (record.name, $0) } }
    for (object, (name, step)) in zip(objects, expected) {
      #expect(Set(object.keys) == Set(Self.columns + ["layer_norms"]))
      #expect(object["run"] as? String == name)
      #expect(object["step"] as? Int == step.step)
      #expect(step.threshold == nil ? object["threshold"] is NSNull : object["threshold"] is NSNumber)
      #expect(object["clipped"] as? Bool == step.clipped)
      #expect(object["skipped"] as? Bool == step.skipped)
      let norms = try #require(object["layer_norms"] as? [String: Any])
      #expect(Set(norms.keys) == Set(Self.layers))
    }
    let rows = try FinishedOutput.lines(output.files.jsonLines).map { line in
      try JSONDecoder().decode(Row.self, from: Data(line.utf8))
    }
    for (row, (name, step)) in zip(rows, expected) {
      #expect(row.run == name && row.step == step.step)
      #expect(row.loss == step.loss, "numbers read back to the same Double")
      #expect(row.gradientNorm == step.gradientNorm)
      #expect(row.threshold == step.threshold)
      #expect(row.coefficient == step.coefficient)
      #expect(row.clipped == step.clipped && row.skipped == step.skipped)
      #expect(row.learningRate == step.learningRate)
      #expect(Self.layers.map { row.layerNorms[$0] } == step.layerNorms.map { Optional($0) })
    }
  }
  @Test("a diverged run's non-finite numbers are nan/inf in the CSV and strings in JSON Lines and summary.json")
  func nonFinite() throws {
    let output = try FinishedOutput([try RunFixtures.divergingAdding()])
    let record = try #require(output.records.first)
    let last = try #require(record.steps.last)
    #expect(!last.loss.isFinite)
    let csvRows = try FinishedOutput.lines(output.files.csv).dropFirst().map(FinishedOutput.fields)
    #expect(csvRows.count == record.steps.count)
    let lossText = try #require(csvRows.last?[2])
    #expect(["nan", "inf", "-inf"].contains(lossText), "\(lossText)")
    let objects = try output.jsonLines()
    #expect(objects.count == record.steps.count)
    #expect(objects.last?["loss"] as? String == lossText)
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: output.files.summary))
    let runs = try #require((summary as? [String: Any])?["runs"] as? [[String: Any]])
    #expect(runs.first?["outcome"] as? String == "diverged")
    let figures = try #require(runs.first?["summary"] as? [String: Any])
    #expect(figures["divergenceStep"] as? Int == record.summary.divergenceStep)
  }

  @Test("summary.json: per run its name, settings, outcome, seconds, summary figures and evaluations")
  func summary() throws {
    let output = try twoRuns()
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: output.files.summary))
    let runs = try #require((object as? [String: Any])?["runs"] as? [[String: Any]])
    #expect(runs.count == 2)
    for (run, record) in zip(runs, output.records) {
      #expect(run["name"] as? String == record.name)
      #expect(run["outcome"] as? String == "completed")
      #expect((run["seconds"] as? NSNumber)?.doubleValue == record.seconds)
      let settings = try #require(run["settings"] as? [String: String])
      #expect(settings["task"] == "regression" && settings["clip"] == record.setting("clip"))
      #expect(settings["parameters"] == "97")
      let figures = try #require(run["summary"] as? [String: Any])
      #expect(figures["stepCount"] as? Int == record.steps.count)
      #expect((figures["finalLoss"] as? NSNumber)?.doubleValue == record.summary.finalLoss)
      #expect((figures["clippedShare"] as? NSNumber)?.doubleValue == record.summary.clippedShare)
      let evaluations = try #require(run["evaluations"] as? [[String: Any]])
      #expect(evaluations.compactMap { $0["step"] as? Int } == record.evaluations.map(\.step))
    }
  }

  @Test("run names with commas, quotes and line breaks stay one CSV field and one JSON string")
  func awkwardNames() throws {
    let name = "a,\"b\"\nc"
    let output = try FinishedOutput([try RunFixtures.regression(steps: 2, label: name)])
    let text = try String(contentsOf: output.files.csv, encoding: .utf8)
    #expect(text.contains("\"a,\"\"b\"\"\nc\",1,"))
    let objects = try output.jsonLines()
    #expect(objects.map { $0["run"] as? String } == [name, name])
  }
}
