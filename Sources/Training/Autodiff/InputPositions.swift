/// A set of positions among an operation's inputs, held in one word: the first 64 positions
/// can be members, later ones never are.
///
/// Backward makes one per operation (which inputs' parameter gradients the operation's rule
/// completes), so it must not allocate: an array here cost more than the measurement it enables.
struct InputPositions: Sendable, Equatable {
  /// The largest number of positions a set can hold.
  static let capacity = UInt64.bitWidth

  private var bits: UInt64 = 0

  /// The empty set.
  init() {}

  /// Whether `position` is in the set.
  func contains(_ position: Int) -> Bool {
    position >= 0 && position < Self.capacity && bits & (1 << UInt64(position)) != 0
  }

  /// Adds `position`, if it is below ``capacity``; returns whether it is now a member.
  @discardableResult
  mutating func insert(_ position: Int) -> Bool {
    guard position >= 0, position < Self.capacity else { return false }
    bits |= 1 << UInt64(position)
    return true
  }
}
