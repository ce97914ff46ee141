import Foundation
import GradientClipping
import Training

// Saving and resuming a run: the model's parameters, the optimizer's state and the clipping
// method's state in one safetensors file, with the run's task, model, optimizer and clip spec in
// its metadata.
extension TrainingRun {
  /// Writes the parameters (named as the model's, `rnn.weight_hh_l0`, ...), the optimizer's
  /// state (`optimizer.step`, `optimizer.state.<parameter>.<slot>`) and a stateful clipping
  /// method's state (`clipper.state.<array>`, float64, its kind in the metadata) to a new
  /// safetensors file.
  ///
  /// - Throws: ``ExperimentError/outputExists(path:)`` if the file exists,
  ///   ``ExperimentError/unwritableOutput(path:reason:)`` otherwise.
  public func saveCheckpoint(to url: URL) throws(ExperimentError) {
    guard !FileManager.default.fileExists(atPath: url.path) else { throw .outputExists(path: url.path) }
    let clipperState = clipState
    let tensors =
      model.store.namedTensors() + optimizerState.namedTensors(parameterNames: model.parameterNames)
      + (clipperState.map(Self.tensors(of:)) ?? [])
    var metadata = checkpointMetadata
    if let clipperState {
      metadata[Self.clipperKindKey] = clipperState.kind
      metadata[Self.clipperSpecKey] = configuration.clip.text
    }
    do {
      try SafeTensorsFile.write(tensors, metadata: metadata, to: url)
    } catch {
      throw .unwritableOutput(path: url.path, reason: "\(error)")
    }
  }

  /// Loads parameters, optimizer state and clipper state saved by ``saveCheckpoint(to:)`` from a
  /// run of the same task, model, optimizer and clip spec; training goes on from the saved
  /// optimizer step (the learning-rate schedule continues, an adaptive clipper keeps its history),
  /// with fresh batches.
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
    let mismatches = model.store.checkpointMismatches(with: file, allowingExtraTensors: true)
    guard mismatches.isEmpty else {
      throw .invalidData(path: url.path, reason: mismatches.map { "\($0)" }.joined(separator: "; "))
    }
    do {
      let state = try OptimizerState<Float>(
        from: file, parameterNames: model.parameterNames, shapes: model.store.parameters.map(\.shape))
      // The clipper's state is restored (first: it is checked as it is restored) when the run
      // clips as the saved one did; another method starts afresh.
      if file.metadata[Self.clipperSpecKey] == configuration.clip.text,
        let clipperState = try Self.clipperState(in: file)
      {
        try restore(clipState: clipperState)
      }
      try model.store.load(from: file, allowingExtraTensors: true)
      restore(optimizerState: state)
    } catch {
      throw .invalidData(path: url.path, reason: "\(error)")
    }
  }

  private static let clipperKindKey = "clipper.kind"
  private static let clipperSpecKey = "clipper.spec"
  private static let clipperPrefix = "clipper.state."

  private static func tensors(of state: ClipperState) -> [NamedTensor] {
    state.names.map { name in
      let values = state[name] ?? []
      return NamedTensor(name: clipperPrefix + name, shape: [values.count], values: .float64(values))
    }
  }

  private static func clipperState(in file: SafeTensorsFile) throws -> ClipperState? {
    guard let kind = file.metadata[clipperKindKey] else { return nil }
    var arrays: [String: [Double]] = [:]
    for name in file.tensorNames where name.hasPrefix(clipperPrefix) {
      arrays[String(name.dropFirst(clipperPrefix.count))] = try file.tensor(named: name).scalars(as: Double.self)
    }
    return ClipperState(kind: kind, arrays: arrays)
  }

  private var checkpointMetadata: [String: String] {
    [
      "task": configuration.task, "model": configuration.model.rawValue, "hidden": "\(configuration.sizes.hidden)",
      "layers": "\(configuration.sizes.layers)", "optimizer": configuration.optimizer.name,
    ]
  }
}
