import Experiments

#if canImport(Foundation)
  import Foundation
#endif

/// The median time of one case of the clip benchmark on one workload.
struct ClipBenchmarkResult: Sendable, Hashable {
  /// The workload's name, as in `workloads.py`.
  let workload: String
  /// `clip_grad_norm` or `clip_grad_value`, as in `torch_reference.py`.
  let operation: String
  /// `active` or `inactive`, as in `torch_reference.py`.
  let regime: String
  /// The median time of one call, in milliseconds.
  let medianMilliseconds: Double
  /// The number of threads the clippers could use.
  let threads: Int
  /// The number of values in the workload.
  let elements: Int
  /// How the gradients were held.
  let storage: BenchmarkStorage
  /// The kernels that summed squares, rescaled and clamped: "avx512", "avx2" or "portable".
  let kernels: String

  /// One JSON object on one line, keys in the order of `torch_reference.py` and then
  /// `threads`, `elements`, `storage`, `kernels`.
  var jsonLine: String {
    let fields = [
      ("workload", MetricsFormat.json(workload)), ("op", MetricsFormat.json(operation)),
      ("regime", MetricsFormat.json(regime)), ("median_ms", "\(Self.rounded(medianMilliseconds))"),
      ("threads", "\(threads)"), ("elements", "\(elements)"), ("storage", MetricsFormat.json(storage.rawValue)),
      ("kernels", MetricsFormat.json(kernels)),
    ]
    return "{" + fields.map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
  }

  /// `value` rounded to 0.1 microsecond: small workloads take a few hundredths of a millisecond.
  static func rounded(_ value: Double) -> Double { (value * 1e4).rounded() / 1e4 }
}
