/// The axes of one ``SVGLineChart`` and the drawing of its parts in SVG user units.
///
/// ```swift
/// let frame = ChartFrame(chart: chart)
/// let svg = frame.gridlines() + frame.line(for: chart.series[0])
/// ```
struct ChartFrame: Sendable {
  /// The step axis.
  var x: ChartAxis
  /// The value axis.
  var y: ChartAxis

  private static let plot = SVGLineChart.plot

  /// The axes that fit every series and marker of `chart`.
  init(chart: SVGLineChart) {
    let steps = chart.series.flatMap { $0.points.map(\.x) } + chart.markers.map { Double($0.step) }
    x = .linear(values: steps + [0], rounded: false, integers: true)
    let values = Self.rangeValues(chart.series)
    switch chart.yScale {
    case .linear: y = .linear(values: values, fixed: chart.yRange, style: chart.yLabels)
    case .logarithmic: y = .logarithmic(values: values)
    }
  }

  /// The values that set the y range: those before each series' `rangeEnd`, or all values if
  /// that leaves none that is finite.
  private static func rangeValues(_ series: [ChartSeries]) -> [Double] {
    let limited = series.flatMap { line in
      line.points.filter { point in line.rangeEnd.map { point.x < $0 } ?? true }.map(\.y)
    }
    return limited.contains(where: \.isFinite) ? limited : series.flatMap { $0.points.map(\.y) }
  }

  /// The horizontal x coordinate of a step.
  func horizontal(_ step: Double) -> Double {
    Self.plot.left + (x.fraction(of: step) ?? 0) * (Self.plot.right - Self.plot.left)
  }

  /// The vertical coordinate of a y position in axis units.
  func vertical(atPosition position: Double) -> Double {
    Self.plot.bottom - y.fraction(atPosition: position) * (Self.plot.bottom - Self.plot.top)
  }

  /// The minor and major gridlines, each set as one path.
  func gridlines() -> String {
    let minor = y.minorTicks.map {
      "M\(SVGFormat.number(Self.plot.left)) \(SVGFormat.number(vertical(atPosition: $0)))"
    }
    let major =
      y.ticks.map { "M\(SVGFormat.number(Self.plot.left)) \(SVGFormat.number(vertical(atPosition: $0.position)))" }
    let width = "H\(SVGFormat.number(Self.plot.right))"
    let columns = x.ticks.map { "M\(SVGFormat.number(horizontal($0.position))) \(SVGFormat.number(Self.plot.top))" }
    let height = "V\(SVGFormat.number(Self.plot.bottom))"
    var svg = ""
    if !minor.isEmpty { svg += "<path class=\"grid minor\" d=\"\(minor.map { $0 + width }.joined())\"/>" }
    svg += "<path class=\"grid\" d=\"\(major.map { $0 + width }.joined() + columns.map { $0 + height }.joined())\"/>"
    return svg
  }

  /// The tick labels and the axis titles.
  func axisLabels(xTitle: String, yTitle: String) -> String {
    let left = SVGFormat.number(Self.plot.left - 6)
    let yLabels = y.ticks.map { tick in
      "<text x=\"\(left)\" y=\"\(SVGFormat.number(vertical(atPosition: tick.position) + 3.5))\">"
        + "\(HTMLEscaping.escape(tick.label))</text>"
    }
    let below = SVGFormat.number(Self.plot.bottom + 15)
    let xLabels = x.ticks.map { tick in
      "<text x=\"\(SVGFormat.number(horizontal(tick.position)))\" y=\"\(below)\">\(HTMLEscaping.escape(tick.label))</text>"
    }
    let middleX = SVGFormat.number((Self.plot.left + Self.plot.right) / 2)
    let middleY = SVGFormat.number((Self.plot.top + Self.plot.bottom) / 2)
    return "<g class=\"ticks y\">\(yLabels.joined())</g><g class=\"ticks x\">\(xLabels.joined())</g>"
      + "<text class=\"axis-title\" x=\"\(middleX)\" y=\"\(SVGFormat.number(SVGLineChart.height - 4))\">"
      + "\(HTMLEscaping.escape(xTitle))</text>"
      + "<text class=\"axis-title\" transform=\"translate(12 \(middleY)) rotate(-90)\">"
      + "\(HTMLEscaping.escape(yTitle))</text>"
  }

