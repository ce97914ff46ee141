/// The report's colours: one per run, the same in every table, legend and chart, and a sequential
/// scale for the layers of one run. Both are safe for the common forms of colour blindness.
///
/// ```swift
/// ReportPalette.run(0)                  // "#0072B2"
/// ReportPalette.layer(2, of: 3)         // a viridis colour
/// ```
enum ReportPalette {
  /// The Okabe–Ito colours (Okabe & Ito 2008) readable on white, most distinct first; black last.
  static let runs = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

  /// The colour of the run at `index` (cycling after seven runs).
  static func run(_ index: Int) -> String { runs[abs(index) % runs.count] }

  /// Anchor colours of the viridis scale from dark blue-purple to green, without its pale yellow
  /// end (too faint on white).
  private static let viridis: [(Double, Double, Double)] = [
    (68, 1, 84), (65, 68, 135), (42, 120, 142), (34, 168, 132), (122, 209, 81), (189, 223, 38),
  ]

  /// The colour of layer `index` of `count`, evenly spaced along the viridis scale.
  static func layer(_ index: Int, of count: Int) -> String {
    let share = count > 1 ? Double(min(max(index, 0), count - 1)) / Double(count - 1) : 0
    let scaled = share * Double(viridis.count - 1)
    let lower = min(Int(scaled), viridis.count - 2)
    let weight = scaled - Double(lower)
    let (from, to) = (viridis[lower], viridis[lower + 1])
    let channels = [(from.0, to.0), (from.1, to.1), (from.2, to.2)].map { pair in
      Int((pair.0 + (pair.1 - pair.0) * weight).rounded())
    }
    return "#" + channels.map { hex($0) }.joined()
  }

  private static func hex(_ value: Int) -> String {
    let digits = Array("0123456789ABCDEF")
    let clamped = min(255, max(0, value))
    return String([digits[clamped / 16], digits[clamped % 16]])
  }
}
