/// A plain text table: a header, a rule, and rows, the first column left-aligned and the others
/// right-aligned, each as wide as its widest cell.
struct TextTable {
  /// The column titles.
  var header: [String]
  /// The rows, each with one cell per column.
  var rows: [[String]] = []

  /// The table's lines.
  var lines: [String] {
    let widths = header.indices.map { column in
      ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    let format = { (cells: [String]) -> String in
      cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
        return column == 0 ? cell + padding : padding + cell
      }.joined(separator: "  ")
    }
    let title = format(header)
    return [title, String(repeating: "-", count: title.count)] + rows.map(format)
  }
}
