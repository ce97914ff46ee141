/// Something that follows runs as they go: a progress display, a metrics file, a TensorBoard
/// writer. The run loop calls it in order: ``runWillStart(_:)``, then for each step
/// ``runDidFinishStep(_:of:)`` (and ``runDidEvaluate(_:of:)`` after each evaluation), then
/// ``runDidFinish(_:)``.
///
/// Throwing from any method stops the run with that error (a metrics file that cannot be
/// written is a failure, not something to skip silently).
public protocol RunObserver: AnyObject {
  /// A run is about to start; `record` has its name, settings and layer names, and no steps.
  func runWillStart(_ record: RunRecord) throws
  /// A step finished.
  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws
  /// The model was measured on the held-out set.
  func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws
  /// The run ended (completed, diverged or interrupted).
  func runDidFinish(_ record: RunRecord) throws
}

extension RunObserver {
  public func runWillStart(_ record: RunRecord) throws {}
  public func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {}
  public func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {}
  public func runDidFinish(_ record: RunRecord) throws {}
}
