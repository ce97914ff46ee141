import ArgumentParser
import Experiments
import Foundation

/// Runs a list of configurations one after another into one output folder, with progress, and
/// prints the results: what `demo`, `train` and `compare` share.
///
/// Every configuration is checked before anything is written (the first run is built, which loads
/// the task and checks model, optimizer and clip spec). A run that diverges is a result: it is
/// recorded and the next run starts. Ctrl-C stops the current run before its next step; the
/// metrics so far are flushed, the report is written for what ran, and the exit code is 130.
struct ExperimentSession {
  /// The runs, in order.
  var configurations: [RunConfiguration]
  /// The report's title.
  var title: String
  /// The report's subtitle.
  var subtitle: String?
  /// The report's notes.
  var notes: [String] = []
  /// The output options.
  var output: OutputOptions

  /// The outcome of a session.
  struct Result {
    /// The recorded runs.
    var records: [RunRecord]
    /// The output files.
    var files: ExperimentOutput.Files
    /// Whether Ctrl-C cut it short.
    var interrupted: Bool
  }

  /// Runs every configuration and writes the outputs.
  ///
  /// - Throws: ``ExperimentError`` (mapped to exit codes by ``exitCode(for:)``) or an output error.
  /// `prepare` is called on each run before it trains (after its checks), `finish` after;
  /// `tables` makes the report's tables from the recorded runs.
  func run(
    observers extra: [any RunObserver] = [], prepare: (TrainingRun) throws -> Void = { _ in },
    finish: (TrainingRun) throws -> Void = { _ in }, tables: ([RunRecord]) -> [ReportTable] = { _ in [] }
  ) throws -> Result {
    guard let first = configurations.first else {
      throw ExperimentError.invalidSetting(name: "runs", value: "0", requirement: "at least one run")
    }
    var pending: TrainingRun? = try TrainingRun(first)
    if let pending { try prepare(pending) }
    let directory =
      output.out.map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? ExperimentOutput.defaultDirectory(task: first.task)
    let files = try ExperimentOutput(directory: directory, title: title, subtitle: subtitle, notes: notes)
    let progress = ProgressDisplay(style: ProgressDisplay.style(quiet: output.quiet), runCount: configurations.count)
    let observers: [any RunObserver] = [files, progress] + extra
    Interruption.install()
    for configuration in configurations where !Interruption.isRequested {
      let run = try pending ?? Self.prepared(TrainingRun(configuration), prepare)
      pending = nil
      try run.train(observers: observers) { Interruption.isRequested }
      try finish(run)
    }
    files.tables = tables(files.records)
    return Result(records: files.records, files: try files.finish(), interrupted: Interruption.isRequested)
  }

  private static func prepared(_ run: TrainingRun, _ prepare: (TrainingRun) throws -> Void) throws -> TrainingRun {
    try prepare(run)
    return run
  }

  /// Prints the results: the table and the paths, or JSON lines with `--json`.
  func report(_ result: Result, table: TextTable) {
    if output.json {
      print(JSONLines.files(result.files, interrupted: result.interrupted))
      return
    }
    print("")
    for line in table.lines { print(line) }
    print("")
    if result.interrupted { print("Interrupted: the report covers the runs so far.") }
    print("Report:      \(result.files.report.path)")
    print("Metrics:     \(result.files.csv.path)")
    print("             \(result.files.jsonLines.path)")
    print("Summary:     \(result.files.summary.path)")
    print("Advice:      \(result.files.advice.path)")
    print("TensorBoard: tensorboard --logdir \(result.files.tensorBoard.path)")
  }

  /// Runs `body`, turning its argument errors into ArgumentParser's usage errors (exit 64 with
  /// the usage); any other error waits for `run()`, which reports it with its own exit code.
  static func validateArguments(_ body: () throws(ExperimentError) -> Void) throws {
    do {
      try body()
    } catch  where exitCode(for: error) == 64 {
      throw ValidationError(error.description)
    } catch {
      // An unreadable file or an existing output is reported by run(), with its own exit code.
    }
  }

  /// The exit code for an error of a session: 64 for bad arguments, 66 for an unreadable input
  /// file, 73 for an output that exists or cannot be written.
  static func exitCode(for error: ExperimentError) -> Int32 {
    switch error {
    case .unreadableFile: 66
    case .outputExists, .unwritableOutput: 73
    default: 64
    }
  }

  /// Runs `body`, turning an ``ExperimentError`` into a message on standard error and its exit
  /// code, and an interruption into exit code 130.
  static func exitOnFailure(_ body: () throws -> Bool) throws {
    let interrupted: Bool
    do {
      interrupted = try body()
    } catch let error as ExperimentError {
      Terminal.writeToStandardError("gradclip: \(error)\n")
      throw ExitCode(exitCode(for: error))
    } catch let error as TensorBoardError {
      Terminal.writeToStandardError("gradclip: \(error)\n")
      throw ExitCode(73)
    }
    if interrupted { throw ExitCode(Interruption.exitCode) }
  }
}
