extension EventRecord {
  /// The ranges of the data of the records in `bytes`, the whole content of the event file
  /// `path`, after checking both checksums of every record.
  ///
  /// ```swift
  /// for range in try EventRecord.dataRanges(in: bytes, path: path) { decode(bytes[range]) }
  /// ```
  ///
  /// - Throws: ``TensorBoardError/truncatedRecord(path:recordIndex:offset:needed:available:)``,
  ///   ``TensorBoardError/lengthChecksumMismatch(path:recordIndex:offset:stored:computed:)`` or
  ///   ``TensorBoardError/dataChecksumMismatch(path:recordIndex:offset:stored:computed:)``.
  static func dataRanges(in bytes: [UInt8], path: String) throws(TensorBoardError) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var offset = 0
    while offset < bytes.count {
      let range = try dataRange(in: bytes, recordIndex: ranges.count, offset: offset, path: path)
      ranges.append(range)
      offset = range.upperBound + footerSize
    }
    return ranges
  }

  /// The range of the data of the record that starts at `offset`, after checking its checksums.
  private static func dataRange(
    in bytes: [UInt8], recordIndex: Int, offset: Int, path: String
  ) throws(TensorBoardError) -> Range<Int> {
    let available = bytes.count - offset
    guard available >= headerSize else {
      throw .truncatedRecord(
        path: path, recordIndex: recordIndex, offset: offset, needed: headerSize, available: available)
    }
    let storedLengthCRC = littleEndianValue(bytes, at: offset + 8, as: UInt32.self)
    let computedLengthCRC = maskedChecksum(of: bytes, in: offset..<offset + 8)
    guard storedLengthCRC == computedLengthCRC else {
      throw .lengthChecksumMismatch(
        path: path, recordIndex: recordIndex, offset: offset, stored: storedLengthCRC, computed: computedLengthCRC)
    }
    let length = littleEndianValue(bytes, at: offset, as: UInt64.self)
    let needed = UInt64(headerSize + footerSize) + length
    guard needed <= UInt64(available) else {
      let reported = Int(exactly: needed) ?? Int.max
      throw .truncatedRecord(
        path: path, recordIndex: recordIndex, offset: offset, needed: reported, available: available)
    }
    let data = (offset + headerSize)..<(offset + headerSize + Int(length))
    let storedDataCRC = littleEndianValue(bytes, at: data.upperBound, as: UInt32.self)
    let computedDataCRC = maskedChecksum(of: bytes, in: data)
    guard storedDataCRC == computedDataCRC else {
      throw .dataChecksumMismatch(
        path: path, recordIndex: recordIndex, offset: offset, stored: storedDataCRC, computed: computedDataCRC)
    }
    return data
  }

  /// The masked CRC-32C of `bytes[range]`.
  private static func maskedChecksum(of bytes: [UInt8], in range: Range<Int>) -> UInt32 {
    bytes.withUnsafeBytes { mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[range]))) }
  }
}
