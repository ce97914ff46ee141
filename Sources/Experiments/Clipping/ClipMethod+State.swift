import GradientClipping

// The state of stateful methods (AutoClip's history, ZClip's statistics, AdaGC's references, the
// spike detector's), for checkpoints.
extension ClipMethod {
  /// The method's state, or `nil` for methods without one.
  public var state: ClipperState? {
    switch clipper {
    case .autoClip(let autoClip): autoClip.state
    case .zClip(let zClip): zClip.state
    case .adaGC(let adaGC): adaGC.state
    case .spikeSkip(let detector): detector.state
    case .none, .global, .perTensor, .value, .blockRMS, .adaptive: nil
    }
  }

  /// Puts back a state saved from ``state``.
  ///
  /// - Throws: ``ExperimentError/invalidClipSpec(spec:reason:)`` if the method keeps no state or
  ///   the core clipper refuses it (another kind, wrong lengths); nothing changes then.
  public mutating func restore(_ state: ClipperState) throws(ExperimentError) {
    do {
      switch clipper {
      case .autoClip(var autoClip):
        try autoClip.restore(state)
        clipper = .autoClip(autoClip)
      case .zClip(var zClip):
        try zClip.restore(state)
        clipper = .zClip(zClip)
      case .adaGC(var adaGC):
        try adaGC.restore(state)
        clipper = .adaGC(adaGC)
      case .spikeSkip(var detector):
        try detector.restore(state)
        clipper = .spikeSkip(detector)
      case .none, .global, .perTensor, .value, .blockRMS, .adaptive:
        throw ClippingError.invalidArgument(name: "state", value: .nan, requirement: "\(spec.name) keeps no state")
      }
    } catch {
      throw .invalidClipSpec(spec: spec.text, reason: "cannot restore its state: \(error)")
    }
  }
}
