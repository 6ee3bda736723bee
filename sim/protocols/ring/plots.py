"""Plots for the hash-ring work: from ``dsim ring-stats`` output (balance, key movement,
churn, where a removed node's keys land, lookup cost) and from a ``ring`` run's trace
(store availability over time with the fault windows shaded, keys moved per membership
change).

    PYTHONPATH=analysis /usr/bin/python3 sim/protocols/ring/plots.py STATS_OR_RUN_DIR OUT_DIR

STATS_OR_RUN_DIR is a ring-stats JSON file, a trace (``*.trace.jsonl``), or a folder
holding either (a ``dsim run-set`` output folder, say); every PNG written is listed.
"""
from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from dsim_analysis.faults import fault_windows, shade_faults
from matplotlib.ticker import ScalarFormatter

from dsim_analysis.figures import count_axis, new_figure, save_figure
from dsim_analysis.ops import client_ops
from dsim_analysis.trace_io import NS_PER_S, Run, load_run

# Lamping & Veach (2014), table for the Karger ring: virtual nodes per node ->
# (stddev / mean, 99% of nodes above, 99% of nodes below).
PUBLISHED_RING = {10: (0.315, 0.37, 1.98), 100: (0.0997, 0.76, 1.28), 1000: (0.0316, 0.92, 1.09)}
STATS_FORMAT = "dsim-ring-stats"


# --------------------------------------------------------------------------- helpers

def _label(c: dict) -> str:
    """'ring V=160', 'maglev M=65537', 'multiprobe P=21', ... plus N when it varies."""
    extra = []
    if "vnodes" in c:
        extra.append(f"V={c['vnodes']}")
    if "table_size" in c:
        extra.append(f"M={c['table_size']}")
    if "probes" in c:
        extra.append(f"P={c['probes']}")
    if "epsilon" in c:
        extra.append(f"eps={c['epsilon']}")
    return " ".join([c["algorithm"], *extra])


def _save(fig, out_dir: Path, name: str) -> Path:
    """Through figures.save_figure: the label pass (overlapping fault names hidden) and a
    tight box, like every other plot of the package."""
    return save_figure(fig, Path(out_dir) / name)


def _fig(width: float, height: float):
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def _n(c: dict) -> str:
    return f"N={c['nodes']}"


def _full_label(c: dict) -> str:
    """The configuration with its node count: 'ring V=160 N=100'."""
    return f"{_label(c)} {_n(c)}"


def _trial(c: dict, *path: str) -> dict | None:
    """The trials' spread of a figure ({'mean', 'stddev', 'min', 'max'}), or None for
    output without trials or with one trial."""
    node = c.get("trials")
    if not node or node.get("count", 1) < 2:
        return None
    for key in path:
        if not isinstance(node, (dict, list)):
            return None
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) and "mean" in node else None


def _figure(c: dict, *path: str) -> tuple[float, float]:
    """A figure's value (the trials' mean where there are several trials) and its spread
    (the trials' stddev, else 0)."""
    spread = _trial(c, *path)
    if spread is not None:
        return spread["mean"], spread["stddev"]
    node = c
    for key in path:
        node = node[key]
    return node, 0.0


def _balance(c: dict) -> dict:
    """Exact shares where the algorithm has them (no sampling noise), else measured."""
    return c.get("load_exact") or c["load"]


# ------------------------------------------------------------------ ring-stats plots

def _balance_key(c: dict) -> str:
    return "load_exact" if c.get("load_exact") else "load"


