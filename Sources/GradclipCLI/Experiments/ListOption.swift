import Experiments
import Foundation

/// Comma-separated list options: `--seeds 1,2,3` or `1-5`, `--lrs 0.01,0.1`, `--lengths 20,50`.
enum ListOption {
  /// Seeds from a list or an inclusive range.
  static func seeds(_ text: String) throws(ExperimentError) -> [UInt64] {
    let invalid = ExperimentError.invalidSetting(
      name: "seeds", value: text, requirement: "a list such as 1,2,3 or a range such as 1-5")
    let bounds = text.split(separator: "-").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    if bounds.count == 2 {
      guard let low = bounds[0], let high = bounds[1], low <= high, high - low < 10_000 else { throw invalid }
      return Array(low...high)
    }
    let seeds = text.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    guard !seeds.isEmpty, seeds.allSatisfy({ $0 != nil }) else { throw invalid }
    return seeds.compactMap { $0 }
  }

  /// Positive numbers.
  static func numbers(_ text: String, name: String) throws(ExperimentError) -> [Double] {
    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? -1) > 0 && ($0 ?? .infinity).isFinite }) else {
      throw .invalidSetting(name: name, value: text, requirement: "a list of positive numbers such as 0.01,0.1")
    }
    return values.compactMap { $0 }
  }

  /// Positive whole numbers.
  static func integers(_ text: String, name: String) throws(ExperimentError) -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw .invalidSetting(name: name, value: text, requirement: "a list of positive whole numbers such as 20,50")
    }
    return values.compactMap { $0 }
  }
}
