/// A table of figures that the caller computed, shown in the report above the run summary: for
/// example `gradclip compare`'s success rates and medians per method. Cells are plain text; the
/// first column is left-aligned, the others right-aligned.
///
/// ```swift
/// let table = ReportTable(title: "Methods compared", header: ["method", "success"], rows: [["norm:1.0", "3/3"]])
/// let report = HTMLReport(title: "Compare", runs: records, tables: [table])
/// ```
public struct ReportTable: Sendable, Hashable {
  /// The table's heading.
  public var title: String
  /// The column titles.
  public var header: [String]
  /// The rows, each with one cell per column.
  public var rows: [[String]]
  /// A paragraph under the table, or `nil`.
  public var note: String?

  /// Creates a table.
  public init(title: String, header: [String], rows: [[String]], note: String? = nil) {
    self.title = title
    self.header = header
    self.rows = rows
    self.note = note
  }

  /// The table as an HTML card.
  func render(index: Int) -> String {
    let cell = { (tag: String, column: Int, text: String) in
      "<\(tag)\(column == 0 ? "" : " class=\"num\"")>\(HTMLEscaping.escape(text))</\(tag)>"
    }
    let head = header.enumerated().map { cell("th", $0, $1) }.joined()
    let body = rows.map { row in "<tr>" + row.enumerated().map { cell("td", $0, $1) }.joined() + "</tr>" }.joined()
    let note = note.map { "<p class=\"notes\">\(HTMLEscaping.escape($0))</p>" } ?? ""
    return "<section class=\"card\" id=\"table-\(index)\"><h2>\(HTMLEscaping.escape(title))</h2>"
      + "<div class=\"table-wrap\"><table class=\"summary\"><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody>"
      + "</table></div>\(note)</section>"
  }
}
