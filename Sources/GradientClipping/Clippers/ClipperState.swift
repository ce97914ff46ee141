/// The state of a stateful clipper or step guard, in a portable form: named arrays of `Double`.
///
/// Every ``StatefulClippingComponent`` saves its state as one of these and restores from one.
/// The form is chosen so that any checkpoint format can hold it without knowing the component:
/// each array can be written as a one-dimensional `F64` tensor (a safetensors checkpoint stores
/// `"<prefix>.<name>"` for every name in ``names``, and ``kind`` in its metadata), or the whole
/// value can be encoded with `Codable` (JSON, property lists). Counts are stored as exact whole
/// numbers (exact up to 2^53), flags as 0 or 1, optional values as arrays of zero or one
/// element, and a list of lists as its concatenation plus the list of lengths.
///
/// A state never holds a NaN or an infinity: non-finite norms never enter any component's
/// statistics, and ``StatefulClippingComponent/restore(_:)`` rejects them.
///
/// ```swift
/// let saved = adagc.state                      // kind "adagc", arrays "step" and "gamma"
/// let json = try JSONEncoder().encode(saved)   // or one F64 tensor per array
/// var resumed = try AdaGCClipper()
/// try resumed.restore(try JSONDecoder().decode(ClipperState.self, from: json))
/// ```
public struct ClipperState: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Which component wrote the state (`"adagc"`, `"autoclip"`, `"zclip"`, `"spike-detector"`,
  /// `"non-finite-step-skipper"`); restoring it into another kind of component throws.
  public var kind: String

  /// The arrays, by name.
  public var arrays: [String: [Double]]

  /// A state of `kind` with `arrays`.
  public init(kind: String, arrays: [String: [Double]] = [:]) {
    self.kind = kind
    self.arrays = arrays
  }

  /// The array names, sorted, so that writers produce the same file every time.
  public var names: [String] { arrays.keys.sorted() }

  /// The array called `name`, if there is one.
  public subscript(name: String) -> [Double]? { arrays[name] }

  public var description: String {
    let contents = names.map { "\($0): \(arrays[$0]?.count ?? 0) values" }.joined(separator: ", ")
    return "\(kind) state (\(contents))"
  }
}

/// Reads a ``ClipperState`` for `restore(_:)`, checking everything before anything is used:
/// the kind, that exactly the expected arrays are there, their lengths and their values.
/// Errors name the array as `state.<name>` (and the element as `state.<name>[i]`).
struct ClipperStateReader {
  let state: ClipperState

  /// Checks that `state` is of `kind` and has exactly the arrays `names`.
  init(_ state: ClipperState, kind: String, names: Set<String>) throws(ClippingError) {
    guard state.kind == kind else {
      throw .invalidArgument(name: "state.kind", value: .nan, requirement: "must be \"\(kind)\", not \"\(state.kind)\"")
    }
    for name in state.names where !names.contains(name) {
      throw .invalidArgument(name: "state.\(name)", value: .nan, requirement: "is not part of a \(kind) state")
    }
    for name in names.sorted() where state.arrays[name] == nil {
      throw .invalidArgument(name: "state.\(name)", value: .nan, requirement: "is missing")
    }
    self.state = state
  }

  /// The array `name`, whose values must all be finite and >= 0 (and have `count` elements, if
  /// given).
  func values(_ name: String, count: Int? = nil) throws(ClippingError) -> [Double] {
    let values = state.arrays[name] ?? []
    if let count, values.count != count {
      throw .elementCountMismatch(argument: "state.\(name)", expected: count, actual: values.count)
    }
    for (index, value) in values.enumerated() where !(value.isFinite && value >= 0) {
      throw .invalidArgument(name: "state.\(name)[\(index)]", value: value, requirement: "must be finite and >= 0")
    }
    return values
  }

  /// The array `name` as an optional value: empty for `nil`, one finite value >= 0 otherwise.
  func optional(_ name: String) throws(ClippingError) -> Double? {
    let values = try values(name)
    guard values.count <= 1 else {
      throw .elementCountMismatch(argument: "state.\(name)", expected: 1, actual: values.count)
    }
    return values.first
  }

  /// The array `name` as one count: a single whole number >= 0.
  func count(_ name: String) throws(ClippingError) -> Int {
    try counts(name, count: 1)[0]
  }

  /// The array `name` as whole numbers >= 0 (`count` of them, if given).
  func counts(_ name: String, count: Int? = nil) throws(ClippingError) -> [Int] {
    let values = try values(name, count: count)
    for (index, value) in values.enumerated() where value != value.rounded() || value >= 0x1p53 {
      throw .invalidArgument(
        name: "state.\(name)[\(index)]", value: value, requirement: "must be a whole number below 2^53")
    }
    return values.map { Int($0) }
  }

  /// The array `name` as one flag: a single 0 or 1.
  func flag(_ name: String) throws(ClippingError) -> Bool {
    let value = try count(name)
    guard value <= 1 else {
      throw .invalidArgument(name: "state.\(name)[0]", value: Double(value), requirement: "must be 0 or 1")
    }
    return value == 1
  }
}

extension ClipperState {
  /// A count as stored: saturating, exact up to 2^53.
  static func stored(_ count: Int) -> [Double] { [Double(min(count, 1 << 53 - 1))] }

  /// An optional value as stored: empty for `nil`.
  static func stored(_ value: Double?) -> [Double] { value.map { [$0] } ?? [] }

  /// A flag as stored: 0 or 1.
  static func stored(_ flag: Bool) -> [Double] { [flag ? 1 : 0] }
}
