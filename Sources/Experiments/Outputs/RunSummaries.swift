import Foundation

/// `summary.json`: for each run its name, settings, outcome, seconds, summary figures and held-out
/// evaluations (the per-step rows are in the metrics files). Non-finite numbers are the strings
/// `"nan"`, `"inf"` and `"-inf"`.
struct RunSummaries: Encodable {
  struct Entry: Encodable {
    var name: String
    var settings: [String: String]
    var outcome: RunOutcome
    var seconds: Double
    var summary: RunSummary
    var evaluations: [Evaluation]
  }

  var runs: [Entry]

  init(_ records: [RunRecord]) {
    runs = records.map { record in
      Entry(
        name: record.name,
        settings: Dictionary(record.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
        outcome: record.outcome, seconds: record.seconds, summary: record.summary, evaluations: record.evaluations)
    }
  }

  /// The JSON text, keys sorted, pretty-printed.
  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }
}
