import ArgumentParser

/// `gradclip bench clip`: times global-norm and value clipping on the shared workloads, the
/// same work as `../shared/bench/torch_reference.py`.
struct BenchClipCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clip",
    abstract: "Time clip_grad_norm (active and inactive) and clip_grad_value on the shared workloads.",
    discussion: """
      Float32 gradients filled with normal(0, 1) * 1e-2. clip_grad_norm 'active' uses a max norm \
      1e3 times below the gradient norm (every call rescales everything), 'inactive' one 1e3 \
      times above it; clip_grad_value clamps to 1e-3. One warm-up call, then --reps timed calls; \
      the median is reported. Workloads: \(Workload.names.joined(separator: ", ")).

      With --adaptive, also AGC (adaptive_grad_clip), AutoClip, ZClip and AdaGC, each in a state \
      where every call clips (values and state restored, untimed, before each call), and \
      clip_grad_norm 'restored', global-norm clipping timed the same way, to read them against. \
      Flat storage only.

      Sums of squares, rescaling and clamping run on the AVX2 / AVX-512 kernels of the Training \
      module where the CPU has them (--kernels native, as in training), or on the core's portable Swift loops \
      (--kernels portable, what a program importing only GradientClipping runs); results are \
      the same bits. Each result names the kernels that ran.

      Examples:
        gradclip bench clip
        gradclip bench clip lstm-char-lm many-small --reps 31 --threads 1
        gradclip bench clip --adaptive --json
      """
  )

  @Argument(help: "Workloads to time (default: all, in the order of workloads.py).")
  var workloads: [String] = []

  @Flag(help: "Print one JSON object per line instead of a table.")
  var json = false

  @Option(help: "Timed calls per case, after one warm-up call.")
  var reps = 11

  @Option(help: "Most threads the clippers may use (default: every core).")
  var threads: Int?

  @Flag(help: "Also time the adaptive clippers (AGC, AutoClip, ZClip, AdaGC), each clipping on every call.")
  var adaptive = false

  @Option(help: "How gradients are held: flat (one buffer, as a training engine keeps them) or arrays ([[Float]]).")
  var storage: BenchmarkStorage = .flat

  @Option(
    help:
      "Sum-of-squares, rescale and clamp kernels: native (AVX2 / AVX-512 where the CPU has them) or portable (the core's Swift loops)."
  )
  var kernels: BenchmarkKernels = .native

  func validate() throws {
    let unknown = workloads.filter { Workload.named($0) == nil }
    guard unknown.isEmpty else {
      throw ValidationError(
        "unknown workload \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
          + "valid names: \(Workload.names.joined(separator: ", "))")
    }
    guard reps >= 1 else { throw ValidationError("--reps must be at least 1, got \(reps)") }
    guard !adaptive || storage == .flat else { throw ValidationError("--adaptive needs --storage flat") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
  }

  /// The benchmark these arguments describe.
  var benchmark: ClipBenchmark {
    let selected = workloads.isEmpty ? Workload.all : workloads.compactMap { Workload.named($0) }
    return ClipBenchmark(
      workloads: selected, reps: reps, threads: threads, storage: storage, adaptive: adaptive, kernels: kernels)
  }

  func run() throws {
    try run { print($0) }
  }

  /// Runs the benchmark, passing each line of output to `write` as soon as it is known.
  func run(writingLinesTo write: (String) -> Void) throws {
    let benchmark = self.benchmark
    guard !json else {
      try benchmark.run { write($0.jsonLine) }
      return
    }
    let table = ClipResultTable(workloads: benchmark.workloads)
    write(
      "float32, storage \(storage.rawValue), \(kernels.reportedName) kernels, \(benchmark.reportedThreads) threads, "
        + "median of \(reps) calls after a warm-up"
    )
    table.header.forEach(write)
    try benchmark.run { write(table.row($0)) }
  }
}

extension BenchmarkStorage: ExpressibleByArgument {}
extension BenchmarkKernels: ExpressibleByArgument {}
