"""Fault windows from a trace, and shading them on a time axis.

A window is (start_ns, end_ns, label). Crash/restart, pause/resume, partition/heal,
link windows, stalls (stall/stall_end) and disk faults (disk_fault_start/_end) pair up; a fault still open at the end of the trace runs to the end; clock
jumps and drift changes are instants (start == end). A crash ends a pause on the same node
(the simulator forgets the pause without logging a resume).

Every artist ``shade_faults`` draws carries a gid (``fault-span`` or ``fault-instant``) so
tests and callers can count what was shaded; ``draw_fault_lanes`` draws one bar per window
in lanes (``fault-lane``), the legible form when there are many (the random nemesis).
"""
from __future__ import annotations

from dataclasses import dataclass

COLORS = {
    "crash": "#d62728",
    "pause": "#ff7f0e",
    "partition": "#9467bd",
    "link": "#8c564b",
    "clock": "#17becf",
    "stall": "#bcbd22",
    "disk": "#7f7f7f",
}


@dataclass(frozen=True)
class FaultWindow:
    start_ns: int
    end_ns: int
    kind: str    # crash, pause, partition, link, clock, stall, disk
    label: str   # e.g. "crash n3", "partition [n0,n1] | rest"
    node: str | None = None


def _partition_label(data: dict) -> str:
    if "groups" in data:
        return "partition " + " | ".join(",".join(g) for g in data["groups"]) + " | rest"
    if data.get("action") == "isolate":
        node = data.get("node")
        return f"isolate {node if isinstance(node, str) else ','.join(node)}"
    if "from" in data:
        return f"one-way {','.join(data['from'])} -/-> {','.join(data['to'])}"
    return "partition"


def fault_windows(events: list[dict], end_ns: int) -> list[FaultWindow]:
    open_crash: dict[str, int] = {}
    open_pause: dict[str, int] = {}
    open_cut: dict[int, tuple[int, str]] = {}
    open_link: dict[int, tuple[int, str]] = {}
    open_stall: dict[int, tuple[int, str, str]] = {}
    open_disk: dict[int, tuple[int, str, str]] = {}
    out: list[FaultWindow] = []
    for e in events:
        ev, t = e.get("ev"), e.get("t_ns", 0)
        node = e.get("node")
        data = e.get("data", {})
        if ev == "crash":
            open_crash[node] = t
            if node in open_pause:
                out.append(FaultWindow(open_pause.pop(node), t, "pause", f"pause {node}", node))
        elif ev == "restart" and node in open_crash:
            out.append(FaultWindow(open_crash.pop(node), t, "crash", f"crash {node}", node))
        elif ev == "pause":
            open_pause[node] = t
        elif ev == "resume" and node in open_pause:
            out.append(FaultWindow(open_pause.pop(node), t, "pause", f"pause {node}", node))
        elif ev == "partition":
            open_cut[data["cut"]] = (t, _partition_label(data))
        elif ev == "heal":
            ids = [data["cut"]] if "cut" in data else list(open_cut)
            for cut in ids:
                if cut in open_cut:
                    start, label = open_cut.pop(cut)
                    out.append(FaultWindow(start, t, "partition", label))
        elif ev == "link_window_start":
            label = f"{data.get('action', 'link')} {','.join(data.get('from', []))}->{','.join(data.get('to', []))}"
            open_link[data["window"]] = (t, label)
        elif ev == "link_window_end" and data.get("window") in open_link:
            start, label = open_link.pop(data["window"])
            out.append(FaultWindow(start, t, "link", label))
        elif ev == "stall":
            held = ",".join(data.get("timers", []) + data.get("messages", []))
            open_stall[data["stall"]] = (t, f"stall {node} {held}", node)
        elif ev == "stall_end" and data.get("stall") in open_stall:
            start, label, n = open_stall.pop(data["stall"])
            out.append(FaultWindow(start, t, "stall", label, n))
        elif ev == "disk_fault_start":
            what = data.get("action", "disk")
            if what == "disk_fail":
                what += f" {data.get('mode', 'fail')} {','.join(data.get('ops', []))}"
            open_disk[data["window"]] = (t, f"{what} {node}", node)
        elif ev == "disk_fault_end" and data.get("window") in open_disk:
            start, label, n = open_disk.pop(data["window"])
            out.append(FaultWindow(start, t, "disk", label, n))
        elif ev in ("clock_jump", "clock_drift"):
            what = f"jump {data.get('by_ns', 0) / 1e6:+.0f}ms" if ev == "clock_jump" else f"drift {data.get('drift_ppm')}ppm"
            out.append(FaultWindow(t, t, "clock", f"{node} {what}", node))
    for node, start in open_crash.items():
        out.append(FaultWindow(start, end_ns, "crash", f"crash {node}", node))
    for node, start in open_pause.items():
        out.append(FaultWindow(start, end_ns, "pause", f"pause {node}", node))
    for start, label in open_cut.values():
        out.append(FaultWindow(start, end_ns, "partition", label))
    for start, label in open_link.values():
        out.append(FaultWindow(start, end_ns, "link", label))
    for kind, still_open in (("stall", open_stall), ("disk", open_disk)):
        for start, label, n in still_open.values():
            out.append(FaultWindow(start, end_ns, kind, label, n))
    out.sort(key=lambda w: (w.start_ns, w.end_ns, w.label))
    return out


