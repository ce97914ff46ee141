import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A report parsed as XML into a small element tree, to check its structure in tests.
final class HTMLReportDocument {
  /// One element: its name, attributes, children and text.
  final class Element {
    let name: String
    let attributes: [String: String]
    var children: [Element] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
      self.name = name
      self.attributes = attributes
    }

    /// This element and all below it, depth first.
    var descendants: [Element] { [self] + children.flatMap(\.descendants) }

    /// The element's CSS classes.
    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// The text of this element and all below it.
    var allText: String { text + children.map(\.allText).joined() }
  }

  /// The root element.
  let root: Element

  /// Parses `html` (the doctype line is removed first); `nil` if it is not well-formed XML.
  init?(_ html: String) {
    let body = html.hasPrefix("<!DOCTYPE html>") ? String(html.dropFirst("<!DOCTYPE html>".count)) : html
    let builder = Builder()
    let parser = XMLParser(data: Data(body.utf8))
    parser.delegate = builder
    guard parser.parse(), builder.error == nil, let root = builder.root else { return nil }
    self.root = root
  }

  /// Every element named `name`.
  func elements(_ name: String) -> [Element] { root.descendants.filter { $0.name == name } }

  /// The chart (an `svg` element) whose `data-chart` is `id`.
  func chart(_ id: String) -> Element? { elements("svg").first { $0.attributes["data-chart"] == id } }

  /// The `data-chart` names of every chart.
  var chartIDs: [String] { elements("svg").compactMap { $0.attributes["data-chart"] } }

  /// The paths of `chart` with the CSS class `role` (`series`, `raw`, `threshold`).
  static func paths(_ chart: Element, role: String) -> [Element] {
    chart.descendants.filter { $0.name == "path" && $0.classes.contains(role) }
  }

  private final class Builder: NSObject, XMLParserDelegate {
    var root: Element?
    var stack: [Element] = []
    var error: Error?

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      let element = Element(name: elementName, attributes: attributes)
      if let parent = stack.last { parent.children.append(element) } else { root = element }
      stack.append(element)
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
      stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
  }
}

/// Parses `html`, recording a test issue if it is not well-formed.
func parsedReport(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HTMLReportDocument {
  try #require(HTMLReportDocument(html), "the report is not well-formed XML", sourceLocation: sourceLocation)
}
