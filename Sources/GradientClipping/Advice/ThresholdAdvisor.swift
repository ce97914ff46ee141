/// Records gradient norms over a run, globally and per tensor, and recommends a fixed clipping
/// threshold with the evidence: by default the 90th percentile of the global norms, the
/// `maxNorm` that would have clipped about one step in ten.
///
/// Record every step (before clipping: the norms the clipper measured), then ask for
/// ``advice(percentile:candidates:)``: a ``ThresholdAdvice`` with the recommended threshold,
/// the distribution (count, minimum, maximum, mean, quantiles at 10, 25, 50, 75, 90, 95 and
/// 99), the share of steps each candidate threshold would have clipped, and the same per tensor.
/// NaN and infinite norms are counted apart and never enter a statistic.
///
/// Bounded memory: each series (the global norm, each tensor) keeps at most ``capacity`` norms
/// (8 bytes each) besides O(1) counters. Up to ``capacity`` finite norms, everything is exact;
/// past it, the kept norms are a uniform random sample of all the series' finite norms
/// (reservoir sampling, Vitter 1985, "Random sampling with a reservoir", Algorithm R), while
/// count, minimum, maximum and mean stay exact. The quantiles and shares of a sample of `k`
/// norms are then off by at most `100 * sqrt(ln(40) / (2k))` percentile points with 95%
/// confidence, for all thresholds at once (the DKW inequality; 1.36 points for the default
/// `k = 10_000`); ``NormDistribution/rankError`` reports it. The sampling is seeded: the same
/// norms and seed give the same advice. Recording is O(1) per norm; advice sorts the samples,
/// O(k log k) per series.
///
/// This is the "threshold suggestion without guessing" the AutoClip paper argues for
/// (Seetharaman et al. 2020 pick a percentile of the observed norms), turned into a fixed
/// threshold for the next run; ``AutoClipClipper`` applies the same rule adaptively.
///
/// ```swift
/// var advisor = try ThresholdAdvisor()
/// for batch in batches {
///   var gradients = computeGradients(batch)
///   let report = try GlobalNormClipper(maxNorm: .infinity).clip(&gradients)  // or your clipper
///   advisor.record(report)                       // the global norm (and per-tensor norms if any)
///   // or: try advisor.record(gradients)          // measures global and per-tensor 2-norms
/// }
/// let advice = try advisor.advice(percentile: 90)
/// print(advice)                                   // a table for the terminal
/// let maxNorm = advice.threshold                  // nil if nothing finite was recorded
/// ```
public struct ThresholdAdvisor: Sendable, Hashable, Codable {
  /// The default number of norms kept per series: 10,000 (80 KB), quantiles within 1.36
  /// percentile points (95% confidence) once exceeded.
  public static let defaultCapacity = 10_000

  /// The most norms kept per series (global, and each tensor).
  public let capacity: Int

  /// The tensors' names by index, as given or read from the recorded gradient sets; `""` where
  /// unknown.
  public private(set) var tensorNames: [String]

  /// The number of `record` calls (steps), non-finite ones included.
  public private(set) var stepCount = 0

  private var global = NormSeries()
  private var tensors: [NormSeries] = []
  private var generator: SplitMix64
  private let seed: UInt64

  /// An empty advisor.
  ///
  /// - Parameters:
  ///   - capacity: the most norms kept per series, >= 1.
  ///   - tensorNames: the tensors' names, by index, for the advice (optional).
  ///   - seed: the seed of the sampling decisions, used once a series exceeds `capacity`.
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for a capacity below 1.
  public init(capacity: Int = defaultCapacity, tensorNames: [String] = [], seed: UInt64 = 0) throws(ClippingError) {
    guard capacity >= 1 else {
      throw .invalidArgument(name: "capacity", value: Double(capacity), requirement: "must be >= 1")
    }
    self.capacity = capacity
    self.tensorNames = tensorNames
    self.seed = seed
    self.generator = SplitMix64(seed: seed)
  }

  /// Records one step: its global norm and, optionally, each tensor's norm by index. NaN and
  /// infinite norms are counted, not recorded. A step may give fewer tensors than an earlier
  /// one; the missing tensors record nothing that step.
  public mutating func record(globalNorm: Double, tensorNorms: [Double] = []) {
    stepCount += 1
    global.record(globalNorm, capacity: capacity, generator: &generator)
    if tensors.count < tensorNorms.count {
      tensors.append(contentsOf: repeatElement(NormSeries(), count: tensorNorms.count - tensors.count))
    }
    for (index, norm) in tensorNorms.enumerated() {
      tensors[index].record(norm, capacity: capacity, generator: &generator)
    }
  }

