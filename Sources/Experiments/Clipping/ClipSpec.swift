import Foundation

/// A clipping method written as a short spec, the language of `--clip`:
/// `NAME[:VALUE][,KEY=VALUE...]`.
///
/// | spec | clipper of the core | parameters (defaults) |
/// |---|---|---|
/// | `none` | no clipping | |
/// | `norm:1.0` | `GlobalNormClipper`, PyTorch's `clip_grad_norm_` (`max / (norm + eps)`) | `p=2` (any p > 0 or `inf`), `eps=1e-6` |
/// | `exact-norm:1.0` | `GlobalNormClipper`, TensorFlow/optax/Keras `global_clipnorm` (`max / norm`, no eps) | `p=2` |
/// | `tensor-norm:1.0` | `TensorNormClipper`, Keras `clipnorm`, `tf.clip_by_norm` per tensor | `p=2` |
/// | `value:0.5` | `ValueClipper`, `clip_grad_value_` | |
/// | `block-rms:1.0` | `BlockRMSClipper`, optax `clip_by_block_rms` | |
/// | `agc:0.01` | `AdaptiveGradientClipper` (Brock et al. 2021) | `eps=1e-3`, `layout=pytorch` or `optax`, `exclude=head` (names or prefixes, `+`-separated) |
/// | `autoclip:p=10` | `AutoClipClipper` (Seetharaman et al. 2020): the p-th percentile of the norms so far | `p=10`, `history=1000` (norms kept), `scope=global` or `tensor`, `current=true` (the paper's: the current norm counts) |
/// | `zclip` | `ZClipClipper` (Kumar et al. 2025) | `alpha=0.97`, `z=2.5`, `mode=zscore` or `percentile`, `warmup=25`, `max=` (a fixed cap), `clip=adaptive` or `mean`, `factor=1`, `skip-on-spike=false` |
/// | `adagc` | `AdaGCClipper` (Wang et al. 2025): per-tensor thresholds from an EMA of each tensor's clipped norm | `beta=0.98`, `lambda=1.05`, `warmup=100`, `max=1` (the warm-up's global threshold), `eps=1e-6` |
/// | `skip` | `SpikeDetector`: no clipping; the update is skipped when the norm is above `max` or its z-score above `z` (Megatron-LM, llm.c) | `max=`, `z=`, `alpha=0.97`, `warmup=25` (at least one of `max` and `z`) |
///
/// Values are numbers (`1`, `0.5`, `1e-3`), `inf`, `true`/`false`, or words as listed. A bad spec
/// throws ``ExperimentError/invalidClipSpec(spec:reason:)`` naming the part at fault.
///
/// ```swift
/// let spec = try ClipSpec(parsing: "norm:1.0,p=inf")
/// spec.name            // "norm"
/// spec.value           // 1.0
/// spec.parameters      // ["p": "inf"]
/// ```
public struct ClipSpec: Sendable, Hashable, CustomStringConvertible {
  /// The method's name (`norm`, `agc`, ...).
  public let name: String
  /// The value after the colon, if any (the threshold of most methods).
  public let value: Double?
  /// The named parameters.
  public let parameters: [String: String]
  /// The spec as written.
  public let text: String

  /// No clipping.
  public static let none = ClipSpec(name: "none", value: nil, parameters: [:], text: "none")

  private init(name: String, value: Double?, parameters: [String: String], text: String) {
    (self.name, self.value, self.parameters, self.text) = (name, value, parameters, text)
  }

  /// Every method name, in the order of the table above.
  public static let methodNames = [
    "none", "norm", "exact-norm", "tensor-norm", "value", "block-rms", "agc", "autoclip", "zclip", "adagc", "skip",
  ]

  /// The parameter names each method accepts.
  static let allowedParameters: [String: Set<String>] = [
    "none": [], "norm": ["p", "eps"], "exact-norm": ["p"], "tensor-norm": ["p"], "value": [], "block-rms": [],
    "agc": ["eps", "layout", "exclude"], "autoclip": ["p", "history", "scope", "current"],
    "zclip": ["alpha", "z", "mode", "warmup", "max", "clip", "factor", "skip-on-spike"],
    "adagc": ["beta", "lambda", "warmup", "max", "eps"], "skip": ["max", "z", "alpha", "warmup"],
  ]

