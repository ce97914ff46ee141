import Foundation
import Training

@testable import Experiments

/// Temporary directories, raw file edits and hex for the TensorBoard tests.
enum TensorBoardTestSupport {
  /// A new empty directory under the temporary directory; remove it with ``remove(_:)``.
  static func makeDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appending(
      path: "gradclip-tensorboard-\(UUID().uuidString)", directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Removes `url` and everything under it, ignoring failures.
  static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

  /// A writer in `directory` with host name `testhost`, created at 1700000000.5 seconds.
  static func writer(in directory: URL, suffix: String = "") throws -> TensorBoardWriter {
    try TensorBoardWriter(
      runDirectory: directory, fileSuffix: suffix, hostname: "testhost",
      creationTime: Date(timeIntervalSince1970: 1_700_000_000.5))
  }

  /// The bytes of the file at `url`.
  static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

  /// Replaces the file at `url` with `bytes`.
  static func overwrite(_ url: URL, with bytes: [UInt8]) throws { try Data(bytes).write(to: url) }

  /// The bytes of a hexadecimal string.
  static func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).compactMap { index in
      UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16)
    }
  }

  /// The CRC-32C of `bytes`, one bit at a time: the reference for the table-driven one.
  static func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
  }

  /// Deterministic pseudo-random bytes (the engine's seeded generator).
  static func randomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
  }
}
