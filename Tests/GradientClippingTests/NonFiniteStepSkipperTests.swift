import GradientClipping
import Testing

@Suite("Non-finite step skipper (optax apply_if_finite)")
struct NonFiniteStepSkipperTests {
  /// optax: `notfinite_count` is reset by a finite step and incremented by a non-finite one; the
  /// update is applied when the step is finite or `notfinite_count > max_consecutive_errors`;
  /// `total_notfinite` counts every non-finite step.
  @Test("maxConsecutiveErrors 2: skip, skip, then apply; a finite step resets the run")
  func optaxSequence() throws {
    var skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 2)
    // (value, skipped?, notfinite_count, total_notfinite) after each step
    let expected: [(Double, Bool, Int, Int)] = [
      (1, false, 0, 0),
      (.nan, true, 1, 1),
      (.infinity, true, 2, 2),
      (.nan, false, 3, 3),  // 3 > 2: applied anyway
      (-.infinity, false, 4, 4),
      (2, false, 0, 4),
      (.nan, true, 1, 5),
    ]
    for (value, skipped, consecutive, total) in expected {
      let decision = skipper.check([[0.5, value]])
      #expect(decision.shouldSkip == skipped, "value \(value)")
      #expect(decision.isFinite == value.isFinite && skipper.lastFinite == value.isFinite)
      #expect(skipper.notFiniteCount == consecutive && skipper.totalNotFinite == total, "value \(value)")
      #expect(decision.reason == (skipped ? .nonFinite : nil) && decision.threshold == .infinity)
    }
  }

  @Test("maxConsecutiveErrors 0 applies every step, counting the non-finite ones")
  func zeroTolerance() throws {
    var skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 0)
    let nan: [[Float]] = [[.nan]]
    #expect(!skipper.check(nan).shouldSkip && skipper.totalNotFinite == 1)
    #expect(bits(nan) == bits([[.nan]]))
  }

  @Test("a norm measured beforehand, of any order, decides the same way")
  func precomputedNorm() throws {
    var skipper = try NonFiniteStepSkipper(maxConsecutiveErrors: 1)
    #expect(skipper.check(norm: try GradientNorm(value: .nan, order: .infinity)).shouldSkip)
    #expect(!skipper.check(norm: try GradientNorm(value: 3, order: .one)).shouldSkip)
    #expect(!skipper.check(norm: .zero).shouldSkip && skipper.totalNotFinite == 1)
    let empty: [[Double]] = []
    #expect(skipper.check(empty).norm == 0)
  }

  @Test("a negative limit is a typed error")
  func invalidArgument() {
    #expect(argumentName { _ = try NonFiniteStepSkipper(maxConsecutiveErrors: -1) } == "maxConsecutiveErrors")
  }
}
