import ArgumentParser
import Foundation
import GradientClipping
import Testing

@testable import GradclipCLI

@Suite("gradclip bench train")
struct BenchTrainTests {
  /// PyTorch's parameter counts of the reference models (`sum(p.numel() for p in
  /// m.parameters())` and `len(list(m.parameters()))` of `setup(name)` in
  /// `../shared/bench/torch_training_reference.py`, computed with torch 2.15 and copied here).
  static let referenceCounts: [String: (scalars: Int, tensors: Int)] = [
    "rnn-adding": (17_025, 6),
    "lstm-charlm": (886_880, 11),
    "mlp-digits": (85_002, 6),
    "gpt-tiny": (834_400, 54),
  ]

  /// PyTorch's parameter names (`named_parameters()`), sorted; for gpt-tiny those outside the
  /// blocks and those of block 0 (blocks 1 to 3 repeat block 0's).
  static let referenceNames: [String: [String]] = [
    "rnn-adding": [
      "head.bias", "head.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0",
    ],
    "lstm-charlm": [
      "emb.weight", "head.bias", "head.weight", "lstm.bias_hh_l0", "lstm.bias_hh_l1", "lstm.bias_ih_l0",
      "lstm.bias_ih_l1", "lstm.weight_hh_l0", "lstm.weight_hh_l1", "lstm.weight_ih_l0", "lstm.weight_ih_l1",
    ],
    "mlp-digits": ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"],
    "gpt-tiny": [
      "blocks.0.fc.bias", "blocks.0.fc.weight", "blocks.0.ln1.bias", "blocks.0.ln1.weight", "blocks.0.ln2.bias",
      "blocks.0.ln2.weight", "blocks.0.out.bias", "blocks.0.out.weight", "blocks.0.proj.bias",
      "blocks.0.proj.weight", "blocks.0.qkv.bias", "blocks.0.qkv.weight", "head.bias", "head.weight", "ln.bias",
      "ln.weight", "pos.weight", "tok.weight",
    ],
  ]

  @Test("The models are those of the reference, in its order")
  func modelNames() {
    #expect(TrainingReferenceModels.names == ["rnn-adding", "lstm-charlm", "mlp-digits", "gpt-tiny"])
  }

  @Test("Each model has PyTorch's parameter count and names", arguments: TrainingReferenceModels.names)
  func parameterCounts(_ name: String) throws {
    let model = try #require(TrainingReferenceModels.make(name))
    let counts = try #require(Self.referenceCounts[name])
    #expect(model.name == name)
    #expect(model.parameterCount == counts.scalars)
    #expect(model.store.parameters.count == counts.tensors)
    let names = model.store.parameters.map(\.name).filter { !$0.hasPrefix("blocks.") || $0.hasPrefix("blocks.0.") }
    #expect(names.sorted() == Self.referenceNames[name])
  }

  @Test("Training steps on the fixed batch lower the loss", arguments: ["rnn-adding", "mlp-digits"])
  func lossDecreases(_ name: String) throws {
    var model = try #require(TrainingReferenceModels.make(name))
    let first = try model.step()
    var last = first
    for _ in 0..<5 { last = try model.step() }
    #expect(first.isFinite && last.isFinite)
    #expect(last < first, "\(name): loss \(first) -> \(last)")
  }

  @Test(
    "A step of the large models gives a finite loss, lower at the next step", arguments: ["lstm-charlm", "gpt-tiny"])
  func largeModelStep(_ name: String) throws {
    var model = try #require(TrainingReferenceModels.make(name))
    let first = try model.step()
    let second = try model.step()
    #expect(first.isFinite && second.isFinite)
    #expect(second < first, "\(name): loss \(first) -> \(second)")
    // Cross-entropy over 96 classes starts near log(96).
    #expect(abs(Double(first) - Foundation.log(96.0)) < 1.5)
  }

  @Test("Steps clip through the fused path: the gradients stay unscaled and the update applies the coefficient")
  func fusedClipping() throws {
    var model = try #require(TrainingReferenceModels.make("mlp-digits"))
    try model.step()
    let measured = model.store.gradientNorm().value
    let direct = try model.store.gradients.totalNorm().value
    #expect(abs(measured - direct) <= 1e-6 * direct)
    #expect(model.optimizer.clipping.clippers.count == 1)
    #expect(model.optimizer.clipping.clippers.first is GlobalNormClipper)
  }

  @Test("The same seed gives the same model and batch")
  func seeded() throws {
    var first = try #require(TrainingReferenceModels.make("mlp-digits"))
    var second = try #require(TrainingReferenceModels.make("mlp-digits"))
    #expect(try first.step() == second.step())
  }

  @Test("--json prints one JSON object a line, with the reference's keys")
  func jsonLines() throws {
    let lines = try run(["bench", "train", "mlp-digits", "rnn-adding", "--steps", "2", "--threads", "1", "--json"])
    #expect(lines.count == 2)
    let objects = try lines.map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
    }
    #expect(objects.map { $0["model"] as? String } == ["mlp-digits", "rnn-adding"])
    for object in objects {
      let model = try #require(object["model"] as? String)
      #expect(object["parameters"] as? Int == Self.referenceCounts[model]?.scalars)
      #expect(object["threads"] as? Int == 1)
      #expect(object["steps"] as? Int == 2)
      #expect(((object["median_ms"] as? Double) ?? -1) > 0)
      #expect(((object["min_ms"] as? Double) ?? -1) > 0)
      for key in [
        "clip_fused_ms", "clip_fused_percent", "clip_measure_ms", "clip_measure_paired_ms",
        "clip_measure_paired_error_ms", "clip_measure_read_pass_ms", "clip_unfused_ms", "clip_unfused_percent",
      ] {
        #expect(object[key] is Double, "\(key) missing in \(object)")
      }
      #expect(((object["gradient_norm"] as? Double) ?? -1) > 0)
    }
    // The reference's keys come first, in its order.
    #expect(lines[0].hasPrefix("{\"model\": \"mlp-digits\", \"median_ms\": "))
  }

  @Test("The table has the step table and the clipping table")
  func table() throws {
    let lines = try run(["bench", "train", "mlp-digits", "--steps", "1", "--threads", "1"])
    #expect(lines.count == 9)  // title, header, rule, row; blank; title, header, rule, row
    #expect(lines[1].split(separator: " ").prefix(4).joined(separator: " ") == "model params median ms")
    #expect(lines[3].hasPrefix("mlp-digits"))
    #expect(lines.last?.hasPrefix("mlp-digits") == true)
  }

  @Test("An unknown model is a usage error that lists the valid names")
  func unknownModel() {
    do {
      _ = try GradclipCommand.parseAsRoot(["bench", "train", "resnet-9000"])
      Issue.record("parsing succeeded")
    } catch {
      #expect(GradclipCommand.exitCode(for: error) == .validationFailure)
      let message = GradclipCommand.message(for: error)
      #expect(message.contains("resnet-9000"))
      #expect(TrainingReferenceModels.names.allSatisfy { message.contains($0) })
    }
  }

  @Test("--steps and --threads must be at least 1", arguments: [["--steps", "0"], ["--threads", "0"]])
  func invalidCounts(_ arguments: [String]) {
    #expect(throws: (any Error).self) { try GradclipCommand.parseAsRoot(["bench", "train"] + arguments) }
  }

  private func run(_ arguments: [String]) throws -> [String] {
    let command = try #require(try GradclipCommand.parseAsRoot(arguments) as? BenchTrainCommand)
    var lines: [String] = []
    try command.run { lines.append($0) }
    return lines
  }
}
