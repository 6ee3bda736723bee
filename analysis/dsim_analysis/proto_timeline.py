"""Protocol events per node over time: one row per node, one marker per event, coloured by
event name; crash and pause windows drawn as bars on the node's row, cluster-wide faults
(partitions, link windows, clock changes) shaded across all rows. Shows at a glance what
the protocol noticed (suspicions, elections, grants) against what the simulator did.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .faults import COLORS, fault_windows, mark_violations, shade_faults
from .figures import new_figure, save_figure
from .ops import OP_EVENT
from .trace_io import NS_PER_S, Run

FILE_NAME = "protocol_events.png"
MAX_NAMES = 9        # the most frequent names get a colour each, the rest share "other"
MAX_ROWS = 40        # beyond this, only the busiest nodes get a row
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#bcbd22", "#17becf")


def _rows(run: Run, events: list[dict]) -> list[str]:
    busy = Counter(e["node"] for e in events if e.get("node"))
    names = run.node_names or sorted(busy)
    if len(names) > MAX_ROWS:
        keep = {n for n, _ in busy.most_common(MAX_ROWS)}
        names = [n for n in names if n in keep]
    return names


def proto_timeline_figure(run: Run):
    """The figure, or None when the run logged no protocol events besides ``op``."""
    events = [e for e in run.proto_events() if e.get("name") != OP_EVENT]
    if not events:
        return None
    rows = _rows(run, events)
    row_of = {n: i for i, n in enumerate(rows)}
    counts = Counter(e.get("name", "?") for e in events)
    named = [n for n, _ in counts.most_common(MAX_NAMES)]

    fig = new_figure(11, max(3.0, 1.8 + 0.35 * len(rows)))
    ax = fig.add_subplot()
    windows = fault_windows(run.events, run.end_ns)
    node_windows = [w for w in windows if w.kind in ("crash", "pause") and w.node in row_of]
    for w in node_windows:
        ax.broken_barh([(w.start_ns / NS_PER_S, (w.end_ns - w.start_ns) / NS_PER_S)],
                       (row_of[w.node] - 0.4, 0.8), facecolors=COLORS[w.kind], alpha=0.25,
                       gid=f"node-{w.kind}")
    shade_faults(ax, [w for w in windows if w.kind not in ("crash", "pause")])
    groups = [(n, PALETTE[i], lambda e, n=n: e.get("name") == n) for i, n in enumerate(named)]
    if len(counts) > len(named):
        groups.append(("other", "black", lambda e: e.get("name") not in named))
    for label, color, wanted in groups:
        chosen = [e for e in events if wanted(e) and e.get("node") in row_of]
        if chosen:
            ax.scatter([e["t_ns"] / NS_PER_S for e in chosen], [row_of[e["node"]] for e in chosen],
                       s=60, marker="|", color=color, linewidths=1.5,
                       label=f"{label} ({len(chosen)})", gid=f"proto-{label}")
    mark_violations(ax, run.violations)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, run.end_ns / NS_PER_S)
    ax.set_xlabel("time (s, simulated)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    fig.suptitle(f"{run.name}: protocol events per node (bars: node crashed / paused)")
    return fig


def render_proto_timeline(run: Run, out_dir: Path) -> Path | None:
    fig = proto_timeline_figure(run)
    return None if fig is None else save_figure(fig, Path(out_dir) / FILE_NAME)
