import Experiments
import Foundation

/// `--save` and `--resume` of `gradclip train`.
struct RunCheckpoint {
  /// Where to save the trained parameters and optimizer state, if anywhere.
  var save: String?
  /// Where to load them from before training, if anywhere.
  var resume: String?

  /// Checks before training that the run can be saved: the file must not exist.
  func check() throws(ExperimentError) {
    if let save, FileManager.default.fileExists(atPath: save) { throw .outputExists(path: save) }
  }

  /// Loads `--resume` into `run`.
  func restore(_ run: TrainingRun) throws {
    try check()
    if let resume { try run.resume(from: URL(fileURLWithPath: resume)) }
  }

  /// Saves `run` to `--save`.
  func store(_ run: TrainingRun) throws {
    if let save { try run.saveCheckpoint(to: URL(fileURLWithPath: save)) }
  }
}
