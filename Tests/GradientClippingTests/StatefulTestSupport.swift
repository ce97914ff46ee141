import GradientClipping

/// `a` and `b` agree to a relative `tolerance`.
func isClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
  a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
}

/// `a` and `b` have the same length and agree element by element to a relative `tolerance`.
func isClose(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance) }
}

/// The name of the argument that the `invalidArgument` error thrown by `body` names; `nil` if
/// `body` throws nothing or another error.
func argumentName(_ body: () throws -> Void) -> String? {
  do {
    try body()
  } catch let error as ClippingError {
    if case .invalidArgument(let name, _, _) = error { return name }
  } catch {}
  return nil
}

/// The error `body` throws, if it is a ``ClippingError``.
func clippingError(_ body: () throws -> Void) -> ClippingError? {
  do {
    try body()
  } catch let error as ClippingError {
    return error
  } catch {}
  return nil
}

/// The bit patterns of every element, so that NaN compares equal to the same NaN.
func bits(_ tensors: [[Double]]) -> [[UInt64]] { tensors.map { $0.map(\.bitPattern) } }

/// The bit patterns of every element, so that NaN compares equal to the same NaN.
func bits(_ tensors: [[Float]]) -> [[UInt32]] { tensors.map { $0.map(\.bitPattern) } }
