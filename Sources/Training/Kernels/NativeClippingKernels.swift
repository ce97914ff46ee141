import CTrainingKernels
import GradientClipping

/// The AVX2 and AVX-512 kernels of this package's C target, for the clippers of
/// `GradientClipping`: the blocks' sums of squares (the read pass of a 2-norm), rescaling (the
/// second pass of global-norm and per-tensor clipping) and clamping (value clipping).
///
/// The core is portable Swift built for baseline x86-64, where a pass over gradients that fit in
/// the caches is held to 16-byte loads and stores; these kernels move 32 or 64 bytes at a time.
/// On `lstm-char-lm` (3.75 M values, 2 threads) global-norm clipping went from 1.20x the
/// hardware floor to 0.88x with them. Installing them changes no result, only speed: rescaling
/// and clamping round once per element (or choose a bound), a block's sum of squares is made of
/// the portable kernel's operations in its order, and all are tested bit for bit against the
/// core's.
/// A ``ParameterStore`` installs them when it is created; call ``install()`` to have them for
/// gradients held elsewhere (a `FlatGradientStorage`, arrays).
///
/// ```swift
/// NativeClippingKernels.install()
/// var clipper = GlobalNormClipper(maxNorm: 1)
/// let report = try clipper.clip(&gradients)  // rescaled with AVX-512 where the CPU has it
/// ```
public enum NativeClippingKernels {
  /// The instruction set of the kernels this CPU runs ("avx512", "avx2"), or `nil` when it has
  /// neither (the core's portable loops run then).
  public static var instructionSet: String? { widest?.name }

  /// Makes the core's clippers rescale and clamp with this CPU's widest kernels; returns
  /// whether the CPU has them (when it has not, nothing changes).
  @discardableResult
  public static func install() -> Bool {
    guard let widest else { return false }
    NativeKernels.install(widest)
    return true
  }

  /// Puts the core's portable kernels back (for benchmarks that time them).
  public static func uninstall() {
    NativeKernels.install(nil)
  }

  /// Installs the kernels once per process: what ``ParameterStore`` calls.
  static let installedOnce: Bool = install()

  /// The widest kernels this CPU has.
  private static let widest = kernels(level: AcceleratedGEMM.detectedLevel)

  /// The kernels of vector `level` (2: AVX2, 3: AVX-512), or `nil` if this CPU has no such
  /// level.
  static func kernels(level: Int) -> NativeKernels? {
    guard level >= 2, level <= AcceleratedGEMM.detectedLevel else { return nil }
    let cLevel = Int32(level)
    return NativeKernels(
      name: level >= 3 ? "avx512" : "avx2",
      scaleFloat: { ctk_scale_f32($0, $1, $2, cLevel) },
      scaleDouble: { ctk_scale_f64($0, $1, $2, cLevel) },
      clampFloat: { ctk_clamp_f32($0, $1, $2, cLevel) },
      clampDouble: { ctk_clamp_f64($0, $1, $2, cLevel) },
      blockSquaresFloat: { ctk_block_squares_f32($0, $1, $2, $3, $4, cLevel) },
      blockSquaresDouble: { ctk_block_squares_f64($0, $1, $2, $3, $4, cLevel) })
  }
}