  /// The faint line of a smoothed series' raw values (empty if it has none to draw).
  func rawLine(for series: ChartSeries) -> String {
    guard series.smoothing > 0, series.showsRaw else { return "" }
    let data = ChartPath.data(segments(series.points, positions(series)))
    return "<path class=\"raw\" data-run=\"\(HTMLEscaping.escape(series.label))\""
      + " stroke=\"\(HTMLEscaping.escape(series.colour))\" d=\"\(data)\"/>"
  }

  /// One series as a path (gaps where values are not finite; the moving average if it is
  /// smoothed), with a tooltip and dots for isolated points or sparse series.
  func line(for series: ChartSeries) -> String {
    let colour = HTMLEscaping.escape(series.colour)
    let drawn = SeriesSmoothing.movingAverage(positions(series), halfWidth: series.smoothing)
    let segments = segments(series.points, drawn)
    var svg =
      "<path class=\"\(series.role.rawValue)\" data-run=\"\(HTMLEscaping.escape(series.label))\""
      + " stroke=\"\(colour)\" d=\"\(ChartPath.data(segments))\"><title>\(tooltip(for: series))</title></path>"
    let dots = series.showsPoints ? segments.flatMap { $0 } : segments.filter { $0.count == 1 }.flatMap { $0 }
    if !dots.isEmpty {
      let circles = dots.map { "<circle cx=\"\(SVGFormat.number($0.0))\" cy=\"\(SVGFormat.number($0.1))\" r=\"2.5\"/>" }
      svg += "<g class=\"points\" fill=\"\(colour)\">\(circles.joined())</g>"
    }
    return svg
  }

  /// The series' values in axis units (NaN where not finite).
  private func positions(_ series: ChartSeries) -> [Double] {
    series.points.map { y.position(of: $0.y) ?? .nan }
  }

  /// The drawable runs of a series: its steps with `positions` (axis units), thinned and mapped
  /// to SVG coordinates; positions outside the y range lie outside the plot (which clips them).
  private func segments(_ points: [ChartPoint], _ positions: [Double]) -> [[ChartPath.Point]] {
    let thin = SeriesDecimation.decimate(zip(points, positions).map { ChartPoint(x: $0.x, y: $1) })
    let height = Self.plot.bottom - Self.plot.top
    return ChartPath.segments(
      thin.map { point in
        guard point.y.isFinite else { return nil }
        return (horizontal(point.x), Self.plot.bottom - y.overflowingFraction(atPosition: point.y) * height)
      })
  }

  /// A vertical line at the marker's step with its label; `row` staggers labels of several markers.
  func marker(_ marker: ChartMarker, row: Int) -> String {
    let position = horizontal(Double(marker.step))
    let labelY = Self.plot.top + 11 + Double(row % 4) * 13
    let onLeft = position > Self.plot.left + (Self.plot.right - Self.plot.left) * 0.7
    let labelX = onLeft ? position - 4 : position + 4
    let anchor = onLeft ? " text-anchor=\"end\"" : ""
    let colour = HTMLEscaping.escape(marker.colour)
    return "<g class=\"marker\" data-step=\"\(marker.step)\" stroke=\"\(colour)\" fill=\"\(colour)\">"
      + "<line x1=\"\(SVGFormat.number(position))\" y1=\"\(SVGFormat.number(Self.plot.top))\""
      + " x2=\"\(SVGFormat.number(position))\" y2=\"\(SVGFormat.number(Self.plot.bottom))\"/>"
      + "<text x=\"\(SVGFormat.number(labelX))\" y=\"\(SVGFormat.number(labelY))\"\(anchor)>"
      + "\(HTMLEscaping.escape(marker.label))</text></g>"
  }

  /// The tooltip of a line: its label, last, lowest and highest finite values.
  private func tooltip(for series: ChartSeries) -> String {
    let finite = series.points.map(\.y).filter(\.isFinite)
    let name = series.role == .threshold ? "\(series.label) threshold" : series.label
    guard let last = finite.last, let low = finite.min(), let high = finite.max() else {
      return HTMLEscaping.escape("\(name): no finite values")
    }
    let text =
      "\(name): last \(ReportNumberFormat.compact(last, digits: 4)), "
      + "min \(ReportNumberFormat.compact(low, digits: 4)), max \(ReportNumberFormat.compact(high, digits: 4))"
    return HTMLEscaping.escape(text)
  }
}
