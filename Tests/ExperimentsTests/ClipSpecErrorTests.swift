import Foundation
import Testing

@testable import Experiments

/// A bad spec and a part of the reason it must give.
struct BadSpec: Sendable, CustomTestStringConvertible {
  let text: String
  let reason: String

  init(_ text: String, _ reason: String) {
    self.text = text
    self.reason = reason
  }

  var testDescription: String { text }
}

@Suite("Clip specs: errors")
struct ClipSpecErrorTests {
  /// The parameter names of the test model.
  static let parameterNames = ["fc0.weight", "fc0.bias", "head.weight", "head.bias"]

  /// The error of parsing `text` and making its method, if any.
  private func failure(_ text: String) -> ExperimentError? {
    do {
      _ = try ClipMethod(try ClipSpec(parsing: text), parameterNames: Self.parameterNames)
      return nil
    } catch {
      return error
    }
  }

  /// Checks that `bad` fails as an invalid clip spec naming the spec and with the reason.
  private func check(_ bad: BadSpec, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = failure(bad.text) else {
      Issue.record("'\(bad.text)' was accepted", sourceLocation: sourceLocation)
      return
    }
    guard case .invalidClipSpec(let spec, let reason) = error else {
      Issue.record("'\(bad.text)' gave \(error)", sourceLocation: sourceLocation)
      return
    }
    #expect(spec == bad.text, sourceLocation: sourceLocation)
    #expect(reason.contains(bad.reason), "'\(bad.text)': \(reason)", sourceLocation: sourceLocation)
    #expect(error.description.hasPrefix("invalid clip spec '\(bad.text)': "), sourceLocation: sourceLocation)
  }

  @Test(
    "an unknown method names it and lists the known ones",
    arguments: [
      BadSpec("clip:1.0", "unknown method 'clip'"), BadSpec("l2norm:1", "unknown method 'l2norm'"),
      BadSpec("", "unknown method ''"), BadSpec("norms:1.0", "one of none, norm, exact-norm, tensor-norm, value"),
    ])
  func unknownMethod(_ bad: BadSpec) { check(bad) }

  @Test(
    "an unknown parameter names it, and the known ones",
    arguments: [
      BadSpec("norm:1.0,q=2", "unknown parameter 'q' for norm (known: eps, p)"),
      BadSpec("exact-norm:1.0,eps=1e-6", "unknown parameter 'eps' for exact-norm (known: p)"),
      BadSpec("value:0.5,p=2", "unknown parameter 'p' for value (it takes none)"),
      BadSpec("none:p=2", "unknown parameter 'p' for none (it takes none)"),
      BadSpec("zclip:beta=0.9", "unknown parameter 'beta' for zclip"),
      BadSpec("autoclip:P=10", "unknown parameter 'P' for autoclip"),
    ])
  func unknownParameter(_ bad: BadSpec) { check(bad) }

  @Test(
    "a parameter given twice",
    arguments: [
      BadSpec("norm:1.0,p=2,p=inf", "parameter 'p' given twice"),
      BadSpec("zclip:z=2,alpha=0.9,z=3", "parameter 'z' given twice"),
    ])
  func duplicate(_ bad: BadSpec) { check(bad) }

  @Test(
    "a method that needs a threshold without one",
    arguments: [
      BadSpec("norm", "norm needs a threshold, as in norm:1.0"),
      BadSpec("exact-norm", "exact-norm needs a threshold"),
      BadSpec("tensor-norm:p=2", "tensor-norm needs a threshold"),
      BadSpec("value", "value needs a threshold"), BadSpec("block-rms", "block-rms needs a threshold"),
      BadSpec("agc:exclude=head", "agc needs a threshold"), BadSpec("norm:p=inf", "norm needs a threshold"),
    ])
  func missingThreshold(_ bad: BadSpec) { check(bad) }

  @Test(
    "a value after the colon where the method takes none",
    arguments: [
      BadSpec("none:1", "none takes no value after the colon"), BadSpec("zclip:2.5", "zclip takes no value"),
      BadSpec("autoclip:10", "autoclip takes no value"),
    ])
  func unexpectedValue(_ bad: BadSpec) { check(bad) }

  @Test(
    "a value that is not a number, a whole number or a flag",
    arguments: [
      BadSpec("norm:abc", "'abc' is neither a number after the colon nor KEY=VALUE"),
      BadSpec("norm:nan", "'nan' is neither a number"), BadSpec("norm:1.0,2", "'2' is neither a number"),
      BadSpec("norm:1.0,,p=2", "'' is neither a number"), BadSpec("norm:1.0,p", "'p' is neither a number"),
      BadSpec("norm:1.0,p=two", "p=two is not a number"), BadSpec("norm:1.0,eps=small", "eps=small is not a number"),
      BadSpec("agc:0.01,eps=x", "eps=x is not a number"), BadSpec("zclip:alpha=high", "alpha=high is not a number"),
      BadSpec("autoclip:history=1.5", "history=1.5 is not a whole number"),
      BadSpec("zclip:warmup=ten", "warmup=ten is not a whole number"),
      BadSpec("autoclip:current=maybe", "current=maybe is not true or false"),
      BadSpec("zclip:skip-on-spike=2", "skip-on-spike=2 is not true or false"),
    ])
  func notANumber(_ bad: BadSpec) { check(bad) }

