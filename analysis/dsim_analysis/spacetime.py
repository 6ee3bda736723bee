"""Space-time (Lamport) diagram: one vertical line per node, time running down, each
message an arrow from its send to its delivery (a duplicated message's second copy is a
paler arrow). Drops are red crosses: at the sender when the network lost the message on
the way out, at the receiver when it was dropped on arrival. Crashes and pauses are bars on
the node's line, partitions and link windows bands across, protocol events dots,
violations red lines.

A long run would be an unreadable smear, so a view picks a time window and a few nodes:
by default about ``max_messages`` messages around the first violation (mostly before it),
else around the first fault (mostly after it), else from the start.

Message latency is often tiny next to the gaps between bursts (a 2 ms hop every 100 ms
draws as flat lines), so by default the vertical axis is compressed to event order: each
distinct event time gets one step, and the ticks say which simulated time that was. A
linear axis is one option away.
"""
from __future__ import annotations

import bisect
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matplotlib.lines import Line2D
from matplotlib.collections import LineCollection

from .faults import COLORS, FaultWindow, fault_windows
from .figures import new_figure, save_figure
from .messages import Flight, message_flights
from .trace_io import Run
from .units import format_ns

FILE_NAME = "spacetime.png"
MSG_PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
               "#7f7f7f", "#aec7e8", "#98df8a")
DROP_COLOR = "#d62728"
NEIGHBOURHOOD = 2000  # messages either side of the anchor that vote for the busiest nodes


@dataclass
class SpaceTimeView:
    start_ns: int
    end_ns: int
    nodes: list[str]
    flights: list[Flight]  # sent in [start_ns, end_ns] between two chosen nodes
    reason: str            # why this window: "first violation at 3.2s", "chosen window", ...
    total_in_window: int   # before the max_messages cap


def _anchor(run: Run, windows: list[FaultWindow], max_messages: int) -> tuple[int, int, str]:
    """(anchor_ns, how many of the messages to take from before it, reason)."""
    if run.violations:
        t = int(min(v.get("t_ns", 0) for v in run.violations))
        return t, max_messages * 3 // 4, f"first violation at {format_ns(t)}"
    if windows:
        t = windows[0].start_ns
        return t, max_messages // 4, f"first fault at {format_ns(t)}"
    return 0, 0, "start of run"


def _busiest_nodes(run: Run, flights: list[Flight], anchor_ns: int, max_nodes: int) -> list[str]:
    all_nodes = run.node_names or sorted({f.src for f in flights} | {f.dst for f in flights})
    if len(all_nodes) <= max_nodes:
        return all_nodes
    chosen = [n for v in run.violations[:1] for n in v.get("nodes", []) if n in all_nodes]
    i = bisect.bisect_left([f.send_ns for f in flights], anchor_ns)
    votes = Counter()
    for f in flights[max(0, i - NEIGHBOURHOOD): i + NEIGHBOURHOOD]:
        votes[f.src] += 1
        votes[f.dst] += 1
    for node, _ in votes.most_common():
        if len(chosen) >= max_nodes:
            break
        if node not in chosen:
            chosen.append(node)
    keep = set(chosen[:max_nodes])
    return [n for n in all_nodes if n in keep]


def choose_view(run: Run, start_ns: int | None = None, end_ns: int | None = None,
                nodes: list[str] | None = None, max_messages: int = 200,
                max_nodes: int = 10) -> SpaceTimeView | None:
    """Picks the window and nodes to draw; None when the trace has no messages. With
    neither ``start_ns`` nor ``end_ns`` the window is anchored as the module says."""
    flights = message_flights(run)
    if not flights:
        return None
    chosen = start_ns is not None or end_ns is not None
    if chosen:
        anchor, before, reason = start_ns or 0, 0, "chosen window"
    else:
        anchor, before, reason = _anchor(run, fault_windows(run.events, run.end_ns), max_messages)
    if nodes:
        unknown = sorted(set(nodes) - set(run.node_names)) if run.node_names else []
        if unknown:
            raise ValueError(f"no such node(s) in the trace: {', '.join(unknown)}")
    else:
        nodes = _busiest_nodes(run, flights, anchor, max_nodes)
    shown = set(nodes)
    between = [f for f in flights if f.src in shown and f.dst in shown]
    if chosen:
        lo, hi = start_ns or 0, end_ns if end_ns is not None else run.end_ns
        in_window = [f for f in between if lo <= f.send_ns <= hi]
        return SpaceTimeView(lo, hi, list(nodes), in_window[:max_messages], reason, len(in_window))
    return _anchored_view(between, list(nodes), anchor, before, max_messages, reason)


