import Foundation
import Testing

@testable import Experiments

@Suite("TensorBoard histograms")
struct TensorBoardHistogramTests {
  @Test("the default limits are TensorFlow's: ±1e-12 growing by 10% to 1e20, 0 and ±DBL_MAX")
  func defaultLimits() {
    let limits = TensorBoardHistogram.defaultBucketLimits
    #expect(limits.count == 1551)
    #expect(limits.first == -Double.greatestFiniteMagnitude && limits.last == Double.greatestFiniteMagnitude)
    #expect(limits[775] == 0 && limits[776] == 1e-12 && limits[774] == -1e-12)
    #expect(zip(limits, limits.dropFirst()).allSatisfy { $0 < $1 })
    #expect(zip(limits, limits.reversed()).allSatisfy { $0 == -$1 })
    // The same repeated multiplication in Python: 774 limits, the last 9.920775621859783e+19.
    #expect(limits[1549] == 9.920775621859783e+19 && limits[876] == 1.3780612339822385e-08)
  }

  @Test("statistics and buckets of a few values, empty runs merged")
  func fewValues() throws {
    let histogram = try TensorBoardHistogram(values: [0.5, -1, 2, 2] as [Double])
    #expect(histogram.min == -1 && histogram.max == 2 && histogram.count == 4)
    #expect(histogram.sum == 3.5 && histogram.sumSquares == 9.25)
    #expect(histogram.bucketLimits.count == histogram.bucketCounts.count)
    #expect(histogram.bucketCounts.reduce(0, +) == 4)
    #expect(histogram.bucketCounts.filter { $0 > 0 } == [1, 1, 2])
    #expect(zip(histogram.bucketCounts, histogram.bucketCounts.dropFirst()).allSatisfy { $0 > 0 || $1 > 0 })
    #expect(histogram.bucketLimits.last == Double.greatestFiniteMagnitude)
    try expectEachValueInItsBucket([0.5, -1, 2, 2], histogram)
  }

  @Test("values on a limit go to the bucket above it, as std::upper_bound puts them")
  func valuesOnLimits() throws {
    let limits = TensorBoardHistogram.defaultBucketLimits
    let values = [0, limits[800], limits[300], -Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude]
    let histogram = try TensorBoardHistogram(values: values)
    #expect(histogram.count == 5 && histogram.bucketCounts.reduce(0, +) == 5)
    let zeroBucket = try #require(histogram.bucketLimits.firstIndex(of: limits[776]))
    #expect(histogram.bucketCounts[zeroBucket] == 1)
    let bucket = try #require(histogram.bucketLimits.firstIndex(of: limits[801]))
    #expect(histogram.bucketCounts[bucket] == 1)
    #expect(histogram.bucketLimits.last == Double.greatestFiniteMagnitude && histogram.bucketCounts.last == 1)
  }

  @Test("many values: counts add up and every value lies in its bucket")
  func manyValues() throws {
    let bytes = TensorBoardTestSupport.randomBytes(count: 4000, seed: 3)
    let values = stride(from: 0, to: bytes.count, by: 4).map { index -> Float in
      let mantissa = Float(bytes[index]) / 255 - 0.5
      return mantissa * Float(pow(10, Double(Int(bytes[index + 1] % 12) - 6)))
    }
    let histogram = try TensorBoardHistogram(values: values)
    #expect(histogram.count == 1000 && histogram.bucketCounts.reduce(0, +) == 1000)
    #expect(histogram.min == Double(values.min() ?? 0) && histogram.max == Double(values.max() ?? 0))
    try expectEachValueInItsBucket(values.map(Double.init), histogram)
  }

  @Test("no values: count 0, statistics 0, one empty bucket")
  func empty() throws {
    let histogram = try TensorBoardHistogram(values: [Float]())
    #expect(
      histogram
        == TensorBoardHistogram(
          min: 0, max: 0, count: 0, sum: 0, sumSquares: 0, bucketLimits: [Double.greatestFiniteMagnitude],
          bucketCounts: [0]))
  }

  @Test("NaN or infinite values throw with the tag and index, and nothing is written")
  func nonFinite() throws {
    #expect(throws: TensorBoardError.nonFiniteHistogramValue(tag: "", index: 1)) {
      try TensorBoardHistogram(values: [1, Float.nan, 2])
    }
    let directory = try TensorBoardTestSupport.makeDirectory()
    defer { TensorBoardTestSupport.remove(directory) }
    let writer = try TensorBoardTestSupport.writer(in: directory)
    #expect(throws: TensorBoardError.nonFiniteHistogramValue(tag: "g", index: 2)) {
      try writer.addHistogram(tag: "g", values: [0, 1, -Double.infinity], step: 1)
    }
    try writer.addHistogram(tag: "g", values: [Float](), step: 2)
    try writer.close()
    let events = try TensorBoardReader(fileURL: writer.fileURL).events()
    #expect(events.count == 2 && events[1].step == 2 && events[1].histogram("g")?.count == 0)
  }

  /// Checks that bucket counts are what the bucket limits say of `values`.
  private func expectEachValueInItsBucket(_ values: [Double], _ histogram: TensorBoardHistogram) throws {
    for (index, count) in histogram.bucketCounts.enumerated() {
      let upper = histogram.bucketLimits[index]
      let lower = index == 0 ? -Double.infinity : histogram.bucketLimits[index - 1]
      let inside = values.filter { $0 >= lower && ($0 < upper || upper == Double.greatestFiniteMagnitude) }
      #expect(Double(inside.count) == count, "bucket \(index) [\(lower), \(upper))")
    }
  }
}
