import Foundation
import GradientClipping
import Testing

/// Saving, restoring and resetting the state of every stateful component.
@Suite("Clipper state")
struct ClipperStateTests {
  /// `count` gradient sets of tensors of `lengths` elements, each step at its own scale
  /// (2^-4 ... 2^4), so that the adaptive thresholds move and some steps are clipped or skipped.
  static func steps(seed: UInt64, count: Int, lengths: [Int]) -> [[[Double]]] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in
      let scale = Double(sign: .plus, exponent: Int(random.next() % 9) - 4, significand: 1)
      return lengths.map { random.doubles($0, scale: scale) }
    }
  }

  /// The argument an error names (`invalidArgument`'s name, `elementCountMismatch`'s argument).
  static func argument(of error: ClippingError?) -> String? {
    switch error {
    case .invalidArgument(let name, _, _)?: name
    case .elementCountMismatch(let argument, _, _)?: argument
    default: nil
    }
  }

  /// Runs `make()` over `steps[..<split]`, saves, then continues both the original and a fresh
  /// clipper restored from the saved state over the rest: reports and gradients must agree bit
  /// for bit.
  static func expectResumable<C: StatefulGradientClipper & Equatable>(
    _ make: () throws -> C, _ steps: [[[Double]]], split: Int
  ) throws {
    var original = try make()
    for step in steps[..<split] {
      var gradients = step
      _ = try original.clip(&gradients)
    }
    var resumed = try make()
    try resumed.restore(JSONDecoder().decode(ClipperState.self, from: JSONEncoder().encode(original.state)))
    #expect(resumed == original, "split \(split)")
    for step in steps[split...] {
      var (a, b) = (step, step)
      let (reportA, reportB) = (try original.clip(&a), try resumed.clip(&b))
      #expect(reportA == reportB && bits(a) == bits(b), "split \(split)")
    }
    #expect(resumed == original && resumed.state == original.state, "split \(split)")
  }

  /// The same for a step guard, which only reads the gradients.
  static func expectResumable<C: StatefulClippingComponent & Equatable>(
    _ make: () throws -> C, _ steps: [[[Double]]], split: Int, check: (inout C, [[Double]]) throws -> StepDecision
  ) throws {
    var original = try make()
    for step in steps[..<split] { _ = try check(&original, step) }
    var resumed = try make()
    try resumed.restore(original.state)
    for step in steps[split...] {
      let (a, b) = (try check(&original, step), try check(&resumed, step))
      // Field by field, so that a NaN norm compares equal to itself.
      #expect(a.reason == b.reason && a.isFinite == b.isFinite && a.norm.bitPattern == b.norm.bitPattern)
      #expect(a.threshold == b.threshold && a.zScore == b.zScore, "split \(split)")
    }
    #expect(resumed == original, "split \(split)")
  }

  @Test("save, continue == restore into a fresh clipper, continue: AdaGC, AutoClip, ZClip")
  func clippersResume() throws {
    let steps = Self.steps(seed: 7, count: 40, lengths: [3, 0, 5, 1])
    for split in [0, 1, 3, 6, 25, 40] {
      try Self.expectResumable({ try AdaGCClipper(beta: 0.9, warmupSteps: 5, warmupMaxNorm: 0.5) }, steps, split: split)
      try Self.expectResumable({ try AutoClipClipper(quantile: 0.3, historyLength: 8) }, steps, split: split)
      try Self.expectResumable(
        { try AutoClipClipper(quantile: 0.7, historyLength: 4, scope: .perTensor, includesCurrentNorm: true) },
        steps, split: split)
      try Self.expectResumable({ try ZClipClipper(alpha: 0.8, zThreshold: 1, warmupSteps: 5) }, steps, split: split)
      try Self.expectResumable(
        { try ZClipClipper(warmupSteps: 3, mode: .percentile, skipUpdateOnSpike: true) }, steps, split: split)
    }
  }

  @Test("save, continue == restore, continue: spike detector and non-finite step skipper")
  func guardsResume() throws {
    var steps = Self.steps(seed: 11, count: 30, lengths: [4, 2])
    steps[9][0][1] = .nan
    steps[10][1][0] = .infinity
    steps[20][0][0] = 1e3
    for split in [0, 2, 9, 10, 11, 21, 30] {
      try Self.expectResumable({ try SpikeDetector(maxNorm: 8, zThreshold: 1.5, warmupSteps: 4) }, steps, split: split)
      {
        try $0.check($1)
      }
      try Self.expectResumable({ try NonFiniteStepSkipper(maxConsecutiveErrors: 1) }, steps, split: split) {
        $0.check($1)
      }
    }
  }

  @Test("clippers held as any StatefulGradientClipper save and restore through the protocol")
  func existentials() throws {
    let steps = Self.steps(seed: 3, count: 12, lengths: [2, 3])
    let make: () throws -> [any StatefulGradientClipper] = {
      [
        try AdaGCClipper(warmupSteps: 2), try AutoClipClipper(quantile: 0.5, historyLength: 5),
        try ZClipClipper(warmupSteps: 2),
      ]
    }
    var clippers = try make()
    for index in clippers.indices {
      for step in steps {
        var gradients = step
        _ = try clippers[index].clip(&gradients)
      }
    }
    var restored = try make()
    for index in restored.indices { try restored[index].restore(clippers[index].state) }
    #expect(zip(restored, clippers).allSatisfy { $0.state == $1.state })
    #expect(Set(restored.map(\.state.kind)) == ["adagc", "autoclip", "zclip"])
    for index in clippers.indices { clippers[index].resetState() }
    #expect(zip(clippers, try make()).allSatisfy { $0.state == $1.state })
  }

  @Test("reset returns every component to its freshly created state")
  func reset() throws {
    let steps = Self.steps(seed: 5, count: 10, lengths: [3])
    var adagc = try AdaGCClipper(warmupSteps: 2)
    var autoclip = try AutoClipClipper(quantile: 0.5, historyLength: 3)
    var zclip = try ZClipClipper(warmupSteps: 2)
    var spikes = try SpikeDetector(zThreshold: 0.1, warmupSteps: 2)
    var skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 3)
    for (index, step) in steps.enumerated() {
      var gradients = step
      _ = try adagc.clip(&gradients)
      _ = try autoclip.clip(&gradients)
      _ = try zclip.clip(&gradients)
      _ = try spikes.check([[Double(index + 1)]])  // rising norms: skipped after warm-up
      _ = skipper.check([[Double.nan]])
    }
    #expect(adagc.stepCount == 10 && spikes.skippedStepCount == 8 && skipper.totalNotFinite == 10)
    adagc.resetState()
    autoclip.resetState()
    zclip.resetState()
    spikes.resetState()
    skipper.resetState()
    #expect(adagc == (try AdaGCClipper(warmupSteps: 2)))
    #expect(autoclip == (try AutoClipClipper(quantile: 0.5, historyLength: 3)))
    #expect(zclip == (try ZClipClipper(warmupSteps: 2)))
    #expect(spikes == (try SpikeDetector(zThreshold: 0.1, warmupSteps: 2)))
    #expect(skipper == (try NonFiniteStepSkipper(maxConsecutiveErrors: 3)))
  }

  @Test("the portable form: sorted names, counts as whole numbers, optional values as 0 or 1 elements")
  func portableForm() throws {
    var zclip = try ZClipClipper(warmupSteps: 2)
    #expect(zclip.state == ClipperState(kind: "zclip", arrays: ["warmup_norms": [], "mean": [], "variance": []]))
    var gradients: [[Double]] = [[3, 4]]
    _ = try zclip.clip(&gradients)
    _ = try zclip.clip(&gradients)
    // Two warm-up norms of 5: mean 5, variance 0.
    #expect(zclip.state.arrays == ["warmup_norms": [5, 5], "mean": [5], "variance": [0]])
    #expect(zclip.state.names == ["mean", "variance", "warmup_norms"] && zclip.state["mean"] == [5])
    var autoclip = try AutoClipClipper(quantile: 0.5, historyLength: 3, scope: .perTensor)
    gradients = [[3, 4], [1], []]
    _ = try autoclip.clip(&gradients)
    #expect(autoclip.state.arrays == ["history": [5, 1, 0], "history_lengths": [1, 1, 1]])
    let skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 1)
    #expect(skipper.state.arrays == ["notfinite_count": [0], "total_notfinite": [0], "last_finite": [1]])
    #expect(
      skipper.state.description
        == "non-finite-step-skipper state (last_finite: 1 values, notfinite_count: 1 values, total_notfinite: 1 values)"
    )
  }

  /// Every state in `bad` must be refused with an error naming the given argument, leaving
  /// `component` as it was.
  static func expectRefused<C: StatefulClippingComponent & Equatable>(
    _ component: C, _ bad: [(ClipperState, String)]
  ) {
    for (state, argument) in bad {
      var copy = component
      let error = clippingError { try copy.restore(state) }
      #expect(Self.argument(of: error) == argument, "\(state)")
      #expect(copy == component)
    }
  }

  @Test("invalid AdaGC states are refused with the array named; nothing changes")
  func invalidAdaGC() throws {
    var clipper = try AdaGCClipper(warmupSteps: 1)
    var gradients: [[Double]] = [[1], [2]]
    _ = try clipper.clip(&gradients)
    let good = clipper.state.arrays
    func state(_ changes: [String: [Double]?], kind: String = "adagc") -> ClipperState {
      var arrays = good
      for (name, value) in changes { arrays[name] = value }
      return ClipperState(kind: kind, arrays: arrays)
    }
    Self.expectRefused(
      clipper,
      [
        (state([:], kind: "zclip"), "state.kind"),
        (state(["gamma": nil]), "state.gamma"),
        (state(["extra": [1]]), "state.extra"),
        (state(["step": []]), "state.step"),
        (state(["step": [1, 2]]), "state.step"),
        (state(["step": [1.5]]), "state.step[0]"),
        (state(["step": [-1]]), "state.step[0]"),
        (state(["step": [.infinity]]), "state.step[0]"),
        (state(["gamma": [1, .nan]]), "state.gamma[1]"),
        (state(["gamma": [-1, 1]]), "state.gamma[0]"),
        (state(["step": [0]]), "state.gamma"),
      ])
    // A valid state for another number of tensors is accepted; the next step then refuses the
    // gradients.
    try clipper.restore(state(["gamma": [1, 2, 3]]))
    #expect(Self.argument(of: clippingError { _ = try clipper.clip(&gradients) }) == "gradients")
  }

  @Test("invalid AutoClip and ZClip states, histories longer than allowed among them, are refused")
  func invalidAutoClipAndZClip() throws {
    let autoclip = try AutoClipClipper(quantile: 0.5, historyLength: 3)
    Self.expectRefused(
      autoclip,
      [
        (
          ClipperState(kind: "autoclip", arrays: ["history": [1, 2, 3, 4], "history_lengths": [4]]),
          "state.history_lengths[0]"
        ),
        (ClipperState(kind: "autoclip", arrays: ["history": [1, 2], "history_lengths": [3]]), "state.history"),
        (
          ClipperState(kind: "autoclip", arrays: ["history": [1, 2], "history_lengths": [1, 1]]),
          "state.history_lengths"
        ),
        (ClipperState(kind: "autoclip", arrays: ["history": [1, .nan], "history_lengths": [2]]), "state.history[1]"),
        (
          ClipperState(kind: "autoclip", arrays: ["history": [1], "history_lengths": [0.5]]), "state.history_lengths[0]"
        ),
        (ClipperState(kind: "autoclip", arrays: ["history": []]), "state.history_lengths"),
      ])
    let zclip = try ZClipClipper(warmupSteps: 2)
    Self.expectRefused(
      zclip,
      [
        (
          ClipperState(kind: "zclip", arrays: ["warmup_norms": [1, 2, 3], "mean": [], "variance": []]),
          "state.warmup_norms"
        ),
        (ClipperState(kind: "zclip", arrays: ["warmup_norms": [1], "mean": [1], "variance": [0]]), "state.mean"),
        (
          ClipperState(kind: "zclip", arrays: ["warmup_norms": [1, 2], "mean": [1], "variance": []]), "state.variance"
        ),
        (
          ClipperState(kind: "zclip", arrays: ["warmup_norms": [1, 2], "mean": [-1], "variance": [0]]), "state.mean[0]"
        ),
        (
          ClipperState(kind: "zclip", arrays: ["warmup_norms": [1, 2], "mean": [1, 2], "variance": [0]]), "state.mean"
        ),
        (ClipperState(kind: "autoclip", arrays: [:]), "state.kind"),
      ])
  }

  @Test("invalid spike detector and skipper states are refused")
  func invalidGuards() throws {
    let spikes = try SpikeDetector(zThreshold: 2)
    let base: [String: [Double]] = [
      "accepted": [2], "mean": [1], "variance": [0.5], "skipped": [1], "consecutive_skipped": [1],
    ]
    func spikeState(_ changes: [String: [Double]]) -> ClipperState {
      ClipperState(kind: "spike-detector", arrays: base.merging(changes) { $1 })
    }
    var restored = spikes
    try restored.restore(spikeState([:]))
    #expect(restored.acceptedCount == 2 && restored.mean == 1 && restored.consecutiveSkipCount == 1)
    Self.expectRefused(
      spikes,
      [
        (spikeState(["consecutive_skipped": [2]]), "state.consecutive_skipped[0]"),
        (spikeState(["mean": []]), "state.mean"),
        (spikeState(["accepted": [0]]), "state.mean"),
        (spikeState(["variance": [.nan]]), "state.variance[0]"),
      ])
    let skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 2)
    func skipperState(_ consecutive: Double, _ total: Double, _ last: Double) -> ClipperState {
      ClipperState(
        kind: "non-finite-step-skipper",
        arrays: ["notfinite_count": [consecutive], "total_notfinite": [total], "last_finite": [last]])
    }
    Self.expectRefused(
      skipper,
      [
        (skipperState(0, 0, 2), "state.last_finite[0]"),
        (skipperState(3, 2, 0), "state.notfinite_count[0]"),
        (skipperState(1, 2, 1), "state.last_finite[0]"),
        (skipperState(0, 2, 0), "state.last_finite[0]"),
      ])
    var resumed = skipper
    try resumed.restore(skipperState(2, 7, 0))
    #expect(!resumed.check([[Double.nan]]).shouldSkip && resumed.totalNotFinite == 8)
  }
}
