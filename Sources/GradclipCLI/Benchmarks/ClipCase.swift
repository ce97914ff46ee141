/// One timed case of the clip benchmark: an operation and a regime, named as in
/// `../shared/bench/torch_reference.py`.
enum ClipCase: CaseIterable, Sendable {
  /// `clip_grad_norm`, max norm = norm * 1e-3: every gradient is rescaled on every call.
  case normActive
  /// `clip_grad_norm`, max norm = norm * 1e3: nothing needs to change.
  case normInactive
  /// `clip_grad_value` with clip value 1e-3, as PyTorch's: no report
  /// (`ValueClipper.clipWithoutReport`, what `clipGradValue` calls).
  case valueActive
  /// The same clamp with ``GradientClipping/ValueClipper``'s report (`clip`): the largest
  /// magnitude measured on the way. PyTorch has no counterpart.
  case valueReportedActive

  /// The operation's name in `torch_reference.py`.
  var operation: String {
    switch self {
    case .normActive, .normInactive: "clip_grad_norm"
    case .valueActive: "clip_grad_value"
    case .valueReportedActive: "value_clipper_report"
    }
  }

  /// The regime's name in `torch_reference.py`.
  var regime: String {
    switch self {
    case .normActive, .valueActive, .valueReportedActive: "active"
    case .normInactive: "inactive"
    }
  }
}
