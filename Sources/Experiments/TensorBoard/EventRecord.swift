/// The TFRecord framing of TensorBoard's event files.
///
/// A file is a sequence of records, each:
///
/// | bytes | content |
/// |---|---|
/// | 8 | the data's length `n`, a little-endian `UInt64` |
/// | 4 | the masked CRC-32C of those 8 bytes, little-endian |
/// | n | the data (a serialized `tensorboard.Event`) |
/// | 4 | the masked CRC-32C of the data, little-endian |
///
/// A masked CRC is `((crc >> 15) | (crc << 17)) &+ 0xA282EAD8` (TensorFlow's `crc32c::Mask`).
///
/// ```swift
/// var file: [UInt8] = []
/// EventRecord.append(eventBytes, to: &file)
/// ```
enum EventRecord {
  /// The bytes before a record's data: length and its checksum.
  static let headerSize = 12
  /// The bytes after a record's data: its checksum.
  static let footerSize = 4
  /// The constant added when masking a CRC.
  static let maskDelta: UInt32 = 0xA282_EAD8

  /// Masks `crc` as TensorFlow does, so that a CRC of data holding CRCs stays well distributed.
  static func mask(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ maskDelta }

  /// Appends `data` framed as one record to `buffer`.
  static func append(_ data: [UInt8], to buffer: inout [UInt8]) {
    buffer.reserveCapacity(buffer.count + headerSize + data.count + footerSize)
    let length = littleEndianBytes(UInt64(data.count))
    buffer.append(contentsOf: length)
    buffer.append(contentsOf: littleEndianBytes(mask(CRC32C.checksum(length))))
    buffer.append(contentsOf: data)
    buffer.append(contentsOf: littleEndianBytes(mask(CRC32C.checksum(data))))
  }

  /// The little-endian bytes of `value`.
  static func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    (0..<(Value.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
  }

  /// The little-endian integer in `bytes[offset..<offset + Value.bitWidth / 8]`.
  static func littleEndianValue<Value: FixedWidthInteger & UnsignedInteger>(
    _ bytes: [UInt8], at offset: Int, as type: Value.Type = Value.self
  ) -> Value {
    var value: Value = 0
    for index in 0..<(Value.bitWidth / 8) { value |= Value(bytes[offset + index]) << (index * 8) }
    return value
  }
}
