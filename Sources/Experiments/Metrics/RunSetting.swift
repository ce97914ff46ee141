/// One named setting of a run (`task` = `adding`, `clip` = `norm:1.0`, ...), as the report and
/// the metrics files show it.
public struct RunSetting: Sendable, Hashable, Codable {
  /// The setting's name.
  public var name: String
  /// The setting's value, as the user would write it on the command line.
  public var value: String

  /// Creates a setting.
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}