  @Test(
    "a choice outside the listed words",
    arguments: [
      BadSpec("agc:0.01,layout=torch", "layout=torch; one of pytorch, optax"),
      BadSpec("autoclip:scope=layer", "scope=layer; one of global, tensor"),
      BadSpec("zclip:mode=fast", "mode=fast; one of zscore, percentile"),
      BadSpec("zclip:clip=max", "clip=max; one of adaptive, mean"),
    ])
  func badChoice(_ bad: BadSpec) { check(bad) }

  @Test(
    "an AutoClip percentile outside [0, 100]",
    arguments: [
      BadSpec("autoclip:p=101", "p=101 must be a percentile in [0, 100]"),
      BadSpec("autoclip:p=-1", "p=-1 must be a percentile in [0, 100]"),
      BadSpec("autoclip:p=inf", "must be a percentile in [0, 100]"),
    ])
  func percentile(_ bad: BadSpec) { check(bad) }

  @Test(
    "skip needs a norm cap, a z-score or both; adagc's arguments are checked",
    arguments: [
      BadSpec("skip", "skip needs max=NORM, z=SCORE or both"),
      BadSpec("skip:alpha=0.9", "skip needs max=NORM, z=SCORE or both"), BadSpec("skip:100", "takes no value"),
      BadSpec("skip:max=-1", "maxNorm"), BadSpec("skip:z=6,warmup=0", "warmupSteps"),
      BadSpec("skip:z=6,alpha=1", "alpha"), BadSpec("adagc:gamma=1", "unknown parameter 'gamma' for adagc"),
      BadSpec("adagc:beta=1.5", "beta"), BadSpec("adagc:lambda=0", "relativeThreshold"),
      BadSpec("adagc:warmup=-1", "warmupSteps"), BadSpec("adagc:1.05", "takes no value"),
    ])
  func skipAndAdaGC(_ bad: BadSpec) { check(bad) }

  @Test("the percentile's ends are allowed")
  func percentileEnds() {
    #expect(failure("autoclip:p=0") == nil)
    #expect(failure("autoclip:p=100") == nil)
  }

  @Test(
    "a negative threshold or another invalid argument is refused by the core clipper before any training",
    arguments: [
      BadSpec("norm:-1", "maxNorm"), BadSpec("exact-norm:-0.5", "maxNorm"), BadSpec("tensor-norm:-1", "maxNorm"),
      BadSpec("value:-0.5", "clipValue"), BadSpec("block-rms:-1", "threshold"), BadSpec("agc:-0.01", "clipping"),
      BadSpec("norm:inf", "maxNorm"), BadSpec("norm:1.0,p=0", "order"), BadSpec("norm:1.0,p=-2", "order"),
      BadSpec("norm:1.0,eps=-1", "epsilon"), BadSpec("tensor-norm:1.0,p=0", "order"),
      BadSpec("autoclip:history=0", "historyLength"), BadSpec("zclip:alpha=1.5", "alpha"),
      BadSpec("zclip:max=-1", "maxGradNorm"), BadSpec("zclip:warmup=0", "warmup"),
    ])
  func invalidArgument(_ bad: BadSpec) { check(bad) }

  @Test(
    "AGC's exclude must name parameters of the model, by name or by prefix before a dot",
    arguments: [
      BadSpec("agc:0.01,exclude=classifier", "exclude=classifier names no parameter of the model"),
      BadSpec("agc:0.01,exclude=head+decoder", "exclude=decoder names no parameter of the model"),
      BadSpec("agc:0.01,exclude=hea", "exclude=hea names no parameter"),
      BadSpec("agc:0.01,exclude=fc0.w", "exclude=fc0.w names no parameter"),
    ])
  func agcExclude(_ bad: BadSpec) { check(bad) }

  @Test("AGC's exclude accepts names, prefixes and lists of both")
  func agcExcludeAccepted() {
    for text in ["agc:0.01,exclude=head", "agc:0.01,exclude=head.bias", "agc:0.01,exclude=head+fc0.bias"] {
      #expect(failure(text) == nil, "\(text)")
    }
  }

  @Test("the original text, surrounding spaces included, is named when parsing fails")
  func errorNamesTheText() {
    do {
      _ = try ClipSpec(parsing: " norm ")
      Issue.record("a threshold-less norm was accepted")
    } catch {
      #expect(error == .invalidClipSpec(spec: " norm ", reason: "norm needs a threshold, as in norm:1.0"))
    }
  }
}
