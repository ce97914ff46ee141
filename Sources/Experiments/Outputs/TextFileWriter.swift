import Foundation

/// A new text file that lines are appended to through a buffer: the metrics files.
///
/// The file must not exist (it is never overwritten). Lines collect in memory and are written in
/// blocks; ``flush()`` writes what is buffered and syncs the file, so that what a run recorded
/// survives an interruption.
final class TextFileWriter {
  /// The file's path.
  let path: String
  private var sink: EventFileSink

  /// Creates the file at `path`.
  ///
  /// - Throws: ``ExperimentError/outputExists(path:)`` if it exists,
  ///   ``ExperimentError/unwritableOutput(path:reason:)`` otherwise.
  init(creating path: String) throws(ExperimentError) {
    self.path = path
    do {
      sink = try EventFileSink(creating: path, capacity: 1 << 16)
    } catch {
      throw Self.experimentError(error, path: path)
    }
  }

  /// Appends `line` and a newline.
  func append(line: String) throws(ExperimentError) {
    do {
      try sink.append(Array((line + "\n").utf8))
    } catch {
      throw Self.experimentError(error, path: path)
    }
  }

  /// Writes what is buffered to the disk.
  func flush() throws(ExperimentError) {
    do {
      try sink.flush()
    } catch {
      throw Self.experimentError(error, path: path)
    }
  }

  /// Flushes and closes the file (closing twice does nothing).
  func close() throws(ExperimentError) {
    do {
      try sink.close()
    } catch {
      throw Self.experimentError(error, path: path)
    }
  }

  deinit { try? sink.close() }

  private static func experimentError(_ error: TensorBoardError, path: String) -> ExperimentError {
    if case .fileExists = error { return .outputExists(path: path) }
    return .unwritableOutput(path: path, reason: error.description)
  }
}
