/// How a run ended.
public enum RunOutcome: String, Sendable, Hashable, Codable {
  /// Every step ran.
  case completed
  /// The loss became NaN or infinite: the parameters are no longer usable, so the run stopped.
  /// A run whose loss merely rose above ten times its start is still `completed` (or stopped
  /// otherwise); ``RunSummary/divergenceStep`` records both kinds of divergence.
  case diverged
  /// The user interrupted the run (Ctrl-C); the steps so far are recorded.
  case interrupted
}
