import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the standard streams are connected to, and writing to standard error.
enum Terminal {
  /// Whether standard error is a terminal (progress bars go there).
  static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Whether colours may be used: standard error is a terminal and `NO_COLOR` is not set
  /// (https://no-color.org).
  static var usesColour: Bool {
    standardErrorIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Writes `text` to standard error as it is.
  static func writeToStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
