extension TensorBoardEvent {
  /// The event decoded from its message; values other than scalars and histograms are skipped.
  init(_ message: Tensorboard_Event) {
    var scalars: [TensorBoardScalar] = []
    var histograms: [TensorBoardTaggedHistogram] = []
    var fileVersion: String?
    switch message.what {
    case .fileVersion(let version): fileVersion = version
    case .summary(let summary):
      for value in summary.value {
        switch value.value {
        case .simpleValue(let number): scalars.append(TensorBoardScalar(tag: value.tag, value: number))
        case .histo(let histo):
          histograms.append(TensorBoardTaggedHistogram(tag: value.tag, histogram: TensorBoardHistogram(histo)))
        case nil: break
        }
      }
    case nil: break
    }
    self.init(
      wallTime: message.wallTime, step: Int(truncatingIfNeeded: message.step), fileVersion: fileVersion,
      scalars: scalars, histograms: histograms)
  }

  /// The event's message: a file version event if it has ``fileVersion``, otherwise a summary of
  /// its scalars and then its histograms.
  var message: Tensorboard_Event {
    var message = Tensorboard_Event()
    message.wallTime = wallTime
    message.step = Int64(step)
    if let fileVersion {
      message.fileVersion = fileVersion
      return message
    }
    var summary = Tensorboard_Summary()
    for scalar in scalars {
      var value = Tensorboard_Summary.Value()
      value.tag = scalar.tag
      value.simpleValue = scalar.value
      summary.value.append(value)
    }
    for entry in histograms {
      var value = Tensorboard_Summary.Value()
      value.tag = entry.tag
      value.histo = entry.histogram.message
      summary.value.append(value)
    }
    message.summary = summary
    return message
  }
}
