/// SplitMix64 (Steele, Lea & Flood 2014), a small seeded generator: the threshold advisor's
/// sampling decisions, seeded so that a run's advice can be reproduced (and the test suites'
/// data, through `@testable import`).
struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<bound` (`bound > 0`): the high word of `bound * next()`, whose bias
  /// (below `bound / 2^64`) is negligible here.
  mutating func next(below bound: Int) -> Int {
    Int(UInt64(bound).multipliedFullWidth(by: next()).high)
  }
}
