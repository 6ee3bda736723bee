"""Plots for two-phase commit runs (protocol "2pc").

* A transaction timeline: one row per participant; each transaction it takes part in is
  a bar that is blue while working (executing, holding locks, not yet promised), orange
  while prepared / in doubt (voted yes, outcome unknown), and ends in a green (commit) or
  red (abort) tick; grey when a restart made it forget the transaction. Crashes are
  drawn on the crashed node's row; partitions, pauses and link faults are shaded across.
* The distribution of in-doubt times (yes vote to outcome), per participant for one run,
  or per variant across several runs (``in_doubt_by_variant``).

Everything is read from the trace (``ctx.trace`` events ``work``, ``vote``, ``outcome``,
``recovered``; simulator events ``crash``/``restart``/...), never from the summary alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from dsim_analysis.faults import (FaultWindow, draw_fault_lanes, fault_windows, lanes_height_in,  # noqa: E402
                     shade_faults)
from dsim_analysis.figures import count_axis, tidy_labels  # noqa: E402
from dsim_analysis.trace_io import NS_PER_S, Run  # noqa: E402

COLORS = {
    "working": "#9ecae1",
    "in_doubt": "#fd8d3c",
    "commit": "#31a354",
    "abort": "#de2d26",
    "lost": "#969696",
    "down": "#d62728",
}


@dataclass(frozen=True)
class Segment:
    tx: str
    state: str      # working | in_doubt
    start_ns: int
    end_ns: int
    ends_in: str    # commit | abort | lost | open (still undecided at the end)


def participant_names(run: Run) -> list[str]:
    return [n["name"] for n in run.header.get("nodes", []) if n.get("role") == "participant"]


def _end_ns(run: Run) -> int:
    if run.end is not None and "t_ns" in run.end:
        return int(run.end["t_ns"])
    return max([run.duration_ns] + [int(e.get("t_ns", 0)) for e in run.events])


def participant_timelines(run: Run) -> dict[str, list[Segment]]:
    """Per participant, the working and in-doubt spans of each transaction it saw."""
    end_ns = _end_ns(run)
    open_: dict[tuple[str, str], tuple[str, int]] = {}  # (node, tx) -> (state, since)
    out: dict[str, list[Segment]] = {p: [] for p in participant_names(run)}

    def close(node: str, tx: str, t: int, ends_in: str) -> None:
        state, since = open_.pop((node, tx))
        out.setdefault(node, []).append(Segment(tx, state, since, t, ends_in))

    for e in run.events:
        if e.get("ev") != "proto":
            continue
        node, name, data, t = e.get("node"), e.get("name"), e.get("data", {}), int(e["t_ns"])
        if node not in out:
            continue
        tx = data.get("tx")
        if name == "work":
            if (node, tx) in open_:
                close(node, tx, t, "lost")
            open_[(node, tx)] = ("working", t)
        elif name == "vote" and data.get("vote") == "yes":
            if (node, tx) in open_:
                close(node, tx, t, "open")
            open_[(node, tx)] = ("in_doubt", t)
        elif name == "vote" and data.get("vote") == "read_only" and (node, tx) in open_:
            close(node, tx, t, "commit")
        elif name == "outcome" and (node, tx) in open_:
            close(node, tx, t, data.get("outcome", "abort"))
        elif name == "recovered":
            keep = set(data.get("in_doubt", []))
            for (n, x) in [k for k in open_ if k[0] == node and k[1] not in keep]:
                close(n, x, t, "lost")
    for (node, tx) in list(open_):
        close(node, tx, end_ns, "open")
    for segments in out.values():
        segments.sort(key=lambda s: (s.start_ns, s.tx))
    return out


def in_doubt_times(run: Run) -> dict[str, list[int]]:
    """Per participant, yes vote -> outcome in ns, for transactions that were decided."""
    times: dict[str, list[int]] = {}
    for node, segments in participant_timelines(run).items():
        times[node] = [s.end_ns - s.start_ns for s in segments
                       if s.state == "in_doubt" and s.ends_in in ("commit", "abort")]
    return times


def _down_windows(windows: list[FaultWindow]) -> tuple[dict[str, list[FaultWindow]], list[FaultWindow]]:
    per_node: dict[str, list[FaultWindow]] = {}
    shared = []
    for w in windows:
        if w.kind == "crash" and w.node is not None:
            per_node.setdefault(w.node, []).append(w)
        else:
            shared.append(w)
    return per_node, shared


def plot_timeline(run: Run, path: Path) -> Path:
    timelines = participant_timelines(run)
    names = list(timelines)
    end_ns = _end_ns(run)
    windows = fault_windows(run.events, end_ns)
    crashes, shared = _down_windows(windows)
    lanes_in = lanes_height_in(windows)
    main_in = 1.0 + 0.7 * max(1, len(names))
    fig = plt.figure(figsize=(11, main_in + lanes_in))
    grid = fig.add_gridspec(2, 1, height_ratios=(max(lanes_in, 0.01), main_in))
    ax = fig.add_subplot(grid[1])
    lanes_ax = fig.add_subplot(grid[0], sharex=ax)
    s = NS_PER_S
    for row, node in enumerate(names):
        y = len(names) - 1 - row
        for state in ("working", "in_doubt"):
            bars = [(g.start_ns / s, max(g.end_ns - g.start_ns, 1) / s)
                    for g in timelines[node] if g.state == state]
            if bars:
                ax.broken_barh(bars, (y - 0.3, 0.6), facecolors=COLORS[state], alpha=0.75, lw=0)
        for kind in ("commit", "abort", "lost"):
            ticks = [g.end_ns / s for g in timelines[node] if g.ends_in == kind]
            if ticks:
                ax.plot(ticks, [y] * len(ticks), "|", color=COLORS[kind], ms=14, mew=1.5)
        downs = [(w.start_ns / s, (w.end_ns - w.start_ns) / s) for w in crashes.get(node, [])]
        if downs:
            ax.broken_barh(downs, (y - 0.45, 0.9), facecolors="none", edgecolors=COLORS["down"], hatch="///", lw=0.8)
    shade_faults(ax, shared, scale_ns=s, label=False)  # every fault is named in the lanes above
    for node, down in crashes.items():
        if node not in timelines:  # a coordinator's crash: shaded across the chart
            for w in down:
                ax.axvspan(w.start_ns / s, w.end_ns / s, color=COLORS["down"], alpha=0.08, lw=0)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(list(reversed(names)))
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlim(0, end_ns / s)
    ax.set_xlabel("time (s)")
    draw_fault_lanes(lanes_ax, windows, scale_ns=s)
    lanes_ax.tick_params(labelbottom=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLORS[k]) for k in ("working", "in_doubt")]
    handles += [plt.Line2D([], [], color=COLORS[k], marker="|", ls="", ms=10) for k in ("commit", "abort", "lost")]
    handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=COLORS["down"], hatch="///"))
    ax.legend(handles, ["working", "prepared / in doubt", "committed", "aborted", "forgotten", "down"],
              loc="upper center", bbox_to_anchor=(0.5, -0.75 / main_in), fontsize=7, ncol=6,
              frameon=False)
    variant = run.header.get("variant", "")
    fig.suptitle(f"{run.header.get('scenario', '')} ({variant}, seed {run.header.get('seed', '?')}): "
                 "transactions per participant", fontsize=10)
    fig.tight_layout()
    tidy_labels(fig)
    fig.savefig(path, dpi=110, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return path


def plot_in_doubt(run: Run, path: Path) -> Path:
    times = in_doubt_times(run)
    fig, ax = plt.subplots(figsize=(7, 4))
    data = [[t / 1e6 for t in times[n]] for n in times if times[n]]
    labels = [n for n in times if times[n]]
    if data:
        ax.hist(data, bins=30, label=labels, stacked=True)
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no participant was ever in doubt", ha="center", transform=ax.transAxes)
    ax.set_xlabel("in-doubt time (ms): yes vote to outcome")
    ax.set_ylabel("transactions")
    count_axis(ax.yaxis)
    ax.set_title(f"in-doubt times, {run.header.get('variant', '')} (seed {run.header.get('seed', '?')})",
                 fontsize=10)
    fig.tight_layout()
    tidy_labels(fig)
    fig.savefig(path, dpi=110, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return path


def in_doubt_by_variant(runs: list[Run], path: Path) -> Path:
    """One empirical CDF of in-doubt times per variant, all participants pooled."""
    pooled: dict[str, list[float]] = {}
    for run in runs:
        if run.protocol != "2pc":
            continue
        values = pooled.setdefault(run.header.get("variant", "?"), [])
        for samples in in_doubt_times(run).values():
            values.extend(t / 1e6 for t in samples)
    fig, ax = plt.subplots(figsize=(7, 4))
    for variant, values in sorted(pooled.items()):
        if not values:
            continue
        values.sort()
        n = len(values)
        ax.step(values, [(i + 1) / n for i in range(n)], where="post", label=f"{variant} (n={n})")
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel("in-doubt time (ms)")
    ax.set_ylabel("fraction of in-doubt spans")
    ax.legend(fontsize=8)
    ax.set_title("in-doubt times per variant", fontsize=10)
    fig.tight_layout()
    tidy_labels(fig)
    fig.savefig(path, dpi=110, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return path


def plots_for_run(run: Run, out_dir: Path) -> list[Path]:
    """The 2PC plots of one run, written into ``out_dir``; [] for runs of other protocols."""
    if run.protocol != "2pc":
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{run.header.get('scenario', 'run')}-seed{run.header.get('seed', 0)}"
    return [plot_timeline(run, out_dir / f"{stem}.twopc_timeline.png"),
            plot_in_doubt(run, out_dir / f"{stem}.twopc_in_doubt.png")]
