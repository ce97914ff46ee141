import GradientClipping

/// The part of a step every optimizer shares: check everything, decide about non-finite
/// gradients, clip (a pass, or a coefficient for the update), then run the rule over every tensor
/// and advance the state. Nothing is modified until every check has passed.
struct OptimizerStep<Rule: UpdateRule> {
  let rule: Rule
  let learningRate: LearningRateSchedule
  let nonFinitePolicy: NonFiniteGradientPolicy

  typealias Scalar = Rule.Scalar

  /// A step that clips with a pass over the gradients (which it modifies) and then updates.
  func run<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: inout Gradients, clipping: inout ClippingConfiguration,
    state: inout OptimizerState<Scalar>
  ) throws(OptimizerError) -> StepReport where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    let rate = try checkedLearningRate(at: state.stepCount)
    try check(values: values, gradients: gradients, state: state)
    try clipping.validate(for: Scalar.self)
    let probe = try clipping.probe(gradients)
    if let skipped = try decideNonFinite(probe, gradients: gradients, rate: rate, state: &state) { return skipped }
    let reports = try clipping.apply(to: &gradients, parameters: values, probe: probe)
    let updateClipping = update(values: &values, gradients: gradients, scale: 1, rate: rate, state: &state)
    return StepReport(
      outcome: .applied, step: state.stepCount, learningRate: rate, clipping: reports, updateClipping: updateClipping)
  }

  /// A step with a precomputed norm of `gradients`: the clipping coefficient is applied inside
  /// the update, and the gradients are not modified.
  func run<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: Gradients, gradientNorm: GradientNorm, clipping: ClippingConfiguration,
    state: inout OptimizerState<Scalar>
  ) throws(OptimizerError) -> StepReport where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    let rate = try checkedLearningRate(at: state.stepCount)
    try check(values: values, gradients: gradients, state: state)
    // The chain is this one clipper or nothing: checking its arguments checks the chain.
    let clipper = try clipping.fusibleClipper()
    do { try clipper?.validate() } catch { throw .clipping(error) }
    if let skipped = try decideNonFinite(gradientNorm, gradients: gradients, rate: rate, state: &state) {
      return skipped
    }
    let (coefficient, report) = try ClippingConfiguration.fusedCoefficient(
      of: clipper, for: gradientNorm, as: Scalar.self)
    let updateClipping = update(values: &values, gradients: gradients, scale: coefficient, rate: rate, state: &state)
    return StepReport(
      outcome: .applied, step: state.stepCount, learningRate: rate, clipping: report.map { [$0] } ?? [], fused: true,
      updateClipping: updateClipping)
  }

  private func checkedLearningRate(at step: Int) throws(OptimizerError) -> Double {
    try learningRate.validate()
    try rule.validate()
    let rate = learningRate.learningRate(atStep: step)
    try OptimizerError.requireNonNegative(rate, name: "learningRate")
    return rate
  }

  /// Values and gradients must have the same tensor count and shapes, and so must the state.
  private func check<Values: GradientSet, Gradients: GradientSet>(
    values: Values, gradients: Gradients, state: OptimizerState<Scalar>
  ) throws(OptimizerError) {
    guard gradients.tensorCount == values.tensorCount else {
      throw .tensorCountMismatch(argument: "gradients", expected: values.tensorCount, actual: gradients.tensorCount)
    }
    for index in 0..<values.tensorCount where gradients.shape(ofTensor: index) != values.shape(ofTensor: index) {
      throw .shapeMismatch(
        argument: "gradients", tensorIndex: index, expected: values.shape(ofTensor: index),
        actual: gradients.shape(ofTensor: index))
    }
    try state.check(against: values)
  }

  /// `nil` for a finite norm; otherwise throws or returns the report of a skipped step.
  private func decideNonFinite<Gradients: GradientSet>(
    _ norm: GradientNorm, gradients: Gradients, rate: Double, state: inout OptimizerState<Scalar>
  ) throws(OptimizerError) -> StepReport? {
    guard !norm.isFinite else { return nil }
    switch nonFinitePolicy {
    case .error:
      let tensorIndex = try? gradients.tensorNorms(order: .infinity).firstIndex { !$0.isFinite }
      throw .nonFiniteGradient(norm: norm.value, tensorIndex: tensorIndex)
    case .skip:
      state.skippedStepCount += 1
      return StepReport(
        outcome: .skippedNonFinite, step: state.stepCount, learningRate: rate, nonFiniteNorm: norm.value)
    }
  }

  /// Runs the rule over every tensor and advances the step count; returns the report of the
  /// rule's update clipping, `nil` without it.
  private func update<Values: GradientSet, Gradients: GradientSet>(
    values: inout Values, gradients: Gradients, scale: Scalar, rate: Double, state: inout OptimizerState<Scalar>
  ) -> ClippingReport? where Values.Scalar == Scalar, Gradients.Scalar == Scalar {
    let bindings = state.prepare(shapes: values.shapes, slots: rule.slots)
    let context = UpdateContext(
      step: state.stepCount + 1, learningRate: rate, gradientScale: scale, freshSlots: bindings.map(\.isFresh))
    let slotIndices = bindings.map(\.index)
    let offsets = state.offsets
    let stride = state.elementCount
    let clipsUpdates = rule.updateClipping != .none
    var measured = Array(repeating: TensorUpdateClipping.empty, count: clipsUpdates ? values.tensorCount : 0)
    state.withSlotStorage { slotStorage in
      values.withMutableTensorBuffers { valueBuffers in
        gradients.withTensorBuffers { gradientBuffers in
          for index in 0..<valueBuffers.tensorCount {
            let value = valueBuffers[index]
            guard let valueBase = value.baseAddress, let gradientBase = gradientBuffers[index].baseAddress,
              value.count > 0
            else { continue }
            let tensor = TensorUpdate(
              values: valueBase, gradients: gradientBase, count: value.count,
              slotBase: slotStorage.map { $0 + offsets[index] }, slotIndices: slotIndices, slotStride: stride)
            if clipsUpdates {
              measured[index] = rule.clippedUpdate(tensor, context: context)
            } else {
              rule.update(tensor, context: context)
            }
          }
        }
      }
    }
    state.stepCount += 1
    return clipsUpdates ? rule.updateClipping.report(measured) : nil
  }
}
