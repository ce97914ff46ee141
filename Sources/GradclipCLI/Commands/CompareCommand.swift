import ArgumentParser
import Experiments

/// `gradclip compare`: a grid of clip specs by seeds (and learning rates or sequence lengths),
/// summarised as success rates and medians.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Train a grid of clipping methods x seeds (x learning rates x lengths) and compare them.",
    discussion: """
      Runs every combination one after another, from the same seeds (so each method sees the same \
      initial models and data), with progress. A diverging run is recorded and the grid goes on. \
      Prints one row per method (and learning rate and length): runs, success rate (final held-out \
      accuracy at least --success without divergence), runs that diverged, and the medians of \
      final loss, accuracy, share of steps clipped and largest gradient norm. Writes one report \
      with every run, metrics and TensorBoard files into --out.

      --clip takes the specs of `gradclip train --help`; repeat it, or separate specs with ';'.

      Examples:
        gradclip compare --clip none --clip norm:1.0 --clip value:0.1 \\
          --seeds 1,2,3 --lr 0.1 --steps 3000
        gradclip compare --clip 'norm:1.0;zclip;autoclip:p=10' \\
          --lrs 0.03,0.1,0.3 --seeds 1-5
        gradclip compare --task temporal-order --clip none --clip norm:1.0 \\
          --lengths 20,50,100 --seeds 1,2
      """
  )

  @OptionGroup var options: RunOptions

  @Option(
    help: ArgumentHelp("A clip spec; repeat, or separate with ';' (default: none and norm:1.0).", valueName: "spec"))
  var clip: [String] = []

  @Option(help: ArgumentHelp("Seeds: a list (1,2,3) or a range (1-5).", valueName: "list"))
  var seeds = "1,2,3"

  @Option(help: ArgumentHelp("Learning rates to try (overrides --lr).", valueName: "list"))
  var lrs: String?

  @Option(help: ArgumentHelp("Sequence lengths to try (overrides --length).", valueName: "list"))
  var lengths: String?

  @Option(help: "The held-out accuracy a run must reach to count as a success.")
  var success = 0.9

  @OptionGroup var output: OutputOptions

  func validate() throws {
    try ExperimentSession.validateArguments { () throws(ExperimentError) in _ = try grid() }
  }

  func run() throws {
    try ExperimentSession.exitOnFailure {
      let grid = try grid()
      let session = ExperimentSession(
        configurations: grid.configurations,
        title: "gradclip compare: \(options.task), \(options.model)",
        subtitle: "\(grid.specs.count) clipping methods x \(grid.seeds.count) seeds, \(grid.configurations.count) runs",
        notes: [
          "Every method trained from the same seeds: the same initial models and the same batches. A run succeeds "
            + "when its final held-out accuracy is at least \(ProgressDisplay.percent(success)) without diverging."
        ],
        output: output)
      let compareTable = CompareTable(success: success)
      let result = try session.run(
        observers: output.json ? [JSONLines()] : [],
        tables: { records in [compareTable.reportTable(records, grid: grid)] })
      session.report(result, table: compareTable.table(result.records, grid: grid))
      return result.interrupted
    }
  }

  /// The runs of the grid.
  func grid() throws(ExperimentError) -> CompareGrid {
    let texts = (clip.isEmpty ? ["none", "norm:1.0"] : clip).flatMap { $0.split(separator: ";").map(String.init) }
    var specs: [ClipSpec] = []
    for text in texts { specs.append(try ClipSpec(parsing: text)) }
    return try CompareGrid(
      options: options, specs: specs, seeds: try ListOption.seeds(seeds),
      learningRates: try lrs.map { text throws(ExperimentError) in try ListOption.numbers(text, name: "lrs") },
      lengths: try lengths.map { text throws(ExperimentError) in try ListOption.integers(text, name: "lengths") })
  }
}
