import GradientClipping
import Training

/// Measures what global-norm clipping costs within a training step, on a model's gradients as
/// its last step left them.
///
/// The fused path (what the steps take) costs three things:
/// - backward measures each parameter's gradient norm as it completes it: inside the matrix
///   multiply that writes a weight's gradient last (each tile as it is finished), or by one read
///   of the gradient right after its last write. Timed as backward with the measurement minus
///   backward without (paired blocks of passes, the median difference) where that is precise
///   enough (models whose backward is short), otherwise as one read pass over every gradient;
/// - ``ParameterStore/gradientNorm()`` combines the measured norms (timed in batches of calls,
///   as the clock's own cost would swamp one call);
/// - the optimizer applies the coefficient as its update reads each gradient: timed as the fused
///   update with clipping configured minus the same update with none, the median of the
///   differences of adjacent samples.
///
/// The unfused path, `GlobalNormClipper.clip(&gradients)` before a plain update, is timed on its
/// own, on the step's gradients restored before every call.
///
/// Both clipped paths are timed while clipping is active (the coefficient below 1): with the
/// reference's maximum of 1 when the step's norm exceeds it, with half the norm otherwise (late
/// in training the norm often falls below 1, and an inactive clipper skips its scaling pass).
struct ClippingCostProbe {
  /// Timed samples per measurement.
  var samples = 41
  /// The least duration of one sample, so that short calls are not timed at the clock's grain.
  var sampleSeconds = 0.002
  /// The least time spent on pairs of backward passes when timing the norm measurement.
  var measureSeconds = 1.0

  /// Measures on `model`, whose values and optimizer state it changes (the timing is over).
  func measure(_ model: inout TrainingModel) throws -> ClippingCost {
    let measure = backwardMeasureCost(model)
    let store = model.store
    let readPass = try readPassMilliseconds(store)
    let norm = store.gradientNorm()
    let maxNorm = Swift.min(1, norm.value / 2)
    let normRead = try medianMilliseconds { _ = store.gradientNorm() }
    let coefficient = try coefficientEffect(&model, maxNorm: maxNorm)
    let unfused = try unfusedClipping(store, maxNorm: maxNorm)
    return ClippingCost(
      norm: norm.value, normReadMilliseconds: normRead, coefficientMilliseconds: coefficient,
      pairedMeasureMilliseconds: measure.median, pairedMeasureErrorMilliseconds: measure.standardError,
      readPassMilliseconds: readPass, unfusedMilliseconds: unfused)
  }

  /// One read pass measuring each parameter's gradient as backward does when no product
  /// measured it: `GradientNorm(of:)` on each gradient, on the calling thread.
  private func readPassMilliseconds(_ store: ParameterStore<Float>) throws -> Double {
    let gradients = store.gradients.withTensorBuffers { $0.tensors }
    return try medianMilliseconds {
      for gradient in gradients { _ = try GradientNorm(of: gradient) }
    }
  }

  /// What backward's norm measurement costs: backward timed with the measurement and without
  /// (``ParameterStore/measuresGradientNorms``), in pairs of blocks whose order alternates, the
  /// median of the differences of the blocks' medians, over at least ``samples`` pairs and
  /// ``measureSeconds``. Each block runs one mode for several passes and times all but its
  /// first, as training runs one mode step after step. Ends with a measured backward, so that
  /// the gradients and their norms are as a step leaves them.
  private func backwardMeasureCost(_ model: TrainingModel) -> (median: Double, standardError: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let once = backwardMilliseconds(model, measuring: true)
    // Blocks of about 20 ms, between 2 and 9 passes.
    let blockLength = Swift.max(2, Swift.min(9, Int(20 / Swift.max(once, 1e-3))))
    var differences: [Double] = []
    while differences.count < samples || clock.now - start < .seconds(measureSeconds) {
      let measuringFirst = differences.count.isMultiple(of: 2)
      let first = blockMilliseconds(model, measuring: measuringFirst, passes: blockLength)
      let second = blockMilliseconds(model, measuring: !measuringFirst, passes: blockLength)
      differences.append(measuringFirst ? first - second : second - first)
    }
    _ = backwardMilliseconds(model, measuring: true)
    return (MedianTimer.median(differences), Self.standardErrorOfMedian(differences))
  }

