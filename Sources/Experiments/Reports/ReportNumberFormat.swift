import Foundation

/// Formats numbers for the report's axes and tables: compact, locale-independent and
/// deterministic (the same value always gives the same text).
///
/// ```swift
/// ReportNumberFormat.compact(0.001)        // "1e-3"
/// ReportNumberFormat.compact(2500)         // "2.5k"
/// ReportNumberFormat.compact(1.2e8)        // "1.2e+8"
/// ReportNumberFormat.percent(0.875)        // "87.5%"
/// ReportNumberFormat.duration(125)         // "2 min 05 s"
/// ```
enum ReportNumberFormat {
  /// The text shown for a missing value.
  static let missing = "—"

  /// `value` in at most `digits` significant digits: plain decimals from 0.01 to below 1000,
  /// thousands as `k` below a million, and exponent notation (`1e-3`, `1.2e+8`) beyond.
  static func compact(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 0.01 && magnitude < 1000 {
      let text = decimal(value, digits: digits)
      if abs(Double(text) ?? 0) < 1000 { return text }
    }
    if magnitude >= 1000 && magnitude < 1e6 {
      let text = decimal(value / 1000, digits: digits)
      if abs(Double(text) ?? 0) < 1000 { return text + "k" }
    }
    return exponential(value, digits: digits)
  }

  /// A table figure: `value` in compact form with four significant digits, or ``missing``.
  static func figure(_ value: Double?) -> String {
    guard let value else { return missing }
    return compact(value, digits: 4)
  }

  /// A share in [0, 1] as a percentage with one decimal (`"87.5%"`), or ``missing``.
  static func percent(_ share: Double?) -> String {
    guard let share else { return missing }
    guard share.isFinite else { return nonFinite(share) }
    return trimmed(String(format: "%.1f", share * 100)) + "%"
  }

  /// A wall-clock time: `"0.42 s"`, `"12.3 s"`, `"2 min 05 s"`, `"1 h 02 min"`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return missing }
    if seconds < 60 { return compact(seconds, digits: seconds < 10 ? 2 : 3) + " s" }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return "\(whole / 60) min " + twoDigits(whole % 60) + " s" }
    return "\(whole / 3600) h " + twoDigits(whole / 60 % 60) + " min"
  }

  private static func nonFinite(_ value: Double) -> String {
    value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞")
  }

  private static func decimal(_ value: Double, digits: Int) -> String {
    let exponent = Int(floor(log10(abs(value))))
    let decimals = max(0, digits - 1 - exponent)
    return trimmed(String(format: "%.\(decimals)f", value))
  }

  private static func exponential(_ value: Double, digits: Int) -> String {
    let text = String(format: "%.\(max(0, digits - 1))e", value)
    guard let marker = text.firstIndex(of: "e") else { return text }
    let mantissa = trimmed(String(text[..<marker]))
    let exponentText = text[text.index(after: marker)...]
    let exponent = Int(exponentText) ?? 0
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
  }

  private static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text == "-0" ? "0" : text }
    var result = Substring(text)
    while result.hasSuffix("0") { result = result.dropLast() }
    if result.hasSuffix(".") { result = result.dropLast() }
    return result == "-0" ? "0" : String(result)
  }

  private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
