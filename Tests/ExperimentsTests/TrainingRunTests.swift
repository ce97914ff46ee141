import Foundation
import Testing
import Training

@testable import Experiments

@Suite("Training runs: recording and reproducibility")
struct TrainingRunTests {
  @Test("a tiny regression run trains: the loss falls, on training batches and on the held-out set")
  func trains() throws {
    let record = try TrainingRun(try RunFixtures.regression(steps: 20)).train()
    #expect(record.outcome == .completed)
    let losses = record.steps.map(\.loss)
    let early = losses.prefix(5).reduce(0, +) / 5
    let late = losses.suffix(5).reduce(0, +) / 5
    #expect(late < early / 2, "training loss \(early) -> \(late)")
    let first = try #require(record.evaluations.first)
    let last = try #require(record.evaluations.last)
    #expect(last.loss < first.loss / 2, "held-out loss \(first.loss) -> \(last.loss)")
    #expect(last.accuracy >= first.accuracy)
    #expect(record.summary.divergenceStep == nil)
    #expect(record.seconds > 0)
  }

  @Test("one row per step, numbered from 1, with one norm per parameter whose 2-norm is the global norm")
  func oneRowPerStep() throws {
    let run = try TrainingRun(try RunFixtures.regression(steps: 20))
    let record = try run.train()
    #expect(record.steps.map(\.step) == Array(1...20))
    #expect(record.layerNames == run.model.parameterNames)
    #expect(record.layerNames == ["fc0.weight", "fc0.bias", "head.weight", "head.bias"])
    for row in record.steps {
      #expect(row.layerNorms.count == 4)
      #expect(row.layerNorms.allSatisfy { $0.isFinite && $0 >= 0 })
      let combined = row.layerNorms.reduce(0) { $0 + $1 * $1 }.squareRoot()
      #expect(isClose(row.gradientNorm, combined, relative: 1e-6), "step \(row.step)")
      #expect(row.threshold == nil && row.coefficient == 1 && !row.clipped && !row.skipped)
      #expect(row.learningRate == 0.05)
    }
    #expect(record == run.record, "train() returns the run's record")
  }

  @Test("evaluations at step 0, every interval, and at the end", arguments: [(20, 5), (20, 7), (20, 20), (3, 100)])
  func evaluationSteps(steps: Int, interval: Int) throws {
    let record = try TrainingRun(try RunFixtures.regression(steps: steps, evaluationInterval: interval)).train()
    var expected = [0] + Array(stride(from: interval, through: steps, by: interval))
    if expected.last != steps { expected.append(steps) }
    #expect(record.evaluations.map(\.step) == expected)
    #expect(record.evaluations.allSatisfy { $0.loss.isFinite && (0...1).contains($0.accuracy) })
  }

  @Test("the record's settings say what the run was")
  func settings() throws {
    let configuration = try RunFixtures.regression(clip: "norm:0.5", steps: 3)
    let run = try TrainingRun(configuration)
    let record = run.record
    #expect(record.name == "norm:0.5")
    #expect(record.setting("task") == "regression")
    #expect(record.setting("model") == "mlp")
    #expect(record.setting("hidden") == "8")
    #expect(record.setting("optimizer") == "sgd")
    #expect(record.setting("clip") == "norm:0.5")
    #expect(record.setting("steps") == "3")
    #expect(record.setting("batch") == "16")
    #expect(record.setting("seed") == "1")
    #expect(record.setting("parameters") == "\(run.model.parameterCount)")
    #expect(run.model.parameterCount == 10 * 8 + 8 + 8 + 1)
    #expect(record.steps.isEmpty && record.evaluations.isEmpty)
  }

  @Test("recurrent models record their recurrent initialisation; the spec reads pytorch, orthogonal[:GAIN]")
  func recurrentInitialization() throws {
    var configuration = RunConfiguration(task: "adding", length: 10, model: .rnn, sizes: ModelSizes(hidden: 4))
    #expect(configuration.settings.contains(RunSetting("recurrent-init", "pytorch")))
    configuration.sizes.recurrentInitialization = .orthogonal(gain: 1)
    #expect(configuration.settings.contains(RunSetting("recurrent-init", "orthogonal")))
    let perceptron = try RunFixtures.regression().settings.map(\.name)
    #expect(!perceptron.contains("recurrent-init"))
    #expect(try RecurrentInitialization(spec: "pytorch") == .pytorch)
    #expect(try RecurrentInitialization(spec: "orthogonal") == .orthogonal(gain: 1))
    #expect(try RecurrentInitialization(spec: "Orthogonal:0.5") == .orthogonal(gain: 0.5))
    #expect(RecurrentInitialization.orthogonal(gain: 0.5).specText == "orthogonal:0.5")
    for bad in ["xavier", "orthogonal:0", "orthogonal:-1", "orthogonal:", "pytorch:1", "orthogonal:nan"] {
      #expect(throws: ExperimentError.self, "\(bad)") { try RecurrentInitialization(spec: bad) }
    }
    configuration.sizes.recurrentInitialization = .orthogonal(gain: 0)
    #expect(throws: ExperimentError.self) { try TrainingRun(configuration) }
  }

