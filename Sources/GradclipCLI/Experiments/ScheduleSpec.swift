import Experiments
import Training

/// The `--schedule` spec: `constant`, `step:SIZE:GAMMA` or `cosine[:WARMUP]`.
enum ScheduleSpec {
  /// The schedule `text` names, peaking at `rate`, over a run of `steps` steps.
  ///
  /// - Throws: ``ExperimentError/invalidSetting(name:value:requirement:)`` for a malformed spec.
  static func parse(_ text: String, rate: Double, steps: Int) throws(ExperimentError) -> LearningRateSchedule {
    let parts = text.lowercased().split(separator: ":").map(String.init)
    let invalid = ExperimentError.invalidSetting(
      name: "schedule", value: text, requirement: "constant, step:SIZE:GAMMA or cosine[:WARMUP]")
    switch parts.first {
    case "constant" where parts.count == 1:
      return .constant(rate)
    case "step" where parts.count == 3:
      guard let size = Int(parts[1]), size >= 1, let gamma = Double(parts[2]), gamma >= 0 else { throw invalid }
      return .step(initial: rate, stepSize: size, gamma: gamma)
    case "cosine" where parts.count <= 2:
      let warmup = parts.count == 2 ? Int(parts[1]) : 0
      guard let warmup, warmup >= 0, warmup < steps else { throw invalid }
      return .warmupCosine(peak: rate, warmupSteps: warmup, totalSteps: steps)
    default:
      throw invalid
    }
  }
}
