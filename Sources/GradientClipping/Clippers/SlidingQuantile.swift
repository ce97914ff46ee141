/// The exact quantile of the last `capacity` values of a stream, kept up to date in O(log capacity)
/// per value: AutoClip's bookkeeping (``AutoClipClipper``).
///
/// The quantile is the one of `torch.quantile` and NumPy's default: for `n` values sorted as
/// `s[0] <= ... <= s[n - 1]`, `position = q * (n - 1)`, `k = floor(position)`, and the quantile is
/// `s[k] + (s[min(k + 1, n - 1)] - s[k]) * (position - k)`. Only `s[k]` and `s[k + 1]` are needed,
/// and they are read off two binary heaps that split the window at rank `k + 1`:
///
/// - `lower`, a max-heap of the `k + 1` smallest values, whose top is `s[k]`;
/// - `upper`, a min-heap of the rest, whose top is `s[k + 1]`;
///
/// with every value of `lower` `<=` every value of `upper`. The values themselves sit in a ring
/// in arrival order (oldest first, for eviction and for ``values``); the heaps hold `(value,
/// slot)` entries and each heap knows where each slot sits, so that the oldest value is removed
/// from the middle of its heap in O(log n) (an indexed heap). One step, window full: remove the
/// oldest from its heap, put the new value on the side its value belongs to, then move tops
/// across until `lower` holds exactly `k + 1` entries. `k` is fixed once the window is full and
/// moves by at most one (in exact arithmetic) per value while it fills, so one move per step
/// suffices; the loop allows any number so that correctness never rests on that argument.
///
/// Complexity, `n` the values held (at most `capacity`): ``append(_:)`` O(log n) worst case
/// (a removal, an insertion and one move between the heaps, a pop and a push: four sifts, each
/// at most `log2 n` swaps); ``currentQuantile`` O(1);
/// ``values`` O(n); building from `n` values O(n log n). Memory: the ring and the two heaps hold
/// exactly the window, `n` doubles plus `n` entries plus two slot-to-position tables.
///
/// Why two indexed heaps rather than the alternatives:
/// - Two heaps with *lazy* deletion (tombstones removed when they reach a top) are amortized
///   O(log n) only, and a tombstone buried under newer values (a rising stream under a max-heap)
///   never reaches the top, so the heaps grow without bound unless rebuilt from time to time;
///   with repeated values the tombstones must also be kept per heap. An indexed heap deletes at
///   once: worst-case O(log n), memory exactly the window.
/// - An order-statistic balanced tree or a skip list answers any rank in O(log n) too, but needs
///   node allocation and rotation (or randomization) code; AutoClip asks for one fixed rank, which
///   is what two heaps give with two flat arrays.
///
/// The results are the very values the sort-based definition gives: the two order statistics
/// are exact (ties are equal values, whichever copy is on top) and the interpolation is the same
/// expression in the same order.
struct SlidingQuantile: Sendable {
  /// The quantile in [0, 1].
  let quantile: Double
  /// How many of the latest values are kept (>= 1).
  let capacity: Int
  /// The values by slot; slots are filled in order until the ring is full, then reused oldest
  /// first.
  private var ring: [Double] = []
  /// The slot of the oldest value once the ring is full (0 before).
  private var oldest = 0
  /// The `k + 1` smallest values, largest on top.
  private var lower = SlotHeap(maxOnTop: true)
  /// The other values, smallest on top.
  private var upper = SlotHeap(maxOnTop: false)

  /// An empty window.
  init(quantile: Double, capacity: Int) {
    self.quantile = quantile
    self.capacity = capacity
  }

  /// A window holding `values`, oldest first (at most `capacity` of them: the caller checks).
  init(quantile: Double, capacity: Int, values: [Double]) {
    self.init(quantile: quantile, capacity: capacity)
    for value in values { append(value) }
  }

  /// How many values are held.
  var count: Int { ring.count }

  /// The values held, oldest first.
  var values: [Double] {
    guard ring.count == capacity, oldest > 0 else { return ring }
    return Array(ring[oldest...] + ring[..<oldest])
  }

  /// The interpolated quantile of the values held; `nil` when there are none.
  var currentQuantile: Double? {
    guard let low = lower.top?.value else { return nil }
    let position = quantile * Double(ring.count - 1)
    let fraction = position - Double(Self.lowerIndex(quantile: quantile, count: ring.count))
    let high = upper.top?.value ?? low
    return low + (high - low) * fraction
  }

  /// Records `value`, forgetting the oldest value if the window is full.
  mutating func append(_ value: Double) {
    let slot: Int
    if ring.count < capacity {
      slot = ring.count
      ring.append(value)
    } else {
      slot = oldest
      if lower.contains(slot: slot) { lower.remove(slot: slot) } else { upper.remove(slot: slot) }
      ring[slot] = value
      oldest = (oldest + 1) % capacity
    }
    let entry = SlotHeap.Entry(value: value, slot: slot)
    if let top = lower.top, value <= top.value { lower.push(entry) } else { upper.push(entry) }
    rebalance()
  }

  /// Moves tops across until `lower` holds the `k + 1` smallest values.
  private mutating func rebalance() {
    let target = ring.isEmpty ? 0 : Self.lowerIndex(quantile: quantile, count: ring.count) + 1
    while lower.count > target, let moved = lower.popTop() { upper.push(moved) }
    while lower.count < target, let moved = upper.popTop() { lower.push(moved) }
  }

