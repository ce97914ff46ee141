import Foundation
import GradientClipping
import Training

// Saving and resuming a run: the model's parameters and the optimizer's state in one safetensors
// file, with the run's task, model and optimizer in its metadata.
extension TrainingRun {
  /// Writes the parameters (named as the model's, `rnn.weight_hh_l0`, ...) and the optimizer's
  /// state (`optimizer.step`, `optimizer.state.<parameter>.<slot>`) to a new safetensors file.
  ///
  /// - Throws: ``ExperimentError/outputExists(path:)`` if the file exists,
  ///   ``ExperimentError/unwritableOutput(path:reason:)`` otherwise.
  public func saveCheckpoint(to url: URL) throws(ExperimentError) {
    guard !FileManager.default.fileExists(atPath: url.path) else { throw .outputExists(path: url.path) }
    let tensors = model.store.namedTensors() + optimizerState.namedTensors(parameterNames: model.parameterNames)
    do {
      try SafeTensorsFile.write(tensors, metadata: checkpointMetadata, to: url)
    } catch {
      throw .unwritableOutput(path: url.path, reason: "\(error)")
    }
  }

  /// Loads parameters and optimizer state saved by ``saveCheckpoint(to:)`` from a run of the same
  /// task, model and optimizer; training goes on from the saved optimizer step (the learning-rate
  /// schedule continues), with fresh batches.
  ///
  /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` or
  ///   ``ExperimentError/invalidData(path:reason:)`` naming what does not match; nothing changes
  ///   then.
  public func resume(from url: URL) throws(ExperimentError) {
    let file: SafeTensorsFile
    do {
      file = try SafeTensorsFile(contentsOf: url)
    } catch {
      throw FileManager.default.fileExists(atPath: url.path)
        ? .invalidData(path: url.path, reason: "\(error)") : .unreadableFile(path: url.path, reason: "no such file")
    }
    for (key, value) in checkpointMetadata where key != "steps" && file.metadata[key] != value {
      throw .invalidData(
        path: url.path, reason: "saved with \(key) '\(file.metadata[key] ?? "?")', this run has '\(value)'")
    }
    do {
      let state = try OptimizerState<Float>(
        from: file, parameterNames: model.parameterNames, shapes: model.store.parameters.map(\.shape))
      try model.store.load(from: file, allowingExtraTensors: true)
      restore(optimizerState: state)
    } catch {
      throw .invalidData(path: url.path, reason: "\(error)")
    }
  }

  private var checkpointMetadata: [String: String] {
    [
      "task": configuration.task, "model": configuration.model.rawValue, "hidden": "\(configuration.sizes.hidden)",
      "layers": "\(configuration.sizes.layers)", "optimizer": configuration.optimizer.name,
    ]
  }
}
