import Training

/// A task whose examples are generated: every training batch is drawn fresh from the run's
/// generator, and the held-out set is ``HeldOut/exampleCount`` examples drawn from a generator of
/// its own (the same for every run, whatever its seed), so held-out examples are never trained on
/// by chance of the seed.
///
/// Conforming types only write ``LearningTask/batch(size:generator:)``.
public protocol SyntheticTask: LearningTask {}

extension SyntheticTask {
  /// ``HeldOut/exampleCount`` examples from the held-out generator.
  public func heldOutSet() -> TaskBatch {
    var generator = HeldOut.generator()
    return batch(size: HeldOut.exampleCount, generator: &generator)
  }
}

/// The generator of a synthetic task's held-out set: its own stream, apart from any run's.
public enum HeldOut {
  /// The number of held-out examples of a synthetic task.
  public static let exampleCount = 512
  /// The seed of every synthetic task's held-out generator.
  static let seed: UInt64 = 0x6772_6164_636c_6970  // "gradclip"

  /// A fresh generator for a held-out set.
  static func generator() -> SeededGenerator { SeededGenerator(seed: seed) }
}
