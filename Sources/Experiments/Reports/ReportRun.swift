/// One run as the report shows it: its record, its summary (computed once), its colour and the
/// slug that names its section and charts.
///
/// ```swift
/// let runs = ReportRun.prepare(records)   // colours and unique slugs in record order
/// runs[0].slug                            // "norm-1-0" for a run named "norm:1.0"
/// ```
struct ReportRun: Sendable {
  /// The record.
  var record: RunRecord
  /// The record's summary.
  var summary: RunSummary
  /// The run's colour in every chart and legend.
  var colour: String
  /// A unique, markup-safe name for ids: `run-<slug>`, `loss-<slug>`, `layer-norms-<slug>`.
  var slug: String

  /// The runs of `records`, in order, with colours from ``ReportPalette`` and unique slugs.
  static func prepare(_ records: [RunRecord]) -> [ReportRun] {
    var used: Set<String> = []
    return records.enumerated().map { index, record in
      let base = slug(for: record.name, index: index)
      var candidate = base
      var suffix = 2
      while used.contains(candidate) {
        candidate = "\(base)-\(suffix)"
        suffix += 1
      }
      used.insert(candidate)
      return ReportRun(
        record: record, summary: record.summary, colour: ReportPalette.run(index), slug: candidate)
    }
  }

  /// `name` in lower case with every run of characters other than ASCII letters and digits
  /// replaced by one hyphen (`run-<n>` if nothing is left).
  static func slug(for name: String, index: Int) -> String {
    var slug = ""
    for scalar in name.lowercased().unicodeScalars {
      if scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)) {
        slug.unicodeScalars.append(scalar)
      } else if !slug.isEmpty && !slug.hasSuffix("-") {
        slug += "-"
      }
    }
    slug = String(slug.prefix(48))
    while slug.hasSuffix("-") { slug.removeLast() }
    return slug.isEmpty ? "run-\(index + 1)" : slug
  }

  /// The label for a divergence marker: "diverged at N" for a run that stopped on a non-finite
  /// loss, "unstable at N" for one whose loss rose above ten times its start.
  var divergenceLabel: String? {
    guard let step = summary.divergenceStep else { return nil }
    return record.outcome == .diverged ? "diverged at \(step)" : "unstable at \(step)"
  }
}
