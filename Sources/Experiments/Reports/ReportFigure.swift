/// A chart with its caption (title and a muted hint) and an optional legend below, as a
/// `<figure>` element.
///
/// ```swift
/// let html = ReportFigure.render(chart, title: "Training loss", hint: "log scale")
/// ```
enum ReportFigure {
  /// The figure as HTML; `legend` is inserted after the chart as it is (already markup).
  static func render(_ chart: SVGLineChart, title: String, hint: String = "", legend: String = "") -> String {
    let hintText = hint.isEmpty ? "" : " <span class=\"hint\">\(HTMLEscaping.escape(hint))</span>"
    return "<figure><figcaption><h3>\(HTMLEscaping.escape(title))\(hintText)</h3></figcaption>"
      + chart.render() + legend + "</figure>"
  }
}
