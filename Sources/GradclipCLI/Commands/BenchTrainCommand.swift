import ArgumentParser
import Foundation
import Training

/// `gradclip bench train`: times one training step of the reference models of
/// `../shared/bench/torch_training_reference.py`, and the cost of clipping within it.
struct BenchTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time one training step (forward, backward, clip, update) of the reference models.",
    discussion: """
      The models of torch_training_reference.py with its exact shapes, losses, optimizers and \
      learning rates, global-norm clipping at 1.0 fused into the update, a fixed random batch. \
      \(TrainingBenchmark.warmUpSteps) warm-up steps, then the median of --steps steps. Also \
      reports what clipping costs within the step: fused (reading backward's measured norm and \
      the coefficient inside the update; 'measure' is what backward's per-parameter norm \
      measurement adds to backward: the median difference of backward passes with and without it \
      ('paired') where that is precise enough, else one read pass over the gradients) and unfused (GlobalNormClipper.clip on the gradients), as a share of the step, both \
      timed while clipping is active ('norm' is the step's gradient norm). Models: \(TrainingReferenceModels.names.joined(separator: ", ")).

      Examples:
        gradclip bench train
        gradclip bench train rnn-adding mlp-digits --steps 50 --threads 1
      """
  )

  @Argument(help: "Models to time (default: all, in the reference's order).")
  var models: [String] = []

  @Flag(help: "Print one JSON object per line instead of tables.")
  var json = false

  @Option(help: "Timed steps per model, after \(TrainingBenchmark.warmUpSteps) warm-up steps.")
  var steps = 20

  @Option(help: "Threads the engine may use (default: every core).")
  var threads: Int?

  func validate() throws {
    let unknown = models.filter { !TrainingReferenceModels.names.contains($0) }
    guard unknown.isEmpty else {
      throw ValidationError(
        "unknown model \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
          + "valid names: \(TrainingReferenceModels.names.joined(separator: ", "))")
    }
    guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
  }

  /// The benchmark these arguments describe.
  var benchmark: TrainingBenchmark {
    TrainingBenchmark(
      models: models.isEmpty ? TrainingReferenceModels.names : models, steps: steps,
      threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  func run() throws {
    try run { print($0) }
  }

  /// Runs the benchmark, passing each line of output to `write` as soon as it is known.
  func run(writingLinesTo write: (String) -> Void) throws {
    let benchmark = self.benchmark
    guard !json else {
      try benchmark.run { write($0.jsonLine) }
      return
    }
    let table = TrainingResultTable()
    write(
      "float32, \(benchmark.threads) threads, median of \(steps) steps after \(TrainingBenchmark.warmUpSteps) "
        + "warm-up steps, milliseconds")
    table.stepHeader.forEach(write)
    var results: [TrainingBenchmarkResult] = []
    try benchmark.run { result in
      results.append(result)
      write(table.stepRow(result))
    }
    write("")
    write("clipping cost per step (target: fused <= 0.5% of the step)")
    table.clippingHeader.forEach(write)
    results.forEach { write(table.clippingRow($0)) }
  }
}
