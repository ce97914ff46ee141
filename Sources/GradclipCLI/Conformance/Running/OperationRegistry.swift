/// The runners the conformance runner knows, by operation name. A case whose operation has no
/// runner is reported as not implemented.
struct OperationRegistry: Sendable {
  private var runners: [String: any OperationRunner] = [:]

  /// A registry of the given runners; a later runner for the same operation replaces an earlier.
  init(_ runners: [any OperationRunner] = []) {
    for runner in runners { register(runner) }
  }

  /// Adds `runner` for its operation, replacing any runner already there.
  mutating func register(_ runner: any OperationRunner) {
    runners[runner.operation] = runner
  }

  /// The runner of `operation`, if there is one.
  func runner(for operation: String) -> (any OperationRunner)? { runners[operation] }

  /// The names of the operations that have runners, sorted.
  var operations: [String] { runners.keys.sorted() }

  /// Every operation implemented so far.
  static let standard = OperationRegistry([
    GradientOperationRunner<TotalNormOperation>(),
    GradientOperationRunner<ClipGradNormOperation>(),
    GradientOperationRunner<ClipGradValueOperation>(),
    GradientOperationRunner<ClipByNormOperation>(),
    GradientOperationRunner<ClipByGlobalNormOperation>(),
    GradientOperationRunner<ClipByBlockRMSOperation>(),
    OptimizerOperation(),
    TrainLinearOperation(),
    PerExampleGlobalNormClipOperation(),
    AdaptiveGradClipOperation(),
    AutoClipQuantileOperation(),
    ZClipOperation(),
    RecurrentGradientsOperation(),
    RDPEpsilonOperation(),
  ])
}
