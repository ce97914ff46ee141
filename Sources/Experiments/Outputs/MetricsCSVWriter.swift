/// Writes `metrics.csv`: one row per step and run.
///
/// Columns: `run`, `step`, `loss`, `gradient_norm`, `threshold` (empty without one),
/// `coefficient`, `clipped` and `skipped` (0 or 1), `learning_rate`, then one `norm:<parameter>`
/// column per parameter of the first run (every run of one invocation has the same model).
final class MetricsCSVWriter: RunObserver {
  private let file: TextFileWriter
  private var layerNames: [String]?

  /// Creates the file at `path` (which must not exist).
  init(path: String) throws(ExperimentError) { file = try TextFileWriter(creating: path) }

  func runWillStart(_ record: RunRecord) throws {
    guard layerNames == nil else { return }
    layerNames = record.layerNames
    let columns = [
      "run", "step", "loss", "gradient_norm", "threshold", "coefficient", "clipped", "skipped", "learning_rate",
    ]
    try file.append(
      line: (columns + record.layerNames.map { "norm:\($0)" }).map(MetricsFormat.csv).joined(separator: ","))
  }

  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    let fields = [
      MetricsFormat.csv(record.name), "\(step.step)", MetricsFormat.csv(step.loss),
      MetricsFormat.csv(step.gradientNorm),
      step.threshold.map(MetricsFormat.csv) ?? "", MetricsFormat.csv(step.coefficient), step.clipped ? "1" : "0",
      step.skipped ? "1" : "0", MetricsFormat.csv(step.learningRate),
    ]
    try file.append(line: (fields + step.layerNorms.map(MetricsFormat.csv)).joined(separator: ","))
  }

  func runDidFinish(_ record: RunRecord) throws { try file.flush() }

  /// Flushes and closes the file.
  func close() throws(ExperimentError) { try file.close() }
}
