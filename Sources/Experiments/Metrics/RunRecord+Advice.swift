import GradientClipping

extension RunRecord {
  /// The fixed threshold the core's `ThresholdAdvisor` recommends from this run's gradient norms
  /// before clipping (global and per parameter): the `percentile`-th percentile (90 by default),
  /// with the distribution and the share of steps each candidate would have clipped.
  ///
  /// ```swift
  /// if let advice = try record.thresholdAdvice() { print(advice) }
  /// ```
  ///
  /// - Throws: `ClippingError` for a percentile outside [0, 100].
  public func thresholdAdvice(percentile: Double = 90) throws(ClippingError) -> ThresholdAdvice {
    var advisor = try ThresholdAdvisor(capacity: max(steps.count, 1), tensorNames: layerNames)
    for step in steps { advisor.record(globalNorm: step.gradientNorm, tensorNorms: step.layerNorms) }
    return try advisor.advice(percentile: percentile)
  }
}
