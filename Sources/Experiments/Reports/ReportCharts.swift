/// Builds the report's charts from its runs: the overlaid comparison charts and each run's own.
///
/// Chart ids (also their `data-chart` attributes): `loss`, `held-out-loss`, `accuracy`,
/// `gradient-norm`, `coefficient`, `clipped-share`, and per run `loss-<slug>`, `gradient-norm-<slug>`,
/// `coefficient-<slug>`, `layer-norms-<slug>`.
///
/// ```swift
/// let charts = ReportCharts(runs: ReportRun.prepare(records))
/// let svg = charts.trainingLoss().render()
/// ```
struct ReportCharts: Sendable {
  /// The runs, in order.
  var runs: [ReportRun]

  /// Training loss of every run against step, on a log axis.
  func trainingLoss() -> SVGLineChart {
    SVGLineChart(
      id: "loss", yTitle: "training loss", yScale: .logarithmic,
      series: runs.map { lossSeries($0) }, markers: markers(named: true))
  }

  /// Held-out loss of every run at its evaluations, on a log axis.
  func heldOutLoss() -> SVGLineChart {
    SVGLineChart(
      id: "held-out-loss", yTitle: "held-out loss", yScale: .logarithmic,
      series: runs.map { evaluationSeries($0, value: \.loss) }, markers: markers(named: true),
      emptyMessage: "no evaluations recorded")
  }

  /// Held-out accuracy of every run at its evaluations, from 0 to 100%.
  func accuracy() -> SVGLineChart {
    SVGLineChart(
      id: "accuracy", yTitle: "held-out accuracy", yRange: 0...1, yLabels: .percent,
      series: runs.map { evaluationSeries($0, value: \.accuracy) }, markers: markers(named: true),
      emptyMessage: "no evaluations recorded")
  }

  /// The global gradient norm before clipping of every run, with its threshold dashed, on a log axis.
  func gradientNorm() -> SVGLineChart {
    SVGLineChart(
      id: "gradient-norm", yTitle: "gradient norm", yScale: .logarithmic,
      series: runs.map { normSeries($0) } + runs.compactMap { thresholdSeries($0) },
      markers: markers(named: true))
  }

  /// The clipping coefficient of every run (its moving average), from 0 to 1.
  func coefficient() -> SVGLineChart {
    let series = runs.map { run in
      var series = coefficientSeries(run)
      series.showsRaw = false
      return series
    }
    return SVGLineChart(
      id: "coefficient", yTitle: "clipping coefficient", yRange: 0...1, series: series,
      markers: markers(named: true))
  }

  /// The share of steps clipped of every run, as a moving average, from 0 to 100%.
  func clippedShare() -> SVGLineChart {
    let series = runs.map { run in
      var series = stepSeries(run) { $0.clipped ? 1 : 0 }
      series.smoothing = max(smoothing, 1)
      series.showsRaw = false
      return series
    }
    return SVGLineChart(
      id: "clipped-share", yTitle: "steps clipped", yRange: 0...1, yLabels: .percent, series: series,
      markers: markers(named: true))
  }

  /// The half-width of the moving averages, in steps: about 1/120 of the longest run, so that
  /// the average spans about 1/60 of it (0 below 120 steps).
  var smoothing: Int { (runs.map(\.record.steps.count).max() ?? 0) / 120 }

  /// The charts of one run: loss, gradient norm with threshold, coefficient, per-layer norms.
  func charts(of run: ReportRun) -> [SVGLineChart] {
    let marker = markers(for: run, named: false)
    return [
      SVGLineChart(
        id: "loss-\(run.slug)", yTitle: "training loss", yScale: .logarithmic,
        series: [lossSeries(run)], markers: marker),
      SVGLineChart(
        id: "gradient-norm-\(run.slug)", yTitle: "gradient norm", yScale: .logarithmic,
        series: [normSeries(run)] + [thresholdSeries(run)].compactMap { $0 }, markers: marker),
      SVGLineChart(
        id: "coefficient-\(run.slug)", yTitle: "clipping coefficient", yRange: 0...1,
        series: [coefficientSeries(run)], markers: marker),
      layerNorms(of: run, markers: marker),
    ]
  }

