/// One point of a chart line: `x` is a step, `y` the value (NaN or infinite for a gap).
struct ChartPoint: Sendable, Hashable {
  /// The step.
  var x: Double
  /// The value; a non-finite value breaks the line.
  var y: Double
}

/// One line of a chart: its points, its label for the legend and tooltip, and how it is drawn.
///
/// ```swift
/// let loss = ChartSeries(label: "norm:1.0", colour: "#0072B2",
///                        points: [ChartPoint(x: 1, y: 0.9), ChartPoint(x: 2, y: 0.7)])
/// ```
struct ChartSeries: Sendable, Hashable {
  /// How a line is drawn; also its CSS class, so that tests and styles can find it.
  enum Role: String, Sendable, Hashable {
    /// A measured quantity: a solid line.
    case series
    /// A clipping threshold: a dashed line in the colour of its run.
    case threshold
  }

  /// The run or layer the line belongs to.
  var label: String
  /// The stroke colour, as `#RRGGBB`.
  var colour: String
  /// The points, in order of `x`.
  var points: [ChartPoint]
  /// How the line is drawn.
  var role: Role = .series
  /// Whether each point also gets a dot (for sparse series such as evaluations).
  var showsPoints = false
  /// The half-width, in points, of a centred moving average drawn as the solid line (0: none).
  var smoothing = 0
  /// With `smoothing`, whether the raw values are drawn too, as a faint line behind the average.
  var showsRaw = true
  /// The step from which values no longer set the y range (a run's divergence step), so that an
  /// exploding run does not flatten the others; later values run off the chart.
  var rangeEnd: Double?
}

/// A vertical line across a chart at one step, with a short label: where a run diverged.
///
/// ```swift
/// let marker = ChartMarker(step: 812, label: "diverged at 812", colour: "#D55E00")
/// ```
struct ChartMarker: Sendable, Hashable {
  /// The step to mark.
  var step: Int
  /// The text beside the line.
  var label: String
  /// The colour of the line and label.
  var colour: String
}
