/// CRC-32C (Castagnoli), the checksum of TFRecord files such as TensorBoard's event files.
///
/// The reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF (the parameters of
/// iSCSI, SSE 4.2's `crc32` instruction and TensorFlow's `crc32c`), computed eight bytes at a time
/// with the slicing-by-8 tables.
///
/// ```swift
/// CRC32C.checksum(Array("123456789".utf8))  // 0xE3069283
/// ```
enum CRC32C {
  /// The reflected Castagnoli polynomial.
  static let polynomial: UInt32 = 0x82F6_3B78

  /// Eight tables of 256 entries, one after the other: entry `256 * k + b` is the CRC of byte `b`
  /// followed by `k` zero bytes.
  static let tables: [UInt32] = makeTables()

  /// The CRC-32C of `bytes`.
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { update(0, with: $0) }
  }

  /// The CRC-32C of `bytes`.
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, with: bytes) }

  /// Extends `crc`, the CRC-32C of some bytes, to the CRC-32C of those bytes followed by `bytes`.
  static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
    tables.withUnsafeBufferPointer { table in
      var state = ~crc
      var offset = 0
      while offset + 8 <= bytes.count {
        let low = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian ^ state
        let high = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        state = sliced(low, high, table)
        offset += 8
      }
      while offset < bytes.count {
        state = table[Int((state ^ UInt32(bytes[offset])) & 0xFF)] ^ (state >> 8)
        offset += 1
      }
      return ~state
    }
  }

  /// Advances the CRC state over eight bytes: `low` (already XORed with the state) and `high`.
  @inline(__always)
  private static func sliced(_ low: UInt32, _ high: UInt32, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
    let fromLow =
      table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
      ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
    let fromHigh =
      table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
      ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
    return fromLow ^ fromHigh
  }

  /// Builds the slicing-by-8 tables.
  private static func makeTables() -> [UInt32] {
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
      tables[byte] = crc
    }
    for slice in 1..<8 {
      for byte in 0..<256 {
        let previous = tables[(slice - 1) * 256 + byte]
        tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
      }
    }
    return tables
  }
}