  /// The median of `passes - 1` backward passes in one mode, after a first pass in that mode.
  private func blockMilliseconds(_ model: TrainingModel, measuring: Bool, passes: Int) -> Double {
    _ = backwardMilliseconds(model, measuring: measuring)
    return MedianTimer.median((1..<passes).map { _ in backwardMilliseconds(model, measuring: measuring) })
  }

  /// One backward pass (after an untimed forward pass), measuring norms or not.
  private func backwardMilliseconds(_ model: TrainingModel, measuring: Bool) -> Double {
    model.store.measuresGradientNorms = measuring
    model.store.zeroGradients()
    let loss = model.loss()
    let clock = ContinuousClock()
    let start = clock.now
    loss.backward()
    let elapsed = clock.now - start
    model.store.measuresGradientNorms = true
    return MedianTimer.milliseconds(elapsed)
  }

  /// The standard error of the median of `values`, from their interquartile range (robust to
  /// the outliers a shared machine produces): `1.2533 * sigma / sqrt(n)`, `sigma = IQR / 1.349`.
  static func standardErrorOfMedian(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let sorted = values.sorted()
    let quartileRange = sorted[sorted.count * 3 / 4] - sorted[sorted.count / 4]
    return 1.2533 * (quartileRange / 1.349) / Double(sorted.count).squareRoot()
  }

  /// The fused update clipping to `maxNorm` minus the same update without clipping, per step:
  /// the median difference of adjacent samples of each.
  private func coefficientEffect(_ model: inout TrainingModel, maxNorm: Double) throws -> Double {
    let norm = model.store.gradientNorm()
    let gradients = model.store.gradients
    var values = model.store.values
    var clipped = model.optimizer
    clipped.clipping = .clipGradNorm(maxNorm: maxNorm)
    var unclipped = model.optimizer
    unclipped.clipping = .none
    // One step each first: each copy then owns its state buffers (no copy-on-write while timed).
    let report = try clipped.step(values: &values, gradients: gradients, gradientNorm: norm)
    precondition(report.clipping.first?.clipped == true, "clipping probe: the fused step did not clip")
    try unclipped.step(values: &values, gradients: gradients, gradientNorm: norm)
    let batch = try batchSize { try clipped.step(values: &values, gradients: gradients, gradientNorm: norm) }
    var differences: [Double] = []
    for sample in 0..<samples {
      // Adjacent samples, their order alternating: drift in the machine's speed cancels out.
      let clippedFirst = sample.isMultiple(of: 2)
      func timeClipped() throws -> Double {
        try time(batch) { try clipped.step(values: &values, gradients: gradients, gradientNorm: norm) }
      }
      func timeUnclipped() throws -> Double {
        try time(batch) { try unclipped.step(values: &values, gradients: gradients, gradientNorm: norm) }
      }
      if clippedFirst {
        let withClipping = try timeClipped()
        differences.append(withClipping - (try timeUnclipped()))
      } else {
        let without = try timeUnclipped()
        differences.append((try timeClipped()) - without)
      }
    }
    return MedianTimer.median(differences)
  }

