#!/usr/bin/env python3
"""Reads TensorBoard event files with TensorBoard's own reader and summarises what it found.

Checks that the event files gradclip writes (TensorBoardWriter in Sources/Experiments/TensorBoard)
are read by TensorBoard itself, not only by the Swift reader. Needs Python 3 and TensorBoard:

    pip install tensorboard
    python3 Scripts/read_tensorboard.py LOGDIR [LOGDIR ...]

Each LOGDIR is a log directory (as given to `tensorboard --logdir`): every directory under it
that holds event files (names containing "tfevents") is a run. For each run it prints the scalar
tags with their count, first and last (step, value), and the histogram tags with their count and
the last histogram's number of values and range. With --plugins it also checks what the
TensorBoard app shows: each run's values are migrated as TensorBoard's data server does
(data_compat, dataclass_compat) and the plugin and data class that claim each tag are printed
(scalars, histograms).

Uses tensorboard.backend.event_processing.event_accumulator.EventAccumulator with every size
guidance at 0 (keep everything). Exits 1 if no run with at least one scalar or histogram was
found, 2 if TensorBoard is not installed.
"""

import argparse
import os
import sys


def find_runs(logdir):
    """The directories under `logdir` (itself included) that hold event files, sorted."""
    runs = []
    for directory, _, files in os.walk(logdir):
        if any("tfevents" in name for name in files):
            runs.append(directory)
    return sorted(runs)


def describe_run(run, logdir, plugins):
    """Prints what TensorBoard's EventAccumulator read from `run`; returns the number of tags."""
    from tensorboard.backend.event_processing import event_accumulator

    guidance = {kind: 0 for kind in event_accumulator.DEFAULT_SIZE_GUIDANCE}
    accumulator = event_accumulator.EventAccumulator(run, size_guidance=guidance)
    accumulator.Reload()
    tags = accumulator.Tags()
    name = os.path.relpath(run, logdir)
    print(f"run {name}  ({os.path.abspath(run)})")
    for tag in sorted(tags.get("scalars", [])):
        events = accumulator.Scalars(tag)
        first, last = events[0], events[-1]
        print(
            f"  scalar    {tag}: {len(events)} values, first (step {first.step}, {first.value:.6g}),"
            f" last (step {last.step}, {last.value:.6g})"
        )
    for tag in sorted(tags.get("histograms", [])):
        events = accumulator.Histograms(tag)
        last = events[-1]
        histogram = last.histogram_value
        print(
            f"  histogram {tag}: {len(events)} histograms, last at step {last.step}:"
            f" {histogram.num:g} values in [{histogram.min:.6g}, {histogram.max:.6g}],"
            f" {len(histogram.bucket)} buckets"
        )
    if plugins:
        describe_plugins(run)
    return len(tags.get("scalars", [])) + len(tags.get("histograms", []))


def describe_plugins(run):
    """Prints, per tag, the plugin and data class that the TensorBoard app gives the run's values.

    EventFileLoader applies the read-time compatibility layers of TensorBoard's data server
    (data_compat turns `simple_value` and `histo` values into tensors with plugin metadata,
    dataclass_compat adds the data class), so this is what the app's plugins see.
    """
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.compat.proto import summary_pb2

    counts = {}
    kinds = {}
    for path in sorted(os.listdir(run)):
        if "tfevents" not in path:
            continue
        for event in event_file_loader.EventFileLoader(os.path.join(run, path)).Load():
            for value in event.summary.value:
                counts[value.tag] = counts.get(value.tag, 0) + 1
                if value.metadata.plugin_data.plugin_name:
                    data_class = summary_pb2.DataClass.Name(value.metadata.data_class)
                    kinds[value.tag] = (value.metadata.plugin_data.plugin_name, data_class)
    for tag in sorted(counts):
        plugin, data_class = kinds.get(tag, ("(none)", "(none)"))
        print(f"  app: {tag} -> plugin {plugin!r}, {data_class}, {counts[tag]} values")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("logdirs", nargs="+", metavar="LOGDIR", help="a log directory (or a run directory)")
    parser.add_argument(
        "--plugins", action="store_true", help="also print which TensorBoard plugin shows each tag"
    )
    arguments = parser.parse_args()
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        print("error: TensorBoard is not installed (pip install tensorboard)", file=sys.stderr)
        return 2
    found = 0
    for logdir in arguments.logdirs:
        runs = find_runs(logdir)
        if not runs:
            print(f"{logdir}: no event files", file=sys.stderr)
        for run in runs:
            found += describe_run(run, logdir, arguments.plugins)
    if found == 0:
        print("error: no scalars or histograms found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
