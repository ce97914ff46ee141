import Foundation
import Testing

@testable import Experiments

@Suite("Outputs: report.html and TensorBoard event files")
struct OutputReportTests {
  static let stepTags = [
    "train/loss", "gradient/norm", "clip/coefficient", "clip/clipped", "clip/skipped", "optimizer/learning_rate",
  ]
  static let layers = ["fc0.weight", "fc0.bias", "head.weight", "head.bias"]

  private func twoRuns() throws -> FinishedOutput {
    try FinishedOutput([
      try RunFixtures.regression(steps: 6, evaluationInterval: 3),
      try RunFixtures.regression(clip: "norm:0.5", steps: 4, evaluationInterval: 3),
    ])
  }

  @Test("report.html is well-formed, self-contained, and has the overview and per-run charts")
  func report() throws {
    let output = try twoRuns()
    let html = try String(contentsOf: output.files.report, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    let document = try parsedReport(html)
    #expect(document.elements("title").first?.text == "Output test")
    let ids = document.chartIDs
    for id in HTMLReportTests.overviewCharts { #expect(ids.contains(id), "missing chart \(id)") }
    for slug in ["none", "norm-0-5"] {
      for chart in ["loss", "gradient-norm", "coefficient", "layer-norms"] {
        #expect(ids.contains("\(chart)-\(slug)"), "missing chart \(chart)-\(slug)")
      }
    }
    #expect(document.elements("script").isEmpty, "no scripts")
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
    #expect(html.contains("A note."))
    for layer in Self.layers { #expect(html.contains(layer), "\(layer) in the report") }
  }

  /// The events of the run directory `name` under the output's TensorBoard folder.
  private func events(_ output: FinishedOutput, run name: String) throws -> [TensorBoardEvent] {
    let directory = output.files.tensorBoard.appendingPathComponent(name, isDirectory: true)
    let files = try TensorBoardReader.eventFiles(in: directory)
    try #require(files.count == 1, "one event file in \(directory.path)")
    return try TensorBoardReader(fileURL: files[0]).events()
  }

  @Test("one TensorBoard run directory per run, named after the run")
  func runDirectories() throws {
    let output = try twoRuns()
    let names = try FileManager.default.contentsOfDirectory(atPath: output.files.tensorBoard.path).sorted()
    #expect(names == ["none", "norm-0.5"])
  }

  @Test("every documented scalar tag has one value per step, equal to the recorded figure")
  func scalars() throws {
    let output = try twoRuns()
    for (record, directory) in zip(output.records, ["none", "norm-0.5"]) {
      let events = try events(output, run: directory)
      #expect(events.first?.fileVersion == "brain.Event:2")
      func series(_ tag: String) -> [(Int, Float)] {
        events.flatMap { event in event.scalars.filter { $0.tag == tag }.map { (event.step, $0.value) } }
      }
      let steps = record.steps
      let expected: [String: (StepMetrics) -> Float] = [
        "train/loss": { Float($0.loss) }, "gradient/norm": { Float($0.gradientNorm) },
        "clip/coefficient": { Float($0.coefficient) }, "clip/clipped": { $0.clipped ? 1 : 0 },
        "clip/skipped": { $0.skipped ? 1 : 0 }, "optimizer/learning_rate": { Float($0.learningRate) },
      ]
      for tag in Self.stepTags {
        let values = series(tag)
        #expect(values.map(\.0) == steps.map(\.step), "\(record.name) \(tag)")
        let value = try #require(expected[tag])
        #expect(values.map(\.1) == steps.map(value), "\(record.name) \(tag)")
      }
      for (index, layer) in Self.layers.enumerated() {
        let values = series("layer_norm/\(layer)")
        #expect(values.map(\.0) == steps.map(\.step))
        #expect(values.map(\.1) == steps.map { Float($0.layerNorms[index]) }, "\(layer)")
      }
      let thresholds = series("gradient/threshold")
      if record.name == "none" {
        #expect(thresholds.isEmpty, "no threshold without clipping")
      } else {
        #expect(thresholds.map(\.0) == steps.map(\.step))
        #expect(thresholds.allSatisfy { $0.1 == 0.5 })
      }
      #expect(series("eval/loss").map(\.0) == record.evaluations.map(\.step))
      #expect(series("eval/loss").map(\.1) == record.evaluations.map { Float($0.loss) })
      #expect(series("eval/accuracy").map(\.1) == record.evaluations.map { Float($0.accuracy) })
    }
  }

  @Test("the gradient/layer_norms histogram: one per step, over the parameters' norms")
  func histograms() throws {
    let output = try twoRuns()
    let record = output.records[0]
    let events = try events(output, run: "none")
    let histograms = events.compactMap { event in event.histogram("gradient/layer_norms").map { (event.step, $0) } }
    #expect(histograms.map(\.0) == record.steps.map(\.step))
    for ((_, histogram), step) in zip(histograms, record.steps) {
      #expect(histogram.count == 4)
      #expect(histogram.min == step.layerNorms.min() && histogram.max == step.layerNorms.max())
      #expect(isClose(histogram.sum, step.layerNorms.reduce(0, +), relative: 1e-12))
    }
  }

  @Test("a diverged run has no histogram at its non-finite step, and its last loss is written as it was")
  func divergedRunEvents() throws {
    let output = try FinishedOutput([try RunFixtures.divergingAdding()])
    let record = output.records[0]
    let events = try events(output, run: "none")
    let losses = events.compactMap { event in event.scalar("train/loss").map { (event.step, $0) } }
    #expect(losses.map(\.0) == record.steps.map(\.step))
    let last = try #require(losses.last?.1)
    #expect(!last.isFinite)
    let histogramSteps = Set(events.filter { $0.histogram("gradient/layer_norms") != nil }.map(\.step))
    for step in record.steps {
      #expect(histogramSteps.contains(step.step) == step.layerNorms.allSatisfy { $0.isFinite }, "step \(step.step)")
    }
  }

  @Test("runs with the same name get their own TensorBoard directories")
  func sameNames() throws {
    let output = try FinishedOutput([
      try RunFixtures.regression(steps: 2, label: "run"), try RunFixtures.regression(steps: 2, seed: 2, label: "run"),
    ])
    let names = try FileManager.default.contentsOfDirectory(atPath: output.files.tensorBoard.path).sorted()
    #expect(names == ["run", "run-2"])
  }
}