def _plot_balance_vs_vnodes(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """Standard deviation of the load over the mean against points per node, one series per
    algorithm and N (the trials' mean, bars one stddev, when there are trials), with
    Karger's 1/sqrt(V) and Lamping & Veach's table."""
    with_v = [c for c in configs if "vnodes" in c and c["algorithm"] in ("ring", "bounded", "cassandra", "groupcache")]
    if not with_v:
        return None
    series = defaultdict(list)
    for c in with_v:
        series[(c["algorithm"], c["nodes"])].append(c)
    if all(len(cs) < 2 for cs in series.values()) and not any(c["algorithm"] == "ring" for c in with_v):
        return None
    fig, ax = _fig(7.5, 4.8)
    for (algorithm, nodes), cs in sorted(series.items()):
        cs.sort(key=lambda c: c["vnodes"])
        v = [c["vnodes"] for c in cs]
        key = _balance_key(cs[0])
        ys = [_figure(c, key, "stddev_over_mean") for c in cs]
        what = "arc shares" if key == "load_exact" else "measured keys"
        ax.errorbar(v, [y for y, _ in ys], yerr=[e for _, e in ys], fmt="o-", capsize=3,
                    label=f"{algorithm} N={nodes} ({what})")
        if key == "load_exact" and algorithm == "ring":
            ax.plot(v, [_figure(c, "load", "stddev_over_mean")[0] for c in cs], "x:", alpha=0.7,
                    label=f"ring N={nodes} (measured keys)")
        ax.axhline(cs[0]["noise_floor"]["stddev_over_mean"], color="grey", ls="--", lw=0.8)
    lo, hi = min(c["vnodes"] for c in with_v), max(c["vnodes"] for c in with_v)
    lo, hi = min(lo, 10) / 1.5, max(hi, 1000) * 1.5
    xs = [lo * (hi / lo) ** (i / 60) for i in range(61)]
    ax.plot(xs, [1 / math.sqrt(x) for x in xs], color="black", lw=1, label="1/sqrt(V)")
    ax.plot(list(PUBLISHED_RING), [p[0] for p in PUBLISHED_RING.values()], "s", color="red", mfc="none",
            ms=9, label="Lamping & Veach table")
    ax.text(lo * 1.1, with_v[0]["noise_floor"]["stddev_over_mean"] * 1.08, "key-sampling noise floor",
            fontsize=7, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("points per node (V; cassandra num_tokens, groupcache replicas)")
    ax.set_ylabel("stddev of load / mean")
    trials = max((c.get("trials", {}).get("count", 1) for c in with_v), default=1)
    ax.set_title("Load spread against points per node" + (f" (mean of {trials} layouts, bars: stddev)"
                                                          if trials > 1 else ""))
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_balance_vs_vnodes.png")


def _plot_balance_by_algorithm(configs: list[dict], out_dir: Path, prefix: str) -> Path:
    """A sorted dot chart, one row per configuration (so dozens of swept configurations stay
    readable): peak / mean from the exact shares where known (filled) and from the measured
    keys (open), the key-sampling floor as a grey tick, the trials' min-max as a bar."""
    rows = sorted(configs, key=lambda c: _figure(c, _balance_key(c), "peak_to_mean")[0])
    fig, ax = _fig(8, max(3.0, 0.8 + 0.28 * len(rows)))
    ys = list(range(len(rows)))
    for y, c in zip(ys, rows):
        key = _balance_key(c)
        value, _ = _figure(c, key, "peak_to_mean")
        spread = _trial(c, key, "peak_to_mean")
        if spread is not None:
            ax.plot([spread["min"], spread["max"]], [y, y], color="#1f77b4", lw=2, alpha=0.4)
        ax.plot([value], [y], "o", color="#1f77b4" if key == "load_exact" else "#ff7f0e")
        if key == "load_exact":
            ax.plot([_figure(c, "load", "peak_to_mean")[0]], [y], "o", mfc="none", color="#ff7f0e")
        ax.plot([c["noise_floor"]["peak_to_mean"]], [y], "|", color="grey", ms=10)
    ax.set_yticks(ys)
    ax.set_yticklabels([_full_label(c) for c in rows], fontsize=7)
    ax.invert_yaxis()  # the best balanced on top
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xscale("log")
    for axis_formatter in (ax.xaxis.set_major_formatter, ax.xaxis.set_minor_formatter):
        axis_formatter(ScalarFormatter())
    ax.set_xlabel("peak load / mean load")
    ax.plot([], [], "o", color="#1f77b4", label="exact shares (where the algorithm has them)")
    ax.plot([], [], "o", mfc="none", color="#ff7f0e", label="measured keys")
    ax.plot([], [], "|", color="grey", ms=10, label="what key sampling alone gives")
    if any(_trial(c, _balance_key(c), "peak_to_mean") for c in rows):
        ax.plot([], [], color="#1f77b4", lw=2, alpha=0.4, label="min to max over the layouts")
    ax.set_title("Balance per configuration, best first")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, out_dir, f"{prefix}_balance_by_algorithm.png")


def _plot_peak_vs_probes(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """Multi-probe consistent hashing: peak-to-mean against probes per key (Appleton &
    Eisenbud: 21 probes give about 1.05), one line per N."""
    by_nodes = defaultdict(list)
    for c in configs:
        if "probes" in c:
            by_nodes[c["nodes"]].append(c)
    if not by_nodes or all(len(cs) < 2 for cs in by_nodes.values()):
        return None
    fig, ax = _fig(7, 4.5)
    for nodes, cs in sorted(by_nodes.items()):
        cs.sort(key=lambda c: c["probes"])
        key = _balance_key(cs[0])
        ys = [_figure(c, key, "peak_to_mean") for c in cs]
        ax.errorbar([c["probes"] for c in cs], [y for y, _ in ys], yerr=[e for _, e in ys], fmt="o-", capsize=3,
                    label=f"multiprobe N={nodes}")
    ax.axhline(1.05, color="red", ls=":", lw=1, label="1.05: Appleton & Eisenbud, 21 probes")
    ax.axhline(1.0, color="black", lw=0.8)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel("probes per key (P)")
    ax.set_ylabel("peak load / mean load (exact shares)")
    ax.set_title("Multi-probe: balance against probes")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_peak_vs_probes.png")


def _plot_changed_vs_failures(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """The Maglev paper's concurrent failures: after a removal of k nodes at once
    (remove:k), the fraction of keys (of table entries, sampled by keys) that changed
    owner, one line per table size and N, against the k/N of a minimal placement. Only
    the table-based algorithms (maglev, envoy-maglev), the subject of that figure."""
    series = {}
    for c in configs:
        if "table_size" not in c:
            continue
        points = [(len(e.get("nodes", [e["node"]])), e["nodes_before"], _figure(c, "events", i, "moved_fraction")[0])
                  for i, e in enumerate(c["events"]) if e["kind"] == "remove"]
        if points:
            series[_full_label(c)] = (c, sorted(points))
    if not series or max(p[0] for _, pts in series.values() for p in pts) < 2:
        return None  # one node at a time: no concurrent failures to draw
    fig, ax = _fig(7.5, 4.8)
    for label, (c, points) in sorted(series.items()):
        line = ax.plot([p[0] for p in points], [p[2] for p in points], "o-", label=label)[0]
        ax.plot([p[0] for p in points], [p[0] / p[1] for p in points], "_", ms=14, mew=2,
                color=line.get_color())
    ax.plot([], [], "_", ms=14, mew=2, color="black", label="ideal k / N, per configuration")
    count_axis(ax.xaxis)
    ax.set_xlabel("nodes removed at once (k)")
    ax.set_ylabel("fraction of keys whose owner changed")
    ax.set_title("Entries changed against concurrent failures")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_changed_vs_failures.png")


def _plot_load_cdf(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """Across nodes, each node's primary keys over its fair share (weight / total weight of
    the keys), as an empirical CDF per configuration: the spread a table of summaries hides."""
    with_loads = [c for c in configs if c.get("node_loads")]
    if not with_loads:
        return None
    fig = new_figure(7, 4.5)
    ax = fig.add_subplot()
    for c in with_loads:
        loads = c["node_loads"]
        total_weight = sum(n["weight"] for n in loads)
        keys = sum(n["keys"] for n in loads)
        rel = sorted(n["keys"] / (keys * n["weight"] / total_weight) for n in loads)
        ys = [(i + 1) / len(rel) for i in range(len(rel))]
        ax.step(rel, ys, where="post", label=_full_label(c))
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xlabel("node's keys / its fair share")
    ax.set_ylabel("fraction of nodes at or below")
    ax.set_title("Load across nodes (initial layout, measured keys)")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_load_cdf.png")


def _plot_moved_per_event(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """Moved against ideal per event, N in every label and an ideal per configuration (in
    its colour: configurations of different N have different ideals)."""
    with_events = [c for c in configs if c["events"]]
    if not with_events:
        return None
    events = with_events[0]["events"]
    fig, ax = _fig(max(6.5, 0.5 * len(events) + 3), 4.5)
    if len(events) <= 8:
        width = 0.8 / len(with_events)
        for k, c in enumerate(with_events):
            xs = [i - 0.4 + width * (k + 0.5) for i in range(len(c["events"]))]
            ys = [_figure(c, "events", i, "moved_fraction") for i in range(len(c["events"]))]
            ax.bar(xs, [y for y, _ in ys], width, yerr=[e for _, e in ys] if any(e for _, e in ys) else None,
                          label=_full_label(c))
            for x, e in zip(xs, c["events"]):  # each bar's own ideal, over the bar
                ax.plot([x - width / 2, x + width / 2], [e["ideal_fraction"]] * 2, color="black", lw=2)
        ax.set_xticks(range(len(events)))
        ax.set_xticklabels([f"{e['kind']} {e['node'] if len(e.get('nodes', [])) <= 1 else len(e['nodes'])}\n"
                            f"({e['cause']}, N {e['nodes_before']} to {e['nodes_after']})" for e in events], fontsize=7)
    else:
        for c in with_events:
            line = ax.plot(range(len(c["events"])), [e["moved_fraction"] for e in c["events"]], ".-",
                           label=_full_label(c))[0]
            ax.step(range(len(c["events"])), [e["ideal_fraction"] for e in c["events"]], where="mid",
                    color=line.get_color(), lw=1.5, ls="--")
        ax.set_xlabel("event")
    ax.plot([], [], color="black", lw=2, ls="-" if len(events) <= 8 else "--",
            label="ideal per configuration (1/(N+1) add, 1/N remove)")
    ax.set_ylabel("fraction of keys moved")
    ax.set_title("Keys moved per membership event, against each configuration's ideal")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, out_dir, f"{prefix}_moved_per_event.png")


def _plot_cumulative_churn(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    with_events = [c for c in configs if c["events"]]
    if not with_events:
        return None
    fig = new_figure(7, 4.5)
    ax = fig.add_subplot()
    for c in with_events:
        total, ys = 0.0, []
        for e in c["events"]:
            total += e["moved_fraction"]
            ys.append(total)
        ax.plot(range(1, len(ys) + 1), ys, ".-", label=_full_label(c))
    ideal, ys = 0.0, []
    for e in with_events[0]["events"]:
        ideal += e["ideal_fraction"]
        ys.append(ideal)
    ax.plot(range(1, len(ys) + 1), ys, color="black", lw=2, ls="--", label="ideal")
    ax.set_xlabel("events so far")
    ax.set_ylabel("keys moved, cumulative (fraction of all keys)")
    ax.set_title("Cumulative churn over the event sequence")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_cumulative_churn.png")


def _plot_removed_keys_landing(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    removals = []
    for c in configs:
        first = next((e for e in c["events"] if e["kind"] == "remove"), None)
        if first is not None:
            removals.append((c, first))
    if not removals:
        return None
    cols = min(4, len(removals))
    rows = math.ceil(len(removals) / cols)
    fig = new_figure(3.2 * cols, 2.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, (c, e) in zip(axes.flat, removals):
        landed = [x for x in e.get("landed_on", []) if x["node"] != "(others)"]
        moved = max(1, e["moved_keys"])
        if not landed:
            ax.text(0.5, 0.5, "no key moved:\nthe node owned none", ha="center", va="center",
                    transform=ax.transAxes, fontsize=8)
        ax.bar(range(len(landed)), [x["keys"] / moved for x in landed], color="#1f77b4")
        ax.set_title(f"{_full_label(c)}: {e['node']} {e['cause']}", fontsize=8)
        ax.set_xlabel(f"receiving nodes ({e['nodes_gaining']}), most first", fontsize=7)
        ax.set_ylabel("share of moved keys", fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(removals):]:
        ax.axis("off")
    fig.suptitle("Where a removed node's keys land", fontsize=10)
    return _save(fig, out_dir, f"{prefix}_removed_keys_landing.png")


def _plot_lookup_vs_nodes(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    series = defaultdict(list)
    for c in configs:
        if c.get("lookup_ns") is not None:
            series[_label(c)].append((c["nodes"], c["lookup_ns"]))  # x is N
    if not series:
        return None
    fig = new_figure(7, 4.5)
    ax = fig.add_subplot()
    for label, points in sorted(series.items()):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], "o-", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("nodes (N)")
    ax.set_ylabel("ns per lookup (key hash included)")
    ax.set_title("Lookup cost against cluster size (wall clock: indicative)")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_lookup_vs_nodes.png")


def plots_for_ring_stats(stats: dict, out_dir, prefix: str = "ring_stats") -> list[Path]:
    """Every plot ring-stats output supports; returns the PNGs written."""
    if stats.get("format") != STATS_FORMAT:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    configs = stats["configurations"]
    makers = (_plot_balance_vs_vnodes, _plot_peak_vs_probes, _plot_load_cdf, _plot_moved_per_event,
              _plot_changed_vs_failures, _plot_cumulative_churn, _plot_removed_keys_landing, _plot_lookup_vs_nodes)
    paths = [_plot_balance_by_algorithm(configs, out_dir, prefix)]
    paths += [p for p in (make(configs, out_dir, prefix) for make in makers) if p is not None]
    return paths


# ---------------------------------------------------------------------- run plots

def availability_series(run: Run, bin_ns: int) -> tuple[list[float], list[float], list[int]]:
    """Per time bin (by completion time): bin start in seconds, fraction of completed client
    operations that succeeded ("ok" in the common op event, sim/core/client_op.h), and how
    many completed in the bin."""
    ok, total = defaultdict(int), defaultdict(int)
    for op in client_ops(run):
        if op.end_ns is None:
            continue
        b = op.end_ns // bin_ns
        total[b] += 1
        ok[b] += 1 if op.outcome == "ok" else 0
    last = max(run.duration_ns // bin_ns, max(total, default=0))
    xs, fractions, counts = [], [], []
    for b in range(last + 1):
        if total[b]:
            xs.append(b * bin_ns / NS_PER_S)
            fractions.append(ok[b] / total[b])
            counts.append(total[b])
    return xs, fractions, counts


def _plot_availability(run: Run, out_dir: Path, stem: str) -> Path:
    xs, fractions, counts = availability_series(run, NS_PER_S // 4)
    windows = fault_windows(run.events, run.duration_ns)
    fig = new_figure(9, 4)
    ax = fig.add_subplot()
    ax.step(xs, fractions, where="post", color="#2ca02c", label="operations succeeded (250 ms bins)")
    changes = run.proto_events("membership_change")
    for e in changes:
        ax.axvline(e["t_ns"] / NS_PER_S, color="black", alpha=0.15, lw=0.6)
    ax.plot([], [], color="black", alpha=0.4, lw=0.6, label=f"membership changes ({len(changes)}, all observers)")
    by_check = defaultdict(list)
    for e in run.events:
        if e.get("ev") == "violation":
            by_check[e.get("check", "?")].append(e["t_ns"] / NS_PER_S)
    for i, (check, times) in enumerate(sorted(by_check.items())):
        ax.plot(times, [1.04 + 0.025 * i] * len(times), "x", ms=5, label=f"{check} violations ({len(times)})")
    shade_faults(ax, windows)
    ax.set_ylim(-0.02, 1.15)
    ax.set_xlim(0, run.duration_ns / NS_PER_S)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("availability")
    ax2 = ax.twinx()
    ax2.plot([x + 0.125 for x in xs], counts, color="grey", lw=0.8, alpha=0.6)
    ax2.set_ylabel("operations per bin", color="grey")
    ax.set_title(f"{run.header.get('scenario', stem)} ({run.header.get('variant', '')}): store availability")
    ax.legend(loc="lower left", fontsize=7)
    return _save(fig, out_dir, f"{stem}_availability.png")


def _plot_membership_moves(run: Run, out_dir: Path, stem: str) -> Path | None:
    changes = run.proto_events("membership_change")
    if not changes:
        return None
    fig = new_figure(9, 4)
    ax = fig.add_subplot()
    for kind, marker, color in (("remove", "v", "#d62728"), ("add", "^", "#1f77b4")):
        pts = [e for e in changes if e["data"]["kind"] == kind]
        ax.scatter([e["t_ns"] / NS_PER_S for e in pts], [e["data"]["moved_fraction"] for e in pts],
                   marker=marker, color=color, s=18, label=f"{kind} (one point per observing store)")
        ax.scatter([e["t_ns"] / NS_PER_S for e in pts], [e["data"]["ideal_fraction"] for e in pts],
                   marker="_", color="black", s=60)
    ax.scatter([], [], marker="_", color="black", label="ideal")
    shade_faults(ax, fault_windows(run.events, run.duration_ns))
    ax.set_xlim(0, run.duration_ns / NS_PER_S)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("fraction of keys whose primary moved")
    ax.set_title(f"{run.header.get('scenario', stem)}: key movement per membership change")
    ax.legend(fontsize=7, loc="upper right")
    return _save(fig, out_dir, f"{stem}_key_movement.png")


def plots_for_run(run: Run, out_dir) -> list[Path]:
    """Plots of one run; an empty list when the run is not of the ring family."""
    if run.protocol != "ring" or not any(op.completed for op in client_ops(run)):
        return []  # not a ring run, or one written without a trace (nothing to draw from)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = run.name.replace("/", "_")  # the trace file's stem: unique within a folder
    stem = name if name.startswith("ring") else "ring_" + name
    paths = [_plot_availability(run, out_dir, stem)]
    moves = _plot_membership_moves(run, out_dir, stem)
    return paths + ([moves] if moves else [])


# --------------------------------------------------------------------------- CLI

def _is_stats(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("format") == STATS_FORMAT
    except (ValueError, OSError, AttributeError):
        return False


def plots_for_path(source: Path, out_dir: Path) -> list[Path]:
    """Everything plottable under ``source`` (a stats file, a trace, or a folder)."""
    source = Path(source)
    files = sorted(source.rglob("*")) if source.is_dir() else [source]
    paths: list[Path] = []
    for f in files:
        if f.name.endswith(".json") and _is_stats(f):
            stats = json.loads(f.read_text(encoding="utf-8"))
            prefix = "ring_stats" if not source.is_dir() else f"ring_stats_{f.stem}"
            paths += plots_for_ring_stats(stats, out_dir, prefix)
        elif f.name.endswith(".jsonl"):
            paths += plots_for_run(load_run(f), out_dir)
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    source, out_dir = Path(argv[0]), Path(argv[1])
    if not source.exists():
        print(f"ring plots: no such file or folder: {source}", file=sys.stderr)
        return 2
    paths = plots_for_path(source, out_dir)
    for p in paths:
        print(p)
    if not paths:
        print(f"ring plots: nothing to plot in {source} (no ring-stats JSON, no ring trace)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
