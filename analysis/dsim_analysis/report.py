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


# Why an earlier set's outputs of a scenario still in index.json are not this set's, by
# that scenario's verdict there, for those the index lists as left in the folder
# ("earlier_outputs"): only a set stopped by a signal, or one that could not write a
# scenario's outputs, leaves them.
EARLIER_OUTPUTS = {
    "not_run": "of scenarios this set did not reach (NOT RUN: it was stopped by a signal first)",
    "refused": "of scenarios this set refused (REFUSED), left as the set was stopped before "
               "its clean-up",
    "interrupted": "of scenarios whose outputs this set could not write (INTERRUPTED)",
}


def not_in_index_notes(found) -> list[str]:
    """One note per reason the run outputs index.json does not list are not shown."""
    groups: dict[str, list[str]] = {}
    for p in found.not_in_index:
        verdict = found.not_in_index_verdict.get(p)
        if verdict is None:
            why = "left over from scenarios no longer in the set"
        elif p in found.not_in_index_left:
            why = "an earlier run-set's outputs " + EARLIER_OUTPUTS.get(
                verdict, "of scenarios whose outputs this set could not write (NOT WRITTEN)")
        else:
            # Named as a scenario's of this set, but neither written by it nor known to it as
            # an earlier set's (e.g. left by a dsim older than "earlier_outputs", or put there).
            why = ("named as outputs of scenarios in this set, which neither wrote them nor "
                   "knew them as an earlier run-set's, so left them")
        groups.setdefault(why, []).append(p.name)
    return [f"Not part of this run-set (index.json does not list them; {why}), so not shown: "
            f"{', '.join(names)}" for why, names in groups.items()]


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
