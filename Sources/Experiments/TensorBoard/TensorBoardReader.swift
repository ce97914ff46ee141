import Foundation

/// Reads a TensorBoard event file back: checks both checksums of every record and decodes the
/// events, in file order.
///
/// It reads files written by ``TensorBoardWriter`` and by TensorFlow, PyTorch or TensorBoard's
/// own writers; of their values it decodes scalars (`simple_value`) and TensorFlow 1 histograms
/// (`histo`) (see ``TensorBoardEvent``). The whole file is read into memory.
///
/// ```swift
/// let reader = TensorBoardReader(fileURL: writer.fileURL)
/// for event in try reader.events() where !event.scalars.isEmpty {
///   print(event.step, event.scalars)
/// }
/// ```
public struct TensorBoardReader: Sendable {
  /// The event file read.
  public let fileURL: URL

  /// Creates a reader of the event file at `fileURL`.
  public init(fileURL: URL) { self.fileURL = fileURL }

  /// All events of the file, in order; the first is the version event of a complete file.
  ///
  /// An empty file has no events; a file that ends inside a record is an error (a writer that
  /// is still running can leave one: flush it first).
  ///
  /// ```swift
  /// let steps = try TensorBoardReader(fileURL: url).events().map(\.step)
  /// ```
  ///
  /// - Throws: ``TensorBoardError/readFailed(path:reason:)``,
  ///   ``TensorBoardError/truncatedRecord(path:recordIndex:offset:needed:available:)``,
  ///   ``TensorBoardError/lengthChecksumMismatch(path:recordIndex:offset:stored:computed:)``,
  ///   ``TensorBoardError/dataChecksumMismatch(path:recordIndex:offset:stored:computed:)`` or
  ///   ``TensorBoardError/malformedEvent(path:recordIndex:offset:reason:)``, naming the file, the
  ///   record and its byte offset.
  public func events() throws(TensorBoardError) -> [TensorBoardEvent] {
    let path = fileURL.path(percentEncoded: false)
    let bytes: [UInt8]
    do {
      bytes = try [UInt8](Data(contentsOf: fileURL))
    } catch {
      throw .readFailed(path: path, reason: error.localizedDescription)
    }
    var events: [TensorBoardEvent] = []
    for (index, range) in try EventRecord.dataRanges(in: bytes, path: path).enumerated() {
      do {
        events.append(TensorBoardEvent(try Tensorboard_Event(serializedBytes: Array(bytes[range]))))
      } catch {
        let offset = range.lowerBound - EventRecord.headerSize
        throw .malformedEvent(path: path, recordIndex: index, offset: offset, reason: "\(error)")
      }
    }
    return events
  }

  /// The event files in `runDirectory` (the files whose names contain `tfevents`, as TensorBoard
  /// finds them), sorted by name, which is by creation time for files of one host.
  ///
  /// ```swift
  /// let files = try TensorBoardReader.eventFiles(in: runDirectory)
  /// let events = try files.flatMap { url throws(TensorBoardError) in try TensorBoardReader(fileURL: url).events() }
  /// ```
  ///
  /// - Throws: ``TensorBoardError/readFailed(path:reason:)`` if the directory cannot be listed.
  public static func eventFiles(in runDirectory: URL) throws(TensorBoardError) -> [URL] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: runDirectory.path(percentEncoded: false))
    } catch {
      throw .readFailed(path: runDirectory.path(percentEncoded: false), reason: error.localizedDescription)
    }
    return names.filter { $0.contains(EventFileName.marker) }.sorted()
      .map { runDirectory.appending(path: $0, directoryHint: .notDirectory) }
  }
}