  /// `GlobalNormClipper.clip(&gradients)` clipping to `maxNorm` (PyTorch's formula) on the
  /// step's gradients, restored before every call.
  private func unfusedClipping(_ store: ParameterStore<Float>, maxNorm: Double) throws -> Double {
    let clipper = GlobalNormClipper(maxNorm: maxNorm, formula: .pytorch(epsilon: 1e-6))
    let snapshot = FlatGradientStorage(copying: store.gradients)
    var gradients = store.gradients
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0...samples {
      restore(&gradients, from: snapshot)
      let start = clock.now
      let report = try clipper.clip(&gradients)
      times.append(MedianTimer.milliseconds(clock.now - start))
      precondition(report.clipped, "clipping probe: the unfused clipper did not clip")
    }
    restore(&gradients, from: snapshot)
    return MedianTimer.median(Array(times.dropFirst()))
  }

  private func restore(_ gradients: inout ModelGradients<Float>, from snapshot: FlatGradientStorage<Float>) {
    snapshot.withTensorBuffers { source in
      gradients.withMutableTensorBuffers { target in
        for index in 0..<target.tensorCount {
          guard let base = source[index].baseAddress else { continue }
          target[index].baseAddress?.update(from: base, count: source[index].count)
        }
      }
    }
  }

  /// The median time of one call of `body`, over samples of enough calls each.
  private func medianMilliseconds(_ body: () throws -> Void) throws -> Double {
    let batch = try batchSize(body)
    var times: [Double] = []
    for _ in 0..<samples { times.append(try time(batch, body)) }
    return MedianTimer.median(times)
  }

  /// How many calls of `body` make a sample of at least ``sampleSeconds`` (one call, untimed
  /// in the result, decides).
  private func batchSize(_ body: () throws -> Void) throws -> Int {
    let once = try time(1, body) / 1e3
    return max(1, Int((sampleSeconds / max(once, 1e-9)).rounded(.up)))
  }

  /// The time of one call of `body`, averaged over `count` calls, in milliseconds.
  private func time(_ count: Int, _ body: () throws -> Void) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<count { try body() }
    return MedianTimer.milliseconds(clock.now - start) / Double(count)
  }
}

/// What global-norm clipping costs in one training step, in milliseconds.
struct ClippingCost: Sendable, Hashable {
  /// The global norm of the step's gradients (the reference clips at 1).
  let norm: Double
  /// Combining backward's measured norms into the global norm (`gradientNorm()`).
  let normReadMilliseconds: Double
  /// The fused update with the coefficient minus the same update without clipping (noise can
  /// make it slightly negative).
  let coefficientMilliseconds: Double
  /// Backward's measurement of each parameter's norm: backward with it minus backward without,
  /// the median of paired differences (noise can make it slightly negative).
  let pairedMeasureMilliseconds: Double
  /// The standard error of ``pairedMeasureMilliseconds``: small on models whose backward takes
  /// a fraction of a millisecond, far larger than the measurement itself on models whose
  /// backward takes tens of milliseconds.
  let pairedMeasureErrorMilliseconds: Double
  /// One read pass over every gradient with the call backward makes for a gradient no product
  /// measured: what backward's measurement costs if it reads every gradient once, from memory.
  let readPassMilliseconds: Double

  /// Backward's measurement as the step pays for it: the paired difference when it is known to
  /// better than the read pass's size (its standard error is smaller), otherwise the read pass.
  var measureMilliseconds: Double {
    pairedMeasureErrorMilliseconds < readPassMilliseconds ? max(0, pairedMeasureMilliseconds) : readPassMilliseconds
  }

  /// How ``measureMilliseconds`` was found: `paired` or `read pass`.
  var measureMethod: String { pairedMeasureErrorMilliseconds < readPassMilliseconds ? "paired" : "read pass" }
  /// The unfused path: `GlobalNormClipper.clip(&gradients)`, a norm pass and a scaling pass.
  let unfusedMilliseconds: Double

  /// The fused clipping as the step pays for it after backward: reading the norm and the
  /// coefficient inside the update.
  var fusedMilliseconds: Double { normReadMilliseconds + max(0, coefficientMilliseconds) }

  /// The fused clipping including backward's norm measurement.
  var fusedWithMeasureMilliseconds: Double { fusedMilliseconds + measureMilliseconds }
}
