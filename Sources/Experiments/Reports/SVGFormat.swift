/// Small helpers for writing SVG: coordinates and common elements.
///
/// ```swift
/// SVGFormat.number(12.25)   // "12.3"
/// SVGFormat.number(4)       // "4"
/// ```
enum SVGFormat {
  /// `value` rounded to one decimal, without a trailing `.0` (deterministic, locale-independent).
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let whole = abs(tenths) / 10
    let fraction = abs(tenths) % 10
    return fraction == 0 ? (tenths == 0 ? "0" : "\(sign)\(whole)") : "\(sign)\(whole).\(fraction)"
  }

  /// A `<rect class="plot">` covering the plot area.
  static func rect(_ area: (left: Double, top: Double, right: Double, bottom: Double)) -> String {
    "<rect class=\"plot\" x=\"\(number(area.left))\" y=\"\(number(area.top))\""
      + " width=\"\(number(area.right - area.left))\" height=\"\(number(area.bottom - area.top))\"/>"
  }
}
