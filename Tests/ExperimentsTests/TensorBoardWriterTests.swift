import Foundation
import Testing

@testable import Experiments

@Suite("TensorBoard writer and reader")
struct TensorBoardWriterTests {
  @Test("the file is events.out.tfevents.<seconds>.<host><suffix> and starts with the version event")
  func fileNameAndVersion() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let runDirectory = directory.appending(path: "nested/run-a", directoryHint: .isDirectory)
    let writer = try TensorBoardTestSupport.writer(in: runDirectory, suffix: ".v2")
    try writer.close()
    #expect(writer.fileURL.lastPathComponent == "events.out.tfevents.1700000000.testhost.v2")
    #expect(try TensorBoardReader.eventFiles(in: runDirectory) == [writer.fileURL])
    let events = try TensorBoardReader(fileURL: writer.fileURL).events()
    #expect(events == [TensorBoardEvent(wallTime: 1_700_000_000.5, step: 0, fileVersion: "brain.Event:2")])
    #expect(EventFileName.make(seconds: 42, hostname: "a/b", suffix: "") == "events.out.tfevents.0000000042.a_b")
  }

  @Test("scalars and histograms read back exactly, in order")
  func roundTrip() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    let values: [Float] = [0.5, -1, 2, 2, 1e-3, 0]
    for step in 0..<5 {
      try writer.addScalar(tag: "train/loss", value: Float(step) * 0.25, step: step, wallTime: 10 + Double(step))
      try writer.addScalar(tag: "lr", value: 1e-3, step: step, wallTime: 10 + Double(step))
    }
    try writer.addHistogram(tag: "gradients", values: values, step: 4, wallTime: 20)
    try writer.addScalars(
      [TensorBoardScalar(tag: "a", value: 1), TensorBoardScalar(tag: "b", value: -2)], step: 5, wallTime: 21)
    try writer.close()

    let events = try TensorBoardReader(fileURL: writer.fileURL).events()
    #expect(events.count == 1 + 10 + 1 + 1)
    let losses = events.compactMap { event in event.scalar("train/loss").map { [Double(event.step), Double($0)] } }
    #expect(losses == [[0, 0], [1, 0.25], [2, 0.5], [3, 0.75], [4, 1]])
    #expect(events[2] == TensorBoardEvent(wallTime: 10, step: 0, scalars: [TensorBoardScalar(tag: "lr", value: 1e-3)]))
    let histogramEvent = events[11]
    #expect(histogramEvent.step == 4 && histogramEvent.wallTime == 20 && histogramEvent.scalars.isEmpty)
    #expect(histogramEvent.histogram("gradients") == (try TensorBoardHistogram(values: values)))
    #expect(histogramEvent.histogram("gradients")?.count == 6)
    #expect(events[12].scalars == [TensorBoardScalar(tag: "a", value: 1), TensorBoardScalar(tag: "b", value: -2)])
  }

  @Test("NaN, infinities and zero scalars survive; Double scalars are rounded to Float")
  func specialScalars() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    try writer.addScalar(tag: "nan", value: Float.nan, step: 1)
    try writer.addScalar(tag: "inf", value: Float.infinity, step: 2)
    try writer.addScalar(tag: "-inf", value: -Float.infinity, step: 3)
    try writer.addScalar(tag: "zero", value: Float(0), step: 4)
    try writer.addScalar(tag: "double", value: 0.1, step: 5)
    try writer.close()
    let events = try TensorBoardReader(fileURL: writer.fileURL).events()
    #expect(events.count == 6)
    #expect(events[1].scalar("nan")?.isNaN == true)
    #expect(events[2].scalar("inf") == .infinity)
    #expect(events[3].scalar("-inf") == -.infinity)
    #expect(events[4].scalar("zero") == 0)
    #expect(events[5].scalar("double") == Float(0.1))
  }

  @Test("an existing file is never overwritten")
  func noOverwrite() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let first = try TensorBoardTestSupport.writer(in: directory)
    try first.addScalar(tag: "x", value: Float(1), step: 1)
    try first.close()
    let before = try TensorBoardTestSupport.bytes(first.fileURL)
    #expect(throws: TensorBoardError.fileExists(path: first.fileURL.path(percentEncoded: false))) {
      try TensorBoardTestSupport.writer(in: directory)
    }
    #expect(try TensorBoardTestSupport.bytes(first.fileURL) == before)
    let second = try TensorBoardTestSupport.writer(in: directory, suffix: ".2")
    try second.close()
    #expect(try TensorBoardReader.eventFiles(in: directory).count == 2)
  }

  @Test("a run directory that is a file gives cannotCreateDirectory")
  func directoryIsAFile() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let file = directory.appending(path: "plain")
    try TensorBoardTestSupport.overwrite(file, with: [1])
    #expect {
      try TensorBoardTestSupport.writer(in: file)
    } throws: { error in
      guard case .cannotCreateDirectory(let path, _) = error as? TensorBoardError else { return false }
      return path == file.path(percentEncoded: false)
    }
  }

  @Test("a closed writer refuses writes; close is idempotent")
  func closedWriter() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    #expect(!writer.isClosed)
    try writer.close()
    try writer.close()
    #expect(writer.isClosed)
    let closed = TensorBoardError.writerClosed(path: writer.fileURL.path(percentEncoded: false))
    #expect(throws: closed) { try writer.addScalar(tag: "x", value: Float(1), step: 1) }
    #expect(throws: closed) { try writer.flush() }
  }

  @Test("flush makes the events readable while the writer stays open")
  func flushWhileOpen() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    try writer.addScalar(tag: "x", value: Float(1), step: 1)
    #expect(try TensorBoardReader(fileURL: writer.fileURL).events().count == 1)
    try writer.flush()
    #expect(try TensorBoardReader(fileURL: writer.fileURL).events().count == 2)
    try writer.addScalar(tag: "x", value: Float(2), step: 2)
    try writer.close()
    #expect(try TensorBoardReader(fileURL: writer.fileURL).events().count == 3)
  }

  @Test("a zero flush interval flushes on every add; a small buffer writes through")
  func flushPolicies() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let eager = try TensorBoardWriter(
      runDirectory: directory, fileSuffix: ".eager", hostname: "h", flushInterval: .zero)
    try eager.addScalar(tag: "x", value: Float(1), step: 1)
    #expect(try TensorBoardReader(fileURL: eager.fileURL).events().count == 2)
    let small = try TensorBoardWriter(
      runDirectory: directory, fileSuffix: ".small", hostname: "h", flushInterval: nil, bufferCapacity: 1)
    try small.addScalar(tag: "x", value: Float(1), step: 1)
    #expect(try TensorBoardReader(fileURL: small.fileURL).events().count == 2)
    try eager.close()
    try small.close()
  }

  @Test("a released writer is closed with its events written")
  func deinitCloses() throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    var url: URL?
    do {
      let writer = try TensorBoardTestSupport.writer(in: directory)
      try writer.addScalar(tag: "x", value: Float(1), step: 1)
      url = writer.fileURL
    }
    let file = try #require(url)
    #expect(try TensorBoardReader(fileURL: file).events().count == 2)
  }

  @Test("writes from concurrent tasks are all recorded, each record intact")
  func concurrentWrites() async throws {
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<4 {
        group.addTask {
          for step in 0..<50 { try writer.addScalar(tag: "task\(task)", value: Float(step), step: step) }
        }
      }
      try await group.waitForAll()
    }
    try writer.close()
    let events = try TensorBoardReader(fileURL: writer.fileURL).events()
    #expect(events.count == 1 + 200)
    for task in 0..<4 {
      let steps = events.filter { $0.scalar("task\(task)") != nil }.map(\.step)
      #expect(steps == Array(0..<50))
    }
  }
}
