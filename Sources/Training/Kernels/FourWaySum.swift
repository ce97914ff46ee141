/// The sum of `term(0) ..< term(count)` in four running sums (term `i` into sum `i % 4`, so
/// that the additions do not wait on one another), then `(s0 + s1) + (s2 + s3)`: an order that
/// depends on `count` alone.
///
/// For short sums on backward's path (a product's tile measures, a bias's squares), where a
/// single running sum waits four cycles per term.
@inline(__always)
func fourWaySum(count: Int, _ term: (Int) -> Double) -> Double {
  var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
  var index = 0
  while index + 4 <= count {
    s0 += term(index)
    s1 += term(index + 1)
    s2 += term(index + 2)
    s3 += term(index + 3)
    index += 4
  }
  if index < count { s0 += term(index) }
  if index + 1 < count { s1 += term(index + 1) }
  if index + 2 < count { s2 += term(index + 2) }
  return (s0 + s1) + (s2 + s3)
}
