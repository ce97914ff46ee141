import ArgumentParser
import Experiments

/// `gradclip demo`: the adding problem with a tanh RNN at a learning rate where plain SGD is
/// unstable, trained four times from the same seed and data: without clipping, with global-norm
/// clipping, with value clipping and with an adaptive clipper.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "See what clipping does: a tanh RNN on the adding problem, with and without clipping.",
    discussion: """
      \(DemoSetting.description())

      Shows progress, prints a table per run (final and best held-out loss, accuracy, first step \
      of divergence, share of steps clipped, largest gradient norm) and writes report.html, \
      metrics.csv, metrics.jsonl, summary.json, threshold-advice.txt and TensorBoard event \
      files into --out. Takes about a minute on two cores (release build).

      Examples:
        swift run -c release gradclip demo
        gradclip demo --out demo-run --quiet
        gradclip demo --steps 500        # a quicker, shorter look
      """
  )

  @Option(help: "Training steps per run.")
  var steps = DemoSetting.steps

  @Option(help: "Seed of the initial model and the data, the same for every run.")
  var seed: UInt64 = DemoSetting.seed

  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
  }

  func run() throws {
    try ExperimentSession.exitOnFailure {
      let session = ExperimentSession(
        configurations: try DemoSetting.configurations(steps: steps, seed: seed), title: DemoSetting.title,
        subtitle: DemoSetting.subtitle(steps: steps, seed: seed), notes: DemoSetting.notes(steps: steps),
        output: output)
      let result = try session.run(observers: output.json ? [JSONLines()] : [])
      session.report(result, table: RunSummaryTable.table(result.records))
      return result.interrupted
    }
  }
}
