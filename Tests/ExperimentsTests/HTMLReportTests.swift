import Foundation
import Testing

@testable import Experiments

@Suite("HTML report")
struct HTMLReportTests {
  static let overviewCharts = ["loss", "gradient-norm", "held-out-loss", "accuracy", "coefficient", "clipped-share"]

  private func render(_ runs: [RunRecord], title: String = "gradclip demo") -> String {
    HTMLReport(
      title: title, subtitle: "adding problem", notes: ["Three runs."], runs: runs,
      generated: HTMLReportFixtures.date
    ).render()
  }

  @Test("ordinary runs give a well-formed page with every chart")
  func ordinaryRuns() throws {
    let document = try parsedReport(render(HTMLReportFixtures.ordinaryRuns()))
    let ids = document.chartIDs
    for id in Self.overviewCharts { #expect(ids.contains(id), "missing chart \(id)") }
    for slug in ["none", "norm-1-0", "autoclip"] {
      for chart in ["loss", "gradient-norm", "coefficient", "layer-norms"] {
        #expect(ids.contains("\(chart)-\(slug)"), "missing chart \(chart)-\(slug)")
      }
      #expect(document.root.descendants.contains { $0.attributes["id"] == "run-\(slug)" })
    }
    #expect(Set(ids).count == ids.count, "chart ids are unique")
    #expect(document.elements("title").first?.text == "gradclip demo")
  }

  @Test("overlaid charts have one line per run, in the run's colour everywhere")
  func oneLinePerRun() throws {
    let runs = HTMLReportFixtures.ordinaryRuns()
    let document = try parsedReport(render(runs))
    for id in Self.overviewCharts {
      let chart = try #require(document.chart(id))
      let lines = HTMLReportDocument.paths(chart, role: "series")
      #expect(lines.map { $0.attributes["data-run"] } == runs.map(\.name), "chart \(id)")
      #expect(lines.map { $0.attributes["stroke"] } == (0..<runs.count).map { ReportPalette.run($0) })
    }
    let loss = try #require(document.chart("loss-norm-1-0"))
    #expect(HTMLReportDocument.paths(loss, role: "series").map { $0.attributes["stroke"] } == [ReportPalette.run(1)])
  }

  @Test("the per-layer chart has one line per layer and a legend with the layer names")
  func layerNorms() throws {
    let run = HTMLReportFixtures.run("six layers", steps: 50, layers: 6)
    let html = render([run])
    let document = try parsedReport(html)
    let chart = try #require(document.chart("layer-norms-six-layers"))
    let lines = HTMLReportDocument.paths(chart, role: "series")
    #expect(lines.map { $0.attributes["data-run"] } == run.layerNames)
    #expect(Set(lines.compactMap { $0.attributes["stroke"] }).count == 6)
    for name in run.layerNames { #expect(html.contains("</span>\(name)</li>")) }
  }

  @Test("a threshold line is drawn exactly for the runs with a threshold")
  func thresholdLines() throws {
    let document = try parsedReport(render(HTMLReportFixtures.ordinaryRuns()))
    let overview = try #require(document.chart("gradient-norm"))
    let thresholds = HTMLReportDocument.paths(overview, role: "threshold")
    #expect(thresholds.map { $0.attributes["data-run"] } == ["norm:1.0", "autoclip"])
    #expect(thresholds.map { $0.attributes["stroke"] } == [ReportPalette.run(1), ReportPalette.run(2)])
    for (slug, expected) in [("none", 0), ("norm-1-0", 1), ("autoclip", 1)] {
      let chart = try #require(document.chart("gradient-norm-\(slug)"))
      #expect(HTMLReportDocument.paths(chart, role: "threshold").count == expected, "run \(slug)")
    }
  }

  @Test("hostile names, settings and notes are escaped and survive a round trip")
  func hostileText() throws {
    let hostile = "<script>alert(\"x\")</script>&amp;'\u{0}\u{7}"
    var run = HTMLReportFixtures.run(hostile, steps: 20)
    run.settings = [RunSetting(hostile, hostile), RunSetting("url", "https://example.com/x?a=1&b=<2>")]
    run.layerNames = [hostile, "]]>", "--><!--"]
    let html = HTMLReport(title: hostile, subtitle: hostile, notes: [hostile], runs: [run, run]).render()
    let document = try parsedReport(html)
    #expect(!html.lowercased().contains("<script"))
    let lines = HTMLReportDocument.paths(try #require(document.chart("loss")), role: "series")
    #expect(
      lines.map { $0.attributes["data-run"] }
        == Array(repeating: "<script>alert(\"x\")</script>&amp;'\u{FFFD}\u{FFFD}", count: 2))
    #expect(document.chartIDs.contains("loss-script-alert-x-script-amp"))
    #expect(document.chartIDs.contains("loss-script-alert-x-script-amp-2"))
  }

  @Test("the page fetches nothing and runs nothing")
  func selfContained() throws {
    var run = HTMLReportFixtures.run("norm", steps: 30, threshold: 1)
    run.settings.append(RunSetting("data", "https://example.com/data.csv"))
    let html = render([run]).replacingOccurrences(of: "https://example.com/data.csv", with: "")
    let lowered = html.lowercased()
    for forbidden in ["<script", "http://", "https://", "src=", "@import", "<link", "<img", "<iframe", "javascript:"] {
      #expect(!lowered.contains(forbidden), "found \(forbidden)")
    }
    let urls = lowered.ranges(of: "url(").map { lowered[$0.upperBound...].prefix(1) }
    #expect(urls.allSatisfy { $0 == "#" }, "only references to clip paths in the page")
  }

  @Test("the output is deterministic")
  func deterministic() {
    let first = render(HTMLReportFixtures.ordinaryRuns())
    let second = render(HTMLReportFixtures.ordinaryRuns())
    #expect(first == second)
    #expect(first.contains("generated 2025-06-15 15:06 UTC"))
    #expect(!HTMLReport(title: "t", runs: []).render().contains("generated"))
  }

  @Test("write(to:) writes the rendered page as UTF-8")
  func writesFile() throws {
    let report = HTMLReport(title: "written", runs: HTMLReportFixtures.ordinaryRuns(steps: 20))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradclip-report-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: url) }
    try report.write(to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == report.render())
  }

