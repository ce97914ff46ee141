import Foundation

@testable import Experiments

/// Synthetic runs for the HTML report tests: deterministic, shaped like real training.
enum HTMLReportFixtures {
  /// A run of `steps` steps with a decaying loss, noisy gradient norms, optional threshold and
  /// `layers` per-layer norms; `loss` and `norm` override the values of single steps.
  static func run(
    _ name: String, steps: Int, threshold: Double? = nil, layers: Int = 3, evaluateEvery: Int = 100,
    loss: (Int) -> Double? = { _ in nil }, norm: (Int) -> Double? = { _ in nil }
  ) -> RunRecord {
    var rows: [StepMetrics] = []
    var evaluations: [Evaluation] = []
    for step in stride(from: 1, through: steps, by: 1) {
      let noise = 1 + 0.5 * sin(Double(step) * 12.9898)
      let stepLoss = loss(step) ?? 0.2 * exp(-Double(step) / Double(max(steps, 1))) * noise
      let stepNorm = norm(step) ?? 2 * noise
      let coefficient = threshold.map { min(1, $0 / stepNorm) } ?? 1
      rows.append(
        StepMetrics(
          step: step, loss: stepLoss, gradientNorm: stepNorm, threshold: threshold,
          coefficient: coefficient.isFinite ? coefficient : 0, clipped: coefficient < 1, skipped: false,
          learningRate: 0.01, layerNorms: (0..<layers).map { stepNorm / Double($0 + 2) }))
      if step % evaluateEvery == 0 {
        evaluations.append(Evaluation(step: step, loss: stepLoss * 1.1, accuracy: min(1, Double(step) / 1000)))
      }
    }
    let diverged = rows.last.map { !$0.loss.isFinite } ?? false
    return RunRecord(
      name: name,
      settings: [RunSetting("task", "adding"), RunSetting("clip", threshold.map { "norm:\($0)" } ?? "none")],
      layerNames: (0..<layers).map { "layer\($0).weight" }, steps: rows, evaluations: evaluations,
      outcome: diverged ? .diverged : .completed, seconds: Double(steps) * 0.01)
  }

  /// Three ordinary runs: unclipped, norm-clipped, and one with a varying threshold.
  static func ordinaryRuns(steps: Int = 300) -> [RunRecord] {
    var adaptive = run("autoclip", steps: steps, threshold: 1.5)
    for index in adaptive.steps.indices { adaptive.steps[index].threshold = 1 + Double(index % 7) / 10 }
    return [run("none", steps: steps), run("norm:1.0", steps: steps, threshold: 1), adaptive]
  }

  /// A fixed date, so that reports are reproducible.
  static let date = Date(timeIntervalSince1970: 1_750_000_000)
}
