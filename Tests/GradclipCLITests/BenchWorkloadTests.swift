import ArgumentParser
import Foundation
import Testing

@testable import GradclipCLI

@Suite("gradclip bench clip")
struct BenchWorkloadTests {
  /// Tensor and element counts printed by `python3 ../shared/bench/workloads.py` (its
  /// `tensors` and `elements` fields), copied here by hand.
  static let expected: [String: (tensors: Int, elements: Int)] = [
    "gpt2-124m": (148, 124_439_808),
    "lstm-char-lm": (11, 3_752_032),
    "many-small": (1000, 256_000),
    "convnet": (53, 11_515_688),
  ]

  @Test("The workloads match workloads.py", arguments: Workload.names)
  func workloadMatchesReference(_ name: String) throws {
    let workload = try #require(Workload.named(name))
    let counts = try #require(Self.expected[name], "\(name) is not in workloads.py")
    #expect(workload.tensorCount == counts.tensors)
    #expect(workload.elementCount == counts.elements)
  }

  @Test("The workloads are those of workloads.py, in its order")
  func workloadNames() {
    #expect(Workload.names == ["gpt2-124m", "lstm-char-lm", "many-small", "convnet"])
  }

  @Test("--json prints one JSON object a line, with the reference's keys", arguments: ["flat", "arrays"])
  func jsonLines(storage: String) throws {
    let objects = try jsonObjects(["bench", "clip", "many-small", "--reps", "1", "--json", "--storage", storage])
    #expect(objects.count == 4)
    let cases = objects.map { "\($0["op"] ?? "") \($0["regime"] ?? "")" }
    #expect(
      cases == [
        "clip_grad_norm active", "clip_grad_norm inactive", "clip_grad_value active", "value_clipper_report active",
      ])
    for object in objects {
      #expect(object["workload"] as? String == "many-small")
      #expect(((object["median_ms"] as? Double) ?? -1) >= 0)
      #expect(object["elements"] as? Int == 256_000)
      #expect(object["storage"] as? String == storage)
      #expect(((object["threads"] as? Int) ?? 0) >= 1)
      #expect(["avx512", "avx2", "portable"].contains(object["kernels"] as? String ?? ""))
    }
  }

  @Test("--kernels portable times the core's Swift loops and says so")
  func portableKernels() throws {
    let lines = try run(["bench", "clip", "many-small", "--reps", "1", "--json", "--kernels", "portable"])
    #expect(lines.count == 4)
    for line in lines { #expect(line.hasSuffix("\"kernels\": \"portable\"}"), "\(line)") }
  }

  @Test("--adaptive adds AGC, AutoClip, ZClip and AdaGC, each clipping, and global-norm clipping timed the same way")
  func adaptiveRows() throws {
    let objects = try jsonObjects(["bench", "clip", "many-small", "--reps", "1", "--json", "--adaptive"])
    let cases = objects.map { "\($0["op"] ?? "") \($0["regime"] ?? "")" }
    #expect(
      cases == [
        "clip_grad_norm active", "clip_grad_norm inactive", "clip_grad_value active", "value_clipper_report active",
        "clip_grad_norm restored",
        "adaptive_grad_clip active", "autoclip active", "zclip active", "adagc active",
      ])
    #expect(objects.allSatisfy { ($0["median_ms"] as? Double ?? -1) >= 0 })
    #expect(throws: (any Error).self) {
      _ = try GradclipCommand.parseAsRoot(["bench", "clip", "--adaptive", "--storage", "arrays"])
    }
  }

  @Test("The table has a header and a row per case")
  func table() throws {
    let lines = try run(["bench", "clip", "many-small", "--reps", "1", "--threads", "1"])
    #expect(lines.count == 7)
    #expect(lines[1].split(separator: " ").joined(separator: " ") == "workload op regime median ms")
    #expect(lines.last?.hasPrefix("many-small  value_clipper_report  active") == true)
  }

  @Test("An unknown workload is a usage error that lists the valid names")
  func unknownWorkload() {
    do {
      _ = try GradclipCommand.parseAsRoot(["bench", "clip", "many-small", "resnet-9000"])
      Issue.record("parsing succeeded")
    } catch {
      #expect(GradclipCommand.exitCode(for: error) == .validationFailure)
      let message = GradclipCommand.message(for: error)
      #expect(message.contains("resnet-9000"))
      #expect(Workload.names.allSatisfy { message.contains($0) })
    }
  }

  @Test("The normal generator is seeded and has mean 0 and variance 1")
  func normalGenerator() {
    var first = NormalGenerator(seed: 7)
    var second = NormalGenerator(seed: 7)
    let samples = (0..<100_000).map { _ in first.next() }
    #expect(samples.prefix(10).elementsEqual((0..<10).map { _ in second.next() }))
    let mean = samples.reduce(0, +) / Double(samples.count)
    let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
    #expect(abs(mean) < 0.02)
    #expect(abs(variance - 1) < 0.02)
  }

  @Test("The median of an even count is the mean of the middle two")
  func median() {
    #expect(MedianTimer.median([3, 1, 2]) == 2)
    #expect(MedianTimer.median([4, 1, 3, 2]) == 2.5)
  }

  /// Parses `arguments` as the root command would and runs the clip benchmark in-process,
  /// returning its lines of output.
  /// The lines of `run(arguments)`, each parsed as a JSON object.
  private func jsonObjects(_ arguments: [String]) throws -> [[String: Any]] {
    try run(arguments).map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
    }
  }

  private func run(_ arguments: [String]) throws -> [String] {
    let command = try #require(try GradclipCommand.parseAsRoot(arguments) as? BenchClipCommand)
    var lines: [String] = []
    try command.run { lines.append($0) }
    return lines
  }
}
