import Foundation
import GradientClipping

/// The output folder of a `demo`, `train` or `compare` invocation, filled as the runs go:
///
/// | file | what |
/// |---|---|
/// | `metrics.csv` | one row per step and run |
/// | `metrics.jsonl` | the same as JSON Lines |
/// | `tensorboard/<run>/events.out.tfevents.*` | scalars and histograms per run  |
/// | `summary.json` | per run: settings, outcome, summary figures, evaluations |
/// | `threshold-advice.txt` | per run: the fixed threshold its gradient norms suggest (``RunRecord/thresholdAdvice(percentile:)``) |
/// | `report.html` | the self-contained report (``HTMLReport``) |
///
/// The folder must not exist, or be empty: nothing is ever overwritten. The metrics files are
/// flushed after every run; ``finish(generated:)`` writes the summary and the report for the runs recorded
/// so far (all of them, or those finished before an interruption).
///
/// ```swift
/// let output = try ExperimentOutput(directory: ExperimentOutput.defaultDirectory(task: "adding"),
///                                   title: "Clipping on the adding problem")
/// try run.train(observers: [output])
/// let files = try output.finish()
/// print(files.report.path)
/// ```
public final class ExperimentOutput: RunObserver {
  /// The folder.
  public let directory: URL
  /// The report's title.
  public var title: String
  /// The report's subtitle.
  public var subtitle: String?
  /// The report's notes.
  public var notes: [String]
  /// Tables of figures to show in the report above the run summary.
  public var tables: [ReportTable] = []
  /// The runs finished so far, in order.
  public private(set) var records: [RunRecord] = []
  private let csv: MetricsCSVWriter
  private let jsonLines: MetricsJSONLinesWriter
  private let tensorBoard: TensorBoardRunLogger
  /// The three writers, as the observers every run event goes to.
  private let observers: [any RunObserver]
  private var current: RunRecord?

  /// The files of a finished output folder.
  public struct Files: Sendable, Hashable {
    /// `report.html`.
    public var report: URL
    /// `metrics.csv`.
    public var csv: URL
    /// `metrics.jsonl`.
    public var jsonLines: URL
    /// `summary.json`.
    public var summary: URL
    /// `threshold-advice.txt`.
    public var advice: URL
    /// The TensorBoard log directory.
    public var tensorBoard: URL
  }

  /// Creates `directory` (and its parents) and the metrics files in it.
  ///
  /// - Throws: ``ExperimentError/outputExists(path:)`` if `directory` exists and is not an empty
  ///   folder; ``ExperimentError/unwritableOutput(path:reason:)`` if it cannot be created.
  public init(directory: URL, title: String, subtitle: String? = nil, notes: [String] = []) throws(ExperimentError) {
    try Self.prepare(directory)
    self.directory = directory
    self.title = title
    self.subtitle = subtitle
    self.notes = notes
    csv = try MetricsCSVWriter(path: directory.appendingPathComponent("metrics.csv").path)
    jsonLines = try MetricsJSONLinesWriter(path: directory.appendingPathComponent("metrics.jsonl").path)
    tensorBoard = TensorBoardRunLogger(directory: directory.appendingPathComponent("tensorboard", isDirectory: true))
    observers = [csv, jsonLines, tensorBoard]
  }

  /// `gradclip-runs/<date>-<time>-<task>` under `base` (the current directory by default), in UTC.
  public static func defaultDirectory(task: String, date: Date = Date(), base: URL? = nil) -> URL {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd-HHmmss"
    let root = base ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    return root.appendingPathComponent("gradclip-runs", isDirectory: true)
      .appendingPathComponent("\(formatter.string(from: date))-\(task)", isDirectory: true)
  }

  public func runWillStart(_ record: RunRecord) throws {
    current = record
    for observer in observers { try observer.runWillStart(record) }
  }

  public func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    for observer in observers { try observer.runDidFinishStep(step, of: record) }
  }

  public func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {
    for observer in observers { try observer.runDidEvaluate(evaluation, of: record) }
  }

  public func runDidFinish(_ record: RunRecord) throws {
    current = nil
    records.append(record)
    for observer in observers { try observer.runDidFinish(record) }
  }

  /// Closes the metrics files and writes `summary.json` and `report.html` for the runs recorded
  /// (a run cut short by an error is included as far as it got).
  ///
  /// - Returns: the paths of the files.
  @discardableResult
  public func finish(generated: Date? = Date()) throws -> Files {
    if let current { try runDidFinish(current) }
    try csv.close()
    try jsonLines.close()
    try tensorBoard.close()
    let files = Files(
      report: directory.appendingPathComponent("report.html"), csv: directory.appendingPathComponent("metrics.csv"),
      jsonLines: directory.appendingPathComponent("metrics.jsonl"),
      summary: directory.appendingPathComponent("summary.json"),
      advice: directory.appendingPathComponent("threshold-advice.txt"), tensorBoard: tensorBoard.directory)
    try write(RunSummaries(records).encoded(), to: files.summary)
    try write(Data(adviceText.utf8), to: files.advice)
    let report = HTMLReport(
      title: title, subtitle: subtitle, notes: notes, runs: records, generated: generated, tables: tables)
    try write(Data(report.render().utf8), to: files.report)
    return files
  }

  /// Each run's threshold advice, under its name.
  private var adviceText: String {
    records.map { record in
      let advice = (try? record.thresholdAdvice()).map(\.description) ?? "no advice"
      return "== \(record.name) (gradient norms before clipping)\n\(advice)\n"
    }.joined(separator: "\n")
  }

  private func write(_ data: Data, to url: URL) throws(ExperimentError) {
    guard !FileManager.default.fileExists(atPath: url.path) else { throw .outputExists(path: url.path) }
    do {
      try data.write(to: url, options: .withoutOverwriting)
    } catch {
      throw .unwritableOutput(path: url.path, reason: error.localizedDescription)
    }
  }

  private static func prepare(_ directory: URL) throws(ExperimentError) {
    var isDirectory: ObjCBool = false
    let manager = FileManager.default
    if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
      let contents = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? ["?"]
      guard isDirectory.boolValue, contents.isEmpty else { throw .outputExists(path: directory.path) }
      return
    }
    do {
      try manager.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .unwritableOutput(path: directory.path, reason: error.localizedDescription)
    }
  }
}