  /// Records the norms a clipper measured before clipping: the report's `norm` and its
  /// `tensorNorms` (present for per-tensor clippers; for ``BlockRMSClipper`` these are RMS
  /// values, not norms).
  public mutating func record(_ report: ClippingReport) {
    record(globalNorm: report.norm, tensorNorms: report.tensorNorms)
  }

  /// Measures and records the 2-norm (or the `order`-norm) of each tensor of `gradients` and of
  /// all of them (one read pass); names the tensors the set names.
  ///
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for an invalid
  ///   `order`; nothing is recorded then.
  public mutating func record<Gradients: GradientSet>(
    _ gradients: Gradients, order: NormOrder = .two
  ) throws(ClippingError) {
    let norms = try gradients.tensorNorms(order: order)
    let total = try GradientNorm(combining: norms)
    for index in 0..<gradients.tensorCount {
      guard let name = gradients.name(ofTensor: index) else { continue }
      if tensorNames.count <= index {
        tensorNames.append(contentsOf: repeatElement("", count: index + 1 - tensorNames.count))
      }
      if tensorNames[index].isEmpty { tensorNames[index] = name }
    }
    record(globalNorm: total.value, tensorNorms: norms.map(\.value))
  }

  /// Forgets every recorded norm (the sampling restarts from the seed); keeps the names.
  public mutating func reset() {
    stepCount = 0
    global = NormSeries()
    tensors = []
    generator = SplitMix64(seed: seed)
  }

  /// The recommendation: the `percentile`-th percentile of the global norms (and of each
  /// tensor's), with the distributions and the share of steps each candidate would have clipped.
  ///
  /// - Parameters:
  ///   - percentile: in [0, 100]; 90 by default.
  ///   - candidates: thresholds to evaluate; by default the reported quantiles of the global
  ///     norms (labelled `"p10"` ... `"p99"`).
  /// - Throws: ``ClippingError/invalidArgument(name:value:requirement:)`` for a percentile
  ///   outside [0, 100] (or NaN), or a candidate that is NaN or negative.
  public func advice(percentile: Double = 90, candidates: [Double]? = nil) throws(ClippingError) -> ThresholdAdvice {
    guard percentile >= 0, percentile <= 100 else {
      throw .invalidArgument(name: "percentile", value: percentile, requirement: "must be in [0, 100]")
    }
    for (index, candidate) in (candidates ?? []).enumerated() where candidate.isNaN || candidate < 0 {
      throw .invalidArgument(name: "candidates[\(index)]", value: candidate, requirement: "must be >= 0")
    }
    let distribution = Self.distribution(of: global)
    return ThresholdAdvice(
      percentile: percentile, global: distribution,
      candidates: Self.candidates(candidates, in: distribution),
      tensors: tensors.enumerated().map { index, series in
        let tensorDistribution = Self.distribution(of: series)
        return TensorThresholdAdvice(
          index: index, name: index < tensorNames.count && !tensorNames[index].isEmpty ? tensorNames[index] : nil,
          distribution: tensorDistribution, threshold: tensorDistribution.quantile(at: percentile))
      })
  }

  private static func distribution(of series: NormSeries) -> NormDistribution {
    let recorded = series.count > 0
    return NormDistribution(
      count: series.count, nonFiniteCount: series.nonFiniteCount, minimum: recorded ? series.minimum : nil,
      maximum: recorded ? series.maximum : nil, mean: series.mean, sample: series.sample)
  }

  /// The given thresholds, or the reported quantiles, evaluated and sorted by threshold.
  private static func candidates(_ given: [Double]?, in distribution: NormDistribution) -> [CandidateThreshold] {
    let labelled: [(Double, String?)] =
      given.map { $0.map { ($0, nil) } }
      ?? distribution.quantiles.map { ($0.value, ThresholdAdvice.label($0.percentile)) }
    return labelled.map { CandidateThreshold(threshold: $0.0, distribution: distribution, label: $0.1) }
      .sorted { $0.threshold < $1.threshold }
  }
}
