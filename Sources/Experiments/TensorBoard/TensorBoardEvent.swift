/// One event of a TensorBoard event file, as ``TensorBoardReader`` decodes it: when, at which
/// step, and the scalars and histograms it carries.
///
/// The first event of a file has a ``fileVersion`` (`"brain.Event:2"`) and no values. Values of
/// other kinds (images, audio, tensors) and other event kinds (graphs, session logs) are not
/// decoded: such an event shows up with empty ``scalars`` and ``histograms``.
///
/// ```swift
/// let events = try TensorBoardReader(fileURL: writer.fileURL).events()
/// let losses = events.compactMap { event in event.scalar("loss").map { (event.step, $0) } }
/// ```
public struct TensorBoardEvent: Sendable, Hashable, Codable {
  /// Seconds since the Unix epoch.
  public var wallTime: Double
  /// The training step.
  public var step: Int
  /// The file version, in the first event of a file.
  public var fileVersion: String?
  /// The scalars, in file order.
  public var scalars: [TensorBoardScalar]
  /// The histograms, in file order.
  public var histograms: [TensorBoardTaggedHistogram]

  /// Creates an event.
  public init(
    wallTime: Double, step: Int, fileVersion: String? = nil, scalars: [TensorBoardScalar] = [],
    histograms: [TensorBoardTaggedHistogram] = []
  ) {
    self.wallTime = wallTime
    self.step = step
    self.fileVersion = fileVersion
    self.scalars = scalars
    self.histograms = histograms
  }

  /// The value of the first scalar tagged `tag`, if the event has one.
  public func scalar(_ tag: String) -> Float? { scalars.first { $0.tag == tag }?.value }

  /// The first histogram tagged `tag`, if the event has one.
  public func histogram(_ tag: String) -> TensorBoardHistogram? {
    histograms.first { $0.tag == tag }?.histogram
  }
}
