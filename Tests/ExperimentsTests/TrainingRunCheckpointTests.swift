import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Training runs: checkpoints")
struct TrainingRunCheckpointTests {
  /// A trained Adam run (so the optimizer has state worth saving) and its checkpoint.
  private func savedRun(in folder: TemporaryFolder, steps: Int = 5) throws -> (TrainingRun, URL) {
    let run = try TrainingRun(try RunFixtures.regression(steps: steps, optimizer: "adam"))
    try run.train()
    let url = folder.file("run.safetensors")
    try run.saveCheckpoint(to: url)
    return (run, url)
  }

  @Test("save, then resume into a fresh run: the same parameters and optimizer state, step count included")
  func roundTrip() throws {
    let folder = try TemporaryFolder()
    let (trained, url) = try savedRun(in: folder)
    #expect(trained.optimizerState.stepCount == 5)
    let fresh = try TrainingRun(try RunFixtures.regression(steps: 5, optimizer: "adam"))
    #expect(RunFixtures.values(fresh.model) != RunFixtures.values(trained.model))
    try fresh.resume(from: url)
    #expect(RunFixtures.values(fresh.model) == RunFixtures.values(trained.model))
    #expect(fresh.optimizerState.stepCount == 5)
    #expect(fresh.optimizerState == trained.optimizerState)
    #expect(fresh.record.setting("resumed-at-optimizer-step") == "5")
  }

  @Test("the checkpoint is a safetensors file with the model's parameter names and the optimizer's step")
  func fileContents() throws {
    let folder = try TemporaryFolder()
    let (trained, url) = try savedRun(in: folder)
    let file = try SafeTensorsFile(contentsOf: url)
    for name in trained.model.parameterNames { #expect(file.tensorNames.contains(name), "\(name)") }
    #expect(file.tensorNames.contains("optimizer.step"))
    #expect(file.metadata["task"] == "regression")
    #expect(file.metadata["model"] == "mlp")
    #expect(file.metadata["optimizer"] == "adam")
  }

  @Test("a resumed run trains on: its optimizer counts on from the saved step, with fresh batches")
  func resumedRunTrainsOn() throws {
    let folder = try TemporaryFolder()
    let (trained, url) = try savedRun(in: folder)
    let resumed = try TrainingRun(try RunFixtures.regression(steps: 3, optimizer: "adam"))
    try resumed.resume(from: url)
    let record = try resumed.train()
    #expect(record.steps.count == 3)
    #expect(resumed.optimizerState.stepCount == 8)
    let first = try #require(record.evaluations.first)
    let trainedLast = try #require(trained.record.evaluations.last)
    #expect(first.loss == trainedLast.loss, "it starts where the saved run ended")
    let fresh = try TrainingRun(try RunFixtures.regression(steps: 3, optimizer: "adam"))
    let freshRecord = try fresh.train()
    #expect(record.steps[0].loss != freshRecord.steps[0].loss, "the resumed run does not replay the first batches")
  }

  @Test(
    "resuming a run of another model or optimizer is invalid data, and leaves the run as it was",
    arguments: ["hidden", "layers", "optimizer", "model", "task"])
  func mismatch(_ key: String) throws {
    let folder = try TemporaryFolder()
    let (_, url) = try savedRun(in: folder)
    var configuration = try RunFixtures.regression(steps: 5, optimizer: "adam")
    switch key {
    case "hidden": configuration.sizes.hidden = 16
    case "layers": configuration.sizes.layers = 2
    case "optimizer": configuration.optimizer.name = "sgd"
    case "model": configuration.model = .rnn
    default: configuration.task = "adding"
    }
    let other = try TrainingRun(configuration)
    let values = RunFixtures.values(other.model)
    let settings = other.record.settings
    do {
      try other.resume(from: url)
      Issue.record("a checkpoint of another \(key) was loaded")
    } catch {
      guard case .invalidData(let path, let reason) = error else {
        Issue.record("\(key): \(error)")
        return
      }
      #expect(path == url.path)
      #expect(reason.contains(key), "\(reason)")
    }
    #expect(RunFixtures.values(other.model) == values)
    #expect(other.optimizerState.stepCount == 0)
    #expect(other.record.settings == settings)
  }

  @Test("saving onto an existing file is refused and the file is kept")
  func noOverwrite() throws {
    let folder = try TemporaryFolder()
    let (trained, url) = try savedRun(in: folder)
    let before = try Data(contentsOf: url)
    try trained.train()
    #expect(throws: ExperimentError.outputExists(path: url.path)) { try trained.saveCheckpoint(to: url) }
    #expect(try Data(contentsOf: url) == before)
    let other = folder.file("text.txt")
    try Data("keep".utf8).write(to: other)
    #expect(throws: ExperimentError.outputExists(path: other.path)) { try trained.saveCheckpoint(to: other) }
    #expect(try String(contentsOf: other, encoding: .utf8) == "keep")
  }

  @Test("resuming from a missing file is unreadable, from a damaged one invalid data")
  func badFiles() throws {
    let folder = try TemporaryFolder()
    let run = try TrainingRun(try RunFixtures.regression(steps: 5, optimizer: "adam"))
    let values = RunFixtures.values(run.model)
    let missing = folder.file("missing.safetensors")
    #expect(throws: ExperimentError.unreadableFile(path: missing.path, reason: "no such file")) {
      try run.resume(from: missing)
    }
    let damaged = folder.file("damaged.safetensors")
    try Data("this is not a safetensors file".utf8).write(to: damaged)
    do {
      try run.resume(from: damaged)
      Issue.record("a damaged checkpoint was loaded")
    } catch {
      guard case .invalidData(let path, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path == damaged.path)
    }
    #expect(RunFixtures.values(run.model) == values)
  }

