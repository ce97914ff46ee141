import Experiments

/// The median time of one matrix-multiply case with one thread count.
struct MatmulBenchmarkResult: Sendable, Hashable {
  let matmulCase: MatmulCase
  let threads: Int
  /// The kernel timed (`MatmulKernel`'s raw value).
  let kernel: String
  /// The median time of one product, in milliseconds.
  let medianMilliseconds: Double

  /// Billions of floating-point operations per second at the median time.
  var gflops: Double { matmulCase.flops / (medianMilliseconds * 1e6) }

  /// One JSON object on one line: `size`, `threads`, `gflops`, `median_ms`, then the shape
  /// (`m`, `n`, `k`, `transpose_a`, `transpose_b`) and `kernel`.
  var jsonLine: String {
    let shape = matmulCase
    let fields = [
      ("size", MetricsFormat.json(shape.name)), ("threads", "\(threads)"),
      ("gflops", "\((gflops * 100).rounded() / 100)"),
      ("median_ms", "\(ClipBenchmarkResult.rounded(medianMilliseconds))"),
      ("m", "\(shape.m)"), ("n", "\(shape.n)"), ("k", "\(shape.k)"),
      ("transpose_a", "\(shape.transposeA)"), ("transpose_b", "\(shape.transposeB)"),
      ("kernel", MetricsFormat.json(kernel)),
    ]
    return "{" + fields.map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
  }
}
