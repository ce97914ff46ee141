import Experiments

/// The timing of one reference model's training step, and what clipping costs within it.
struct TrainingBenchmarkResult: Sendable, Hashable {
  /// The reference's name of the model.
  let model: String
  /// The number of scalars over all parameters.
  let parameters: Int
  /// The threads the engine could use.
  let threads: Int
  /// The number of timed steps.
  let steps: Int
  /// The medians of the timed steps and their phases.
  let summary: TrainingStepSummary
  /// The loss of the first warm-up step.
  let firstLoss: Double
  /// The loss of the last timed step.
  let lastLoss: Double
  /// The cost of clipping.
  let clipping: ClippingCost

  /// `part` as a share of the median step, in percent.
  func percent(_ part: Double) -> Double { summary.median > 0 ? 100 * part / summary.median : 0 }

  /// One JSON object on one line: `model`, `median_ms`, `parameters`, `threads` as the
  /// reference prints them, then `min_ms`, `steps`, the phases (`forward_ms`, `backward_ms`,
  /// `norm_ms`, `update_ms`), the losses, the cost of clipping (`clip_*`; shares in percent of
  /// the median step) and the gradient norm of the last step.
  var jsonLine: String {
    let number = { (value: Double) in "\(ClipBenchmarkResult.rounded(value))" }
    let fields: [(String, String)] = [
      ("model", MetricsFormat.json(model)), ("median_ms", number(summary.median)),
      ("parameters", "\(parameters)"), ("threads", "\(threads)"), ("min_ms", number(summary.minimum)),
      ("steps", "\(steps)"), ("forward_ms", number(summary.forward)), ("backward_ms", number(summary.backward)),
      ("norm_ms", number(summary.norm)), ("update_ms", number(summary.update)),
      ("first_loss", "\(Float(firstLoss))"), ("last_loss", "\(Float(lastLoss))"),
      ("clip_fused_ms", number(clipping.fusedMilliseconds)),
      ("clip_fused_percent", number(percent(clipping.fusedMilliseconds))),
      ("clip_coefficient_ms", number(clipping.coefficientMilliseconds)),
      ("clip_measure_ms", number(clipping.measureMilliseconds)),
      ("clip_measure_method", MetricsFormat.json(clipping.measureMethod)),
      ("clip_measure_paired_ms", number(clipping.pairedMeasureMilliseconds)),
      ("clip_measure_paired_error_ms", number(clipping.pairedMeasureErrorMilliseconds)),
      ("clip_measure_read_pass_ms", number(clipping.readPassMilliseconds)),
      ("clip_fused_with_measure_percent", number(percent(clipping.fusedWithMeasureMilliseconds))),
      ("clip_unfused_ms", number(clipping.unfusedMilliseconds)),
      ("clip_unfused_percent", number(percent(clipping.unfusedMilliseconds))),
      ("gradient_norm", "\(Float(clipping.norm))"),
    ]
    return "{" + fields.map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
  }
}
