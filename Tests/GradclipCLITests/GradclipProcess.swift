import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the built `gradclip` executable as a user would, in a temporary folder that holds its
/// outputs, with standard output and standard error captured in files (so neither is a terminal).
final class GradclipProcess {
  /// What a finished run of the executable gave.
  struct Result {
    /// The exit status (or the signal, when `signalled`).
    let status: Int32
    /// Whether a signal ended the process.
    let signalled: Bool
    let output: String
    let errors: String

    /// The lines of standard output.
    var outputLines: [String] { output.split(separator: "\n").map(String.init) }

    /// Both streams, for failure messages.
    var transcript: String { "status \(status)\nstdout:\n\(output)\nstderr:\n\(errors)" }
  }

  /// The folder the process runs in; outputs go below it.
  let files: TemporaryFiles
  private let process = Process()
  private let outputURL: URL
  private let errorURL: URL

  /// A process of `gradclip arguments`, not started yet. The environment is this one's without
  /// `NO_COLOR` and with a colour terminal type, so that only the streams decide about colours.
  init(_ arguments: [String], in files: TemporaryFiles, environment: [String: String] = [:]) throws {
    self.files = files
    let name = UUID().uuidString
    outputURL = files.directory.appendingPathComponent("\(name).stdout")
    errorURL = files.directory.appendingPathComponent("\(name).stderr")
    try Data().write(to: outputURL)
    try Data().write(to: errorURL)
    process.executableURL = try GradclipExecutableTests.executable()
    process.arguments = arguments
    process.currentDirectoryURL = files.directory
    var variables = ProcessInfo.processInfo.environment
    variables["NO_COLOR"] = nil
    variables["TERM"] = "xterm-256color"
    variables.merge(environment) { _, new in new }
    process.environment = variables
  }

  /// Starts the process.
  func start() throws { try start(standardError: try FileHandle(forWritingTo: errorURL)) }

  /// Starts the process with standard error on `handle` (a terminal, for example).
  func start(standardError handle: FileHandle) throws {
    process.standardOutput = try FileHandle(forWritingTo: outputURL)
    process.standardError = handle
    // The test runner's worker threads block most signals, and a child inherits the mask of the
    // thread that spawns it: unblock them while spawning, so that the child gets SIGINT as a
    // user's process would.
    var unblocked = sigset_t()
    var previous = sigset_t()
    sigemptyset(&unblocked)
    pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    try process.run()
  }

  /// What the process wrote to standard error so far.
  var errorsSoFar: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

  /// Sends SIGINT, as Ctrl-C does.
  func interrupt() { process.interrupt() }

  /// Waits until `condition` holds for standard error or `limit` passes; whether it held.
  func waitForErrors(within limit: Duration = .seconds(120), _ condition: (String) -> Bool) -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if condition(errorsSoFar) { return true }
      if !process.isRunning { return condition(errorsSoFar) }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }

  /// Waits for the process to end (ending it after `limit`, which only a hang reaches).
  func finish(
    within limit: Duration = .seconds(300), sourceLocation: SourceLocation = #_sourceLocation
  ) throws
    -> Result
  {
    let deadline = ContinuousClock.now + limit
    while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      Issue.record("gradclip \(process.arguments ?? []) still running after \(limit)", sourceLocation: sourceLocation)
      process.terminate()
      Thread.sleep(forTimeInterval: 5)
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
      output: try String(contentsOf: outputURL, encoding: .utf8),
      errors: try String(contentsOf: errorURL, encoding: .utf8))
  }

  /// Runs `gradclip arguments` in `files`' folder to the end.
  static func run(
    _ arguments: [String], in files: TemporaryFiles, environment: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    let process = try GradclipProcess(arguments, in: files, environment: environment)
    try process.start()
    return try process.finish(sourceLocation: sourceLocation)
  }
}

/// A pseudo-terminal: its secondary side is a terminal to a child process; what the child writes
/// there is read from the primary side.
final class PseudoTerminal: @unchecked Sendable {
  private let primary: Int32
  /// The terminal side, for a child's standard stream.
  let terminal: FileHandle
  private var collected = Data()
  private let lock = NSLock()
  private var reader: Thread?

  /// Whether the system has pseudo-terminals.
  static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/dev/ptmx") }

  /// A new pseudo-terminal, or `nil` where the system has none.
  init?() {
    // posix_openpt and its companions are not in every C library's Swift overlay: look them up.
    typealias Open = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    guard let library = dlopen(nil, RTLD_NOW), let openSymbol = dlsym(library, "posix_openpt"),
      let grantSymbol = dlsym(library, "grantpt"), let unlockSymbol = dlsym(library, "unlockpt"),
      let nameSymbol = dlsym(library, "ptsname")
    else { return nil }
    let primary = unsafeBitCast(openSymbol, to: Open.self)(O_RDWR | O_NOCTTY)
    guard primary >= 0 else { return nil }
    guard unsafeBitCast(grantSymbol, to: Open.self)(primary) == 0,
      unsafeBitCast(unlockSymbol, to: Open.self)(primary) == 0,
      let name = unsafeBitCast(nameSymbol, to: Name.self)(primary)
    else {
      close(primary)
      return nil
    }
    let secondary = open(name, O_RDWR | O_NOCTTY)
    guard secondary >= 0 else {
      close(primary)
      return nil
    }
    self.primary = primary
    terminal = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)
  }

  /// Starts collecting what is written to the terminal.
  func startReading() {
    let thread = Thread { [primary] in
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        self.lock.lock()
        self.collected.append(contentsOf: buffer[0..<count])
        self.lock.unlock()
      }
    }
    reader = thread
    thread.start()
  }

  /// Closes this process's copy of the terminal side, so reading ends when the child's does.
  func closeTerminal() { try? terminal.close() }

  /// What was written to the terminal, after the writers closed it (or `limit` passed).
  func text(within limit: Duration = .seconds(30)) -> String {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline, reader?.isFinished == false { Thread.sleep(forTimeInterval: 0.05) }
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: collected, as: UTF8.self)
  }

  deinit { close(primary) }
}
