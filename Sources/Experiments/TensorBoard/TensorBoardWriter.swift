import Foundation
import Synchronization

/// Writes a TensorBoard event file: scalars and histograms, by tag and step, that TensorBoard
/// (`tensorboard --logdir DIR`) shows as charts.
///
/// The file is `events.out.tfevents.<unix seconds>.<hostname><suffix>` in the run directory
/// (created if needed; one run directory per run, as TensorBoard names runs by directory). It is
/// a TFRecord file of `tensorboard.Event` messages: first the version event
/// (`file_version = "brain.Event:2"`), then one event per `add...` call. Scalars are
/// `simple_value`s, histograms TensorFlow 1's `histo`, both of which TensorBoard reads.
///
/// Writes collect in a buffer in memory and go to the file when it is full; ``flush()`` and
/// ``close()`` write everything and flush the file to the disk, and so does an add when
/// `flushInterval` has passed since the last flush (TensorFlow flushes every 120 seconds, too).
/// Closing is idempotent; a writer that is released unclosed is closed, errors ignored.
///
/// The writer is `Sendable`: calls from several tasks or threads are serialized by a lock.
/// After a failed write the file is closed and every later call throws
/// ``TensorBoardError/writerClosed(path:)``.
///
/// ```swift
/// let writer = try TensorBoardWriter(runDirectory: URL(filePath: "runs/clip-1.0"))
/// for step in 0..<steps {
///   let report = try trainStep()
///   try writer.addScalar(tag: "train/loss", value: report.loss, step: step)
///   try writer.addScalar(tag: "train/grad_norm", value: report.norm, step: step)
///   if step % 100 == 0 { try writer.addHistogram(tag: "gradients", values: report.gradient, step: step) }
/// }
/// try writer.close()
/// ```
public final class TensorBoardWriter: Sendable {
  /// The version string of the first event of every file, which TensorBoard checks.
  public static let fileVersion = "brain.Event:2"

  /// The event file being written.
  public let fileURL: URL
  /// How long buffered events may wait before an add flushes them; `nil` flushes only when the
  /// buffer is full, on ``flush()`` and on ``close()``.
  public let flushInterval: Duration?
  /// The open file and when it was last flushed.
  private let state: Mutex<State>

  /// What the lock guards.
  private struct State {
    var sink: EventFileSink
    var lastFlush: ContinuousClock.Instant
  }

  /// Creates the run directory if needed and a new event file in it, and writes the version event.
  ///
  /// ```swift
  /// let writer = try TensorBoardWriter(runDirectory: logdir.appending(path: "adam-clip1"))
  /// ```
  ///
  /// - Parameters:
  ///   - runDirectory: The directory of the run; created with its parents if missing.
  ///   - fileSuffix: Appended to the file name, to tell apart writers started in the same second
  ///     on the same host in the same directory.
  ///   - hostname: The host name in the file name; this machine's by default.
  ///   - creationTime: The time in the file name and of the version event; now by default.
  ///   - flushInterval: See ``flushInterval``; 120 seconds by default.
  ///   - bufferCapacity: How many bytes to buffer before writing to the file.
  /// - Throws: ``TensorBoardError/fileExists(path:)`` if the file already exists (it is never
  ///   overwritten), ``TensorBoardError/cannotCreateDirectory(path:reason:)``,
  ///   ``TensorBoardError/cannotOpen(path:reason:)`` or ``TensorBoardError/writeFailed(path:reason:)``.
  public init(
    runDirectory: URL, fileSuffix: String = "", hostname: String? = nil, creationTime: Date = Date(),
    flushInterval: Duration? = .seconds(120), bufferCapacity: Int = 1 << 16
  ) throws(TensorBoardError) {
    try Self.createDirectory(runDirectory)
    let seconds = creationTime.timeIntervalSince1970.rounded(.down)
    let name = EventFileName.make(
      seconds: Int64(exactly: seconds) ?? 0, hostname: hostname ?? EventFileName.localHostname(), suffix: fileSuffix)
    let fileURL = runDirectory.appending(path: name, directoryHint: .notDirectory)
    let version = TensorBoardEvent(
      wallTime: creationTime.timeIntervalSince1970, step: 0, fileVersion: Self.fileVersion)
    let sink = try Self.createFile(fileURL, startingWith: version, bufferCapacity: bufferCapacity)
    self.fileURL = fileURL
    self.flushInterval = flushInterval
    state = Mutex(State(sink: sink, lastFlush: .now))
  }

  deinit {
    state.withLock { state in try? state.sink.close() }
  }

  /// Whether ``close()`` was called or a write failed.
  public var isClosed: Bool { state.withLock { !$0.sink.isOpen } }

  /// Adds a scalar at `step`, as a 32-bit float; NaN and infinities are kept.
  ///
  /// ```swift
  /// try writer.addScalar(tag: "train/loss", value: loss, step: step)
  /// ```
  ///
  /// - Parameters:
  ///   - tag: The scalar's name (`train/loss`); TensorBoard groups tags by their first `/` part.
  ///   - value: The value.
  ///   - step: The step it belongs to (the x axis).
  ///   - wallTime: Seconds since the Unix epoch; now by default.
  public func addScalar(tag: String, value: Float, step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
    try addScalars([TensorBoardScalar(tag: tag, value: value)], step: step, wallTime: wallTime)
  }

  /// Adds a scalar at `step`, rounded to a 32-bit float (the file format's `simple_value`).
  ///
  /// ```swift
  /// try writer.addScalar(tag: "lr", value: 1e-3, step: step)
  /// ```
  public func addScalar(tag: String, value: Double, step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
    try addScalar(tag: tag, value: Float(value), step: step, wallTime: wallTime)
  }

