"""The primary-backup register's picture for dsim-report: the version each read returned,
against the newest version acknowledged to a client before the read began, over time. A
read below the line is a stale read (what the check no_stale_read reports).

dsim-report finds this module when its folder is named in DSIM_PLOT_PLUGINS:

    DSIM_PLOT_PLUGINS=path/to/primary_backup dsim-report out/
"""
from __future__ import annotations

from pathlib import Path

from dsim_analysis.faults import fault_windows, shade_faults
from dsim_analysis.figures import count_axis, new_figure, save_figure
from dsim_analysis.trace_io import NS_PER_S, Run


def read_versions(run: Run) -> tuple[list[tuple[float, int, int]], list[tuple[float, int]]]:
    """(reads, acks): each read as (seconds it returned, version it saw, newest version
    acknowledged before it started); each acknowledgement as (seconds, version)."""
    started_ack: dict[int, int] = {}
    newest_ack = 0
    reads, acks = [], []
    for e in run.proto_events():
        data = e.get("data", {})
        if e["name"] == "write_acked":
            newest_ack = max(newest_ack, data["version"])
            acks.append((e["t_ns"] / NS_PER_S, newest_ack))
        elif e["name"] == "read_started":
            started_ack[data["op"]] = newest_ack
        elif e["name"] == "read_returned" and data["op"] in started_ack:
            reads.append((e["t_ns"] / NS_PER_S, data["version"], started_ack.pop(data["op"])))
    return reads, acks


def plots_for_run(run: Run, out_dir: Path) -> list[Path]:
    if run.protocol != "primary_backup":
        return []
    reads, acks = read_versions(run)
    fig = new_figure(8, 3.5)
    ax = fig.add_subplot()
    shade_faults(ax, fault_windows(run.events, run.end_ns))
    if acks:
        ax.step([t for t, _ in acks], [v for _, v in acks], where="post", color="0.4",
                label="newest version acknowledged")
    fresh = [(t, v) for t, v, floor in reads if v >= floor]
    stale = [(t, v) for t, v, floor in reads if v < floor]
    ax.plot([t for t, _ in fresh], [v for _, v in fresh], ".", color="tab:blue", label="read")
    ax.plot([t for t, _ in stale], [v for _, v in stale], "x", color="tab:red",
            label=f"stale read ({len(stale)})")
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("version")
    count_axis(ax.yaxis)
    ax.legend(loc="upper left", fontsize="small")
    ax.set_title(f"{run.name}: versions read")
    return [save_figure(fig, Path(out_dir) / "primary_backup_reads.png")]
