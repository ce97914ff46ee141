/// How numbers appear in the metrics files: the shortest text that reads back to the same
/// `Double`, with `nan`, `inf` and `-inf` for non-finite values (CSV readers such as pandas parse
/// them; in JSON they are strings, since JSON has no such numbers).
///
/// ```swift
/// MetricsFormat.json(Double.nan)   // "\"nan\""
/// MetricsFormat.json("a\"b")       // "\"a\\\"b\""
/// ```
public enum MetricsFormat {
  /// A number for CSV.
  public static func csv(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }

  /// A number for JSON: a JSON number, or a string for non-finite values.
  public static func json(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "\"\(csv(value))\""
  }

  /// A string as a JSON string literal.
  public static func json(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      case "\t": escaped += "\\t"
      case _ where scalar.value < 0x20:
        escaped +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped + "\""
  }

  /// A field for CSV, quoted when it holds a comma, a quote or a line break.
  public static func csv(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