  /// Adds several scalars at `step`, in one event.
  ///
  /// ```swift
  /// try writer.addScalars(
  ///   [TensorBoardScalar(tag: "loss", value: loss), TensorBoardScalar(tag: "grad_norm", value: norm)], step: step)
  /// ```
  public func addScalars(_ scalars: [TensorBoardScalar], step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
    try write(TensorBoardEvent(wallTime: wallTime ?? Self.now(), step: step, scalars: scalars))
  }

  /// Adds the histogram of `values` at `step`, bucketed as TensorFlow 1's `tf.summary.histogram`
  /// (see ``TensorBoardHistogram/init(values:)``).
  ///
  /// ```swift
  /// try writer.addHistogram(tag: "gradients/dense1", values: gradient, step: step)
  /// ```
  ///
  /// - Throws: ``TensorBoardError/nonFiniteHistogramValue(tag:index:)`` if a value is NaN or
  ///   infinite; nothing is written then.
  public func addHistogram<Values: Sequence>(
    tag: String, values: Values, step: Int, wallTime: Double? = nil
  ) throws(TensorBoardError) where Values.Element: BinaryFloatingPoint {
    let histogram: TensorBoardHistogram
    do {
      histogram = try TensorBoardHistogram(values: values)
    } catch .nonFiniteHistogramValue(_, let index) {
      throw .nonFiniteHistogramValue(tag: tag, index: index)
    }
    try addHistogram(tag: tag, histogram: histogram, step: step, wallTime: wallTime)
  }

  /// Adds a histogram computed elsewhere at `step`.
  ///
  /// ```swift
  /// try writer.addHistogram(tag: "weights", histogram: try TensorBoardHistogram(values: weights), step: 0)
  /// ```
  public func addHistogram(
    tag: String, histogram: TensorBoardHistogram, step: Int, wallTime: Double? = nil
  ) throws(TensorBoardError) {
    let entry = TensorBoardTaggedHistogram(tag: tag, histogram: histogram)
    try write(TensorBoardEvent(wallTime: wallTime ?? Self.now(), step: step, histograms: [entry]))
  }

  /// Adds `event` as it is: its scalars and then its histograms in one summary, or a version
  /// event if it has a ``TensorBoardEvent/fileVersion``.
  ///
  /// ```swift
  /// try writer.write(TensorBoardEvent(wallTime: time, step: 3, scalars: scalars, histograms: histograms))
  /// ```
  public func write(_ event: TensorBoardEvent) throws(TensorBoardError) {
    let path = fileURL.path(percentEncoded: false)
    let record = try Self.record(of: event, path: path)
    try withOpenSink { state throws(TensorBoardError) in
      try state.sink.append(record)
      if let flushInterval, state.lastFlush.duration(to: .now) >= flushInterval {
        try state.sink.flush()
        state.lastFlush = .now
      }
    }
  }

  /// Writes every buffered event to the file and flushes the file to the disk (`fsync`).
  ///
  /// ```swift
  /// try writer.flush()  // TensorBoard now sees everything added so far
  /// ```
  public func flush() throws(TensorBoardError) {
    try withOpenSink { state throws(TensorBoardError) in
      try state.sink.flush()
      state.lastFlush = .now
    }
  }

  /// Flushes (as ``flush()``) and closes the file. Closing a closed writer does nothing.
  ///
  /// ```swift
  /// defer { try? writer.close() }
  /// ```
  public func close() throws(TensorBoardError) {
    try state.withLock { state throws(TensorBoardError) in
      guard state.sink.isOpen else { return }
      try state.sink.close()
    }
  }

  /// Runs `body` on the open file under the lock; closes the file if `body` fails.
  private func withOpenSink(_ body: (inout State) throws(TensorBoardError) -> Void) throws(TensorBoardError) {
    try state.withLock { state throws(TensorBoardError) in
      guard state.sink.isOpen else { throw .writerClosed(path: state.sink.path) }
      do throws(TensorBoardError) {
        try body(&state)
      } catch {
        state.sink.abandon()
        throw error
      }
    }
  }

  /// The TFRecord bytes of `event`.
  private static func record(of event: TensorBoardEvent, path: String) throws(TensorBoardError) -> [UInt8] {
    let data: [UInt8]
    do {
      data = try event.message.serializedBytes()
    } catch {
      throw .writeFailed(path: path, reason: "cannot encode the event: \(error)")
    }
    var record: [UInt8] = []
    EventRecord.append(data, to: &record)
    return record
  }

  /// Creates the event file at `url`, writes `version` to it and flushes it.
  private static func createFile(
    _ url: URL, startingWith version: TensorBoardEvent, bufferCapacity: Int
  ) throws(TensorBoardError) -> EventFileSink {
    var sink = try EventFileSink(creating: url.path(percentEncoded: false), capacity: bufferCapacity)
    do {
      try sink.append(record(of: version, path: sink.path))
      try sink.flush()
    } catch {
      sink.abandon()
      throw error
    }
    return sink
  }

  /// Creates `directory` and its parents if missing.
  private static func createDirectory(_ directory: URL) throws(TensorBoardError) {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .cannotCreateDirectory(path: directory.path(percentEncoded: false), reason: error.localizedDescription)
    }
  }

  /// Seconds since the Unix epoch, now.
  private static func now() -> Double { Date().timeIntervalSince1970 }
}
