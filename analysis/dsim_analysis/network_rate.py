"""Network traffic over time: messages sent, delivered, duplicated and dropped (by reason)
per time window, with the fault windows shaded and drawn in lanes above (one per node and
kind, or per kind for partitions and link windows). Every traced run has this picture; it shows
what a partition or a crash does to the traffic even when a protocol logs no operations.
"""
from __future__ import annotations

from pathlib import Path

from .faults import draw_fault_lanes, fault_windows, lanes_height_in, mark_violations, shade_faults
from .figures import new_figure, save_figure
from .trace_io import NS_PER_S, Run
from .units import format_ns, nice_window_ns

FILE_NAME = "network.png"
SERIES_COLORS = {
    "sent": "#1f77b4",
    "delivered": "#2ca02c",
    "duplicated": "#9467bd",
    "dropped loss": "#7f7f7f",
    "dropped partition": "#d62728",
    "dropped node_down": "#ff7f0e",
}


def network_counts(run: Run, window_ns: int) -> tuple[list[int], dict[str, list[int]]]:
    """Per window: the window starts and, per series, how many messages."""
    buckets = max(1, -(-max(run.end_ns, 1) // window_ns))
    counts: dict[str, list[int]] = {}
    for e in run.events:
        ev = e.get("ev")
        if ev == "send":
            series = "sent"
        elif ev == "deliver":
            series = "delivered"
        elif ev == "duplicate":
            series = "duplicated"
        elif ev == "drop":
            series = f"dropped {e.get('reason', 'other')}"
        else:
            continue
        i = min(buckets - 1, int(e.get("t_ns", 0)) // window_ns)
        counts.setdefault(series, [0] * buckets)[i] += 1
    return [i * window_ns for i in range(buckets)], counts


def network_figure(run: Run, window_ns: int | None = None):
    """The figure, or None when the trace holds no network events."""
    window_ns = window_ns or nice_window_ns(run.end_ns, buckets=120)
    starts, counts = network_counts(run, window_ns)
    if not counts:
        return None
    windows = fault_windows(run.events, run.end_ns)
    lanes_in = lanes_height_in(windows)
    fig = new_figure(11, 4.5 + lanes_in)
    grid = fig.add_gridspec(2, 1, height_ratios=(max(lanes_in, 0.01), 4.0))
    ax = fig.add_subplot(grid[1])
    lanes_ax = fig.add_subplot(grid[0], sharex=ax)  # after ax: fig.axes[0] stays the traffic
    xs = [s / NS_PER_S for s in starts]
    order = [s for s in SERIES_COLORS if s in counts] + sorted(set(counts) - set(SERIES_COLORS))
    for series in order:
        ax.step(xs, counts[series], where="post", color=SERIES_COLORS.get(series, "black"),
                lw=1.2, label=f"{series} ({sum(counts[series])})", gid=f"net-{series}")
    ax.set_yscale("symlog", linthresh=10)
    ax.set_ylabel(f"messages per {format_ns(window_ns)}")
    ax.set_xlabel("time (s, simulated)")
    ax.set_xlim(0, run.end_ns / NS_PER_S)
    ax.legend(loc="lower right", fontsize=7, ncol=3)
    shade_faults(ax, windows, label=False)  # named in the lanes above, never stacked
    mark_violations(ax, run.violations)
    draw_fault_lanes(lanes_ax, windows)
    lanes_ax.tick_params(labelbottom=False)
    fig.suptitle(f"{run.name}: network traffic")
    return fig


def render_network(run: Run, out_dir: Path) -> Path | None:
    fig = network_figure(run)
    return None if fig is None else save_figure(fig, Path(out_dir) / FILE_NAME)