  @Test("the same configuration twice gives the same record, bit for bit, and the same parameters")
  func reproducible() throws {
    let configuration = try RunFixtures.regression(clip: "norm:0.5", steps: 15, optimizer: "adam")
    let first = try TrainingRun(configuration)
    let second = try TrainingRun(configuration)
    let one = try first.train()
    let two = try second.train()
    #expect(one.steps == two.steps)
    #expect(one.evaluations == two.evaluations)
    #expect(
      one.steps.map(\.loss.bitPattern) == two.steps.map(\.loss.bitPattern), "losses are identical to the last bit")
    #expect(RunFixtures.values(first.model) == RunFixtures.values(second.model))
  }

  @Test("another seed gives another initial model and other batches")
  func seedMatters() throws {
    let one = try TrainingRun(try RunFixtures.regression(steps: 2, seed: 1))
    let two = try TrainingRun(try RunFixtures.regression(steps: 2, seed: 2))
    #expect(RunFixtures.values(one.model) != RunFixtures.values(two.model))
    #expect(try one.train().steps[0].loss != two.train().steps[0].loss)
  }

  @Test(
    "runs that differ only in clipping start from the same model and data: the same first step",
    arguments: ["norm:0.1", "exact-norm:0.1", "value:0.01", "tensor-norm:0.1", "agc:0.01", "autoclip", "zclip"])
  func sameStartWhateverTheClipping(_ clip: String) throws {
    let plain = try TrainingRun(try RunFixtures.regression(steps: 3))
    let clipped = try TrainingRun(try RunFixtures.regression(clip: clip, steps: 3))
    #expect(RunFixtures.values(plain.model) == RunFixtures.values(clipped.model))
    let a = try plain.train()
    let b = try clipped.train()
    #expect(a.evaluations[0] == b.evaluations[0])
    #expect(a.steps[0].loss == b.steps[0].loss)
    #expect(a.steps[0].gradientNorm == b.steps[0].gradientNorm)
    #expect(a.steps[0].layerNorms == b.steps[0].layerNorms)
  }

  @Test("the learning rate of each step follows the schedule")
  func learningRateSchedule() throws {
    var configuration = try RunFixtures.regression(steps: 12)
    let schedule = LearningRateSchedule.step(initial: 0.02, stepSize: 5, gamma: 0.5)
    configuration.optimizer.learningRate = schedule
    let record = try TrainingRun(configuration).train()
    #expect(record.steps.map(\.learningRate) == (0..<12).map { schedule.learningRate(atStep: $0) })
    #expect(record.steps[0].learningRate == 0.02 && record.steps[5].learningRate == 0.01)
  }

  @Test("every optimizer trains the tiny regression", arguments: OptimizerSettings.names)
  func everyOptimizer(_ name: String) throws {
    let record = try TrainingRun(try RunFixtures.regression(steps: 15, learningRate: 0.01, optimizer: name)).train()
    #expect(record.outcome == .completed)
    #expect(record.setting("optimizer") == name)
    let first = try #require(record.evaluations.first?.loss)
    let last = try #require(record.evaluations.last?.loss)
    #expect(last < first, "\(name): \(first) -> \(last)")
  }

  @Test("invalid settings are refused before training, naming the setting")
  func invalidSettings() throws {
    func failure(_ change: (inout RunConfiguration) -> Void) throws -> ExperimentError? {
      var configuration = try RunFixtures.regression()
      change(&configuration)
      do {
        _ = try TrainingRun(configuration)
        return nil
      } catch {
        return error
      }
    }
    #expect(try failure { $0.steps = 0 } == .invalidSetting(name: "steps", value: "0", requirement: "must be >= 1"))
    #expect(try failure { $0.batchSize = 0 } == .invalidSetting(name: "batch", value: "0", requirement: "must be >= 1"))
    #expect(
      try failure { $0.evaluationInterval = 0 }
        == .invalidSetting(name: "eval-every", value: "0", requirement: "must be >= 1"))
    #expect(
      try failure { $0.sizes.hidden = 0 } == .invalidSetting(name: "hidden", value: "0", requirement: "must be >= 1"))
    guard case .invalidSetting(name: "optimizer", value: "lion", _) = try failure({ $0.optimizer.name = "lion" }) else {
      Issue.record("an unknown optimizer was accepted")
      return
    }
    guard case .invalidSetting(name: "optimizer", _, _) = try failure({ $0.optimizer.learningRate = -1 }) else {
      Issue.record("a negative learning rate was accepted")
      return
    }
    guard case .incompatibleModel(model: "cnn", task: "regression", _) = try failure({ $0.model = .cnn }) else {
      Issue.record("a CNN on vectors was accepted")
      return
    }
    guard case .incompatibleModel(model: "gpt", task: "regression", _) = try failure({ $0.model = .gpt }) else {
      Issue.record("a GPT on vectors was accepted")
      return
    }
    guard case .invalidSetting(name: "task", value: "nope", _) = try failure({ $0.task = "nope" }) else {
      Issue.record("an unknown task was accepted")
      return
    }
  }
}
