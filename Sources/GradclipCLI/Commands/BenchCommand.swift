import ArgumentParser

/// `gradclip bench`: benchmarks whose figures are read as ratios to the references in
/// `../shared/bench`, measured in the same run (see `Scripts/bench_clip.py`).
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmarks: time the clippers on the shared workloads.",
    discussion: """
      Times are medians in milliseconds on a shared, noisy machine: compare them only with \
      reference figures from the same run. Scripts/bench_clip.py runs the PyTorch reference and \
      the hardware floor alongside and prints the ratios.

      Examples:
        swift run -c release gradclip bench clip
        swift run -c release gradclip bench clip --adaptive gpt2-124m
        swift run -c release gradclip bench train --steps 50
        swift run -c release gradclip bench matmul 512 --threads 1,2
      """,
    subcommands: [BenchClipCommand.self, BenchMatmulCommand.self, BenchTrainCommand.self]
  )
}
