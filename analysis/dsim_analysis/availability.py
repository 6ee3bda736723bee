"""Availability over time, in the manner of Jepsen's rate and latency graphs.

Top: client operations completed per second in each time window, one line per outcome
(ok, fail, unknown). Bottom: every completed operation's latency against the time it was
invoked, coloured by outcome, one marker per operation kind; operations that never
completed (the client crashed, or the run ended first) are grey crosses along the top edge
at their invocation time. Both panels shade every fault window (drawn and named in lanes
above) and mark violations. Reads
only the common ``op`` events (ops.py); returns None without them.
"""
from __future__ import annotations

from pathlib import Path

from .faults import draw_fault_lanes, fault_windows, lanes_height_in, mark_violations, shade_faults
from .figures import new_figure, save_figure
from .ops import OUTCOME_COLORS, OUTCOMES, ClientOp, client_ops, op_rates
from .trace_io import NS_PER_S, Run
from .units import format_ns, nice_window_ns

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
FILE_NAME = "availability.png"


def availability_figure(run: Run, ops: list[ClientOp] | None = None,
                        window_ns: int | None = None, title: str | None = None):
    """The figure, or None when the run has no client operations."""
    ops = client_ops(run) if ops is None else ops
    if not ops:
        return None
    end_ns = max(run.end_ns, max(op.end_ns or op.start_ns for op in ops))
    never = [op for op in ops if not op.completed]
    ops = [op for op in ops if op.completed]
    window_ns = window_ns or nice_window_ns(end_ns, buckets=100)
    windows = fault_windows(run.events, end_ns)

    lanes_in = lanes_height_in(windows)
    fig = new_figure(11, 7 + lanes_in)
    grid = fig.add_gridspec(3, 1, height_ratios=(max(lanes_in, 0.01), 2.8, 3.6))
    rate_ax = fig.add_subplot(grid[1])
    latency_ax = fig.add_subplot(grid[2], sharex=rate_ax)
    lanes_ax = fig.add_subplot(grid[0], sharex=rate_ax)  # fig.axes: rate, latency, lanes
    rates = op_rates(ops, end_ns, window_ns)
    xs = [s / NS_PER_S for s in rates.starts_ns]
    for outcome in OUTCOMES:
        rate_ax.step(xs, rates.per_second(outcome), where="post", color=OUTCOME_COLORS[outcome],
                     label=f"{outcome} ({sum(rates.counts[outcome])})", gid=f"rate-{outcome}")
    rate_ax.set_ylabel(f"ops/s (per {format_ns(window_ns)} window)")
    rate_ax.legend(loc="upper right", fontsize=8)
    shade_faults(rate_ax, windows, label=False)  # named in the lanes above, never stacked
    mark_violations(rate_ax, run.violations)
    rate_ax.tick_params(labelbottom=False)

    kinds = sorted({op.kind for op in ops})
    for k, kind in enumerate(kinds):
        for outcome in OUTCOMES:
            chosen = [op for op in ops if op.kind == kind and op.outcome == outcome]
            if not chosen:
                continue
            latency_ax.scatter([op.start_ns / NS_PER_S for op in chosen],
                               [max(op.latency_ns, 1) / 1e6 for op in chosen],
                               s=8, marker=MARKERS[k % len(MARKERS)],
                               color=OUTCOME_COLORS[outcome], alpha=0.6, linewidths=0,
                               label=f"{kind} {outcome}", gid=f"latency-{kind}-{outcome}")
    if never:
        latency_ax.scatter([op.start_ns / NS_PER_S for op in never], [1.0] * len(never),
                           transform=latency_ax.get_xaxis_transform(), s=14, marker="x",
                           color="#7f7f7f", linewidths=0.8, clip_on=False,
                           label=f"never completed ({len(never)})", gid="latency-never")
    latency_ax.set_yscale("log")
    latency_ax.set_ylabel("latency (ms, log)")
    latency_ax.set_xlabel("invocation time (s, simulated)")
    latency_ax.legend(loc="upper right", fontsize=7, ncol=max(1, len(kinds)))
    shade_faults(latency_ax, windows, label=False)
    mark_violations(latency_ax, run.violations)
    latency_ax.set_xlim(0, end_ns / NS_PER_S)
    draw_fault_lanes(lanes_ax, windows)
    lanes_ax.tick_params(labelbottom=False)
    fig.suptitle(title or f"{run.name}: client operations and latency")
    return fig


def render_availability(run: Run, out_dir: Path, ops: list[ClientOp] | None = None,
                        file_name: str = FILE_NAME) -> Path | None:
    fig = availability_figure(run, ops)
    return None if fig is None else save_figure(fig, Path(out_dir) / file_name)
