#!/usr/bin/env python3
"""Training-step benchmark, side by side: gradclip's engine against PyTorch on the four reference models, in one run.

Run from anywhere (paths are taken relative to this repository):

    python3 Scripts/bench_train.py                              # all models, every core
    python3 Scripts/bench_train.py gpt-tiny mlp-digits --threads 1 --steps 50
    python3 Scripts/bench_train.py --rounds 3 --wait-idle 300   # medians over 3 interleaved rounds
    python3 Scripts/bench_train.py --no-build --json            # the joined rows, one JSON object a line

It does everything on this machine in one go:
  1. builds `swift build -c release --product gradclip --scratch-path DIR` (the default build, no
     extra flags; skip with --no-build; DIR is --scratch-path, default .build);
  2. runs `../shared/bench/torch_training_reference.py --threads T --steps S [models]`, PyTorch's
     time of one training step (zero_grad, forward, loss, backward, clip_grad_norm_(1.0), step)
     of each model, 3 warm-up steps then the median of S;
  3. runs `gradclip bench train --json --threads T --steps S [models]`, the same models with the
     same shapes, losses, optimizers and clipping, timed the same way, with the same thread count;
  4. prints one table: model, ours ms, torch ms, ours/torch, the target (rnn-adding and
     mlp-digits no slower than PyTorch; lstm-charlm and gpt-tiny at most 1.5x PyTorch), and the
     share of our step that global-norm clipping costs, fused (target: at most 0.5%) and unfused.

With --rounds K both sides run K times, interleaved (PyTorch first in odd rounds, gradclip first
in even ones), and every figure is the median over the rounds of the per-round medians. The
machine is shared and noisy: before each round the script samples, for one second, how busy the
cores are with other work and prints it; --wait-idle SECONDS waits, before each round, for a
quieter moment. Read the ratios, not the absolute times.

Needs: Python 3 (standard library), the Swift toolchain, PyTorch (`pip install torch`). Exit
status: 0, or 1 if a step failed, or (with --strict) if a target was missed.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import REPO, log, run, json_lines, build_gradclip, busy_fraction, wait_until_idle, fmt_busy
TORCH_SCRIPT = REPO.parent / "shared" / "bench" / "torch_training_reference.py"
MODELS = ["rnn-adding", "lstm-charlm", "mlp-digits", "gpt-tiny"]
# The most ours/torch may be, per model.
TARGETS = {"rnn-adding": 1.0, "lstm-charlm": 1.5, "mlp-digits": 1.0, "gpt-tiny": 1.5}
# The most fused clipping may cost, in percent of our step.
CLIP_TARGET_PERCENT = 0.5


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", help=f"models to run (default: all: {', '.join(MODELS)})")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="threads for both sides (default: every core, as the reference)")
    ap.add_argument("--steps", type=int, default=20, help="timed steps per model after 3 warm-up steps (default 20)")
    ap.add_argument("--rounds", type=int, default=1, help="run both sides this many times, interleaved (default 1)")
    ap.add_argument("--scratch-path", type=Path, default=REPO / ".build", help="SwiftPM scratch path (default .build)")
    ap.add_argument("--no-build", action="store_true", help="use the gradclip already built in --scratch-path")
    ap.add_argument("--torch-script", type=Path, default=TORCH_SCRIPT,
                    help="the PyTorch reference (default ../shared/bench/torch_training_reference.py)")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each round, wait up to this long for other processes to use under 10%% of the cores")
    ap.add_argument("--json", action="store_true", help="print the joined rows as JSON lines instead of a table")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    a = ap.parse_args()
    unknown = [m for m in a.models if m not in MODELS]
    if unknown:
        ap.error(f"unknown model(s) {', '.join(unknown)}; valid: {', '.join(MODELS)}")
    if a.threads < 1 or a.steps < 1 or a.rounds < 1:
        ap.error("--threads, --steps and --rounds must be at least 1")
    a.models = a.models or MODELS
    return a


def measure_ours(binary, a):
    command = [binary, "bench", "train", "--json", "--threads", a.threads, "--steps", a.steps]
    return {row["model"]: row for row in json_lines(run(command + a.models))}


def measure_torch(a):
    command = [sys.executable, a.torch_script, "--threads", a.threads, "--steps", a.steps]
    return {row["model"]: row for row in json_lines(run(command + a.models))}


def join(rounds, a):
    rows = []
    for model in a.models:
        def median_of(side, key):
            values = [rnd[side][model][key] for rnd in rounds if model in rnd[side] and key in rnd[side][model]]
            return statistics.median(values) if values else None
        ours, torch = median_of("ours", "median_ms"), median_of("torch", "median_ms")
        ratio = ours / torch if ours is not None and torch else None
        fused = median_of("ours", "clip_fused_percent")
        rows.append({
            "model": model, "ours_ms": ours, "torch_ms": torch, "ours_over_torch": ratio,
            "target": TARGETS[model], "target_met": ratio <= TARGETS[model] if ratio is not None else None,
            "clip_fused_percent": fused,
            "clip_fused_with_measure_percent": median_of("ours", "clip_fused_with_measure_percent"),
            "clip_unfused_percent": median_of("ours", "clip_unfused_percent"),
            "clip_target_met": fused <= CLIP_TARGET_PERCENT if fused is not None else None,
            "parameters": median_of("ours", "parameters"), "torch_parameters": median_of("torch", "parameters"),
            "threads": a.threads, "steps": a.steps, "rounds": a.rounds,
            "torch_version": next((rnd["torch"][model].get("torch") for rnd in rounds if model in rnd["torch"]), None),
            "busy_before_rounds": [None if r["busy"] is None else round(r["busy"], 3) for r in rounds],
        })
    return rows


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def print_table(rows, a, busy):
    header = ["model", "ours ms", "torch ms", "ours/torch", "target", "met", "clip fused %", "+measure %",
              "clip unfused %"]
    body = []
    for r in rows:
        met = "" if r["target_met"] is None else ("yes" if r["target_met"] else "NO")
        body.append([r["model"], fmt(r["ours_ms"], ".3f"), fmt(r["torch_ms"], ".3f"), fmt(r["ours_over_torch"], ".2f"),
                     f"<= {r['target']:g}", met, fmt(r["clip_fused_percent"], ".3f"),
                     fmt(r["clip_fused_with_measure_percent"], ".3f"), fmt(r["clip_unfused_percent"], ".2f")])
    widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    version = rows[0]["torch_version"] if rows else None
    print(f"one training step (forward, backward, clip 1.0, update), float32, {a.threads} thread(s), median of "
          f"{a.steps} steps after 3 warm-up steps, {a.rounds} round(s); torch {version or '?'}; cores busy with "
          f"other work before each round: {', '.join(fmt_busy(b) for b in busy)}")
    print(line(header))
    print("-" * len(line(header)))
    for cells in body:
        print(line(cells))
    print(f"clip fused %: reading the norm backward measured plus the coefficient inside the update, as a share of "
          f"our step (target <= {CLIP_TARGET_PERCENT:g}%); +measure: with what backward's per-parameter norm "
          f"measurement adds to backward (backward with it minus without, median of paired runs, where that is "
          f"precise enough, else one read pass over the gradients: 'by' in gradclip bench train); "
          f"unfused: GlobalNormClipper.clip on the gradients.")


def main():
    a = parse_args()
    if not a.torch_script.exists():
        sys.exit(f"{a.torch_script} does not exist: pass --torch-script")
    binary = build_gradclip(a.scratch_path.resolve(), a.no_build)
    rounds = []
    for index in range(a.rounds):
        busy = wait_until_idle(a.wait_idle)
        log(f"round {index + 1} of {a.rounds} (cores busy with other work: {fmt_busy(busy)})")
        if index % 2 == 0:
            torch, ours = measure_torch(a), measure_ours(binary, a)
        else:
            ours, torch = measure_ours(binary, a), measure_torch(a)
        rounds.append({"busy": busy, "ours": ours, "torch": torch})
    rows = join(rounds, a)
    if a.json:
        for r in rows:
            print(json.dumps(r))
    else:
        print_table(rows, a, [r["busy"] for r in rounds])
    missed = [r for r in rows if r["target_met"] is False or r["clip_target_met"] is False]
    for r in missed:
        log(f"missed: {r['model']}: ours/torch {fmt(r['ours_over_torch'], '.2f')} (target <= {r['target']:g}), "
            f"fused clipping {fmt(r['clip_fused_percent'], '.3f')}% (target <= {CLIP_TARGET_PERCENT:g}%)")
    mismatched = [r for r in rows if r["parameters"] != r["torch_parameters"]]
    for r in mismatched:
        log(f"parameter counts differ for {r['model']}: ours {r['parameters']}, torch {r['torch_parameters']}")
    return 1 if a.strict and (missed or mismatched) else 0


if __name__ == "__main__":
    sys.exit(main())