def _anchored_view(between: list[Flight], nodes: list[str], anchor: int, before: int,
                   max_messages: int, reason: str) -> SpaceTimeView:
    """``max_messages`` messages, ``before`` of them sent before the anchor; the window
    reaches on to where they arrive (by at most half its length)."""
    i = bisect.bisect_left([f.send_ns for f in between], anchor)
    first = max(0, min(i - before, len(between) - max_messages))
    picked = between[first: first + max_messages]
    if not picked:
        return SpaceTimeView(anchor, anchor, nodes, [], reason, 0)
    lo, hi = min(picked[0].send_ns, anchor), max(picked[-1].send_ns, anchor)
    arrivals = [t for f in picked for t in f.delivered_ns + [d for d, _ in f.arrival_drops]]
    hi = min(max([hi] + arrivals), hi + max((hi - lo) // 2, 1_000_000))
    return SpaceTimeView(lo, hi, nodes, picked, reason, len(picked))


class TimeScale:
    """Maps simulated ns to the vertical axis: linear (ms) or compressed to event order."""

    def __init__(self, view: SpaceTimeView, times_ns: list[int], mode: str = "auto"):
        if mode == "auto":
            latencies = [t - f.send_ns for f in view.flights for t in f.delivered_ns]
            span = max(1, view.end_ns - view.start_ns)
            typical = statistics.median(latencies) if latencies else span
            mode = "order" if typical * 50 < span else "linear"
        if mode not in ("order", "linear"):
            raise ValueError(f"time axis must be auto, order or linear, not {mode!r}")
        self.mode = mode
        self._times = sorted({view.start_ns, view.end_ns, *times_ns})

    def y(self, t_ns: int) -> float:
        if self.mode == "linear":
            return t_ns / 1e6
        if t_ns > self._times[-1]:  # beyond the view: off the bottom edge, clipped
            return len(self._times) + (t_ns - self._times[-1]) / 1e6
        return float(np.interp(t_ns, self._times, range(len(self._times))))

    def label(self) -> str:
        if self.mode == "linear":
            return "time (ms, simulated)"
        return "events in time order (ticks: simulated ms)"

    def apply_ticks(self, ax, count: int = 12) -> None:
        if self.mode == "linear":
            return
        picks = np.linspace(0, len(self._times) - 1, min(count, len(self._times))).round()
        picks = sorted({int(p) for p in picks})
        ax.set_yticks(picks, [f"{self._times[p] / 1e6:.3f}" for p in picks], fontsize=7)


def _event_times(run: Run, view: SpaceTimeView) -> list[int]:
    times = []
    for f in view.flights:
        times.append(f.send_ns)
        times.extend(f.delivered_ns)
        times.extend(t for t, _ in f.arrival_drops)
    for e in run.events:
        t = e.get("t_ns", -1)
        if e.get("ev") not in ("send", "deliver", "drop", "duplicate", "timer") and \
                view.start_ns <= t <= view.end_ns:
            times.append(t)
    return [t for t in times if view.start_ns <= t <= view.end_ns]


def _msg_colors(flights: list[Flight]) -> dict[str, str]:
    """The most common message types, coloured in name order (stable across pictures)."""
    common = sorted(m for m, _ in Counter(f.msg for f in flights).most_common(len(MSG_PALETTE)))
    return {m: MSG_PALETTE[i] for i, m in enumerate(common)}


class _Marks:
    """What the messages draw, gathered so each kind is one artist (fast for hundreds)."""

    def __init__(self):
        self.arrows: dict[tuple[str, bool], list] = {}  # (colour, later copy) -> [x, y, dx, dy]
        self.stubs: list = []                           # dotted lines to where a drop happened
        self.drops: dict[str, list] = {"send": [], "arrival": []}

    def add(self, f: Flight, x: dict[str, int], color: str, scale: TimeScale) -> None:
        xs, ys = x[f.src], scale.y(f.send_ns)
        if f.dropped_at_send is not None:
            self.stubs.append([(xs, ys), (xs + 0.12 * (x[f.dst] - xs), ys)])
            self.drops["send"].append((xs, ys))
            return
        for copy, t in enumerate(f.delivered_ns):
            xd, yd = x[f.dst], scale.y(t)
            self.arrows.setdefault((color, copy > 0), []).append((xs, ys, xd - xs, yd - ys))
        for t, _ in f.arrival_drops:
            self.stubs.append([(xs, ys), (x[f.dst], scale.y(t))])
            self.drops["arrival"].append((x[f.dst], scale.y(t)))

    def draw(self, ax) -> None:
        for (color, later_copy), arrows in self.arrows.items():
            x0, y0, dx, dy = zip(*arrows)
            ax.quiver(x0, y0, dx, dy, angles="xy", scale_units="xy", scale=1, color=color,
                      alpha=0.45 if later_copy else 0.9, width=0.0016, headwidth=5,
                      headlength=7, headaxislength=6, gid="msg-arrow")
        if self.stubs:
            ax.add_collection(LineCollection(self.stubs, colors=DROP_COLOR, linewidths=0.7,
                                             linestyles=":"))
        for where, label in (("send", "dropped when sent"), ("arrival", "dropped on arrival")):
            if self.drops[where]:
                xs, ys = zip(*self.drops[where])
                ax.scatter(xs, ys, marker="x", s=30, color=DROP_COLOR, zorder=3,
                           label=f"{label} ({len(xs)})", gid=f"drop-at-{where}")


def _draw_faults(ax, run: Run, view: SpaceTimeView, x: dict[str, int], scale: TimeScale) -> int:
    """Marks every fault window that overlaps the view; returns how many."""
    drawn = 0
    for w in fault_windows(run.events, run.end_ns):
        if w.end_ns < view.start_ns or w.start_ns > view.end_ns:
            continue
        if w.node is not None and w.node not in x:
            continue
        y0 = scale.y(max(w.start_ns, view.start_ns))
        y1 = scale.y(min(w.end_ns, view.end_ns))
        color = COLORS.get(w.kind, "grey")
        if w.kind in ("crash", "pause"):
            ax.add_line(Line2D([x[w.node]] * 2, [y0, y1], color=color, lw=7, alpha=0.35,
                               solid_capstyle="butt", gid=f"fault-{w.kind}"))
            ax.text(x[w.node], y0, f" {w.kind}", color=color, fontsize=7, va="top")
        elif w.node is not None:  # clock jump or drift: an instant on one node
            ax.add_line(Line2D([x[w.node]], [y0], marker=">", ms=8, color=color,
                               gid=f"fault-{w.kind}"))
            ax.text(x[w.node], y0, f"  {w.label}", color=color, fontsize=7, va="center")
        else:
            ax.axhspan(y0, y1, color=color, alpha=0.10, lw=0, gid=f"fault-{w.kind}")
            ax.text(-0.45, y0, w.label, color=color, fontsize=7, va="top", clip_on=True)
        drawn += 1
    return drawn


def _draw_proto_events(ax, run: Run, view: SpaceTimeView, x: dict[str, int],
                       scale: TimeScale) -> None:
    chosen = [e for e in run.proto_events()
              if e.get("node") in x and view.start_ns <= e.get("t_ns", -1) <= view.end_ns]
    if not chosen:
        return
    ys = [scale.y(e["t_ns"]) for e in chosen]
    ax.scatter([x[e["node"]] for e in chosen], ys, s=10, color="black", zorder=3,
               label=f"protocol event ({len(chosen)})", gid="proto-events")
    if len(chosen) <= 40:
        for e, y in zip(chosen, ys):
            ax.text(x[e["node"]], y, f" {e.get('name')}", fontsize=6, va="center")


def _draw_violations(ax, run: Run, view: SpaceTimeView, scale: TimeScale) -> None:
    for v in run.violations:
        if view.start_ns <= v.get("t_ns", -1) <= view.end_ns:
            y = scale.y(v["t_ns"])
            ax.axhline(y, color="#b00020", lw=1.5, gid="violation")
            ax.text(len(view.nodes) - 0.5, y, f"{v.get('check')} ", color="#b00020",
                    ha="right", va="bottom", fontsize=8)


def spacetime_figure(run: Run, view: SpaceTimeView, time_axis: str = "auto"):
    x = {n: i for i, n in enumerate(view.nodes)}
    scale = TimeScale(view, _event_times(run, view), time_axis)
    fig = new_figure(max(6.0, 1.2 * len(view.nodes) + 2.5), 9)
    ax = fig.add_subplot()
    top, bottom = scale.y(view.start_ns), scale.y(view.end_ns)
    ax.vlines(range(len(view.nodes)), top, bottom, color="#444444", lw=0.8, gid="node-line")
    colors = _msg_colors(view.flights)
    marks = _Marks()
    for f in view.flights:
        marks.add(f, x, colors.get(f.msg, "#555555"), scale)
    marks.draw(ax)
    _draw_faults(ax, run, view, x, scale)
    _draw_proto_events(ax, run, view, x, scale)
    _draw_violations(ax, run, view, scale)
    handles = [Line2D([], [], color=c, label=m) for m, c in colors.items()]
    handles += ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    ax.set_xlim(-0.5, len(view.nodes) - 0.5)
    ax.set_ylim(bottom, top)
    ax.set_xticks(range(len(view.nodes)), view.nodes)
    ax.xaxis.tick_top()
    ax.set_ylabel(scale.label())
    scale.apply_ticks(ax)
    capped = f" (first {len(view.flights)} of {view.total_in_window})" \
        if view.total_in_window > len(view.flights) else ""
    fig.suptitle(f"{run.name}: {len(view.flights)} messages{capped} between "
                 f"{len(view.nodes)} of {len(run.node_names) or len(view.nodes)} nodes, "
                 f"{format_ns(view.start_ns)}–{format_ns(view.end_ns)} ({view.reason})",
                 fontsize=10)
    return fig


def render_spacetime(run: Run, out_dir: Path, file_name: str = FILE_NAME,
                     time_axis: str = "auto", **view_options) -> Path | None:
    """Writes the diagram; ``view_options`` go to ``choose_view``."""
    view = choose_view(run, **view_options)
    if view is None or not view.flights:
        return None
    return save_figure(spacetime_figure(run, view, time_axis), Path(out_dir) / file_name)
