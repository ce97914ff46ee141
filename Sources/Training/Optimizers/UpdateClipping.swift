import GradientClipping

/// Clipping of the update of ``Adam`` and ``AdamW``, tensor by tensor, after the moments are
/// updated: where gradient clipping bounds what goes into the moments, update clipping bounds the
/// step that comes out of them.
///
/// Both methods measure one root-mean-square per tensor during the update and shrink that
/// tensor's step when it exceeds a threshold. The moments (and so the optimizer state and its
/// checkpoints) are exactly those of the unclipped optimizer; only the parameters move less.
///
/// With `t` the 1-based step, `g` the gradient as the moments see it (after gradient clipping,
/// and for ``Adam`` with `weightDecay * p` added), `m` and `v` the updated moments (`v` is the
/// AMSGrad maximum when ``Adam/amsgrad`` is on), `m̂ = m / (1 - beta1^t)`,
/// `v̂ = v / (1 - beta2^t)`, and `n` the tensor's element count:
///
/// - ``rms(threshold:)``, Adafactor's update clipping (Shazeer & Stern 2018, "Adafactor: adaptive
///   learning rates with sublinear memory cost", section 6), as optax's `clip_by_block_rms`
///   applied to the output of `scale_by_adam`, or the `clip_threshold` of HF Transformers' and
///   fairseq's `Adafactor`:
///   ```
///   u = m̂ / (sqrt(v̂) + epsilon)               (Adam's update direction, epsilon as PyTorch)
///   RMS = sqrt(sum(u * u) / n)
///   u = u / max(1, RMS / threshold)
///   p = p * (1 - lr * weightDecay)            (AdamW only: the decay is not clipped)
///   p = p - lr * u
///   ```
///   The clipping comes after the bias corrections (it sees `m̂` and `v̂`) and after AdamW's
///   decoupled decay, which it leaves unchanged; ``Adam``'s L2 decay is inside `g`, so inside `u`.
///
/// - ``stableAdamW``, StableAdamW (Wortsman et al. 2023, "Stable and low-precision training for
///   large-scale vision-language models", Algorithm 2): the tensor's learning rate is divided by
///   the RMS of the gradient relative to its second moment, when that exceeds 1:
///   ```
///   RMS = sqrt(sum(g * g / max(v̂, epsilon^2)) / n)
///   eta = lr / max(1, RMS)
///   p = p * (1 - eta * weightDecay)           (AdamW: the decay uses the clipped rate too)
///   p = p - eta * m̂ / (sqrt(v̂) + epsilon)
///   ```
///   The paper keeps its moments with "debiased" decay rates `beta_t = beta (1 - beta^(t-1)) /
///   (1 - beta^t)`, which makes them equal to our bias-corrected `m̂` and `v̂`: so `v̂` (bias-corrected)
///   is what the RMS divides by, and its `epsilon` is the optimizer's (the denominator's) epsilon,
///   squared as in the authors' reference code (`torch.maximum(u, eps**2)`). Choices: the weight
///   decay uses `eta`, as the authors' reference code does (`1 - new_lr * weight_decay`; an early
///   copy of it decayed with the unclipped `lr`); the threshold is 1, the paper's (its code's
///   `clip_thresh` defaults to 1); a term whose `max(v̂, epsilon^2)` is 0 (a zero
///   gradient with `epsilon` 0) counts 0 rather than NaN, so the RMS stays finite (that element's
///   Adam update is 0 / 0 anyway, as in PyTorch). On the first step `v̂ = g * g`, so RMS
///   is at most 1 (up to rounding) and nothing is scaled: StableAdamW acts from the second step on.
///
/// Default ``none``: the update of PyTorch's `torch.optim.Adam`/`AdamW`, unchanged bit for bit.
///
/// Cost: ``none`` is Adam's single pass. The other two read each tensor twice: a first pass
/// updates the moments and sums the squares (in the scalar type over blocks of 512 elements,
/// carried into a `Double`), a second updates the parameters with the tensor's factor. When no
/// tensor is scaled, the parameters are the same bits as with ``none``.
///
/// Every applied step reports what it did in ``StepReport/updateClipping``: each tensor's RMS
/// and the factor its step was multiplied by (`1 / max(1, RMS / threshold)`).
///
/// ```swift
/// var adamw = AdamW<Float>(learningRate: 1e-3, updateClipping: .rms(threshold: 1))
/// let report = try adamw.step(values: &weights, gradients: &gradients)
/// print(report.updateClippedTensorCount)  // how many tensors had their step shrunk
/// var stable = AdamW<Float>(learningRate: 2e-3, betas: (0.9, 0.99), epsilon: 1e-6, updateClipping: .stableAdamW)
/// ```
public enum UpdateClipping: Sendable, Hashable, CustomStringConvertible {
  /// No update clipping: Adam's and AdamW's update as PyTorch computes it.
  case none

