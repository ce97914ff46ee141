extension TensorBoardHistogram {
  /// The histogram of a `HistogramProto`.
  init(_ message: Tensorboard_HistogramProto) {
    self.init(
      min: message.min, max: message.max, count: message.num, sum: message.sum, sumSquares: message.sumSquares,
      bucketLimits: message.bucketLimit, bucketCounts: message.bucket)
  }

  /// The histogram's `HistogramProto`.
  var message: Tensorboard_HistogramProto {
    var message = Tensorboard_HistogramProto()
    message.min = min
    message.max = max
    message.num = count
    message.sum = sum
    message.sumSquares = sumSquares
    message.bucketLimit = bucketLimits
    message.bucket = bucketCounts
    return message
  }
}
