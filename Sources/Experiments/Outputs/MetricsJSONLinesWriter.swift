/// Writes `metrics.jsonl`: one JSON object per step and run, with the fields of
/// ``StepMetrics`` (`run`, `step`, `loss`, `gradient_norm`, `threshold` (null without one),
/// `coefficient`, `clipped`, `skipped`, `learning_rate`) and `layer_norms`, an object from
/// parameter name to norm. Non-finite numbers are the strings `"nan"`, `"inf"`, `"-inf"`.
final class MetricsJSONLinesWriter: RunObserver {
  private let file: TextFileWriter

  /// Creates the file at `path` (which must not exist).
  init(path: String) throws(ExperimentError) { file = try TextFileWriter(creating: path) }

  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    try file.append(line: Self.line(step, run: record.name, layerNames: record.layerNames))
  }

  func runDidFinish(_ record: RunRecord) throws { try file.flush() }

  /// Flushes and closes the file.
  func close() throws(ExperimentError) { try file.close() }

  /// The JSON object of one step.
  static func line(_ step: StepMetrics, run: String, layerNames: [String]) -> String {
    let layers = zip(layerNames, step.layerNorms).map { "\(MetricsFormat.json($0)):\(MetricsFormat.json($1))" }
    let fields = [
      "\"run\":\(MetricsFormat.json(run))", "\"step\":\(step.step)", "\"loss\":\(MetricsFormat.json(step.loss))",
      "\"gradient_norm\":\(MetricsFormat.json(step.gradientNorm))",
      "\"threshold\":\(step.threshold.map(MetricsFormat.json) ?? "null")",
      "\"coefficient\":\(MetricsFormat.json(step.coefficient))", "\"clipped\":\(step.clipped)",
      "\"skipped\":\(step.skipped)", "\"learning_rate\":\(MetricsFormat.json(step.learningRate))",
      "\"layer_norms\":{\(layers.joined(separator: ","))}",
    ]
    return "{" + fields.joined(separator: ",") + "}"
  }
}
