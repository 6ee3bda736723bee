"""Plots for the hash-ring work: from ``dsim ring-stats`` output (balance, key movement,
churn, where a removed node's keys land, lookup cost) and from a ``ring`` run's trace
(store availability over time with the fault windows shaded, keys moved per membership
change).

    PYTHONPATH=analysis /usr/bin/python3 -m dsim_analysis.plots_ring STATS_OR_RUN_DIR OUT_DIR

STATS_OR_RUN_DIR is a ring-stats JSON file, a trace (``*.trace.jsonl``), or a folder
holding either (a ``dsim run-set`` output folder, say); every PNG written is listed.
"""
from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from .faults import fault_windows, shade_faults  # noqa: E402
from .trace_io import NS_PER_S, Run, load_run  # noqa: E402

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
    path = Path(out_dir) / name
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _balance(c: dict) -> dict:
    """Exact shares where the algorithm has them (no sampling noise), else measured."""
    return c.get("load_exact") or c["load"]


# ------------------------------------------------------------------ ring-stats plots

def _plot_balance_vs_vnodes(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    rings = sorted((c for c in configs if c["algorithm"] == "ring"), key=lambda c: c["vnodes"])
    if not rings:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    by_nodes = defaultdict(list)
    for c in rings:
        by_nodes[c["nodes"]].append(c)
    for nodes, cs in sorted(by_nodes.items()):
        v = [c["vnodes"] for c in cs]
        ax.plot(v, [_balance(c)["stddev_over_mean"] for c in cs], "o-", label=f"ring, N={nodes} (arc shares)")
        ax.plot(v, [c["load"]["stddev_over_mean"] for c in cs], "x:", alpha=0.7,
                label=f"ring, N={nodes} (measured keys)")
        ax.axhline(cs[0]["noise_floor"]["stddev_over_mean"], color="grey", ls="--", lw=0.8)
    lo, hi = min(c["vnodes"] for c in rings), max(c["vnodes"] for c in rings)
    lo, hi = min(lo, 10) / 1.5, max(hi, 1000) * 1.5
    xs = [lo * (hi / lo) ** (i / 60) for i in range(61)]
    ax.plot(xs, [1 / math.sqrt(x) for x in xs], color="black", lw=1, label="1/sqrt(V)")
    ax.plot(list(PUBLISHED_RING), [p[0] for p in PUBLISHED_RING.values()], "s", color="red", mfc="none",
            ms=9, label="Lamping & Veach table")
    ax.text(lo * 1.1, rings[0]["noise_floor"]["stddev_over_mean"] * 1.08, "key-sampling noise floor",
            fontsize=7, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("virtual nodes per node (V)")
    ax.set_ylabel("stddev of load / mean")
    ax.set_title("Karger ring: load spread against virtual nodes")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_balance_vs_vnodes.png")


def _plot_balance_by_algorithm(configs: list[dict], out_dir: Path, prefix: str) -> Path:
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(configs)), 4))
    labels = [f"{_label(c)}\nN={c['nodes']}" for c in configs]
    x = range(len(configs))
    ax.bar([i - 0.2 for i in x], [c["load"]["peak_to_mean"] for c in configs], 0.4, label="peak / mean (keys)")
    ax.bar([i + 0.2 for i in x], [_balance(c)["peak_to_mean"] for c in configs], 0.4,
           label="peak / mean (exact shares, where known)")
    ax.axhline(1.0, color="black", lw=0.8)
    for i, c in enumerate(configs):
        ax.plot([i - 0.4, i + 0.4], [c["noise_floor"]["peak_to_mean"]] * 2, color="grey", ls="--", lw=1)
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_yscale("log")
    ax.set_ylabel("peak load / mean load")
    ax.set_title("Balance per algorithm (dashed: what key sampling alone gives)")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_balance_by_algorithm.png")