  /// The swaps done in the heaps so far: a measure of the work that does not depend on timing, so
  /// that tests can check the O(log n) bound per value.
  var swapCount: Int { lower.swapCount &+ upper.swapCount }

  /// Whether the structure is consistent: both heaps ordered and indexed, `lower` holding the
  /// `k + 1` smallest values and nothing else, every ring slot in exactly one heap. O(n); for
  /// tests.
  var isConsistent: Bool {
    let target = ring.isEmpty ? 0 : Self.lowerIndex(quantile: quantile, count: ring.count) + 1
    guard lower.isConsistent, upper.isConsistent, lower.count == target, lower.count + upper.count == ring.count
    else { return false }
    if let low = lower.top, let high = upper.top, low.value > high.value { return false }
    return ring.indices.allSatisfy { slot in
      let inLower = lower.contains(slot: slot)
      return inLower != upper.contains(slot: slot) && (inLower ? lower : upper).value(ofSlot: slot) == ring[slot]
    }
  }

  /// `k = floor(q * (n - 1))`, the index of the lower order statistic, in [0, n - 1] for q in
  /// [0, 1] (rounding is monotonic and `n - 1` is exact).
  static func lowerIndex(quantile: Double, count: Int) -> Int {
    Int((quantile * Double(count - 1)).rounded(.down))
  }
}

extension SlidingQuantile: Hashable {
  /// Two windows are equal when they have the same quantile, capacity and values in the same
  /// order; the heap layout, which depends on the history of insertions, does not count.
  static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.quantile == rhs.quantile && lhs.capacity == rhs.capacity && lhs.values == rhs.values
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(quantile)
    hasher.combine(capacity)
    hasher.combine(values)
  }
}

/// A binary heap of `(value, slot)` entries that records the position of each slot, so that any
/// slot can be removed in O(log n). `maxOnTop` chooses a max-heap or a min-heap.
struct SlotHeap: Sendable {
  /// A value and the ring slot it came from.
  struct Entry: Sendable {
    var value: Double
    var slot: Int
  }

  /// Whether the largest value is on top (else the smallest).
  let maxOnTop: Bool
  /// The heap, `entries[0]` on top; the children of `i` are `2i + 1` and `2i + 2`.
  private var entries: [Entry] = []
  /// `positions[slot]` is the index of that slot's entry when the slot is in this heap; stale
  /// otherwise (``contains(slot:)`` checks).
  private var positions: [Int] = []
  /// How many swaps the sift operations have done (wrapping).
  private(set) var swapCount = 0

  init(maxOnTop: Bool) { self.maxOnTop = maxOnTop }

  var count: Int { entries.count }

  /// The largest (max-heap) or smallest (min-heap) entry.
  var top: Entry? { entries.first }

  /// Whether the entry of `slot` is in this heap.
  func contains(slot: Int) -> Bool {
    guard slot < positions.count else { return false }
    let position = positions[slot]
    return position < entries.count && entries[position].slot == slot
  }

  /// Adds an entry. O(log n).
  mutating func push(_ entry: Entry) {
    if entry.slot >= positions.count {
      positions.append(contentsOf: repeatElement(0, count: entry.slot - positions.count + 1))
    }
    entries.append(entry)
    positions[entry.slot] = entries.count - 1
    siftUp(entries.count - 1)
  }

  /// Removes and returns the top entry. O(log n).
  mutating func popTop() -> Entry? {
    guard let first = entries.first else { return nil }
    remove(at: 0)
    return first
  }

  /// Removes the entry of `slot`, which must be in this heap. O(log n).
  mutating func remove(slot: Int) { remove(at: positions[slot]) }

  /// Removes the entry at `position`: the last entry takes its place and sifts up or down.
  private mutating func remove(at position: Int) {
    let last = entries.removeLast()
    guard position < entries.count else { return }
    entries[position] = last
    positions[last.slot] = position
    if position > 0 && precedes(entries[position], entries[(position - 1) / 2]) {
      siftUp(position)
    } else {
      siftDown(position)
    }
  }

  /// Whether `a` belongs above `b`.
  private func precedes(_ a: Entry, _ b: Entry) -> Bool {
    maxOnTop ? a.value > b.value : a.value < b.value
  }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard precedes(entries[child], entries[parent]) else { return }
      swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      guard left < entries.count else { return }
      var best = precedes(entries[left], entries[parent]) ? left : parent
      if left + 1 < entries.count && precedes(entries[left + 1], entries[best]) { best = left + 1 }
      guard best != parent else { return }
      swapAt(parent, best)
      parent = best
    }
  }

  /// The value of `slot`'s entry, which must be in this heap.
  func value(ofSlot slot: Int) -> Double { entries[positions[slot]].value }

  /// Whether every entry is in heap order with respect to its parent and every position is
  /// right. O(n); for tests.
  var isConsistent: Bool {
    entries.indices.allSatisfy { index in
      positions[entries[index].slot] == index && (index == 0 || !precedes(entries[index], entries[(index - 1) / 2]))
    }
  }

  private mutating func swapAt(_ i: Int, _ j: Int) {
    swapCount &+= 1
    entries.swapAt(i, j)
    positions[entries[i].slot] = i
    positions[entries[j].slot] = j
  }
}
