import PropertyBased
import Testing

@testable import GradientClipping

/// The windowed order-statistics structure behind AutoClip, against the definition: sort the
/// window, interpolate between the two adjacent order statistics.
@Suite("Sliding quantile")
struct SlidingQuantileTests {
  /// The quantile as AutoClip computed it before the structure existed: sort, interpolate.
  static func sortedQuantile(_ q: Double, of values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  /// Quantiles worth checking: the ends, the middle, quarters, and one from the seed.
  static func quantile(choice: Int, random: inout TestRandom) -> Double {
    let fixed = [0, 1, 0.5, 0.25, 0.75, 0.1, 0.9, 1.0 / 3]
    return choice < fixed.count ? fixed[choice] : (random.uniform() + 1) / 2
  }

  /// `count` values of one of several kinds: continuous, few distinct (many repeats), all
  /// equal, rising, falling, zigzag, or zeros mixed with huge and tiny magnitudes.
  static func stream(kind: Int, count: Int, random: inout TestRandom) -> [Double] {
    (0..<count).map { index in
      switch kind {
      case 0: return abs(random.uniform()) * 10
      case 1: return Double(random.next() % 4)
      case 2: return 2.5
      case 3: return Double(index)
      case 4: return Double(count - index)
      case 5: return Double(index % 2 == 0 ? index : -index)
      default:
        let magnitudes = [0, 1e-300, 1e300, 1, 0x1p-1074]
        return magnitudes[Int(random.next() % UInt64(magnitudes.count))]
      }
    }
  }

  @Test("after every value: the window in order, the quantile bit for bit as sorting gives, the heaps consistent")
  func matchesSorting() async {
    await propertyCheck(
      count: 300, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...40), Gen.int(in: 0...8), Gen.int(in: 0...6)
    ) { seed, capacity, choice, kind in
      var random = TestRandom(seed: UInt64(seed))
      let q = Self.quantile(choice: choice, random: &random)
      var window = SlidingQuantile(quantile: q, capacity: capacity)
      var expected: [Double] = []
      #expect(window.currentQuantile == nil)
      for value in Self.stream(kind: kind, count: 3 * capacity + 7, random: &random) {
        window.append(value)
        expected = Array((expected + [value]).suffix(capacity))
        #expect(window.values == expected)
        #expect(window.currentQuantile?.bitPattern == Self.sortedQuantile(q, of: expected)?.bitPattern, "q \(q)")
        #expect(window.isConsistent)
      }
    }
  }

  @Test("a window of one is the last value; quantile 0 is the minimum and 1 the maximum of the window")
  func extremes() {
    var one = SlidingQuantile(quantile: 0.5, capacity: 1)
    for value in [3.0, 1, 4, 1, 5] {
      one.append(value)
      #expect(one.currentQuantile == value && one.values == [value])
    }
    var low = SlidingQuantile(quantile: 0, capacity: 3)
    var high = SlidingQuantile(quantile: 1, capacity: 3)
    let stream: [Double] = [5, 2, 8, 9, 7, 1, 6]
    for (index, value) in stream.enumerated() {
      low.append(value)
      high.append(value)
      let window = stream[max(0, index - 2)...index]
      #expect(low.currentQuantile == window.min() && high.currentQuantile == window.max())
    }
  }

  @Test("hand-computed: window 4, q = 0.25 over 4 1 3 2 then 0: 1.75, then 1.75 over 1 3 2 0")
  func handComputed() {
    var window = SlidingQuantile(quantile: 0.25, capacity: 4)
    for value in [4.0, 1, 3, 2] { window.append(value) }
    // Sorted 1 2 3 4: position 0.75, 1 + (2 - 1) * 0.75.
    #expect(window.currentQuantile == 1.75)
    window.append(0)
    // Window 1 3 2 0, sorted 0 1 2 3: 0 + (1 - 0) * 0.75.
    #expect(window.values == [1, 3, 2, 0] && window.currentQuantile == 0.75)
  }

  /// The complexity argument, checked without a clock: every value costs at most
  /// `4 * ceil(log2(capacity + 1))` swaps (a removal, an insertion and one move between the
  /// heaps, a pop and a push: four sifts, each at most the heap's height), on streams that defeat
  /// naive schemes (rising, falling, equal, zigzag), and the structure never holds more than the
  /// window.
  @Test("work per value is O(log capacity) on adversarial streams; memory is the window")
  func logarithmicWork() {
    let capacity = 1024
    let height = Int.bitWidth - (capacity + 1).leadingZeroBitCount  // ceil(log2(capacity + 1))
    var random = TestRandom(seed: 17)
    for kind in 0...6 {
      for q in [0, 0.5, 0.9, 1] {
        var window = SlidingQuantile(quantile: q, capacity: capacity)
        var largest = 0
        for value in Self.stream(kind: kind, count: 8 * capacity, random: &random) {
          let before = window.swapCount
          window.append(value)
          largest = max(largest, window.swapCount - before)
        }
        #expect(largest <= 4 * height, "kind \(kind), q \(q): \(largest) swaps for one value")
        #expect(window.count == capacity && window.isConsistent)
      }
    }
  }

  @Test("windows with the same values in the same order are equal and hash alike, however they were built")
  func equality() {
    var streamed = SlidingQuantile(quantile: 0.3, capacity: 5)
    for value in [9.0, 8, 7, 1, 2, 3, 4, 5] { streamed.append(value) }
    let rebuilt = SlidingQuantile(quantile: 0.3, capacity: 5, values: [1, 2, 3, 4, 5])
    #expect(streamed == rebuilt && streamed.hashValue == rebuilt.hashValue)
    #expect(streamed.currentQuantile == rebuilt.currentQuantile)
    #expect(streamed != SlidingQuantile(quantile: 0.3, capacity: 5, values: [2, 1, 3, 4, 5]))
    #expect(streamed != SlidingQuantile(quantile: 0.4, capacity: 5, values: [1, 2, 3, 4, 5]))
  }
}
