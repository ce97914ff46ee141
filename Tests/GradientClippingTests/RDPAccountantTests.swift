import Foundation
import Testing

@testable import GradientClipping

/// The RDP accountant: hand-checkable special cases, the integer-order closed form, continuity
/// between the integer and fractional series, argument checks, and values from Opacus 1.6.
@Suite("RDP accountant")
struct RDPAccountantTests {
  private static func isClose(_ got: Double, _ want: Double, rtol: Double = 1e-12) -> Bool {
    abs(got - want) <= rtol * abs(want)
  }

  @Test("Sample rate 1 is the Gaussian mechanism: rdp = steps * alpha / (2 sigma^2), exactly")
  func fullBatch() throws {
    var accountant = RDPAccountant()
    try accountant.record(noiseMultiplier: 2, sampleRate: 1, steps: 10)
    #expect(try accountant.rdp(orders: [2, 3.5, 32]) == [2.5, 4.375, 40])
    #expect(try RDPAccountant.stepRDP(noiseMultiplier: 0.5, sampleRate: 1, order: 1.5) == 3)
  }

  @Test("Sample rate 0 and an empty history cost nothing: epsilon is the conversion of rdp 0")
  func nothingSpent() throws {
    var accountant = RDPAccountant()
    let empty = try accountant.epsilon(delta: 1e-5, orders: [2])
    try accountant.record(noiseMultiplier: 1, sampleRate: 0, steps: 1000)
    #expect(try accountant.rdp(orders: [1.5, 2, 7]) == [0, 0, 0])
    let spent = try accountant.epsilon(delta: 1e-5, orders: [2])
    // rdp 0 at order 2: -(log(delta) + log 2) / 1 + log(1 / 2).
    let want = -(log(1e-5) + log(2.0)) + log(0.5)
    #expect(spent.epsilon == want && spent.bestOrder == 2)
    #expect(empty.epsilon == want && empty.bestOrder == 2)
  }

  @Test("Order 2 has the closed form log(1 + q^2 (exp(1 / sigma^2) - 1))")
  func orderTwoClosedForm() throws {
    for (sigma, q) in [(1.0, 0.01), (0.7, 0.3), (3.0, 0.5)] {
      let got = try RDPAccountant.stepRDP(noiseMultiplier: sigma, sampleRate: q, order: 2)
      let want = log1p(q * q * expm1(1 / (sigma * sigma)))
      #expect(Self.isClose(got, want), "sigma \(sigma), q \(q): \(got) vs \(want)")
    }
  }

  @Test("The fractional series meets the integer sum at an integer order", arguments: [2.0, 5.0, 12.0])
  func integerFractionalContinuity(_ order: Double) throws {
    let atInteger = try RDPAccountant.stepRDP(noiseMultiplier: 1.1, sampleRate: 0.01, order: order)
    for offset in [-1e-7, 1e-7] {
      let nearby = try RDPAccountant.stepRDP(noiseMultiplier: 1.1, sampleRate: 0.01, order: order + offset)
      #expect(Self.isClose(nearby, atInteger, rtol: 1e-5), "order \(order + offset): \(nearby) vs \(atInteger)")
    }
  }

  @Test("No noise means no privacy: epsilon is infinite, at the first order")
  func noNoise() throws {
    var accountant = RDPAccountant()
    try accountant.record(noiseMultiplier: 0, sampleRate: 0.01, steps: 1)
    let spent = try accountant.epsilon(delta: 1e-5, orders: [2, 4])
    #expect(spent.epsilon == .infinity && spent.bestOrder == 2)
  }

  @Test("Consecutive steps with the same parameters share an entry and cost the same")
  func mergesEntries() throws {
    var stepwise = RDPAccountant()
    for _ in 0..<3 { try stepwise.record(noiseMultiplier: 1.2, sampleRate: 0.02) }
    var atOnce = RDPAccountant()
    try atOnce.record(noiseMultiplier: 1.2, sampleRate: 0.02, steps: 3)
    #expect(stepwise.history == [RDPAccountant.Entry(noiseMultiplier: 1.2, sampleRate: 0.02, steps: 3)])
    #expect(try stepwise.epsilon(delta: 1e-5) == atOnce.epsilon(delta: 1e-5))
  }

  @Test("The tail series of log(erfc) agrees with the C library where erfc is still normal")
  func logErfcTail() {
    for x in [15.0, 20.0, 26.0] {
      #expect(abs(LogSpace.logErfcTail(x) - log(erfc(x))) < 1e-10, "x = \(x)")
    }
    #expect(LogSpace.logErfc(40).isFinite && LogSpace.logErfc(40) < -1600)
  }

  @Test("Values from Opacus 1.6 (the conformance suite), at the default orders")
  func opacusValues() throws {
    var single = RDPAccountant()
    try single.record(noiseMultiplier: 1.1, sampleRate: 0.01, steps: 1000)
    let first = try single.epsilon(delta: 1e-5)
    #expect(Self.isClose(first.epsilon, 1.7117700912203435, rtol: 1e-9) && first.bestOrder == 9.6)
    var composed = RDPAccountant()
    try composed.record(noiseMultiplier: 1.2, sampleRate: 0.01, steps: 500)
    try composed.record(noiseMultiplier: 0.9, sampleRate: 0.02, steps: 300)
    let second = try composed.epsilon(delta: 1e-5)
    #expect(Self.isClose(second.epsilon, 3.4365687252181787, rtol: 1e-9) && second.bestOrder == 5.1)
  }

  @Test("Invalid arguments raise errors naming them, and record nothing")
  func invalidArguments() throws {
    var accountant = RDPAccountant()
    try accountant.record(noiseMultiplier: 1, sampleRate: 0.1, steps: 5)
    let before = accountant
    for (noise, rate, steps, name) in [
      (-1.0, 0.1, 1, "noiseMultiplier"), (.nan, 0.1, 1, "noiseMultiplier"), (1, -0.1, 1, "sampleRate"),
      (1, 1.5, 1, "sampleRate"), (1, .nan, 1, "sampleRate"), (1, 0.1, -1, "steps"),
    ] {
      #expect(
        Self.argumentName { () throws(ClippingError) in
          try accountant.record(noiseMultiplier: noise, sampleRate: rate, steps: steps)
        } == name)
    }
    #expect(accountant == before)
    for delta in [0, 1, -1e-5, .nan] {
      #expect(Self.argumentName { () throws(ClippingError) in _ = try accountant.epsilon(delta: delta) } == "delta")
    }
    for orders in [[], [1], [2, 0.5], [.infinity], [.nan]] as [[Double]] {
      #expect(
        Self.argumentName { () throws(ClippingError) in _ = try accountant.epsilon(delta: 1e-5, orders: orders) }
          == "orders")
    }
  }

  /// The argument named by the `invalidArgument` error `body` throws, if it throws one.
  private static func argumentName(_ body: () throws(ClippingError) -> Void) -> String? {
    do {
      try body()
    } catch {
      if case .invalidArgument(let name, _, _) = error { return name }
    }
    return nil
  }
}
