/// Everything one training run recorded: its settings, one ``StepMetrics`` row per step, the
/// held-out evaluations, and how it ended. Reports and summaries are drawn from it.
///
/// ```swift
/// let record = try run.train()
/// print(record.summary.finalLoss, record.summary.clippedShare)
/// ```
public struct RunRecord: Sendable, Hashable, Codable {
  /// The run's label in tables and legends (its clip spec, by default).
  public var name: String
  /// The settings that define the run, in the order to show them.
  public var settings: [RunSetting]
  /// The parameter names, in the order of ``StepMetrics/layerNorms``.
  public var layerNames: [String]
  /// One row per step, in order.
  public var steps: [StepMetrics]
  /// The held-out evaluations, in order of step.
  public var evaluations: [Evaluation]
  /// How the run ended.
  public var outcome: RunOutcome
  /// The wall-clock seconds the run took.
  public var seconds: Double

  /// Creates a record.
  public init(
    name: String, settings: [RunSetting], layerNames: [String], steps: [StepMetrics] = [],
    evaluations: [Evaluation] = [], outcome: RunOutcome = .completed, seconds: Double = 0
  ) {
    self.name = name
    self.settings = settings
    self.layerNames = layerNames
    self.steps = steps
    self.evaluations = evaluations
    self.outcome = outcome
    self.seconds = seconds
  }

  /// The value of the setting `name`, if the run has it.
  public func setting(_ name: String) -> String? { settings.first { $0.name == name }?.value }

  /// The figures of the run's summary table.
  public var summary: RunSummary { RunSummary(self) }
}
