import ArgumentParser

/// The output options of every command that trains.
struct OutputOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Folder for the report, metrics and TensorBoard files; must not exist or be empty "
        + "(default: gradclip-runs/<date>-<time>-<task>).", valueName: "dir"))
  var out: String?

  @Flag(help: "Print machine-readable JSON lines (evaluations, run summaries, files) instead of tables.")
  var json = false

  @Flag(name: .shortAndLong, help: "No progress display.")
  var quiet = false
}
