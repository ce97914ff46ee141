import Experiments

/// The machine-readable lines of `--json`: one JSON object per line, with an `event` field.
///
/// - `evaluation`: `run`, `step`, `loss`, `accuracy`, after each held-out evaluation;
/// - `run`: `run`, `outcome`, `steps`, `final_loss`, `best_loss`, `accuracy`, `divergence_step`,
///   `clipped_share`, `skipped_share`, `largest_gradient_norm`, `seconds`, when a run ends;
/// - `files`: `report`, `metrics_csv`, `metrics_jsonl`, `summary`, `threshold_advice`, `tensorboard`,
///   `interrupted`, last.
///
/// Non-finite numbers are the strings `"nan"`, `"inf"`, `"-inf"`; missing figures are `null`.
final class JSONLines: RunObserver {
  func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {
    print(
      Self.object([
        ("event", string("evaluation")), ("run", string(record.name)), ("step", "\(evaluation.step)"),
        ("loss", number(evaluation.loss)), ("accuracy", number(evaluation.accuracy)),
      ]))
  }

  func runDidFinish(_ record: RunRecord) throws {
    let summary = record.summary
    print(
      Self.object([
        ("event", string("run")), ("run", string(record.name)), ("outcome", string(record.outcome.rawValue)),
        ("steps", "\(summary.stepCount)"), ("final_loss", number(summary.finalLoss)),
        ("best_loss", number(summary.bestLoss)), ("accuracy", number(summary.accuracy)),
        ("divergence_step", summary.divergenceStep.map { "\($0)" } ?? "null"),
        ("clipped_share", number(summary.clippedShare)), ("skipped_share", number(summary.skippedShare)),
        ("largest_gradient_norm", number(summary.largestGradientNorm)), ("seconds", number(record.seconds)),
      ]))
  }

  /// The closing line naming the output files.
  static func files(_ files: ExperimentOutput.Files, interrupted: Bool) -> String {
    object([
      ("event", string("files")), ("report", string(files.report.path)), ("metrics_csv", string(files.csv.path)),
      ("metrics_jsonl", string(files.jsonLines.path)), ("summary", string(files.summary.path)),
      ("threshold_advice", string(files.advice.path)),
      ("tensorboard", string(files.tensorBoard.path)), ("interrupted", "\(interrupted)"),
    ])
  }

  private static func object(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }
}

private func string(_ text: String) -> String { MetricsFormat.json(text) }

private func number(_ value: Double?) -> String { value.map(MetricsFormat.json) ?? "null" }
