import ArgumentParser

/// The `gradclip` command: the root of every subcommand.
///
/// The executable target only calls `GradclipCommand.main()`; all logic lives here so that tests
/// can run commands in-process.
public struct GradclipCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gradclip",
    abstract: "Gradient clipping, exact and fast: train with and without it, compare methods, check and time it.",
    subcommands: [
      DemoCommand.self, TrainCommand.self, CompareCommand.self, ConformanceCommand.self, BenchCommand.self,
    ]
  )

  public init() {}
}
