extension ThresholdAdvice {
  /// A summary for a terminal: the recommendation, the global distribution, the candidates and
  /// a line per tensor. Numbers have 4 significant digits. For example:
  /// ```
  /// Gradient norms: 1000 steps, exact (2 non-finite norms left out)
  ///   min 0.1203  mean 0.9812  max 15.31
  ///   p10 0.3101  p25 0.5203  p50 0.8001  p75 1.104  p90 1.902  p95 2.6  p99 7.412
  /// Recommended maxNorm: 1.902 (p90), would have clipped 100 of 1000 steps (10.0%)
  /// Candidates:
  ///   threshold  clipped steps  share
  ///   0.3101     900            90.0%  p10
  ///   ...
  /// Per tensor (p90 of each tensor's norms):
  ///   tensor        steps  p50     threshold  clipped
  ///   embed.weight  1000   0.2     0.5        10.0%
  /// ```
  public var description: String {
    guard let recommendation else {
      return "Gradient norms: no finite norm recorded (\(global.nonFiniteCount) non-finite); no recommendation"
    }
    var lines = [header(global)] + statistics(global)
    lines.append(
      "Recommended maxNorm: \(AdviceFormat.number(recommendation.threshold)) (\(Self.label(percentile))), would have "
        + "clipped \(clippedSteps(recommendation)) steps (\(AdviceFormat.percent(recommendation.clippedShare)))")
    lines.append("Candidates:")
    lines += AdviceFormat.table(
      header: ["threshold", "clipped steps", "share", ""],
      rows: candidates.map { candidate in
        [
          AdviceFormat.number(candidate.threshold), clippedSteps(candidate),
          AdviceFormat.percent(candidate.clippedShare),
          candidate.label ?? "",
        ]
      }, indent: 2)
    if !tensors.isEmpty {
      lines.append("Per tensor (\(Self.label(percentile)) of each tensor's norms):")
      lines += AdviceFormat.table(
        header: ["tensor", "steps", "p50", "threshold", "clipped"], rows: tensorRows, indent: 2)
    }
    return lines.joined(separator: "\n")
  }

  private func header(_ distribution: NormDistribution) -> String {
    let exactness =
      distribution.isExact
      ? "exact"
      : "from a sample of \(distribution.sampleCount) (quantiles within \(AdviceFormat.number(distribution.rankError)) "
        + "percentile points, 95% confidence)"
    let nonFinite =
      distribution.nonFiniteCount == 0
      ? "" : " (\(distribution.nonFiniteCount) non-finite norm\(distribution.nonFiniteCount == 1 ? "" : "s") left out)"
    return "Gradient norms: \(distribution.count) steps, \(exactness)\(nonFinite)"
  }

  private func statistics(_ distribution: NormDistribution) -> [String] {
    let extremes = [("min", distribution.minimum), ("mean", distribution.mean), ("max", distribution.maximum)]
      .compactMap { name, value in value.map { "\(name) \(AdviceFormat.number($0))" } }
    let quantiles = distribution.quantiles.map { "\(Self.label($0.percentile)) \(AdviceFormat.number($0.value))" }
    return ["  " + extremes.joined(separator: "  "), "  " + quantiles.joined(separator: "  ")]
  }

  /// `"100 of 1000"`, or `"~100 of 1000"` when estimated from a sample.
  private func clippedSteps(_ candidate: CandidateThreshold) -> String {
    "\(global.isExact ? "" : "~")\(candidate.clippedSteps) of \(global.count)"
  }

  private var tensorRows: [[String]] {
    tensors.map { tensor in
      [
        tensor.name ?? "#\(tensor.index)", "\(tensor.distribution.count)",
        tensor.distribution.quantile(at: 50).map(AdviceFormat.number) ?? "-",
        tensor.threshold.map(AdviceFormat.number) ?? "-", tensor.clippedShare.map(AdviceFormat.percent) ?? "-",
      ]
    }
  }
}

/// Plain-text formatting without Foundation.
enum AdviceFormat {
  /// `value` with 4 significant digits: `"0.1235"`, `"12.35"`, `"123500"`, `"1.235e-05"`,
  /// `"1e+06"`, `"0"`; non-finite values as Swift prints them.
  static func number(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
    var (digits, exponent) = significantDigits(value.magnitude)
    if digits == 10_000 {
      digits = 1_000
      exponent += 1
    }
    let sign = value < 0 ? "-" : ""
    return sign + place(String(digits), exponent: exponent)
  }

  /// The 4 leading digits of `magnitude` (1000...10000, rounded) and its decimal exponent.
  private static func significantDigits(_ magnitude: Double) -> (Int, Int) {
    var scaled = magnitude
    var exponent = 0
    while scaled >= 10 {
      scaled /= 10
      exponent += 1
    }
    while scaled < 1 {
      scaled *= 10
      exponent -= 1
    }
    return (Int((scaled * 1_000).rounded()), exponent)
  }

  /// The digits `d.ddd` times `10^exponent`, in positional notation for exponents -4...5.
  private static func place(_ digits: String, exponent: Int) -> String {
    switch exponent {
    case 3...5:
      return digits + String(repeating: "0", count: exponent - 3)
    case 0..<3:
      return trimmed(String(digits.prefix(exponent + 1)) + "." + String(digits.dropFirst(exponent + 1)))
    case -4..<0:
      return trimmed("0." + String(repeating: "0", count: -exponent - 1) + digits)
    default:
      let mantissa = trimmed(String(digits.prefix(1)) + "." + String(digits.dropFirst()))
      let magnitude = exponent.magnitude < 10 ? "0\(exponent.magnitude)" : "\(exponent.magnitude)"
      return "\(mantissa)e\(exponent < 0 ? "-" : "+")\(magnitude)"
    }
  }

  /// Without trailing zeros after a decimal point, nor a trailing point.
  private static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var result = Substring(text)
    while result.last == "0" { result = result.dropLast() }
    if result.last == "." { result = result.dropLast() }
    return String(result)
  }

  /// A share in [0, 1] as a percentage with one decimal: `"12.5%"`.
  static func percent(_ share: Double) -> String {
    let tenths = Int((share * 1_000).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
  }

  /// Left-aligned columns two spaces apart, each `indent` spaces in; trailing spaces removed.
  static func table(header: [String], rows: [[String]], indent: Int) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in
      all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    return all.map { row in
      let cells = row.enumerated().map { column, cell in
        cell + String(repeating: " ", count: max(0, widths[column] - cell.count))
      }
      var line = String(repeating: " ", count: indent) + cells.joined(separator: "  ")
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}
