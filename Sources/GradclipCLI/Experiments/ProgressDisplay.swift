import Experiments
import Foundation

/// Shows runs as they train, on standard error: on a terminal one line per run redrawn in place
/// (step, loss, gradient norm, share clipped, elapsed and remaining time); otherwise a plain line
/// at the first evaluation after every tenth of the run. Nothing with `--quiet`.
final class ProgressDisplay: RunObserver {
  /// How progress is shown.
  enum Style {
    /// A bar redrawn in place, colours unless `NO_COLOR`.
    case bar(colour: Bool)
    /// Plain lines.
    case lines
    /// Nothing.
    case silent
  }

  private let style: Style
  private let runCount: Int
  private var runIndex = 0
  private var started = ContinuousClock.now
  private var lastDrawn = ContinuousClock.now
  private var clippedSteps = 0
  private var totalSteps = 0
  private var nextLine = 0

  /// A display for `runCount` runs.
  init(style: Style, runCount: Int) {
    self.style = style
    self.runCount = runCount
  }

  /// The style for this terminal: a bar on a terminal, lines otherwise, nothing when `quiet`.
  static func style(quiet: Bool) -> Style {
    if quiet { return .silent }
    return Terminal.standardErrorIsTerminal ? .bar(colour: Terminal.usesColour) : .lines
  }

  func runWillStart(_ record: RunRecord) throws {
    runIndex += 1
    started = .now
    clippedSteps = 0
    totalSteps = Int(record.setting("steps") ?? "") ?? 0
    nextLine = 0
    if case .lines = style { write("[\(runIndex)/\(runCount)] \(record.name): training \(totalSteps) steps\n") }
  }

  func runDidFinishStep(_ step: StepMetrics, of record: RunRecord) throws {
    if step.clipped { clippedSteps += 1 }
    guard case .bar(let colour) = style else { return }
    let now = ContinuousClock.now
    guard now - lastDrawn > .milliseconds(100) || step.step == totalSteps else { return }
    lastDrawn = now
    write("\r\u{1B}[2K" + barLine(step, name: record.name, colour: colour))
  }

  func runDidEvaluate(_ evaluation: Evaluation, of record: RunRecord) throws {
    guard case .lines = style, evaluation.step >= nextLine, evaluation.step > 0, let step = record.steps.last else {
      return
    }
    nextLine = evaluation.step + max(totalSteps / 10, 1)
    write(
      "[\(runIndex)/\(runCount)] \(record.name): step \(step.step)/\(totalSteps) loss \(Self.format(step.loss)) "
        + "held-out loss \(Self.format(evaluation.loss)) accuracy \(Self.percent(evaluation.accuracy)) "
        + "norm \(Self.format(step.gradientNorm)) clipped \(Self.percent(clippedShare(step.step))) "
        + "\(Self.duration(elapsed))\n")
  }

  func runDidFinish(_ record: RunRecord) throws {
    let summary = record.summary
    let ending: String
    switch record.outcome {
    case .completed: ending = "done"
    case .diverged: ending = "diverged at step \(record.steps.last?.step ?? 0) (loss not finite)"
    case .interrupted: ending = "interrupted at step \(record.steps.count)"
    }
    let line =
      "[\(runIndex)/\(runCount)] \(record.name): \(ending), final loss \(summary.finalLoss.map(Self.format) ?? "-"), "
      + "accuracy \(summary.accuracy.map(Self.percent) ?? "-"), \(Self.duration(elapsed))\n"
    switch style {
    case .bar: write("\r\u{1B}[2K" + line)
    case .lines: write(line)
    case .silent: break
    }
  }

  private var elapsed: Double { (ContinuousClock.now - started) / .seconds(1) }

  private func clippedShare(_ steps: Int) -> Double { steps > 0 ? Double(clippedSteps) / Double(steps) : 0 }

  private func barLine(_ step: StepMetrics, name: String, colour: Bool) -> String {
    let fraction = totalSteps > 0 ? Double(step.step) / Double(totalSteps) : 0
    let width = 20
    let filled = min(width, Int(fraction * Double(width)))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
    let label = colour ? "\u{1B}[1m\(name)\u{1B}[0m" : name
    let loss = step.loss.isFinite || !colour ? Self.format(step.loss) : "\u{1B}[31m\(Self.format(step.loss))\u{1B}[0m"
    return "[\(runIndex)/\(runCount)] \(label) \(bar) \(step.step)/\(totalSteps) loss \(loss) "
      + "norm \(Self.format(step.gradientNorm)) clipped \(Self.percent(clippedShare(step.step))) "
      + "\(Self.duration(elapsed)) ETA \(Self.duration(remaining))"
  }

  private func write(_ text: String) { Terminal.writeToStandardError(text) }

  /// A number in 4 significant digits.
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.4g", value)
  }

  /// A share as a percentage.
  static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }

  /// Seconds as `m:ss`.
  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return String(format: "%d:%02d", total / 60, total % 60)
  }
}
