/// What went wrong writing or reading a TensorBoard event file.
///
/// Every case that concerns a file names it (`path`); the cases about a damaged file also give the
/// index of the record (0 for the first, which holds the file version) and the byte offset where
/// that record starts.
///
/// ```swift
/// do {
///   let events = try TensorBoardReader(fileURL: url).events()
/// } catch .dataChecksumMismatch(let path, let record, _, _, _) {
///   print("record \(record) of \(path) is damaged")
/// } catch {
///   print(error)  // e.g. "/runs/a/events.out.tfevents...: record 3 at byte 212 is truncated: ..."
/// }
/// ```
public enum TensorBoardError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The event file to create already exists; the writer never overwrites a file.
  case fileExists(path: String)
  /// The run directory could not be created.
  case cannotCreateDirectory(path: String, reason: String)
  /// The event file could not be created or opened.
  case cannotOpen(path: String, reason: String)
  /// Writing, flushing or closing the event file failed; the writer is closed afterwards.
  case writeFailed(path: String, reason: String)
  /// The writer was closed (by ``TensorBoardWriter/close()`` or after a failed write).
  case writerClosed(path: String)
  /// A histogram was asked of values that include NaN or an infinity, as TensorFlow refuses too
  /// ("Nan in summary histogram"); nothing was written.
  case nonFiniteHistogramValue(tag: String, index: Int)
  /// The event file or directory could not be read.
  case readFailed(path: String, reason: String)
  /// The file ends inside a record: the record starting at `offset` needs `needed` bytes (its
  /// header, data and footer, or at least its 12-byte header), only `available` are left.
  case truncatedRecord(path: String, recordIndex: Int, offset: Int, needed: Int, available: Int)
  /// The checksum of a record's 8 length bytes does not match the stored one.
  case lengthChecksumMismatch(path: String, recordIndex: Int, offset: Int, stored: UInt32, computed: UInt32)
  /// The checksum of a record's data does not match the stored one.
  case dataChecksumMismatch(path: String, recordIndex: Int, offset: Int, stored: UInt32, computed: UInt32)
  /// A record's data, with valid checksums, is not a `tensorboard.Event`.
  case malformedEvent(path: String, recordIndex: Int, offset: Int, reason: String)

  /// A sentence that says what went wrong and where.
  public var description: String {
    switch self {
    case .fileExists(let path): "\(path): the event file already exists (it is never overwritten)"
    case .cannotCreateDirectory(let path, let reason): "\(path): cannot create the run directory: \(reason)"
    case .cannotOpen(let path, let reason): "\(path): cannot open the event file: \(reason)"
    case .writeFailed(let path, let reason): "\(path): writing the event file failed: \(reason)"
    case .writerClosed(let path): "\(path): the event writer is closed"
    case .nonFiniteHistogramValue(let tag, let index):
      "histogram '\(tag)': value \(index) is NaN or infinite; TensorBoard histograms need finite values"
    case .readFailed(let path, let reason): "\(path): cannot read: \(reason)"
    case .truncatedRecord(let path, let record, let offset, let needed, let available):
      "\(path): record \(record) at byte \(offset) is truncated: it needs \(needed) bytes, only \(available) are left"
    case .lengthChecksumMismatch(let path, let record, let offset, let stored, let computed):
      "\(path): record \(record) at byte \(offset): length checksum mismatch "
        + "(stored \(Self.hex(stored)), computed \(Self.hex(computed)))"
    case .dataChecksumMismatch(let path, let record, let offset, let stored, let computed):
      "\(path): record \(record) at byte \(offset): data checksum mismatch "
        + "(stored \(Self.hex(stored)), computed \(Self.hex(computed)))"
    case .malformedEvent(let path, let record, let offset, let reason):
      "\(path): record \(record) at byte \(offset) is not a TensorBoard event: \(reason)"
    }
  }

  /// `value` as eight hexadecimal digits.
  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
