import GradientClipping
import Training

/// Which kernels the clippers sum squares, rescale and clamp with during a benchmark.
enum BenchmarkKernels: String, CaseIterable, Sendable {
  /// `Training`'s AVX2 / AVX-512 kernels where the CPU has them (what a training run uses).
  case native
  /// The core's portable Swift loops, as a program that imports only `GradientClipping` has.
  case portable

  /// The name results report: the instruction set ("avx512", "avx2"), or "portable" (also when
  /// `native` is asked for on a CPU without them).
  var reportedName: String {
    switch self {
    case .native: NativeClippingKernels.instructionSet ?? Self.portable.rawValue
    case .portable: Self.portable.rawValue
    }
  }

  /// Installs the chosen kernels for the clippers.
  func install() {
    switch self {
    case .native: NativeClippingKernels.install()
    case .portable: NativeClippingKernels.uninstall()
    }
  }
}