def _plot_load_cdf(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    """Across nodes, each node's primary keys over its fair share (weight / total weight of
    the keys), as an empirical CDF per configuration: the spread a table of summaries hides."""
    with_loads = [c for c in configs if c.get("node_loads")]
    if not with_loads:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for c in with_loads:
        loads = c["node_loads"]
        total_weight = sum(n["weight"] for n in loads)
        keys = sum(n["keys"] for n in loads)
        rel = sorted(n["keys"] / (keys * n["weight"] / total_weight) for n in loads)
        ys = [(i + 1) / len(rel) for i in range(len(rel))]
        ax.step(rel, ys, where="post", label=f"{_label(c)} N={c['nodes']}")
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xlabel("node's keys / its fair share")
    ax.set_ylabel("fraction of nodes at or below")
    ax.set_title("Load across nodes (initial layout, measured keys)")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_load_cdf.png")


def _plot_moved_per_event(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    with_events = [c for c in configs if c["events"]]
    if not with_events:
        return None
    events = with_events[0]["events"]
    fig, ax = plt.subplots(figsize=(max(6.5, 0.5 * len(events) + 3), 4.5))
    if len(events) <= 8:
        width = 0.8 / len(with_events)
        for k, c in enumerate(with_events):
            xs = [i - 0.4 + width * (k + 0.5) for i in range(len(c["events"]))]
            ax.bar(xs, [e["moved_fraction"] for e in c["events"]], width, label=f"{_label(c)} N={c['nodes']}")
        for i, e in enumerate(events):
            ax.plot([i - 0.45, i + 0.45], [e["ideal_fraction"]] * 2, color="black", lw=2)
        ax.set_xticks(range(len(events)))
        ax.set_xticklabels([f"{e['kind']} {e['node']}\n({e['cause']})" for e in events], fontsize=7)
    else:
        for c in with_events:
            ax.plot(range(len(c["events"])), [e["moved_fraction"] for e in c["events"]], ".-",
                    label=f"{_label(c)} N={c['nodes']}")
        ax.step(range(len(events)), [e["ideal_fraction"] for e in events], where="mid", color="black", lw=2)
        ax.set_xlabel("event")
    ax.plot([], [], color="black", lw=2, label="ideal (1/(N+1) add, 1/N remove)")
    ax.set_ylabel("fraction of keys moved")
    ax.set_title("Keys moved per membership event, against the ideal")
    ax.legend(fontsize=7)
    return _save(fig, out_dir, f"{prefix}_moved_per_event.png")


def _plot_cumulative_churn(configs: list[dict], out_dir: Path, prefix: str) -> Path | None:
    with_events = [c for c in configs if c["events"]]
    if not with_events:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for c in with_events:
        total, ys = 0.0, []
        for e in c["events"]:
            total += e["moved_fraction"]
            ys.append(total)
        ax.plot(range(1, len(ys) + 1), ys, ".-", label=_label(c))
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
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for ax, (c, e) in zip(axes.flat, removals):
        landed = [x for x in e.get("landed_on", []) if x["node"] != "(others)"]
        moved = max(1, e["moved_keys"])
        if not landed:
            ax.text(0.5, 0.5, "no key moved:\nthe node owned none", ha="center", va="center",
                    transform=ax.transAxes, fontsize=8)
        ax.bar(range(len(landed)), [x["keys"] / moved for x in landed], color="#1f77b4")
        ax.set_title(f"{_label(c)}: {e['node']} {e['cause']}", fontsize=8)
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
            series[_label(c)].append((c["nodes"], c["lookup_ns"]))
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
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
    makers = (_plot_balance_vs_vnodes, _plot_load_cdf, _plot_moved_per_event, _plot_cumulative_churn,
              _plot_removed_keys_landing, _plot_lookup_vs_nodes)
    paths = [_plot_balance_by_algorithm(configs, out_dir, prefix)]
    paths += [p for p in (make(configs, out_dir, prefix) for make in makers) if p is not None]
    return paths


# ---------------------------------------------------------------------- run plots

def availability_series(run: Run, bin_ns: int) -> tuple[list[float], list[float], list[int]]:
    """Per time bin (by completion time): bin start in seconds, fraction of client
    operations that succeeded, and how many ended in the bin."""
    ok, total = defaultdict(int), defaultdict(int)
    for e in run.proto_events("op_done"):
        b = e["t_ns"] // bin_ns
        total[b] += 1
        ok[b] += 1 if e["data"].get("ok") else 0
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
    fig, ax = plt.subplots(figsize=(9, 4))
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
    fig, ax = plt.subplots(figsize=(9, 4))
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
    if run.protocol != "ring" or not run.proto_events("op_done"):
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
        print(f"plots_ring: no such file or folder: {source}", file=sys.stderr)
        return 2
    paths = plots_for_path(source, out_dir)
    for p in paths:
        print(p)
    if not paths:
        print(f"plots_ring: nothing to plot in {source} (no ring-stats JSON, no ring trace)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
