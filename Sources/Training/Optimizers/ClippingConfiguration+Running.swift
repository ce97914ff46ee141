import GradientClipping

// How an optimizer step runs its clipping chain. Every decision is the core's: arguments are
// checked, and coefficients computed, by the clippers themselves.
extension ClippingConfiguration {
  /// Checks the arguments of every core clipper of the chain, by letting each clip an empty set
  /// (which validates and modifies nothing). Custom clippers are not called: they may keep state.
  func validate<Scalar: GradientScalar>(for _: Scalar.Type) throws(OptimizerError) {
    if let adaptiveClipper {
      var empty: [[Scalar]] = []
      do {
        _ = try adaptiveClipper.clip(&empty, parameters: [[Scalar]]())
      } catch {
        throw .clipping(error)
      }
    }
    for clipper in clippers where Self.isStatelessCoreClipper(clipper) {
      var copy = clipper
      var empty: [[Scalar]] = []
      do {
        _ = try copy.clip(&empty)
      } catch {
        throw .clipping(error)
      }
    }
  }

  /// The global-norm clipper the chain starts with, if it does (and no AGC comes before it, which
  /// would change the gradients it measures).
  var leadingGlobalNormClipper: GlobalNormClipper? {
    adaptiveClipper == nil ? clippers.first as? GlobalNormClipper : nil
  }

  /// Measures `gradients` once before clipping: with the order of a leading global-norm clipper
  /// (whose clipping then reuses the norm), else the largest magnitude. Either tells whether every
  /// gradient is finite.
  func probe<Gradients: GradientSet>(_ gradients: Gradients) throws(OptimizerError) -> GradientNorm {
    do {
      if let global = leadingGlobalNormClipper {
        return try gradients.totalNorm(order: global.order, parallelism: global.parallelism)
      }
      return try gradients.totalNorm(order: .infinity)
    } catch {
      throw .clipping(error)
    }
  }

  /// Runs AGC (against `parameters`) and the chain on `gradients`; `probe` is the norm from
  /// ``probe(_:)``.
  mutating func apply<Gradients: GradientSet, Parameters: GradientSet>(
    to gradients: inout Gradients, parameters: Parameters, probe: GradientNorm
  ) throws(OptimizerError) -> [ClippingReport] where Gradients.Scalar == Parameters.Scalar {
    var reports: [ClippingReport] = []
    reports.reserveCapacity(clippers.count + 1)
    do {
      if let adaptiveClipper { reports.append(try adaptiveClipper.clip(&gradients, parameters: parameters)) }
      for index in clippers.indices {
        if index == 0, let global = leadingGlobalNormClipper {
          reports.append(try global.clip(&gradients, withNorm: probe))
        } else {
          reports.append(try clippers[index].clip(&gradients))
        }
      }
    } catch {
      throw .clipping(error)
    }
    return reports
  }

  /// The clipper whose coefficient a fused step applies inside the update: `nil` without
  /// clipping, the chain's only clipper if it is a `GlobalNormClipper`.
  ///
  /// - Throws: ``OptimizerError/fusedClippingUnsupported(reason:)`` for any other chain.
  func fusibleClipper() throws(OptimizerError) -> GlobalNormClipper? {
    guard !isEmpty else { return nil }
    guard clippers.count == 1, let global = leadingGlobalNormClipper else {
      let names = ((adaptiveClipper == nil ? [] : ["AdaptiveGradientClipper"]) + clippers.map { "\(type(of: $0))" })
        .joined(separator: ", ")
      throw .fusedClippingUnsupported(
        reason: "the clipping chain is [\(names)]; only a single GlobalNormClipper can be applied inside the update")
    }
    return global
  }

  /// The coefficient to apply inside the update for a precomputed, finite `norm`, with its
  /// report: 1 and no report without a clipper; otherwise the clipper's own coefficient and report
  /// (``GlobalNormClipper/report(forNorm:as:)``, so that the formula is the clipper's, not a copy).
  ///
  /// - Throws: ``OptimizerError/clipping(_:)`` if the clipper refuses the norm (another order).
  static func fusedCoefficient<Scalar: GradientScalar>(
    of clipper: GlobalNormClipper?, for norm: GradientNorm, as _: Scalar.Type
  ) throws(OptimizerError) -> (coefficient: Scalar, report: ClippingReport?) {
    guard let clipper else { return (1, nil) }
    let report: ClippingReport
    do {
      report = try clipper.report(forNorm: norm, as: Scalar.self)
    } catch {
      throw .clipping(error)
    }
    return (report.outcome == .clipped ? Scalar(report.coefficient) : 1, report)
  }

  private static func isStatelessCoreClipper(_ clipper: any GradientClipper) -> Bool {
    clipper is GlobalNormClipper || clipper is TensorNormClipper || clipper is ValueClipper
      || clipper is BlockRMSClipper
  }
}
