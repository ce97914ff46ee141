import Foundation
import Testing

@testable import Experiments

@Suite("TensorBoard reader: damaged files")
struct TensorBoardReaderTests {
  /// A closed file with the version event and three scalar events, and its bytes.
  private func writeFile(in directory: URL) throws -> (url: URL, path: String, bytes: [UInt8]) {
    let writer = try TensorBoardTestSupport.writer(in: directory)
    for step in 1...3 { try writer.addScalar(tag: "loss", value: Float(step), step: step, wallTime: 5) }
    try writer.close()
    let bytes = try TensorBoardTestSupport.bytes(writer.fileURL)
    return (writer.fileURL, writer.fileURL.path(percentEncoded: false), bytes)
  }

  /// The byte offset of record `index` in `bytes`.
  private func offset(ofRecord index: Int, in bytes: [UInt8]) -> Int {
    var offset = 0
    for _ in 0..<index {
      offset += 16 + Int(EventRecord.littleEndianValue(bytes, at: offset, as: UInt64.self))
    }
    return offset
  }

  @Test("a flipped data byte gives dataChecksumMismatch naming the file and record")
  func corruptData() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let file = try writeFile(in: directory)
    var bytes = file.bytes
    let start = offset(ofRecord: 2, in: bytes)
    bytes[start + 12 + 3] ^= 0x01
    try TensorBoardTestSupport.overwrite(file.url, with: bytes)
    let error = #expect(throws: TensorBoardError.self) { try TensorBoardReader(fileURL: file.url).events() }
    guard case .dataChecksumMismatch(let path, let record, let at, let stored, let computed) = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
    #expect(path == file.path && record == 2 && at == start && stored != computed)
    #expect(error?.description.contains("record 2 at byte \(start): data checksum mismatch") == true)
  }

  @Test("a flipped length byte gives lengthChecksumMismatch")
  func corruptLength() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let file = try writeFile(in: directory)
    var bytes = file.bytes
    let start = offset(ofRecord: 3, in: bytes)
    bytes[start] ^= 0x40
    try TensorBoardTestSupport.overwrite(file.url, with: bytes)
    let error = #expect(throws: TensorBoardError.self) { try TensorBoardReader(fileURL: file.url).events() }
    guard case .lengthChecksumMismatch(_, 3, start, _, _) = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
  }

  @Test("a flipped checksum byte is a mismatch too")
  func corruptChecksum() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let file = try writeFile(in: directory)
    var bytes = file.bytes
    bytes[bytes.count - 1] ^= 0x80
    try TensorBoardTestSupport.overwrite(file.url, with: bytes)
    let error = #expect(throws: TensorBoardError.self) { try TensorBoardReader(fileURL: file.url).events() }
    guard case .dataChecksumMismatch(_, 3, _, _, _) = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
  }

  @Test("a file cut anywhere inside a record gives truncatedRecord")
  func truncated() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let file = try writeFile(in: directory)
    let start = offset(ofRecord: 3, in: file.bytes)
    let recordSize = file.bytes.count - start
    for cut in [1, 11, 12, 20, recordSize - 1] {
      try TensorBoardTestSupport.overwrite(file.url, with: Array(file.bytes[..<(start + cut)]))
      let error = #expect(throws: TensorBoardError.self) { try TensorBoardReader(fileURL: file.url).events() }
      let needed = cut < 12 ? 12 : recordSize
      #expect(
        error == .truncatedRecord(path: file.path, recordIndex: 3, offset: start, needed: needed, available: cut))
    }
    try TensorBoardTestSupport.overwrite(file.url, with: Array(file.bytes[..<start]))
    #expect(try TensorBoardReader(fileURL: file.url).events().count == 3)
  }

  @Test("an empty file has no events; a missing file gives readFailed")
  func emptyAndMissing() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let empty = directory.appending(path: "events.out.tfevents.0.empty")
    try TensorBoardTestSupport.overwrite(empty, with: [])
    #expect(try TensorBoardReader(fileURL: empty).events().isEmpty)
    let missing = directory.appending(path: "missing")
    #expect {
      try TensorBoardReader(fileURL: missing).events()
    } throws: { error in
      guard case .readFailed(let path, _) = error as? TensorBoardError else { return false }
      return path == missing.path(percentEncoded: false)
    }
  }

  @Test("a record with valid checksums that is not an event gives malformedEvent")
  func malformed() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let url = directory.appending(path: "events.out.tfevents.0.bad")
    var bytes: [UInt8] = []
    EventRecord.append([0x0A, 0x05, 0x41], to: &bytes)  // field 1 as bytes of length 5, cut short
    try TensorBoardTestSupport.overwrite(url, with: bytes)
    let error = #expect(throws: TensorBoardError.self) { try TensorBoardReader(fileURL: url).events() }
    guard case .malformedEvent(_, 0, 0, _) = error else {
      Issue.record("unexpected error \(String(describing: error))")
      return
    }
  }
}
