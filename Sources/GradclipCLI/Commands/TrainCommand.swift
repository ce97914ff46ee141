import ArgumentParser
import Experiments

/// `gradclip train`: one training run, everything configurable.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train one model on one task with one clipping method, and report it.",
    discussion: """
      Trains a freshly initialised model (seeded) on a built-in task, clipping the gradients as \
      --clip says, shows progress, prints a summary and writes report.html, metrics.csv, \
      metrics.jsonl, summary.json, threshold-advice.txt and TensorBoard event files into --out.

      Clip specs, NAME[:VALUE][,KEY=VALUE...] (defaults in brackets):
        none             no clipping
        norm:1.0         global norm, PyTorch's clip_grad_norm_ [p=2 (or inf),
                         eps=1e-6]
        exact-norm:1.0   global norm without eps, TF/optax/Keras [p=2]
        tensor-norm:1.0  each tensor on its own, Keras clipnorm [p=2]
        value:0.5        clamp every component, clip_grad_value_
        block-rms:1.0    per-tensor RMS, optax clip_by_block_rms
        agc:0.01         adaptive gradient clipping [eps=1e-3,
                         layout=pytorch|optax, exclude=NAME+NAME]
        autoclip         AutoClip percentile [p=10, history=1000,
                         scope=global|tensor, current=true]
        zclip            ZClip spike clipping [alpha=0.97, z=2.5,
                         mode=zscore|percentile, warmup=25, max=none,
                         clip=adaptive|mean, factor=1, skip-on-spike=false]
        adagc            AdaGC per-tensor thresholds [beta=0.98, lambda=1.05,
                         warmup=100, max=1]
        skip:max=100     no clipping; skip the update on a spike [max, z,
                         alpha=0.97, warmup=25]
      For example: norm:1.0,p=inf   autoclip:p=5,history=500   agc:0.01,exclude=head

      Tasks: \(TaskCatalog.names.joined(separator: ", ")). Models: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).

      Exit status: 0 when the run finished (even if it diverged: that is a result), 64 for \
      invalid arguments, 66 for an unreadable --text file, 73 if --out exists and is not empty, \
      130 when interrupted with Ctrl-C (the report covers the steps so far).

      Examples:
        gradclip train --task adding --length 50 --recurrent-init orthogonal \\
          --lr 0.1 --clip norm:1.0 --steps 5000
        gradclip train --task charlm --model lstm --hidden 128 \\
          --optimizer adam --lr 0.003 --clip zclip
        gradclip train --task digits --model cnn --epochs 5 \\
          --clip agc:0.01,exclude=head --out runs/agc
        gradclip train --task adding --clip value:0.5 --save model.safetensors
      """
  )

  @OptionGroup var options: RunOptions

  @Option(help: ArgumentHelp("How to clip the gradients (see above).", valueName: "spec"))
  var clip = "none"

  @Option(
    help: ArgumentHelp(
      "Save the trained parameters, optimizer state and clipper state (safetensors) here.", valueName: "file"))
  var save: String?

  @Option(
    help: ArgumentHelp(
      "Start from what --save wrote (same task, model and optimizer; the clipper state if the clip spec is the same).",
      valueName: "file"))
  var resume: String?

  @Flag(help: "After the run, print the fixed threshold its gradient norms suggest (also in threshold-advice.txt).")
  var advise = false

  @OptionGroup var output: OutputOptions

  func validate() throws {
    try ExperimentSession.validateArguments { () throws(ExperimentError) in
      _ = try options.configuration(clip: ClipSpec(parsing: clip))
    }
  }

  func run() throws {
    try ExperimentSession.exitOnFailure {
      let configuration = try options.configuration(clip: ClipSpec(parsing: clip))
      let session = ExperimentSession(
        configurations: [configuration],
        title: "gradclip train: \(configuration.task), \(configuration.model.rawValue)",
        subtitle: "clip \(configuration.clip.text)", output: output)
      let checkpoint = RunCheckpoint(save: save, resume: resume)
      let result = try session.run(
        observers: output.json ? [JSONLines()] : [], prepare: checkpoint.restore, finish: checkpoint.store)
      session.report(result, table: RunSummaryTable.table(result.records))
      if advise, !output.json, let record = result.records.first {
        print("")
        print(try record.thresholdAdvice().description)
      }
      return result.interrupted
    }
  }
}
