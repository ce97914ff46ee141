import GradientClipping

/// PyTorch's default initialisations, from a seeded generator.
enum Initializers {
  /// `count` samples uniform in `[-bound, bound)`.
  static func uniform<S: GradientScalar>(count: Int, bound: Double, generator: inout SeededGenerator) -> [S] {
    (0..<count).map { _ in S(generator.uniform(in: -bound..<bound)) }
  }
}

extension Initializers {
  /// A random `size x size` orthogonal matrix times `gain`, row-major: the Q factor (with a
  /// positive diagonal of R) of a matrix of standard normal samples, which makes it uniformly
  /// distributed over the orthogonal matrices, as `torch.nn.init.orthogonal_`.
  ///
  /// Complexity: O(size^3), by modified Gram-Schmidt in `Double`.
  static func orthogonal<S: GradientScalar>(size: Int, gain: Double, generator: inout SeededGenerator) -> [S] {
    var columns = (0..<size).map { _ in (0..<size).map { _ in generator.normal() } }
    for index in 0..<size {
      for earlier in 0..<index {
        let projection = zip(columns[index], columns[earlier]).reduce(0) { $0 + $1.0 * $1.1 }
        for row in 0..<size { columns[index][row] -= projection * columns[earlier][row] }
      }
      let length = columns[index].reduce(0) { $0 + $1 * $1 }.squareRoot()
      columns[index] = columns[index].map { $0 / length }
    }
    return (0..<size * size).map { S(gain * columns[$0 % size][$0 / size]) }
  }
}