def shade_faults(ax, windows: list[FaultWindow], scale_ns: float = 1e9, label: bool = True) -> int:
    """Shades each window on ``ax`` (x in units of ``scale_ns``); returns how many it drew.

    With ``label``, each window is named at its start along the top of the axes, in up to
    five rows; a name that would overlap another is left out when the figure is saved
    (figures.tidy_labels; the shading stays). Pictures with many faults (the random
    nemesis) draw ``draw_fault_lanes`` beside instead and shade with ``label=False``."""
    from .figures import bar_label
    for i, w in enumerate(windows):
        color = COLORS.get(w.kind, "grey")
        x0, x1 = w.start_ns / scale_ns, w.end_ns / scale_ns
        if w.end_ns > w.start_ns:
            ax.axvspan(x0, x1, color=color, alpha=0.15, lw=0, gid="fault-span")
        else:
            ax.axvline(x0, color=color, alpha=0.7, lw=1, ls="--", gid="fault-instant")
        if label:
            bar_label(ax, x0, 1.0 - 0.06 * (i % 5), w.label, gid="fault-label",
                      transform=ax.get_xaxis_transform(), fontsize=7, color=color,
                      va="top", ha="left", clip_on=True)
    return len(windows)


LANE_KINDS = ("crash", "pause", "stall", "disk", "clock", "partition", "link")
LANE_NAMES = {"partition": "partitions", "link": "link windows"}


def fault_lanes(windows: list[FaultWindow]) -> list[tuple[str, list[FaultWindow]]]:
    """Rows for a lanes panel: one per node and kind for crashes, pauses, stalls, disk
    faults and clock changes ("crash n3"), then partitions and link windows by kind, a window that overlaps another
    of its kind going to the next free row. Each window lands in exactly one row."""
    rows: list[tuple[str, list[FaultWindow]]] = []
    for kind in LANE_KINDS:
        chosen = [w for w in windows if w.kind == kind]
        if not chosen:
            continue
        if kind in ("crash", "pause", "clock", "stall", "disk"):
            for node in sorted({w.node or "" for w in chosen}):
                rows.append((f"{kind} {node}".strip(), [w for w in chosen if (w.node or "") == node]))
            continue
        kind_rows: list[list[FaultWindow]] = []
        for w in sorted(chosen, key=lambda w: (w.start_ns, w.end_ns)):
            free = next((r for r in kind_rows if r[-1].end_ns <= w.start_ns), None)
            if free is None:
                kind_rows.append([w])
            else:
                free.append(w)
        name = LANE_NAMES.get(kind, kind)
        rows += [(name if k == 0 else "", r) for k, r in enumerate(kind_rows)]
    return rows


def draw_fault_lanes(ax, windows: list[FaultWindow], scale_ns: float = 1e9) -> int:
    """Draws every fault window as a bar in its lane (``fault_lanes``), named on the y
    axis; partitions and link windows say which in the bar when the text fits. Returns the
    number of lanes (0 draws nothing and hides the axes)."""
    from .figures import bar_label
    rows = fault_lanes(windows)
    if not rows:
        ax.set_visible(False)
        return 0
    for y, (_, lane) in enumerate(rows):
        for w in lane:
            color = COLORS.get(w.kind, "grey")
            x0, x1 = w.start_ns / scale_ns, w.end_ns / scale_ns
            if w.end_ns > w.start_ns:
                ax.broken_barh([(x0, x1 - x0)], (y - 0.38, 0.76), color=color, alpha=0.55,
                               lw=0, gid="fault-lane")
            else:  # a clock change: a tick, and what changed beside it ("jump +3000ms")
                ax.plot([x0], [y], marker="|", markersize=9, mew=2, color=color, gid="fault-lane")
                what = w.label[len(w.node) + 1:] if w.node and w.label.startswith(w.node) else w.label
                bar_label(ax, x0, y, f"  {what}", gid="fault-lane-label", fontsize=6.5,
                          va="center", ha="left", clip_on=True, color="black")
            if w.kind in ("partition", "link") and w.end_ns > w.start_ns:
                # Named in the bar; tidy_labels drops a name longer than its bar.
                bar_label(ax, x0, y, " " + w.label, x_end=x1, gid="fault-lane-label",
                          fontsize=6.5, va="center", ha="left", clip_on=True, color="black")
    ax.set_yticks(range(len(rows)), [name for name, _ in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#eeeeee", lw=0.5)
    ax.set_axisbelow(True)  # the grid behind the bars, not across them
    return len(rows)


def lanes_height_in(windows: list[FaultWindow]) -> float:
    """How tall a lanes panel for these windows should be, in inches (0 without faults)."""
    rows = len(fault_lanes(windows))
    return 0.0 if rows == 0 else 0.35 + 0.17 * rows


def count_shaded(ax) -> int:
    """How many fault windows ``shade_faults`` drew on ``ax`` (spans plus instants)."""
    artists = list(ax.patches) + list(ax.lines)
    return sum(1 for a in artists if a.get_gid() in ("fault-span", "fault-instant"))


def mark_violations(ax, violations: list[dict], scale_ns: float = 1e9) -> int:
    """Draws a red line at each violation's time (``t_ns``); each check is named once, at
    its first violation (a check that fails 38 times is one label, not 38)."""
    named = set()
    for v in violations:
        x = v.get("t_ns", 0) / scale_ns
        ax.axvline(x, color="#b00020", lw=1.5, ls=":", gid="violation")
        check = v.get("check", "violation")
        if check in named:
            continue
        named.add(check)
        count = sum(1 for u in violations if u.get("check", "violation") == check)
        # Written down from the top, on the left side of its line: a run stopped by its
        # violation has the line at the axis's right edge, where text to the right would be
        # clipped away.
        t = ax.text(x, 0.98, f"{check}" + (f" ({count})" if count > 1 else "") + " ",
                    transform=ax.get_xaxis_transform(), fontsize=7, color="#b00020",
                    va="bottom", ha="right", rotation=90, rotation_mode="anchor",
                    clip_on=True, gid="violation-label")
        t.set_in_layout(False)
    return len(violations)