  @Test("a report without runs is still a page")
  func noRuns() throws {
    let document = try parsedReport(HTMLReport(title: "nothing", runs: []).render())
    #expect(document.root.allText.contains("No runs recorded."))
    #expect(document.chartIDs.isEmpty)
  }

  @Test("the summary table has one row per run and marks the best and the diverged")
  func summaryTable() throws {
    let diverged = HTMLReportFixtures.run("exploding", steps: 40, loss: { $0 >= 30 ? .nan : nil })
    let runs = HTMLReportFixtures.ordinaryRuns() + [diverged]
    let document = try parsedReport(render(runs))
    let table = try #require(document.elements("table").first { $0.classes.contains("summary") })
    let rows = table.descendants.filter { $0.name == "tr" && $0.attributes["data-run"] != nil }
    #expect(rows.map { $0.attributes["data-run"] } == runs.map(\.name))
    #expect(rows.map { $0.classes.contains("diverged") } == [false, false, false, true])
    let best = table.descendants.filter { $0.name == "td" && $0.classes.contains("best") }
    #expect(best.count >= 2, "best final loss and best accuracy")
    let divergedCells = rows[3].children.map(\.allText)
    #expect(divergedCells.contains("30"))
    #expect(divergedCells.contains("diverged"))
  }
}

@Suite("HTML report: the caller's tables")
struct HTMLReportTableTests {
  @Test("a caller's table comes before the run summary, escaped, first column left and the others right-aligned")
  func callerTable() throws {
    let table = ReportTable(
      title: "Methods <compared>", header: ["method", "success"], rows: [["norm:1.0 & more", "3/3"]], note: "n < 5")
    let html = HTMLReport(title: "t", runs: [RunRecord(name: "a", settings: [], layerNames: [])], tables: [table])
      .render()
    let tableAt = try #require(html.range(of: "<h2>Methods &lt;compared&gt;</h2>"))
    let summaryAt = try #require(html.range(of: "<h2>Summary</h2>"))
    #expect(tableAt.lowerBound < summaryAt.lowerBound)
    #expect(html.contains("<td>norm:1.0 &amp; more</td><td class=\"num\">3/3</td>"))
    #expect(html.contains("<p class=\"notes\">n &lt; 5</p>"))
    _ = try parsedReport(html)
  }
}
