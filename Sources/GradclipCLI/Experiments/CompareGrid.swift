import Experiments

/// The runs of `gradclip compare`: every learning rate x length x clip spec x seed, in that
/// nesting, each labelled with what varies.
struct CompareGrid {
  /// The clip specs, in order.
  var specs: [ClipSpec]
  /// The seeds.
  var seeds: [UInt64]
  /// The configurations, in run order.
  var configurations: [RunConfiguration]
  /// The group of each configuration: its label without the seed.
  var groups: [String]

  /// The grid of `options` over `specs`, `seeds` and, when given, `learningRates` and `lengths`.
  init(
    options: RunOptions, specs: [ClipSpec], seeds: [UInt64], learningRates: [Double]?, lengths: [Int]?
  ) throws(ExperimentError) {
    self.specs = specs
    self.seeds = seeds
    configurations = []
    groups = []
    for rate in learningRates ?? [options.lr] {
      for length in lengths ?? [options.length] {
        for spec in specs {
          var group = spec.text
          if learningRates != nil { group += " lr=\(rate)" }
          if lengths != nil { group += " T=\(length)" }
          for seed in seeds {
            configurations.append(
              try options.configuration(
                clip: spec, learningRate: rate, length: length, seed: seed, label: "\(group) seed=\(seed)"))
            groups.append(group)
          }
        }
      }
    }
  }
}
