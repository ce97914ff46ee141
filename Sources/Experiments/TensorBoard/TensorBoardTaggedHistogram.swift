/// A tagged histogram of a TensorBoard event.
///
/// ```swift
/// let event = try TensorBoardReader(fileURL: url).events()[1]
/// for entry in event.histograms { print(entry.tag, entry.histogram.count) }
/// ```
public struct TensorBoardTaggedHistogram: Sendable, Hashable, Codable {
  /// The name of the series, e.g. `"gradients/layer1"`.
  public var tag: String
  /// The histogram.
  public var histogram: TensorBoardHistogram

  /// Creates a tagged histogram.
  public init(tag: String, histogram: TensorBoardHistogram) {
    self.tag = tag
    self.histogram = histogram
  }
}
