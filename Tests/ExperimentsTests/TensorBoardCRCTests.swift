import Testing

@testable import Experiments

@Suite("TensorBoard CRC-32C and record framing")
struct TensorBoardCRCTests {
  @Test("CRC-32C known vectors (RFC 3720 B.4 and the check value)")
  func knownVectors() {
    #expect(CRC32C.checksum([]) == 0)
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
  }

  @Test("slicing-by-8 agrees with the bitwise CRC for every length up to 100 and misalignment")
  func agreesWithBitwise() {
    let bytes = TensorBoardTestSupport.randomBytes(count: 107, seed: 42)
    for start in 0..<8 {
      for length in 0...(bytes.count - start) {
        let slice = Array(bytes[start..<start + length])
        #expect(CRC32C.checksum(slice) == TensorBoardTestSupport.bitwiseCRC32C(slice))
      }
    }
  }

  @Test("update continues a checksum across any split")
  func incremental() {
    let bytes = TensorBoardTestSupport.randomBytes(count: 64, seed: 7)
    let whole = CRC32C.checksum(bytes)
    for split in 0...bytes.count {
      let combined = bytes.withUnsafeBytes { raw in
        let first = CRC32C.update(0, with: UnsafeRawBufferPointer(rebasing: raw[..<split]))
        return CRC32C.update(first, with: UnsafeRawBufferPointer(rebasing: raw[split...]))
      }
      #expect(combined == whole)
    }
  }

  @Test("masking is TensorFlow's rotate-and-add and can be undone")
  func masking() {
    let crc: UInt32 = 0xE306_9283
    let masked = EventRecord.mask(crc)
    #expect(masked == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    let rotated = masked &- 0xA282_EAD8
    #expect(((rotated >> 17) | (rotated << 15)) == crc)
  }

  @Test("records are framed byte for byte as TensorBoard's own RecordWriter frames them")
  func goldenRecords() throws {
    // From Python: tensorboard's event_pb2 serialized, framed with struct.pack and masked_crc32c.
    let versionRecord = TensorBoardTestSupport.bytes(
      hex: "1800000000000000a37f4b220900002040fc54d9411a0d627261696e2e4576656e743a322b353110")
    let scalarRecord = TensorBoardTestSupport.bytes(
      hex: "1a00000000000000129bd82d0900005040fc54d94110072a0d0a0b0a046c6f73731500000000a2db3c32")
    var framed: [UInt8] = []
    let version = TensorBoardEvent(wallTime: 1_700_000_000.5, step: 0, fileVersion: "brain.Event:2")
    EventRecord.append(try version.message.serializedBytes(), to: &framed)
    #expect(framed == versionRecord)
    framed = []
    let scalar = TensorBoardEvent(
      wallTime: 1_700_000_001.25, step: 7, scalars: [TensorBoardScalar(tag: "loss", value: 0)])
    EventRecord.append(try scalar.message.serializedBytes(), to: &framed)
    #expect(framed == scalarRecord)
  }
}
