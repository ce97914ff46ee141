/// Escapes user-supplied text (run names, setting values, notes) for the report's markup.
///
/// The report is serialised so that it parses both as HTML and as XML, so the five characters
/// with a meaning in markup are replaced by character references, and the control characters that
/// XML 1.0 forbids (everything below U+0020 except tab, line feed and carriage return) by U+FFFD.
///
/// ```swift
/// HTMLEscaping.escape("a<b & \"c\"")  // "a&lt;b &amp; &quot;c&quot;"
/// ```
enum HTMLEscaping {
  /// Returns `text` safe to place in element content or in a double- or single-quoted attribute.
  static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
      default:
        let forbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        escaped.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
      }
    }
    return escaped
  }
}