  @Test("saving into a missing folder is an unwritable output")
  func unwritable() throws {
    let folder = try TemporaryFolder()
    let run = try TrainingRun(try RunFixtures.regression(steps: 1))
    let url = folder.file("no/such/folder/run.safetensors")
    do {
      try run.saveCheckpoint(to: url)
      Issue.record("saved into a missing folder")
    } catch {
      guard case .unwritableOutput(let path, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path == url.path)
    }
  }
}

@Suite("Training runs: checkpoints of stateful clipping methods")
struct TrainingRunClipperCheckpointTests {
  private func configuration(clip: String) throws -> RunConfiguration {
    var configuration = try RunFixtures.regression(steps: 6)
    configuration.clip = try ClipSpec(parsing: clip)
    return configuration
  }

  @Test(
    "a stateful method's state is saved and restored with the run, so the resumed run clips as the saved one would",
    arguments: ["zclip:warmup=3", "autoclip:p=50,history=4", "adagc:warmup=2", "skip:z=3,warmup=2"])
  func stateRoundTrip(clip: String) throws {
    let folder = try TemporaryFolder()
    let trained = try TrainingRun(try configuration(clip: clip))
    try trained.train()
    let saved = try #require(trained.clipState)
    let url = folder.file("run.safetensors")
    try trained.saveCheckpoint(to: url)
    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata["clipper.kind"] == saved.kind && file.metadata["clipper.spec"] == clip)
    let resumed = try TrainingRun(try configuration(clip: clip))
    #expect(resumed.clipState != saved)
    try resumed.resume(from: url)
    #expect(resumed.clipState == saved)
  }

  @Test("resuming with another clip spec starts that method afresh; stateless methods save no clipper state")
  func otherSpec() throws {
    let folder = try TemporaryFolder()
    let trained = try TrainingRun(try configuration(clip: "zclip:warmup=3"))
    try trained.train()
    let url = folder.file("run.safetensors")
    try trained.saveCheckpoint(to: url)
    let other = try TrainingRun(try configuration(clip: "zclip:warmup=4"))
    let fresh = other.clipState
    try other.resume(from: url)
    #expect(other.clipState == fresh)
    let plain = try TrainingRun(try configuration(clip: "norm:1.0"))
    try plain.train()
    #expect(plain.clipState == nil)
    let plainURL = folder.file("plain.safetensors")
    try plain.saveCheckpoint(to: plainURL)
    let file = try SafeTensorsFile(contentsOf: plainURL)
    #expect(file.metadata["clipper.kind"] == nil && !file.tensorNames.contains { $0.hasPrefix("clipper.") })
  }
}
