#!/usr/bin/env python3
"""Clip benchmark, side by side: gradclip against the hardware floor and PyTorch, in one run.

Run from anywhere (paths are taken relative to this repository):

    python3 Scripts/bench_clip.py                      # all workloads, every core
    python3 Scripts/bench_clip.py convnet many-small --threads 2 --reps 11 --rounds 3
    python3 Scripts/bench_clip.py --json               # the joined rows, one JSON object a line

It does everything on this machine in one go:
  1. builds `swift build -c release --product gradclip --scratch-path DIR` (skip with --no-build;
     DIR is --scratch-path, default .build);
  2. compiles ../shared/bench/clip_floor.c (--shared DIR) with
     `gcc -O3 -march=native -ffast-math -fopenmp ... -lm` into Scripts/.out/ (git-ignored);
  3. runs `clip_floor N` for each workload's element count, with OMP_NUM_THREADS=T;
  4. runs `python3 torch_reference.py --threads T --reps R` if `import torch` works (otherwise it
     says how to install torch and shows the floor ratios only);
  5. runs `gradclip bench clip --json --threads T --reps R --storage S --kernels K` (K: native,
     the AVX2/AVX-512 rescale and clamp kernels where the CPU has them, or portable);
  6. prints one table: workload, op, regime, ours ms, floor ms, ours/floor, torch ms,
     torch/ours (speed-up), and whether each target is met:
       - floor:  clip_grad_norm on gpt2-124m, convnet, lstm-char-lm: ours/floor <= 1.15
                 (active against floor_active_ms, the norm pass plus the scale pass; inactive
                 against floor_inactive_ms, the norm pass alone);
       - torch:  never slower than PyTorch, on every row;
       - 20x:    on many-small, at least 20 times faster than PyTorch.
     The floor of clip_grad_value is the floor's scale pass (one read-write pass, the same
     memory traffic as clamping); it is shown for reference and has no target.

With --rounds K the floor, PyTorch and gradclip are each run K times, interleaved, and every
figure is the median over the rounds of the per-round medians. The machine is shared and noisy:
read the ratios, which come from one run, not the absolute times. Before each round the script
samples, for one second, how busy the cores are with other work, and prints it (the JSON rows
keep it too): OpenMP code (the floor, PyTorch) with as many threads as cores slows down by
orders of magnitude when another process takes a core, so figures from a busy round are
suspect. --wait-idle SECONDS waits, before each round, for a quieter moment.

Needs: Python 3 (standard library only), the Swift toolchain, gcc with OpenMP (libgomp);
optionally PyTorch (`pip install torch`) for the PyTorch columns. Exit status: 0, or 1 if a
step failed, or (with --strict) if a target was missed.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import REPO, log, run, json_lines, build_gradclip, busy_fraction, wait_until_idle, fmt_busy, torch_version
FLOOR_WORKLOADS = ("gpt2-124m", "convnet", "lstm-char-lm")
FLOOR_LIMIT = 1.15
MANY_SMALL_SPEEDUP = 20.0
TARGETS = ("floor", "torch", "20x")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workloads", nargs="*", help="workloads to run (default: all, as in workloads.py)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads for every side (default: all cores)")
    ap.add_argument("--reps", type=int, default=11, help="timed calls per case for gradclip and PyTorch (default 11)")
    ap.add_argument("--rounds", type=int, default=1, help="run every side this many times, interleaved (default 1)")
    ap.add_argument("--storage", choices=("flat", "arrays"), default="flat", help="gradclip's gradient storage")
    ap.add_argument("--kernels", choices=("native", "portable"), default="native",
                    help="gradclip's rescale and clamp kernels: native (AVX2/AVX-512 where the CPU has them) "
                         "or portable (the core's Swift loops)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench", help="the shared bench folder")
    ap.add_argument("--scratch-path", type=Path, default=REPO / ".build", help="SwiftPM scratch path (default .build)")
    ap.add_argument("--no-build", action="store_true", help="use the gradclip already built in --scratch-path")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each round, wait up to this long for other processes to use under 10%% of the cores")
    ap.add_argument("--json", action="store_true", help="print the joined rows as JSON lines instead of a table")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any target is missed")
    a = ap.parse_args()
    if a.threads < 1 or a.reps < 1 or a.rounds < 1:
        ap.error("--threads, --reps and --rounds must be at least 1")
    return a


def load_workloads(shared, selected):
    table = json.loads(run([sys.executable, shared / "workloads.py"]))
    unknown = [name for name in selected if name not in table]
    if unknown:
        sys.exit(f"unknown workload(s) {', '.join(unknown)}; valid names: {', '.join(table)}")
    return {name: table[name]["elements"] for name in (selected or list(table))}


def build_floor(shared):
    source, out = shared / "clip_floor.c", REPO / "Scripts" / ".out" / "clip_floor"
    if not out.exists() or out.stat().st_mtime < source.stat().st_mtime:
        out.parent.mkdir(parents=True, exist_ok=True)
        run(["gcc", "-O3", "-march=native", "-ffast-math", "-fopenmp", source, "-o", out, "-lm"])
    return out


def measure_floor(floor, workloads, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    return {name: json.loads(run([floor, elements], env=env)) for name, elements in workloads.items()}


def measure_torch(shared, workloads, threads, reps):
    out = run([sys.executable, shared / "torch_reference.py", "--threads", threads, "--reps", reps, *workloads])
    return {(r["workload"], r["op"], r["regime"]): r["median_ms"] for r in json_lines(out)}


def measure_ours(binary, workloads, a):
    command = [binary, "bench", "clip", "--json", "--threads", a.threads, "--reps", a.reps, "--storage", a.storage,
               "--kernels", a.kernels]
    return {(r["workload"], r["op"], r["regime"]): r for r in json_lines(run(command + list(workloads)))}


def floor_ms(floor_row, op, regime):
    if op == "clip_grad_norm":
        return floor_row["floor_active_ms" if regime == "active" else "floor_inactive_ms"]
    return floor_row["scale_pass_ms"]


def median_of(rounds, key):
    values = [r[key] for r in rounds if r.get(key) is not None]
    return statistics.median(values) if values else None


def targets(workload, op, ours_over_floor, speedup):
    """Each target that applies to a row: True (met), False (missed) or None (no torch figure)."""
    met = {}
    if op == "clip_grad_norm" and workload in FLOOR_WORKLOADS:
        met["floor"] = ours_over_floor <= FLOOR_LIMIT
    met["torch"] = None if speedup is None else speedup >= 1
    if workload == "many-small":
        met["20x"] = None if speedup is None else speedup >= MANY_SMALL_SPEEDUP
    return met


def join(rounds, workloads, a, version):
    """One row per (workload, op, regime) of gradclip's output, medians over the rounds."""
    rows = []
    for key, ours in rounds[0]["ours"].items():
        workload, op, regime = key
        per_round = [
            {
                "ours": r["ours"][key]["median_ms"],
                "floor": floor_ms(r["floor"][workload], op, regime),
                "torch": r["torch"].get(key),
            }
            for r in rounds
        ]
        ours_ms, floor, torch = (median_of(per_round, k) for k in ("ours", "floor", "torch"))
        ratio = ours_ms / floor if floor else float("inf")
        speedup = torch / ours_ms if torch is not None and ours_ms > 0 else None
        rows.append({
            "workload": workload, "op": op, "regime": regime, "ours_ms": ours_ms, "floor_ms": floor,
            "ours_over_floor": round(ratio, 3), "torch_ms": torch,
            "torch_over_ours": None if speedup is None else round(speedup, 2),
            "targets": targets(workload, op, ratio, speedup),
            "threads": a.threads, "reps": a.reps, "rounds": a.rounds, "storage": a.storage,
            "kernels": ours.get("kernels"), "elements": workloads[workload], "torch_version": version,
            "busy_before_rounds": [None if r["busy"] is None else round(r["busy"], 3) for r in rounds],
        })
    return rows


