import Foundation
import Testing

@testable import Experiments

@Suite("HTML report charts")
struct HTMLReportChartTests {
  @Test("decimation keeps the spike, the dip and the ends, and bounds the points")
  func decimationKeepsExtremes() {
    var points = (1...10_000).map { ChartPoint(x: Double($0), y: 1 + 0.01 * sin(Double($0))) }
    points[4321].y = 1000
    points[7777].y = -50
    let thin = SeriesDecimation.decimate(points, maxPoints: 600)
    #expect(thin.count <= 602)
    #expect(thin.contains(points[4321]))
    #expect(thin.contains(points[7777]))
    #expect(thin.first == points.first)
    #expect(thin.last == points.last)
    #expect(zip(thin, thin.dropFirst()).allSatisfy { $0.x < $1.x }, "in order, without repeats")
  }

  @Test("decimation keeps gaps and leaves short series alone")
  func decimationKeepsGaps() {
    var points = (1...5000).map { ChartPoint(x: Double($0), y: Double($0)) }
    points[2500].y = .nan
    let thin = SeriesDecimation.decimate(points, maxPoints: 100)
    #expect(thin.contains { $0.y.isNaN && $0.x == 2501 })
    let short = Array(points.prefix(50))
    #expect(SeriesDecimation.decimate(short, maxPoints: 100) == short)
  }

  @Test("smoothing averages finite neighbours and keeps gaps")
  func smoothing() {
    let smoothed = SeriesSmoothing.movingAverage([1, 3, 5, .nan, 7], halfWidth: 1)
    #expect(smoothed[0] == 2 && smoothed[1] == 3 && smoothed[2] == 4 && smoothed[4] == 7)
    #expect(smoothed[3].isNaN)
  }

  @Test(
    "compact numbers",
    arguments: [
      (0.001, "1e-3"), (2500, "2.5k"), (1.2e8, "1.2e+8"), (0, "0"), (0.5, "0.5"), (123.456, "123"), (-0.25, "-0.25"),
      (1e-20, "1e-20"), (999_999, "1e+6"), (0.0123, "0.0123"), (Double.nan, "NaN"), (Double.infinity, "∞"),
    ])
  func compactNumbers(value: Double, text: String) {
    #expect(ReportNumberFormat.compact(value) == text)
  }

  @Test("percentages and durations")
  func tableFormats() {
    #expect(ReportNumberFormat.percent(0.875) == "87.5%")
    #expect(ReportNumberFormat.percent(1) == "100%")
    #expect(ReportNumberFormat.percent(nil) == "—")
    #expect(ReportNumberFormat.duration(4.26) == "4.3 s")
    #expect(ReportNumberFormat.duration(125) == "2 min 05 s")
    #expect(ReportNumberFormat.duration(3725) == "1 h 02 min")
  }

  @Test("axes never collapse, and log axes cope with zero and negative values")
  func axes() {
    for axis in [
      ChartAxis.linear(values: [3, 3, 3]), .linear(values: [0]), .linear(values: []),
      .logarithmic(values: [0.5, 0.5]), .logarithmic(values: [0, -1]), .logarithmic(values: [1e-30, 1e30]),
      .linear(values: [1], rounded: false, integers: true),
    ] {
      #expect(axis.lower < axis.upper)
      #expect(axis.ticks.count >= 2, "\(axis.ticks)")
      #expect(axis.ticks.count <= 12, "\(axis.ticks)")
      #expect(axis.ticks.allSatisfy { $0.position.isFinite })
    }
    let log = ChartAxis.logarithmic(values: [0.002, 3])
    #expect(log.ticks.map(\.label) == ["1e-3", "0.01", "0.1", "1", "10"])
    #expect(log.fraction(of: 0) == 0)
    #expect(log.fraction(of: .nan) == nil)
  }

  @Test("path data breaks at gaps and drops flat stretches")
  func pathData() {
    let segments = ChartPath.segments([(0, 5), (1, 5), (2, 5), nil, (4, 1), nil, (6, 2), (7, 3)])
    #expect(ChartPath.data(segments) == "M0 5L2 5M4 1h0M6 2L7 3")
  }

  @Test("escaping covers markup characters and forbidden controls")
  func escaping() {
    #expect(HTMLEscaping.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    #expect(HTMLEscaping.escape("x\u{1}y\tz") == "x\u{FFFD}y\tz")
  }

  @Test("run slugs are markup-safe and unique")
  func slugs() {
    let runs = ReportRun.prepare(
      ["norm:1.0", "norm:1.0", "<>", "Ünïcode run", String(repeating: "a-", count: 40)].map {
        RunRecord(name: $0, settings: [], layerNames: [])
      })
    #expect(runs.map(\.slug)[0..<4] == ["norm-1-0", "norm-1-0-2", "run-3", "n-code-run"])
    #expect(runs[4].slug.count <= 48 && !runs[4].slug.hasSuffix("-"))
  }
}