  /// Adafactor's update clipping: each tensor's Adam update `u = m̂ / (sqrt(v̂) + epsilon)` is
  /// divided by `max(1, RMS(u) / threshold)`. `threshold` (Adafactor's `d`, optax's `threshold`,
  /// HF's `clip_threshold`, 1 in the paper) must be finite and > 0.
  case rms(threshold: Double)

  /// StableAdamW: each tensor's learning rate is divided by
  /// `max(1, sqrt(mean(g * g / max(v̂, epsilon^2))))`.
  case stableAdamW

  /// The option as code would write it.
  public var description: String {
    switch self {
    case .none: return "none"
    case .rms(let threshold): return "rms(threshold: \(threshold))"
    case .stableAdamW: return "stableAdamW"
    }
  }

  /// The RMS a tensor may have before its step is scaled: the RMS threshold, or 1 for StableAdamW.
  var threshold: Double {
    switch self {
    case .none: return .infinity
    case .rms(let threshold): return threshold
    case .stableAdamW: return 1
    }
  }

  /// Checks the threshold.
  func validate() throws(OptimizerError) {
    guard case .rms(let threshold) = self else { return }
    guard threshold.isFinite, threshold > 0 else {
      throw .invalidHyperparameter(
        name: "updateClipping.threshold", value: threshold, requirement: "must be finite and > 0")
    }
  }

  /// The divisor of a tensor's step for a measured `rms`: `max(1, rms / threshold)`; 1 for a
  /// NaN RMS (the update is NaN anyway).
  func divisor(forRMS rms: Double) -> Double {
    let ratio = rms / threshold
    return ratio > 1 ? ratio : 1
  }
}

/// What update clipping measured in one tensor: the sum of the `n` squares whose mean is the
/// RMS, and the factor applied to the tensor's step.
struct TensorUpdateClipping: Sendable, Hashable {
  var sumOfSquares: Double
  var count: Int
  var coefficient: Double

  /// A tensor with no elements: nothing measured, nothing scaled.
  static let empty = TensorUpdateClipping(sumOfSquares: 0, count: 0, coefficient: 1)

  /// `sqrt(sum / n)`; 0 for no elements.
  var rms: Double { count == 0 ? 0 : (sumOfSquares / Double(count)).squareRoot() }
}

extension UpdateClipping {
  /// The step's report: per-tensor RMS and coefficients; `norm` is the RMS over the elements
  /// of all tensors, `coefficient` the smallest factor.
  func report(_ tensors: [TensorUpdateClipping]) -> ClippingReport {
    let rms = tensors.map(\.rms)
    let coefficients = tensors.map(\.coefficient)
    let total = tensors.reduce(TensorUpdateClipping.empty) {
      TensorUpdateClipping(sumOfSquares: $0.sumOfSquares + $1.sumOfSquares, count: $0.count + $1.count, coefficient: 1)
    }
    let smallest = coefficients.reduce(1, min)
    let outcome: ClippingReport.Outcome =
      rms.contains { !$0.isFinite } ? .propagatedNonFinite : smallest < 1 ? .clipped : .unchanged
    return ClippingReport(
      norm: total.rms, threshold: threshold, coefficient: smallest, outcome: outcome, tensorNorms: rms,
      tensorCoefficients: coefficients)
  }
}
