import Foundation

/// Writes each run's metrics as TensorBoard event files, one run directory each under a log
/// directory (open it with `tensorboard --logdir DIR`).
///
/// Scalars per step: `train/loss`, `gradient/norm` (before clipping), `gradient/threshold` (when
/// the method has one), `clip/coefficient`, `clip/clipped` and `clip/skipped` (0 or 1),
/// `optimizer/learning_rate`, and `layer_norm/<parameter>` per parameter; per evaluation:
/// `eval/loss` and `eval/accuracy`. Histogram per step: `gradient/layer_norms`, the distribution of
/// the per-parameter gradient norms (left out on a step where one is not finite, which TensorBoard's
/// histograms cannot hold).
final class TensorBoardRunLogger: RunObserver {
  /// The log directory.
  let directory: URL
  private var writer: TensorBoardWriter?
  private var usedNames: Set<String> = []

  /// A logger whose run directories go under `directory`.
  init(directory: URL) { self.directory = directory }

  /// The run directory of `record`'s run: its name made safe for a file system, unique in this
  /// log directory.
  func runDirectoryName(for name: String) -> String {
    let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "=" ? $0 : "-" })
    var candidate = safe.isEmpty ? "run" : safe
    var suffix = 2
    while usedNames.contains(candidate) {
      candidate = "\(safe)-\(suffix)"
      suffix += 1
    }
    usedNames.insert(candidate)
    return candidate
  }

  func runWillStart(_ record: RunRecord) throws {
    let runDirectory = directory.appendingPathComponent(runDirectoryName(for: record.name), isDirectory: true)
    writer = try TensorBoardWriter(runDirectory: runDirectory, flushInterval: .seconds(10))
  }

  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    guard let writer else { return }
    var scalars = [
      TensorBoardScalar(tag: "train/loss", value: Float(step.loss)),
      TensorBoardScalar(tag: "gradient/norm", value: Float(step.gradientNorm)),
      TensorBoardScalar(tag: "clip/coefficient", value: Float(step.coefficient)),
      TensorBoardScalar(tag: "clip/clipped", value: step.clipped ? 1 : 0),
      TensorBoardScalar(tag: "clip/skipped", value: step.skipped ? 1 : 0),
      TensorBoardScalar(tag: "optimizer/learning_rate", value: Float(step.learningRate)),
    ]
    if let threshold = step.threshold {
      scalars.append(TensorBoardScalar(tag: "gradient/threshold", value: Float(threshold)))
    }
    scalars += zip(record.layerNames, step.layerNorms).map {
      TensorBoardScalar(tag: "layer_norm/\($0)", value: Float($1))
    }
    try writer.addScalars(scalars, step: step.step)
    if step.layerNorms.allSatisfy(\.isFinite) {
      try writer.addHistogram(tag: "gradient/layer_norms", values: step.layerNorms, step: step.step)
    }
  }

  func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {
    try writer?.addScalars(
      [
        TensorBoardScalar(tag: "eval/loss", value: Float(evaluation.loss)),
        TensorBoardScalar(tag: "eval/accuracy", value: Float(evaluation.accuracy)),
      ], step: evaluation.step)
  }

  func runDidFinish(_ record: RunRecord) throws {
    try writer?.close()
    writer = nil
  }

  /// Closes the current run's file, if a run is open.
  func close() throws {
    try writer?.close()
    writer = nil
  }
}