  /// The methods that need a value after the colon.
  static let needsValue: Set<String> = ["norm", "exact-norm", "tensor-norm", "value", "block-rms", "agc"]

  /// Parses `text`.
  ///
  /// - Throws: ``ExperimentError/invalidClipSpec(spec:reason:)`` for an unknown method or
  ///   parameter, a missing or malformed value, or a parameter given twice.
  public init(parsing text: String) throws(ExperimentError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let (head, tail) = Self.split(trimmed, at: ":")
    let name = head.lowercased()
    guard let allowed = Self.allowedParameters[name] else {
      throw .invalidClipSpec(
        spec: text, reason: "unknown method '\(head)'; one of \(Self.methodNames.joined(separator: ", "))")
    }
    var value: Double?
    var parameters: [String: String] = [:]
    let items: [Substring] = tail?.split(separator: ",", omittingEmptySubsequences: false) ?? []
    for (index, item) in items.enumerated() {
      let part = item.trimmingCharacters(in: .whitespaces)
      let (key, argument) = Self.split(part, at: "=")
      guard let argument else {
        guard index == 0, let number = Self.number(part) else {
          throw .invalidClipSpec(spec: text, reason: "'\(part)' is neither a number after the colon nor KEY=VALUE")
        }
        value = number
        continue
      }
      guard allowed.contains(key) else {
        let known = allowed.isEmpty ? "it takes none" : "known: \(allowed.sorted().joined(separator: ", "))"
        throw .invalidClipSpec(spec: text, reason: "unknown parameter '\(key)' for \(name) (\(known))")
      }
      guard parameters.updateValue(argument, forKey: key) == nil else {
        throw .invalidClipSpec(spec: text, reason: "parameter '\(key)' given twice")
      }
    }
    if Self.needsValue.contains(name), value == nil {
      throw .invalidClipSpec(spec: text, reason: "\(name) needs a threshold, as in \(name):1.0")
    }
    if !Self.needsValue.contains(name), value != nil {
      throw .invalidClipSpec(spec: text, reason: "\(name) takes no value after the colon")
    }
    (self.name, self.value, self.parameters, self.text) = (name, value, parameters, trimmed)
  }

  public var description: String { text }

  /// The parameter `key` as a number (`inf` allowed), or `fallback` when absent.
  func number(_ key: String, default fallback: Double) throws(ExperimentError) -> Double {
    guard let raw = parameters[key] else { return fallback }
    guard let number = Self.number(raw) else {
      throw .invalidClipSpec(spec: text, reason: "\(key)=\(raw) is not a number")
    }
    return number
  }

  /// The parameter `key` as a whole number, or `fallback` when absent.
  func integer(_ key: String, default fallback: Int) throws(ExperimentError) -> Int {
    guard let raw = parameters[key] else { return fallback }
    guard let number = Int(raw) else {
      throw .invalidClipSpec(spec: text, reason: "\(key)=\(raw) is not a whole number")
    }
    return number
  }

  /// The parameter `key` as `true`/`false`, or `fallback` when absent.
  func flag(_ key: String, default fallback: Bool) throws(ExperimentError) -> Bool {
    guard let raw = parameters[key] else { return fallback }
    switch raw.lowercased() {
    case "true", "yes", "1": return true
    case "false", "no", "0": return false
    default: throw .invalidClipSpec(spec: text, reason: "\(key)=\(raw) is not true or false")
    }
  }

  /// The parameter `key`, one of `choices`, or `fallback` when absent.
  func choice(_ key: String, of choices: [String], default fallback: String) throws(ExperimentError) -> String {
    guard let raw = parameters[key] else { return fallback }
    guard choices.contains(raw.lowercased()) else {
      throw .invalidClipSpec(spec: text, reason: "\(key)=\(raw); one of \(choices.joined(separator: ", "))")
    }
    return raw.lowercased()
  }

  private static func split(_ text: String, at separator: Character) -> (String, String?) {
    guard let index = text.firstIndex(of: separator) else { return (text, nil) }
    return (
      text[..<index].trimmingCharacters(in: .whitespaces),
      String(text[text.index(after: index)...]).trimmingCharacters(in: .whitespaces)
    )
  }

  private static func number(_ text: String) -> Double? {
    switch text.lowercased() {
    case "inf", "+inf", "infinity": return .infinity
    default: return Double(text).flatMap { $0.isNaN ? nil : $0 }
    }
  }
}
