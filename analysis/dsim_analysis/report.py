"""dsim-report: turns a run's output folder, a trace, a summary, a sweep's results or a
ring-stats result into pictures and one index.html.

    dsim-report out/                       # what `dsim run-set --out out` wrote
    dsim-report run.trace.jsonl --window 1s:1.2s --nodes n0,n1,n2
    dsim-report sweep.jsonl --out sweep-report
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .inputs import collect
from .units import parse_duration_ns


def parse_args(argv):
    p = argparse.ArgumentParser(prog="dsim-report", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", type=Path,
                   help="output folder, trace, summary, sweep results or ring-stats JSON")
    p.add_argument("--out", type=Path, help="report folder (default: INPUT/report or INPUT-report)")
    p.add_argument("--window",
                   help="space-time window START:END, e.g. 1s:1.2s (a side may be empty)")
    p.add_argument("--nodes", help="space-time nodes, comma-separated (default: the busiest)")
    p.add_argument("--max-messages", type=int, default=200, help="space-time message cap (200)")
    p.add_argument("--max-nodes", type=int, default=10, help="space-time node cap (10)")
    p.add_argument("--time-axis", choices=("auto", "order", "linear"), default="auto",
                   help="space-time vertical axis: compressed to event order, or linear time")
    p.add_argument("--perfetto", action="store_true",
                   help="also export each trace for ui.perfetto.dev (runs `dsim perfetto`)")
    p.add_argument("--dsim", type=Path, help="the dsim binary for --perfetto (default: build/dsim)")
    return p.parse_args(argv)


def spacetime_options(args) -> dict:
    """Raises ValueError on a malformed --window."""
    options = {"max_messages": args.max_messages, "max_nodes": args.max_nodes,
               "time_axis": args.time_axis}
    if args.window:
        start, sep, end = args.window.partition(":")
        if not sep:
            raise ValueError(f"--window wants START:END, got {args.window!r}")
        options["start_ns"] = parse_duration_ns(start) if start else None
        options["end_ns"] = parse_duration_ns(end) if end else None
    if args.nodes:
        options["nodes"] = [n.strip() for n in args.nodes.split(",") if n.strip()]
    return options


def default_out(path: Path) -> Path:
    if path.is_dir():
        return path / "report"
    name = path.name
    for suffix in (".trace.jsonl", ".summary.json", ".jsonl", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(name + "-report")


# Why run-set left an earlier set's outputs of a scenario still in the set, for those its
# index.json lists as left in the folder (the scenario's entry's "earlier_outputs"), by
# what that entry says became of the scenario. Only a set stopped by a signal (which skips
# the clean-up of the scenarios it lists), or one that could not write a scenario's outputs
# (which keeps the earlier ones), leaves them.
EARLIER_OUTPUTS_NOT_RUN = ("of scenarios this set did not reach (NOT RUN: it was stopped by a "
                           "signal first)")
EARLIER_OUTPUTS_REFUSED = ("of scenarios this set refused (REFUSED), left as the set was stopped "
                           "by a signal before its clean-up")
EARLIER_OUTPUTS_NOT_WRITTEN = "of scenarios whose outputs this set could not write ({what})"
EARLIER_OUTPUTS_NO_TRACE = ("of scenarios this set ran without traces (--no-trace: it wrote their "
                            "summaries), left as the set was stopped by a signal before its clean-up")


# Why run-set kept outputs named as no scenario's of its set: its clean-up removes an
# earlier set's outputs of scenarios no longer in the set while their content is the run
# the earlier index.json listed, and keeps everything else.
NOT_RUN_SETS = ("index.json does not list them, and no scenario of this set has their name: "
                "kept by run-set's clean-up as not its own (files of yours, or outputs an index.json "
                "of a dsim that did not record \"scenario_hash\" listed)")


# Why run-set kept outputs named as a scenario's of its set that it did not write, which
# an earlier index.json listed without a scenario hash (a dsim before "scenario_hash"): a
# run of the user's of that file and seed with other settings names the same, so nothing
# proves them run-set's, and it keeps them (its "kept N outputs" line named them).
UNPROVABLE = ("index.json lists them as its entries' \"unprovable_outputs\": outputs of scenarios in "
              "this set that it did not write, listed by an earlier index.json from a dsim that did not "
              "record \"scenario_hash\", so run-set could not prove them its own (a run of yours of the "
              "same scenario file and seed with other settings looks the same) and kept them; remove "
              "them by hand if they are run-set's")


def earlier_outputs_reason(entry: dict) -> str:
    """Whose an output left in the folder is, from its scenario's index.json entry."""
    verdict = entry.get("verdict")
    if verdict == "not_run":
        return EARLIER_OUTPUTS_NOT_RUN
    if verdict == "refused":
        return EARLIER_OUTPUTS_REFUSED
    if entry.get("error"):  # it ran (to its end, or until the signal), but nothing was written
        return EARLIER_OUTPUTS_NOT_WRITTEN.format(
            what="INTERRUPTED: stopped by a signal while it ran" if verdict == "interrupted" else
            "NOT WRITTEN: it ran, and its earlier outputs were kept")
    # It ran and its outputs were written, so what is left is what it was not asked for.
    return EARLIER_OUTPUTS_NO_TRACE