def fmt_ms(value):
    if value is None:
        return "-"
    return f"{value:.1f}" if value >= 100 else f"{value:.2f}" if value >= 10 else f"{value:.3f}" if value >= 1 else f"{value:.4f}"


def fmt_target(met):
    return "-" if met is None else "yes" if met else "NO"


def print_table(rows, a, version, busy):
    header = ["workload", "op", "regime", "ours ms", "floor ms", "ours/floor", "torch ms", "torch/ours",
              f"floor<={FLOOR_LIMIT}", "<=torch", f">={MANY_SMALL_SPEEDUP:g}x torch"]
    body = []
    for r in rows:
        t = r["targets"]
        body.append([
            r["workload"], r["op"], r["regime"], fmt_ms(r["ours_ms"]), fmt_ms(r["floor_ms"]),
            f"{r['ours_over_floor']:.2f}", fmt_ms(r["torch_ms"]),
            "-" if r["torch_over_ours"] is None else f"{r['torch_over_ours']:.2f}x",
            *(fmt_target(t[name]) if name in t else "" for name in TARGETS),
        ])
    widths = [max(len(str(row[i])) for row in [header] + body) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    kernels = rows[0]["kernels"] if rows else a.kernels
    print(f"float32, storage {a.storage}, {kernels} kernels, {a.threads} threads, median of {a.reps} calls "
          f"(floor: 11), {a.rounds} round(s); torch {version or 'not installed'}; "
          f"cores busy with other work before each round: {', '.join(fmt_busy(b) for b in busy)}")
    print(line(header))
    print("-" * len(line(header)))
    for cells in body:
        print(line(cells))


def summarize(rows):
    missed, unknown, met = [], 0, 0
    for r in rows:
        for name, ok in r["targets"].items():
            if ok is None:
                unknown += 1
            elif ok:
                met += 1
            else:
                missed.append(f"{r['workload']} {r['op']} {r['regime']}: {name}")
    log(f"targets met: {met}, missed: {len(missed)}" + (f", not measured (no torch): {unknown}" if unknown else ""))
    for item in missed:
        log(f"  missed {item}")
    return missed


def main():
    a = parse_args()
    shared = a.shared.resolve()
    workloads = load_workloads(shared, a.workloads)
    binary = build_gradclip(a.scratch_path.resolve(), a.no_build)
    floor = build_floor(shared)
    version = torch_version()
    if version is None:
        log("PyTorch is not importable by this Python: install it with `pip install torch` to get the "
            "torch columns; showing ratios to the floor only.")
    rounds = []
    for index in range(a.rounds):
        busy = wait_until_idle(a.wait_idle)
        log(f"round {index + 1} of {a.rounds} (cores busy with other work: {fmt_busy(busy)})")
        rounds.append({
            "busy": busy,
            "floor": measure_floor(floor, workloads, a.threads),
            "torch": measure_torch(shared, workloads, a.threads, a.reps) if version else {},
            "ours": measure_ours(binary, workloads, a),
        })
    rows = join(rounds, workloads, a, version)
    if a.json:
        for r in rows:
            print(json.dumps(r))
    else:
        print_table(rows, a, version, [r["busy"] for r in rounds])
    missed = summarize(rows)
    return 1 if a.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
