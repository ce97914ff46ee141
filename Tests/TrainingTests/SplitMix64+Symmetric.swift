@testable import GradientClipping

// The training tests draw their data from the core's SplitMix64, independent of the engine's
// generators, so that test data never changes with them.
extension SplitMix64 {
  /// A number uniform in [-1, 1): the top 53 bits of `next()`, scaled.
  mutating func symmetric() -> Double { Double(next() >> 11) / Double(1 << 52) - 1 }
}