def not_in_index_notes(found) -> list[str]:
    """One note per reason the run outputs in the folder that index.json does not list as a
    run of this set are not shown."""
    groups: dict[str, list[str]] = {}
    for p in found.not_in_index:
        entry = found.not_in_index_entry.get(p)
        if entry is None:
            # Named as no scenario's of this set: run-set's clean-up removes its own outputs
            # of scenarios no longer in the set, so what it left is what it could not prove
            # its own (README, Output files).
            why = NOT_RUN_SETS
        elif p in found.not_in_index_left:
            why = ("index.json lists them as its entries' \"earlier_outputs\", not as runs: "
                   "an earlier run-set's outputs " + earlier_outputs_reason(entry))
        elif p in found.not_in_index_unprovable:
            why = UNPROVABLE
        else:
            # Named as a scenario's of this set, but neither written by it nor known to it as
            # an earlier set's (e.g. left by a dsim older than "earlier_outputs", or put there).
            why = ("index.json does not list them; named as outputs of scenarios in this set, "
                   "which neither wrote them nor knew them as an earlier run-set's, so left them")
        groups.setdefault(why, []).append(p.name)
    return [f"Not part of this run-set ({why}), so not shown: {', '.join(names)}"
            for why, names in groups.items()]


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        found = collect(args.input)
        options = spacetime_options(args)
    except (FileNotFoundError, ValueError) as e:
        print(f"dsim-report: {e}", file=sys.stderr)
        return 2
    if not (found.runs or found.sweeps or found.ring_stats):
        print(f"dsim-report: nothing to render in {args.input}", file=sys.stderr)
        return 2
    # Imported only now: matplotlib takes a while to load, and bad input should fail fast.
    from .html_report import NO_OUTPUTS, ListedRun, RunSection, write_index_html
    from .render import render_all

    out_dir = args.out or default_out(args.input)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs, sweeps, stats = render_all(found, out_dir, options, args.perfetto, args.dsim)
    notes = not_in_index_notes(found)
    index = write_index_html(out_dir, f"dsim report: {args.input}", runs, sweeps, stats, notes)
    drawn = [r for r in runs if isinstance(r, RunSection)]
    # Runs that neither passed nor failed (refused, not run, ...) are counted by what they are.
    outcomes = [NO_OUTPUTS[r.status][0].lower() if isinstance(r, ListedRun) else r.run.verdict
                for r in runs]
    failed = outcomes.count("fail")
    others = Counter(o for o in outcomes if o not in ("pass", "fail"))
    pictures = sum(len(r.pictures) for r in drawn) + sum(len(s.pictures) for s in sweeps + stats)
    errors = sum(len(r.errors) for r in drawn) + sum(len(s.errors) for s in stats)
    print(f"dsim-report: {len(runs)} runs ({failed} failed"
          f"{''.join(f', {n} {what}' for what, n in others.items())}), {len(sweeps)} sweeps, "
          f"{len(stats)} ring-stats, {pictures} pictures, {errors} plot errors")
    print(f"report: {index.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
