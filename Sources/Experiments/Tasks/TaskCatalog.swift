/// The built-in tasks by their command-line names, and how to make each.
///
/// | name | task | input |
/// |---|---|---|
/// | `adding` | ``AddingProblem`` (sum) | sequence of `length` (value, marker) pairs |
/// | `multiplication` | ``AddingProblem`` (product) | the same |
/// | `temporal-order` | ``TemporalOrder``, 2 markers | `length` symbols of 8 |
/// | `temporal-order-3` | ``TemporalOrder``, 3 markers | the same |
/// | `permutation` | ``RandomPermutation`` | `length` symbols of 100 |
/// | `memorization` | ``NoiselessMemorization`` | `length` symbols of 4 |
/// | `charlm` | ``CharacterModeling`` on Shakespeare or `--text FILE` | `length` characters |
/// | `digits` | ``DigitClassification`` | 8x8 images |
/// | `regression` | ``LinearRegression``, 10 inputs | vectors |
public enum TaskCatalog {
  /// Every task name, in the order above.
  public static let names = [
    "adding", "multiplication", "temporal-order", "temporal-order-3", "permutation", "memorization", "charlm",
    "digits", "regression",
  ]

  /// The task called `name`; `length` is the sequence length of sequence tasks, `textPath` the text
  /// of `charlm` (Shakespeare when `nil`).
  ///
  /// - Throws: ``ExperimentError/invalidSetting(name:value:requirement:)`` for an unknown name or a
  ///   length below 1; the task's own errors for unreadable data.
  public static func task(
    named name: String, length: Int, textPath: String? = nil
  ) throws(ExperimentError)
    -> any LearningTask
  {
    guard length >= 1 else {
      throw .invalidSetting(name: "length", value: "\(length)", requirement: "must be at least 1")
    }
    switch name {
    case "adding": return AddingProblem(length: length)
    case "multiplication": return AddingProblem(length: length, operation: .multiplication)
    case "temporal-order": return TemporalOrder(length: length)
    case "temporal-order-3": return TemporalOrder(length: length, markers: 3)
    case "permutation": return RandomPermutation(length: length)
    case "memorization": return NoiselessMemorization(length: length)
    case "charlm":
      if let textPath { return try CharacterModeling(contentsOf: textPath, length: length) }
      return try CharacterModeling(length: length)
    case "digits": return try DigitClassification()
    case "regression": return LinearRegression()
    default:
      throw .invalidSetting(name: "task", value: name, requirement: "one of \(names.joined(separator: ", "))")
    }
  }
}
