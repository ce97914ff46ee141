import Foundation
import Testing

@testable import Experiments

@Suite("HTML report edge cases")
struct HTMLReportEdgeCaseTests {
  private func document(_ runs: [RunRecord]) throws -> (String, HTMLReportDocument) {
    let html = HTMLReport(title: "edge cases", runs: runs).render()
    return (html, try parsedReport(html))
  }

  /// Every coordinate in the page's path data and circles is a plain finite number.
  private func expectFiniteGeometry(_ document: HTMLReportDocument) {
    for path in document.elements("path") {
      let data = path.attributes["d"] ?? ""
      #expect(data.allSatisfy { "MLHVh0123456789. -".contains($0) }, "path data \(data.prefix(80))")
    }
    for circle in document.elements("circle") {
      #expect(Double(circle.attributes["cx"] ?? "") != nil && Double(circle.attributes["cy"] ?? "") != nil)
    }
  }

  @Test("NaN, infinite, zero and negative values leave gaps or sit on the axis, never break markup")
  func nonFiniteValues() throws {
    let nasty = HTMLReportFixtures.run(
      "nasty", steps: 200, threshold: 1,
      loss: { [50: .nan, 51: .infinity, 52: 0, 53: -1][$0] },
      norm: { [60: .nan, 61: .infinity, 62: 0, 63: -.infinity][$0] })
    let (html, document) = try document([nasty, HTMLReportFixtures.run("plain", steps: 200)])
    expectFiniteGeometry(document)
    #expect(!html.contains("nan") && !html.contains("inf\""))
    let loss = try #require(document.chart("loss-nasty"))
    let data = try #require(HTMLReportDocument.paths(loss, role: "series").first?.attributes["d"])
    #expect(data.filter { $0 == "M" }.count >= 2, "the NaN leaves a gap")
  }

  @Test("a diverged run is marked where it diverged, in every chart")
  func divergenceMarker() throws {
    let run = HTMLReportFixtures.run("exploding", steps: 400, loss: { $0 >= 300 ? .nan : nil })
    #expect(run.summary.divergenceStep == 300)
    let (_, document) = try document([run, HTMLReportFixtures.run("calm", steps: 400)])
    for id in ["loss", "gradient-norm", "coefficient", "loss-exploding", "layer-norms-exploding"] {
      let chart = try #require(document.chart(id))
      let markers = chart.descendants.filter { $0.classes.contains("marker") }
      #expect(markers.map { $0.attributes["data-step"] } == ["300"], "chart \(id)")
      #expect(markers.first?.allText.contains("diverged at 300") == true)
    }
    #expect(try #require(document.chart("loss-calm")).descendants.allSatisfy { !$0.classes.contains("marker") })
  }

  @Test("runs of zero and one step")
  func tinyRuns() throws {
    let empty = RunRecord(name: "empty", settings: [], layerNames: ["w"])
    let single = HTMLReportFixtures.run("single", steps: 1, threshold: 1)
    let (html, document) = try document([empty, single])
    expectFiniteGeometry(document)
    let emptyLoss = try #require(document.chart("loss-empty"))
    #expect(emptyLoss.allText.contains("no steps recorded"))
    #expect(HTMLReportDocument.paths(emptyLoss, role: "series").isEmpty)
    let singleLoss = try #require(document.chart("loss-single"))
    #expect(singleLoss.descendants.contains { $0.name == "circle" }, "a single point is drawn as a dot")
    #expect(try #require(document.chart("accuracy")).allText.contains("no evaluations recorded"))
    #expect(html.contains("<td class=\"num\">0</td>"), "the empty run has 0 steps in the table")
  }

  @Test("all-equal values get a usable axis")
  func constantValues() throws {
    let flat = HTMLReportFixtures.run("flat", steps: 100, loss: { _ in 0.5 }, norm: { _ in 3 })
    let (_, document) = try document([flat])
    expectFiniteGeometry(document)
    let chart = try #require(document.chart("loss-flat"))
    let labels = chart.descendants.filter { $0.name == "g" && $0.classes.contains("ticks") && $0.classes.contains("y") }
      .flatMap(\.children).map(\.text)
    #expect(labels.count >= 2)
    #expect(Set(labels).count == labels.count)
  }

  @Test("huge and tiny magnitudes get compact tick labels")
  func extremeMagnitudes() throws {
    let wild = HTMLReportFixtures.run(
      "wild", steps: 100, loss: { $0 == 10 ? 1e-12 : nil }, norm: { $0 % 2 == 0 ? 1e30 : 1e-20 })
    let (_, document) = try document([wild])
    expectFiniteGeometry(document)
    let chart = try #require(document.chart("gradient-norm-wild"))
    let labels = chart.descendants.filter { $0.name == "g" && $0.classes.contains("ticks") }.flatMap(\.children)
      .map(\.text)
    #expect(labels.contains("1e+30") || labels.contains("1e+32"))
    #expect(labels.allSatisfy { $0.count <= 6 }, "\(labels)")
  }

  @Test("a large report stays small: 4 runs × 2000 steps × 6 layers under 2 MB")
  func sizeBound() throws {
    let runs = (0..<4).map { HTMLReportFixtures.run("run \($0)", steps: 2000, threshold: $0 == 0 ? nil : 1, layers: 6) }
    let html = HTMLReport(title: "large", runs: runs).render()
    #expect(html.utf8.count < 2_000_000, "\(html.utf8.count) bytes")
    let document = try parsedReport(html)
    for path in document.elements("path") where path.classes.contains("series") {
      let points = (path.attributes["d"] ?? "").split { $0 == "M" || $0 == "L" || $0 == " " }.count / 2
      #expect(points <= SeriesDecimation.defaultMaxPoints + 4)
    }
  }
}
