import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by the first Ctrl-C (SIGINT): runs stop before their next step, the metrics so far are
/// flushed and the report is written, and the command exits with 130. A second Ctrl-C ends the
/// process at once.
private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C handling for the commands that train.
enum Interruption {
  /// The exit code after an interruption (128 + SIGINT).
  static let exitCode: Int32 = 130

  /// Installs the handler.
  static func install() {
    signal(SIGINT) { _ in
      interruptRequested.store(true, ordering: .relaxed)
      signal(SIGINT, SIG_DFL)
    }
  }

  /// Whether Ctrl-C was pressed.
  static var isRequested: Bool { interruptRequested.load(ordering: .relaxed) }
}
