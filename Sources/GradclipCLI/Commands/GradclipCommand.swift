import ArgumentParser

/// The `gradclip` command: the root of every subcommand.
///
/// The executable target only calls `GradclipCommand.main()`; all logic lives here so that tests
/// can run commands in-process.
public struct GradclipCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gradclip",
    abstract: "Gradient clipping, exact and fast: train with and without it, compare methods, check and time it.",
    discussion: """
      Examples:
        swift run -c release gradclip demo
        gradclip train --task adding --recurrent-init orthogonal --lr 0.1 --clip norm:1.0
        gradclip compare --clip 'none;norm:1.0;zclip:max=1.0' --seeds 1-3
        gradclip conformance Tests/GradclipCLITests/Fixtures/conformance/*.json
        gradclip bench clip
      """,
    subcommands: [
      DemoCommand.self, TrainCommand.self, CompareCommand.self, ConformanceCommand.self, BenchCommand.self,
    ]
  )

  public init() {}
}
