/// A tagged scalar of a TensorBoard event (a `simple_value`, a 32-bit float).
///
/// NaN and the infinities are kept as they are: TensorBoard stores and reads them.
///
/// ```swift
/// try writer.addScalars([TensorBoardScalar(tag: "loss", value: 0.25)], step: 10)
/// ```
public struct TensorBoardScalar: Sendable, Hashable, Codable {
  /// The name of the series, e.g. `"train/loss"`.
  public var tag: String
  /// The value.
  public var value: Float

  /// Creates a tagged scalar.
  public init(tag: String, value: Float) {
    self.tag = tag
    self.value = value
  }
}
