import Foundation
import Testing

@testable import Experiments

/// A spec of the table in `ClipSpec.swift` and what it parses to.
struct ParsedSpec: Sendable, CustomTestStringConvertible {
  let text: String
  let name: String
  let value: Double?
  let parameters: [String: String]

  var testDescription: String { text }

  static let table: [ParsedSpec] = [
    ParsedSpec(text: "none", name: "none", value: nil, parameters: [:]),
    ParsedSpec(text: "norm:1.0", name: "norm", value: 1, parameters: [:]),
    ParsedSpec(text: "norm:1.0,p=inf", name: "norm", value: 1, parameters: ["p": "inf"]),
    ParsedSpec(text: "norm:2.5,p=1,eps=1e-8", name: "norm", value: 2.5, parameters: ["p": "1", "eps": "1e-8"]),
    ParsedSpec(text: "exact-norm:1.0", name: "exact-norm", value: 1, parameters: [:]),
    ParsedSpec(text: "exact-norm:3,p=2", name: "exact-norm", value: 3, parameters: ["p": "2"]),
    ParsedSpec(text: "tensor-norm:1.0", name: "tensor-norm", value: 1, parameters: [:]),
    ParsedSpec(text: "tensor-norm:0.5,p=inf", name: "tensor-norm", value: 0.5, parameters: ["p": "inf"]),
    ParsedSpec(text: "value:0.5", name: "value", value: 0.5, parameters: [:]),
    ParsedSpec(text: "block-rms:1.0", name: "block-rms", value: 1, parameters: [:]),
    ParsedSpec(text: "agc:0.01", name: "agc", value: 0.01, parameters: [:]),
    ParsedSpec(
      text: "agc:0.01,eps=1e-3,layout=optax,exclude=head", name: "agc", value: 0.01,
      parameters: ["eps": "1e-3", "layout": "optax", "exclude": "head"]),
    ParsedSpec(text: "autoclip", name: "autoclip", value: nil, parameters: [:]),
    ParsedSpec(text: "autoclip:p=10", name: "autoclip", value: nil, parameters: ["p": "10"]),
    ParsedSpec(
      text: "autoclip:p=25,history=50,scope=tensor,current=false", name: "autoclip", value: nil,
      parameters: ["p": "25", "history": "50", "scope": "tensor", "current": "false"]),
    ParsedSpec(text: "zclip", name: "zclip", value: nil, parameters: [:]),
    ParsedSpec(
      text: "zclip:alpha=0.9,z=3,mode=percentile,warmup=5,max=1.0,clip=mean,factor=0.5,skip-on-spike=true",
      name: "zclip", value: nil,
      parameters: [
        "alpha": "0.9", "z": "3", "mode": "percentile", "warmup": "5", "max": "1.0", "clip": "mean",
        "factor": "0.5", "skip-on-spike": "true",
      ]),
    ParsedSpec(text: "adagc", name: "adagc", value: nil, parameters: [:]),
    ParsedSpec(
      text: "adagc:beta=0.9,lambda=1.1,warmup=10,max=2,eps=1e-8", name: "adagc", value: nil,
      parameters: ["beta": "0.9", "lambda": "1.1", "warmup": "10", "max": "2", "eps": "1e-8"]),
    ParsedSpec(text: "skip:max=100", name: "skip", value: nil, parameters: ["max": "100"]),
    ParsedSpec(
      text: "skip:z=6,alpha=0.9,warmup=5", name: "skip", value: nil,
      parameters: ["z": "6", "alpha": "0.9", "warmup": "5"]),
  ]
}

@Suite("Clip specs: parsing")
struct ClipSpecParsingTests {
  @Test("every method of the table parses to its name, value and parameters", arguments: ParsedSpec.table)
  func parses(_ expected: ParsedSpec) throws {
    let spec = try ClipSpec(parsing: expected.text)
    #expect(spec.name == expected.name)
    #expect(spec.value == expected.value)
    #expect(spec.parameters == expected.parameters)
    #expect(spec.text == expected.text)
    #expect(spec.description == expected.text)
  }

  @Test("every method of the table makes a clipper for a real model", arguments: ParsedSpec.table)
  func makesAMethod(_ expected: ParsedSpec) throws {
    let (model, _) = try RunFixtures.modelWithGradients()
    let method = try ClipMethod(try ClipSpec(parsing: expected.text), parameterNames: model.parameterNames)
    #expect(method.spec.text == expected.text)
  }

  @Test("the method names are the table's, in order")
  func methodNames() {
    #expect(
      ClipSpec.methodNames == [
        "none", "norm", "exact-norm", "tensor-norm", "value", "block-rms", "agc", "autoclip", "zclip", "adagc",
        "skip",
      ])
    #expect(Set(ClipSpec.methodNames) == Set(ParsedSpec.table.map(\.name)))
  }

  @Test("`none` is the default of a configuration and has no value or parameters")
  func noneByDefault() throws {
    #expect(ClipSpec.none == (try ClipSpec(parsing: "none")))
    #expect(RunConfiguration(task: "adding").clip == ClipSpec.none)
  }

  @Test("p=inf, +inf and infinity all mean the infinity norm")
  func infinity() throws {
    for text in ["inf", "+inf", "infinity", "INF", "Infinity"] {
      let spec = try ClipSpec(parsing: "norm:1.0,p=\(text)")
      #expect(try spec.number("p", default: 2) == .infinity, "\(text)")
    }
    #expect(try ClipSpec(parsing: "norm:1.0").number("p", default: 2) == 2)
  }

  @Test("numbers are read as written: integers, decimals and exponents")
  func numbers() throws {
    #expect(try ClipSpec(parsing: "norm:1").value == 1)
    #expect(try ClipSpec(parsing: "norm:.25").value == 0.25)
    #expect(try ClipSpec(parsing: "value:5e-2").value == 0.05)
    #expect(try ClipSpec(parsing: "agc:1E-3").value == 0.001)
    #expect(try ClipSpec(parsing: "norm:0").value == 0)
  }

  @Test("whitespace around the spec, the name, the value, keys and values is ignored; the name is case-insensitive")
  func whitespace() throws {
    let spec = try ClipSpec(parsing: "  Norm : 1.5 ,  p = inf , eps=1e-6  ")
    #expect(spec.name == "norm")
    #expect(spec.value == 1.5)
    #expect(spec.parameters == ["p": "inf", "eps": "1e-6"])
    #expect(spec.text == "Norm : 1.5 ,  p = inf , eps=1e-6")
    #expect(try ClipSpec(parsing: "\tzclip\t").name == "zclip")
    #expect(try ClipSpec(parsing: "autoclip: p = 20").parameters == ["p": "20"])
  }

  @Test("specs compare by what they say and what was written")
  func equality() throws {
    #expect(try ClipSpec(parsing: "norm:1.0") == ClipSpec(parsing: "norm:1.0"))
    #expect(try ClipSpec(parsing: "norm:1.0") != ClipSpec(parsing: "norm:2.0"))
  }

  @Test("a run's name is its clip spec as written, unless labelled")
  func runName() throws {
    let configuration = try RunFixtures.regression(clip: "norm:0.5,p=inf")
    #expect(configuration.name == "norm:0.5,p=inf")
    #expect(configuration.settings.contains(RunSetting("clip", "norm:0.5,p=inf")))
    #expect(try RunFixtures.regression(clip: "zclip", label: "mine").name == "mine")
  }
}
