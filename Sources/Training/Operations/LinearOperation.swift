import GradientClipping

extension Tensor {
  /// `x W^T + b` over the last dimension: `[..., in] x [out, in]^T + [out] -> [..., out]`
  /// (PyTorch's `F.linear`), without copying `W`.
  ///
  /// Specialised for `Float` and `Double`, and so is its backward rule (which measures the
  /// weight's gradient as it completes it: unspecialised, recording that measure looked up
  /// generic metadata, 0.4 us per layer).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(rank >= 1 && weight.rank == 2, "linear: input \(shape), weight \(weight.shape)")
    let (outputs, inputs) = (weight.shape[0], weight.shape[1])
    precondition(shape[rank - 1] == inputs, "linear: input \(shape) does not end in \(inputs) (weight \(weight.shape))")
    if let bias { precondition(bias.shape == [outputs], "linear: bias \(bias.shape) for weight \(weight.shape)") }
    let rows = inputs == 0 ? elementCount : elementCount / inputs
    let x = storage
    let w = weight.storage
    let b = bias?.storage
    let storage = TensorStorage<Scalar>(uninitializedCount: rows * outputs) { _ in }  // the product overwrites it
    Matmul.gemm(
      transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x.base, lda: inputs, b: w.base,
      ldb: inputs, c: storage.base, ldc: outputs, accumulate: false,
      parallelism: EngineThreads.parallelism)
    if let b { LinearKernels.addBias(UnsafePointer(b.base), to: storage.base, rows: rows, width: outputs) }
    let operands = [self, weight] + (bias.map { [$0] } ?? [])
    return Self.result(shape: shape.dropLast() + [outputs], storage: storage, inputs: operands, retaining: (x, w)) {
      gradient, gradients in
      guard let g = gradient.baseAddress else { return }
      if let (buffer, overwrite) = gradients.overwritable(0), let dx = buffer.baseAddress {  // dX += dY W
        Matmul.gemm(
          transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: g, lda: outputs, b: w.base,
          ldb: inputs, c: dx, ldc: inputs, accumulate: !overwrite, parallelism: EngineThreads.parallelism)
      }
      if let dw = gradients[1]?.baseAddress {  // dW += dY^T X, measured on the way if it is dW's last part
        let sumOfSquares = Matmul.gemm(
          transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: g, lda: outputs, b: x.base,
          ldb: inputs, c: dw, ldc: inputs, accumulate: true, parallelism: EngineThreads.parallelism,
          measuringC: gradients.completesLeaf(1))
        if let sumOfSquares { gradients.recordSumOfSquares(sumOfSquares, ofInput: 1) }
      }
      if gradients.count > 2, let db = gradients[2]?.baseAddress {
        LinearKernels.addColumnSums(g, to: db, rows: rows, width: outputs)
        if gradients.completesLeaf(2), let sumOfSquares = LinearKernels.sumOfSquares(db, count: outputs) {
          gradients.recordSumOfSquares(sumOfSquares, ofInput: 2)
        }
      }
    }
  }
}

/// The bias loops of ``Tensor/linear(weight:bias:)`` and the measure of a bias's gradient,
/// specialised for `Float` and `Double`.
enum LinearKernels {
  /// Adds `bias` (`width` long) to each of `rows` rows of `out`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func addBias<S: GradientScalar>(
    _ bias: UnsafePointer<S>, to out: UnsafeMutablePointer<S>, rows: Int, width: Int
  ) {
    for row in 0..<rows { ReductionKernels.add(bias, to: out + row * width, count: width) }
  }

  /// The sum of the squares of `count` `Float` values, in `Double`: each square is exact there
  /// (24-bit significands), none overflows or underflows, and the sum is within `count` ulps
  /// of `Double`. `nil` for `Double` values, whose squares can overflow: backward then measures
  /// the gradient as it measures any other. Backward measures a bias's gradient with it right
  /// after writing it, while it is in the cache.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func sumOfSquares<S: GradientScalar>(_ values: UnsafePointer<S>, count: Int) -> Double? {
    guard S.self == Float.self else { return nil }
    let floats = UnsafeRawPointer(values).assumingMemoryBound(to: Float.self)
    return fourWaySum(count: count) { Double(floats[$0]) * Double(floats[$0]) }
  }

  /// Adds the sum of the `rows` rows of `g` (each `width` long) to `target`.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func addColumnSums<S: GradientScalar>(
    _ g: UnsafePointer<S>, to target: UnsafeMutablePointer<S>, rows: Int, width: Int
  ) {
    for row in 0..<rows { ReductionKernels.add(g + row * width, to: target, count: width) }
  }
}
