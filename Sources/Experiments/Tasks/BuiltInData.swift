import Foundation

/// The data files that ship with the package (`Sources/Experiments/Resources`), and reading text
/// files with errors that name the file.
enum BuiltInData {
  /// The URL of a resource of the package.
  static func url(of resource: String) -> URL {
    Bundle.module.url(forResource: resource, withExtension: nil)
      ?? Bundle.module.bundleURL.appendingPathComponent(resource)
  }

  /// The UTF-8 text of the file at `path`.
  static func text(at path: String) throws(ExperimentError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadableFile(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw .unreadableFile(path: path, reason: "it is a directory") }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadableFile(path: path, reason: error.localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalidData(path: path, reason: "not UTF-8 text")
    }
    return text
  }
}
