#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The names TensorFlow gives event files: `events.out.tfevents.<seconds>.<hostname><suffix>`,
/// the Unix time in seconds zero-padded to 10 digits (TensorFlow's `%010lld`).
///
/// TensorBoard finds event files by the `tfevents` in their names.
///
/// ```swift
/// EventFileName.make(seconds: 1_700_000_000, hostname: "box", suffix: "")
/// // "events.out.tfevents.1700000000.box"
/// ```
enum EventFileName {
  /// The part of the name TensorBoard looks for.
  static let marker = "tfevents"

  /// The file name for an event file created at `seconds` since the Unix epoch on `hostname`.
  /// Slashes in `hostname` and `suffix` become underscores, so the name stays one path component.
  static func make(seconds: Int64, hostname: String, suffix: String) -> String {
    let digits = String(seconds)
    let padded = seconds >= 0 ? String(repeating: "0", count: Swift.max(0, 10 - digits.count)) + digits : digits
    return "events.out.\(marker).\(padded).\(sanitized(hostname))\(sanitized(suffix))"
  }

  /// This machine's host name (`gethostname`, as Python's `socket.gethostname()`), or
  /// `"localhost"` if it has none.
  static func localHostname() -> String {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
    let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    let hostname = String(decoding: bytes, as: UTF8.self)
    return hostname.isEmpty ? "localhost" : hostname
  }

  /// `text` with every `/` replaced by `_`.
  private static func sanitized(_ text: String) -> String {
    String(text.map { $0 == "/" ? "_" : $0 })
  }
}
