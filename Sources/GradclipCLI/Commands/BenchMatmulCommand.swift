import ArgumentParser
import Foundation
import Training

/// `gradclip bench matmul`: times `Float` matrix multiplies with the engine's kernels, the same
/// products `Scripts/bench_matmul.py` times with PyTorch.
struct BenchMatmulCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "matmul",
    abstract: "Time float32 matrix multiplies (GFLOP/s) on square sizes and the reference models' hot shapes.",
    discussion: """
      C = A * B (A transposed where the case says so), operands uniform in [-1, 1). One warm-up \
      product, then --reps samples of at least 2 ms each; the median time of one product and its \
      GFLOP/s are reported. Cases: \(MatmulCase.names.joined(separator: ", ")).

      Examples:
        gradclip bench matmul
        gradclip bench matmul 512 1024 --threads 1,2 --json
      """
  )

  @Argument(help: "Cases to time (default: all).")
  var sizes: [String] = []

  @Option(help: "Comma-separated thread counts to time each case with (default: 1 and every core).")
  var threads: String?

  @Option(help: "Timed samples per case and thread count, after one warm-up product.")
  var reps = 11

  @Option(help: "The kernel: \(MatmulKernel.allCases.map(\.rawValue).joined(separator: ", ")).")
  var kernel: MatmulKernel = .automatic

  @Flag(help: "Print one JSON object per line instead of a table.")
  var json = false

  func validate() throws {
    let unknown = sizes.filter { MatmulCase.named($0) == nil }
    guard unknown.isEmpty else {
      throw ValidationError(
        "unknown case \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
          + "valid names: \(MatmulCase.names.joined(separator: ", "))")
    }
    guard reps >= 1 else { throw ValidationError("--reps must be at least 1, got \(reps)") }
    guard let counts = threadCounts, !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }) else {
      throw ValidationError("--threads must be a comma-separated list of counts of at least 1")
    }
    guard kernel.isAvailable else { throw ValidationError("kernel '\(kernel.rawValue)' is not available on this CPU") }
  }

  /// The thread counts asked for, or 1 and every core; nil if `--threads` does not parse.
  var threadCounts: [Int]? {
    guard let threads else {
      let cores = ProcessInfo.processInfo.activeProcessorCount
      return cores > 1 ? [1, cores] : [1]
    }
    let counts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    return counts.contains(nil) ? nil : counts.compactMap { $0 }
  }

  /// The benchmark these arguments describe.
  var benchmark: MatmulBenchmark {
    let selected = sizes.isEmpty ? MatmulCase.all : sizes.compactMap { MatmulCase.named($0) }
    return MatmulBenchmark(cases: selected, threadCounts: threadCounts ?? [1], reps: reps, kernel: kernel)
  }

  func run() throws {
    run { print($0) }
  }

  /// Runs the benchmark, passing each line of output to `write` as soon as it is known.
  func run(writingLinesTo write: (String) -> Void) {
    let benchmark = self.benchmark
    guard !json else {
      benchmark.run { write($0.jsonLine) }
      return
    }
    write("float32, kernel \(kernel.rawValue), median of \(reps) samples after a warm-up")
    write(Self.row("size", "m x n x k", "threads", "median ms", "GFLOP/s"))
    benchmark.run { result in
      let shape = result.matmulCase
      let dims =
        "\(shape.m)x\(shape.n)x\(shape.k)" + (shape.transposeA ? " A^T" : "") + (shape.transposeB ? " B^T" : "")
      write(
        Self.row(
          shape.name, dims, "\(result.threads)", Self.format(result.medianMilliseconds, digits: 4),
          Self.format(result.gflops, digits: 1)))
    }
  }

  private static func row(_ columns: String...) -> String {
    let widths = [16, 20, 8, 12, 10]
    return zip(columns, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
  }

  private static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

extension MatmulKernel: ExpressibleByArgument {}
