/// What went wrong setting up or writing an experiment, naming the file, setting or spec at fault.
///
/// The command line maps ``unreadableFile(path:reason:)`` to exit code 66 (`EX_NOINPUT`),
/// ``outputExists(path:)`` and ``unwritableOutput(path:reason:)`` to 73 (`EX_CANTCREAT`), and
/// every other case, which is a mistake in the arguments, to 64 (`EX_USAGE`).
public enum ExperimentError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A file could not be read (missing, a directory, no permission).
  case unreadableFile(path: String, reason: String)
  /// A file was read but its contents are not what the task needs.
  case invalidData(path: String, reason: String)
  /// A `--clip` spec could not be understood.
  case invalidClipSpec(spec: String, reason: String)
  /// A setting has a value it cannot take.
  case invalidSetting(name: String, value: String, requirement: String)
  /// The model cannot take the task's inputs.
  case incompatibleModel(model: String, task: String, reason: String)
  /// An output file or folder exists already and would be overwritten.
  case outputExists(path: String)
  /// An output file or folder could not be written.
  case unwritableOutput(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
    case .invalidData(let path, let reason): "\(path): \(reason)"
    case .invalidClipSpec(let spec, let reason): "invalid clip spec '\(spec)': \(reason)"
    case .invalidSetting(let name, let value, let requirement): "invalid \(name) '\(value)': \(requirement)"
    case .incompatibleModel(let model, let task, let reason): "model \(model) cannot learn task \(task): \(reason)"
    case .outputExists(let path): "\(path) exists already; choose another --out or remove it"
    case .unwritableOutput(let path, let reason): "cannot write \(path): \(reason)"
    }
  }
}
