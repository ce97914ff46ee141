import Foundation
import GradientClipping
import Training

/// One training run: a task, a freshly initialised model, an optimizer and a clipping method,
/// trained step by step while every step's figures are recorded.
///
/// Each step draws a batch, runs forward and backward, takes the global gradient norm that
/// backward measured, clips, and updates. With `norm` and `exact-norm` clipping the optimizer
/// applies the clipping coefficient inside its update (no pass over the gradients); every other
/// method clips the gradients first. A NaN or infinite loss ends the run as ``RunOutcome/diverged``;
/// a non-finite gradient with a finite loss skips the update and the run goes on.
///
/// The model's initial parameters come from the configuration's seed, and so does the stream of
/// training batches, from a generator of its own: runs that differ only in clipping see the same
/// initial model and the same data.
///
/// ```swift
/// let run = try TrainingRun(RunConfiguration(task: "adding", length: 50, model: .rnn, steps: 200))
/// let record = try run.train()
/// print(record.summary.accuracy ?? 0)
/// ```
public final class TrainingRun {
  /// The run's configuration.
  public let configuration: RunConfiguration
  /// The task.
  public let task: any LearningTask
  /// The model being trained.
  public let model: TaskModel
  /// What the run has recorded so far.
  public private(set) var record: RunRecord
  private var optimizer: any Optimizer<Float>
  private var clipMethod: ClipMethod
  private var data: SeededGenerator
  private let heldOut: TaskBatch

  /// A run ready to train: the task loaded, the model initialised, the clip spec and optimizer
  /// checked.
  ///
  /// - Throws: ``ExperimentError`` naming the setting, file or spec at fault.
  public init(_ configuration: RunConfiguration) throws(ExperimentError) {
    try configuration.validate()
    let task = try TaskCatalog.task(
      named: configuration.task, length: configuration.length, textPath: configuration.textPath)
    var initialization = SeededGenerator(seed: configuration.seed)
    model = try TaskModel(configuration.model, for: task, sizes: configuration.sizes, generator: &initialization)
    clipMethod = try ClipMethod(configuration.clip, parameterNames: model.parameterNames)
    optimizer = try configuration.optimizer.makeOptimizer()
    if let fused = clipMethod.fusibleClipper { optimizer.clipping = ClippingConfiguration([fused]) }
    data = SeededGenerator(seed: configuration.seed ^ 0x5DEE_CE66_D1CE_5EED)
    heldOut = task.heldOutSet()
    self.configuration = configuration
    self.task = task
    record = RunRecord(
      name: configuration.name,
      settings: configuration.settings + [RunSetting("parameters", "\(model.parameterCount)")],
      layerNames: model.parameterNames)
  }

  /// Trains for the configured number of steps (or until the loss diverges, or `shouldStop`
  /// answers true before a step), telling `observers` everything as it happens. The model is
  /// measured on the held-out set before the first step, every `evaluationInterval` steps, and
  /// where the run ended.
  ///
  /// - Returns: the finished record.
  /// - Throws: an observer's error, or ``ExperimentError`` if the clipper fails.
  @discardableResult
  public func train(observers: [any RunObserver] = [], shouldStop: () -> Bool = { false }) throws -> RunRecord {
    let started = ContinuousClock.now
    for observer in observers { try observer.runWillStart(record) }
    try evaluate(observers: observers)
    while record.steps.count < configuration.steps {
      if shouldStop() {
        record.outcome = .interrupted
        break
      }
      let metrics = try step()
      record.steps.append(metrics)
      for observer in observers { try observer.runDidFinishStep(metrics, of: record) }
      if !metrics.loss.isFinite {
        record.outcome = .diverged
        break
      }
      if metrics.step % configuration.evaluationInterval == 0 || metrics.step == configuration.steps {
        try evaluate(observers: observers)
      }
    }
    // A run that diverged or was stopped is measured where it ended, so that its final figures
    // are those of the model it left.
    if record.evaluations.last?.step != record.steps.count { try evaluate(observers: observers) }
    record.seconds = (ContinuousClock.now - started) / .seconds(1)
    for observer in observers { try observer.runDidFinish(record) }
    return record
  }

  /// One training step: batch, forward, backward, norm, clip, update.
  func step() throws(ExperimentError) -> StepMetrics {
    let store = model.store
    store.zeroGradients()
    let batch = task.batch(size: configuration.batchSize, generator: &data)
    let loss = task.output.loss(model(batch), batch.targets)
    let lossValue = Double(loss.scalar)
    loss.backward()
    let norm = store.gradientNorm()
    var metrics = StepMetrics(
      step: record.steps.count + 1, loss: lossValue, gradientNorm: norm.value, threshold: nil, coefficient: 1,
      clipped: false, skipped: true, learningRate: optimizer.currentLearningRate,
      layerNorms: store.parameterGradientNorms().map(\.value))
    guard lossValue.isFinite else { return metrics }
    let outcome = try update(norm: norm)
    (metrics.threshold, metrics.coefficient) = (outcome.threshold, outcome.coefficient)
    (metrics.clipped, metrics.skipped) = (outcome.clipped, outcome.skipped)
    return metrics
  }

  /// Clips (inside the update when the method allows) and updates the parameters.
  private func update(norm: GradientNorm) throws(ExperimentError) -> ClipOutcome {
    var values = model.store.values
    var gradients = model.store.gradients
    do {
      if clipMethod.fusibleClipper != nil {
        let report = try optimizer.step(values: &values, gradients: gradients, gradientNorm: norm)
        guard !report.skipped, let clip = report.clipping.first else {
          return ClipOutcome(threshold: nil, coefficient: 1, clipped: false, skipped: report.skipped)
        }
        return ClipMethod.outcome(clip, threshold: clip.threshold)
      }
      var outcome = try clipMethod.clip(&gradients, values: values, norm: norm)
      if !outcome.skipped { outcome.skipped = try optimizer.step(values: &values, gradients: &gradients).skipped }
      return outcome
    } catch let error as ExperimentError {
      throw error
    } catch {
      throw .invalidSetting(name: "optimizer", value: configuration.optimizer.name, requirement: "\(error)")
    }
  }

  /// The optimizer's step count and buffers (for checkpoints).
  var optimizerState: OptimizerState<Float> { optimizer.state }

  /// The clipping method's state, if it keeps one (for checkpoints).
  var clipState: ClipperState? { clipMethod.state }

  /// Puts back a saved clipping state.
  func restore(clipState state: ClipperState) throws(ExperimentError) { try clipMethod.restore(state) }

  /// Puts a saved optimizer state in place, and moves the data stream on so that a resumed run
  /// does not see the batches it saw before.
  func restore(optimizerState state: OptimizerState<Float>) {
    optimizer.state = state
    data = SeededGenerator(seed: configuration.seed ^ 0x5DEE_CE66_D1CE_5EED &+ UInt64(state.stepCount))
    record.settings.append(RunSetting("resumed-at-optimizer-step", "\(state.stepCount)"))
  }

  /// Measures the model on the held-out set and records it.
  private func evaluate(observers: [any RunObserver]) throws {
    let evaluation = GradientMode.withoutGradients {
      let predictions = model(heldOut)
      let loss = Double(task.output.loss(predictions, heldOut.targets).scalar)
      return Evaluation(
        step: record.steps.count, loss: loss, accuracy: task.output.accuracy(predictions.scalars, heldOut.targets))
    }
    record.evaluations.append(evaluation)
    for observer in observers { try observer.runDidEvaluate(evaluation, of: record) }
  }
}
