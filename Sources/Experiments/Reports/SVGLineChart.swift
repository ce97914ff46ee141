/// A line chart drawn as inline SVG: steps along x, one line per ``ChartSeries``, gridlines, tick
/// labels, axis titles, dashed threshold lines and vertical ``ChartMarker`` lines.
///
/// Non-finite values break the line; on a logarithmic axis values at or below zero sit on the
/// bottom edge; long series are thinned by ``SeriesDecimation`` after mapping onto the axis, so
/// spikes survive; a chart without a finite value shows `emptyMessage` instead of lines.
///
/// ```swift
/// let chart = SVGLineChart(id: "loss", yTitle: "loss", yScale: .logarithmic, series: [loss])
/// let svg = chart.render()   // "<svg id=\"loss\" data-chart=\"loss\" ..."
/// ```
struct SVGLineChart: Sendable {
  /// The chart's `id` and `data-chart` attribute (unique in the page).
  var id: String
  /// The x axis title.
  var xTitle = "step"
  /// The y axis title.
  var yTitle: String
  /// How values map onto the y axis.
  var yScale: ChartAxis.Scale = .linear
  /// A fixed y range for a linear axis (for example 0...1 for coefficients), instead of the data's.
  var yRange: ClosedRange<Double>?
  /// How y tick labels are written.
  var yLabels: ChartAxis.LabelStyle = .compact
  /// The lines, drawn in order (thresholds above the measured series).
  var series: [ChartSeries]
  /// Vertical lines to draw, such as divergence steps.
  var markers: [ChartMarker] = []
  /// The text shown when there is nothing to draw.
  var emptyMessage = "no steps recorded"

  /// The chart's width in SVG user units (it scales to the width of its container).
  static let width = 600.0
  /// The chart's height in SVG user units.
  static let height = 250.0
  /// The plot area inside the axes.
  static let plot = (left: 54.0, top: 12.0, right: 590.0, bottom: 212.0)

  /// The chart as an `<svg>` element.
  func render() -> String {
    let id = HTMLEscaping.escape(id)
    let header =
      "<svg id=\"\(id)\" data-chart=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\""
      + " role=\"img\" aria-label=\"\(HTMLEscaping.escape(yTitle)) by \(HTMLEscaping.escape(xTitle))\">"
    let plotRect = SVGFormat.rect(Self.plot)
    guard hasFiniteValues else {
      let text =
        "<text class=\"empty\" x=\"\(SVGFormat.number(Self.width / 2))\" y=\"\(SVGFormat.number(Self.height / 2))\">"
        + "\(HTMLEscaping.escape(emptyMessage))</text>"
      return header + plotRect + text + "</svg>"
    }
    let frame = ChartFrame(chart: self)
    var parts = [header, plotRect, frame.gridlines(), frame.axisLabels(xTitle: xTitle, yTitle: yTitle)]
    let ordered = series.filter { $0.role == .series } + series.filter { $0.role == .threshold }
    let inflated = (Self.plot.left - 3, Self.plot.top - 3, Self.plot.right + 3, Self.plot.bottom + 3)
    parts.append("<defs><clipPath id=\"clip-\(id)\">\(SVGFormat.rect(inflated))</clipPath></defs>")
    parts.append("<g class=\"lines\" clip-path=\"url(#clip-\(id))\">")
    parts += ordered.map(frame.rawLine(for:)) + ordered.map(frame.line(for:))
    parts.append("</g>")
    parts += markers.enumerated().map { frame.marker($1, row: $0) }
    parts.append("</svg>")
    return parts.joined()
  }

  /// Whether any series has a value to draw (on a log axis, values at or below zero are drawn too).
  private var hasFiniteValues: Bool {
    series.contains { line in line.points.contains { $0.y.isFinite } }
  }
}