  /// The names of a run's layers: `layerNames`, completed with "layer N" where norms outnumber them.
  static func layerNames(of record: RunRecord) -> [String] {
    let count = max(record.layerNames.count, record.steps.map(\.layerNorms.count).max() ?? 0)
    return (0..<count).map { $0 < record.layerNames.count ? record.layerNames[$0] : "layer \($0 + 1)" }
  }

  private func layerNorms(of run: ReportRun, markers: [ChartMarker]) -> SVGLineChart {
    let names = Self.layerNames(of: run.record)
    let series = names.enumerated().map { index, name in
      ChartSeries(
        label: name, colour: ReportPalette.layer(index, of: names.count),
        points: run.record.steps.map { step in
          ChartPoint(x: Double(step.step), y: index < step.layerNorms.count ? step.layerNorms[index] : .nan)
        }, smoothing: smoothing, rangeEnd: rangeEnd(run))
    }
    return SVGLineChart(
      id: "layer-norms-\(run.slug)", yTitle: "layer gradient norm", yScale: .logarithmic,
      series: series, markers: markers,
      emptyMessage: run.record.steps.isEmpty ? "no steps recorded" : "no per-layer norms recorded")
  }

  private func lossSeries(_ run: ReportRun) -> ChartSeries {
    stepSeries(run) { $0.loss }
  }

  private func normSeries(_ run: ReportRun) -> ChartSeries {
    stepSeries(run) { $0.gradientNorm }
  }

  private func coefficientSeries(_ run: ReportRun) -> ChartSeries {
    stepSeries(run) { $0.coefficient }
  }

  private func thresholdSeries(_ run: ReportRun) -> ChartSeries? {
    guard run.record.steps.contains(where: { $0.threshold != nil }) else { return nil }
    var series = stepSeries(run) { $0.threshold ?? .nan }
    series.role = .threshold
    series.smoothing = 0
    return series
  }

  private func stepSeries(_ run: ReportRun, value: (StepMetrics) -> Double) -> ChartSeries {
    ChartSeries(
      label: run.record.name, colour: run.colour,
      points: run.record.steps.map { ChartPoint(x: Double($0.step), y: value($0)) }, smoothing: smoothing,
      rangeEnd: rangeEnd(run))
  }

  private func evaluationSeries(_ run: ReportRun, value: KeyPath<Evaluation, Double>) -> ChartSeries {
    let evaluations = run.record.evaluations
    return ChartSeries(
      label: run.record.name, colour: run.colour,
      points: evaluations.map { ChartPoint(x: Double($0.step), y: $0[keyPath: value]) },
      showsPoints: evaluations.count <= 60, rangeEnd: rangeEnd(run))
  }

  /// The step from which a run's values no longer set a chart's y range: its divergence step if
  /// it stopped there (so that its explosion does not flatten every other line), else none.
  private func rangeEnd(_ run: ReportRun) -> Double? {
    guard run.record.outcome == .diverged else { return nil }
    return run.summary.divergenceStep.map(Double.init)
  }

  /// Divergence markers of every run, labelled with the run's name when several runs share a chart.
  private func markers(named: Bool) -> [ChartMarker] {
    runs.flatMap { markers(for: $0, named: named && runs.count > 1) }
  }

  private func markers(for run: ReportRun, named: Bool) -> [ChartMarker] {
    guard let step = run.summary.divergenceStep, let label = run.divergenceLabel else { return [] }
    let name = run.record.name.count > 20 ? run.record.name.prefix(19) + "…" : Substring(run.record.name)
    return [ChartMarker(step: step, label: named ? "\(name): \(label)" : label, colour: run.colour)]
  }
}
