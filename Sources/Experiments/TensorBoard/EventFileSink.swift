#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A newly created event file that bytes are appended to through a buffer in memory, on a POSIX
/// file descriptor.
///
/// Appends collect in the buffer until it holds `capacity` bytes, then go to the file in one
/// `write`; ``flush()`` writes what is buffered and `fsync`s the file. Every failure is a
/// ``TensorBoardError`` naming the file.
///
/// ```swift
/// var sink = try EventFileSink(creating: path, capacity: 1 << 16)
/// try sink.append(bytes)
/// try sink.close()
/// ```
struct EventFileSink {
  /// The path the file was created at.
  let path: String
  /// The file descriptor, or -1 once closed.
  private var descriptor: Int32
  /// Bytes appended but not yet written.
  private var buffer: [UInt8] = []
  /// How many bytes the buffer holds before it is written out.
  private let capacity: Int

  /// Creates the file at `path`, which must not exist.
  ///
  /// - Throws: ``TensorBoardError/fileExists(path:)`` if it exists,
  ///   ``TensorBoardError/cannotOpen(path:reason:)`` for any other failure.
  init(creating path: String, capacity: Int) throws(TensorBoardError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let code = errno
      throw code == EEXIST ? .fileExists(path: path) : .cannotOpen(path: path, reason: Self.message(code))
    }
    self.path = path
    self.descriptor = descriptor
    self.capacity = Swift.max(capacity, 0)
    buffer.reserveCapacity(self.capacity)
  }

  /// Whether the file is still open.
  var isOpen: Bool { descriptor >= 0 }

  /// Appends `bytes`, writing the buffer out once it holds `capacity` bytes.
  mutating func append(_ bytes: [UInt8]) throws(TensorBoardError) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= capacity { try writeBuffer() }
  }

  /// Writes the buffered bytes to the file and then flushes the file to the disk (`fsync`).
  mutating func flush() throws(TensorBoardError) {
    try writeBuffer()
    guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, reason: "fsync: " + Self.message(errno)) }
  }

  /// Flushes and closes the file; the descriptor is released even if flushing fails. Closing a
  /// closed file does nothing.
  mutating func close() throws(TensorBoardError) {
    guard isOpen else { return }
    defer { abandon() }
    try flush()
    let result = systemClose(descriptor)
    descriptor = -1
    guard result == 0 else { throw .writeFailed(path: path, reason: "close: " + Self.message(errno)) }
  }

  /// Closes the file without writing what is buffered, after a failure.
  mutating func abandon() {
    if descriptor >= 0 { _ = systemClose(descriptor) }
    descriptor = -1
    buffer = []
  }

  /// Writes the buffered bytes, retrying partial and interrupted writes.
  private mutating func writeBuffer() throws(TensorBoardError) {
    var written = 0
    while written < buffer.count {
      let result = buffer.withUnsafeBytes { bytes in
        systemWrite(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
      }
      if result < 0 {
        let code = errno
        if code == EINTR { continue }
        throw .writeFailed(path: path, reason: "write: " + Self.message(code))
      }
      guard result > 0 else { throw .writeFailed(path: path, reason: "write: no bytes written") }
      written += result
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// The C library's message for `code`.
  static func message(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// `write(2)`, out of the way of ``EventFileSink``'s own names.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
  guard let bytes else { return 0 }
  return write(descriptor, bytes, count)
}

/// `close(2)`, out of the way of ``EventFileSink``'s own names.
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
