"""Lock timeline: per client, when it believed it held the lock, when the lock servers
held it for the client, the writes the resource accepted and rejected, and the fault
windows shaded behind — everything read from a ``locks`` trace.

``lock_timeline(run)`` extracts the data (pure, testable), ``lock_timeline_figure`` draws
it; ``plots_for_run(run, out_dir)`` writes it and returns the PNG paths (empty for runs of
other protocols).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dsim_analysis.faults import draw_fault_lanes, fault_windows, lanes_height_in, shade_faults
from dsim_analysis.figures import bar_label, new_figure, save_figure
from dsim_analysis.trace_io import NS_PER_S, Run

BELIEF_COLOR = "#1f77b4"
SERVER_COLORS = ["#2ca02c", "#17becf", "#8c564b", "#bcbd22", "#e377c2", "#7f7f7f"]
ACCEPTED_COLOR = "#2ca02c"
REJECTED_COLOR = "#d62728"
VIOLATION_COLOR = "#d62728"


@dataclass
class Interval:
    start_ns: int
    end_ns: int
    owner: str
    label: str = ""        # token, end reason
    open: bool = False     # still going when the trace ended


@dataclass
class ClientTimeline:
    name: str
    beliefs: list[Interval] = field(default_factory=list)
    server_holds: dict[str, list[Interval]] = field(default_factory=dict)  # by lock server
    writes_accepted: list[int] = field(default_factory=list)
    writes_rejected: list[int] = field(default_factory=list)
    lost: list[tuple[int, str]] = field(default_factory=list)  # (t_ns, reason)


@dataclass
class LockTimeline:
    clients: list[ClientTimeline]
    servers: list[str]
    end_ns: int
    violations: list[dict]


def _end_ns(run: Run) -> int:
    if run.end and "t_ns" in run.end:
        return int(run.end["t_ns"])
    if run.events:
        return int(run.events[-1].get("t_ns", 0))
    return run.duration_ns


def _client_of(owner: str) -> str:
    return owner.split("/", 1)[0]


def lock_timeline(run: Run) -> LockTimeline:
    nodes = run.header.get("nodes", [])
    client_names = [n["name"] for n in nodes if n.get("role") == "client"]
    servers = [n["name"] for n in nodes if n.get("role") == "lock"]
    end_ns = _end_ns(run)
    clients = {name: ClientTimeline(name) for name in client_names}
    believing: dict[str, tuple[int, str, str]] = {}        # client -> (since, owner, token)
    holding: dict[tuple[str, str], tuple[int, str]] = {}   # (server, owner) -> (since, token)
    violations = []

    def end_belief(client: str, t: int, reason: str) -> None:
        if client in believing:
            since, owner, token = believing.pop(client)
            clients[client].beliefs.append(Interval(since, t, owner, f"{token} {reason}".strip()))

    def end_hold(server: str, owner: str, t: int) -> None:
        key = (server, owner)
        if key in holding:
            since, token = holding.pop(key)
            client = _client_of(owner)
            if client in clients:
                clients[client].server_holds.setdefault(server, []).append(Interval(since, t, owner, token))

    for e in run.events:
        ev, t, node = e.get("ev"), int(e.get("t_ns", 0)), e.get("node")
        data = e.get("data", {})
        if ev == "violation":
            violations.append(e)
        elif ev == "crash":
            if node in clients:
                end_belief(node, t, "crashed")
        elif ev == "proto":
            name = e.get("name")
            if node in clients:
                if name == "acquired":
                    token = f"#{data['token']}" if "token" in data else ""
                    believing[node] = (t, data["owner"], token)
                elif name == "released":
                    end_belief(node, t, "")
                elif name == "lost":
                    end_belief(node, t, data.get("reason", "lost"))
                    clients[node].lost.append((t, data.get("reason", "lost")))
            elif node in servers:
                if name == "grant" and (node, data["owner"]) not in holding:
                    token = f"#{data['token']}" if "token" in data else ""
                    holding[(node, data["owner"])] = (t, token)
                elif name == "freed":
                    end_hold(node, data["owner"], t)
            elif name in ("write_accepted", "write_rejected"):
                client = data.get("client") or _client_of(data.get("owner", ""))
                if client in clients:
                    target = clients[client].writes_accepted if name == "write_accepted" else clients[client].writes_rejected
                    target.append(t)
    for client, (since, owner, token) in list(believing.items()):
        clients[client].beliefs.append(Interval(since, end_ns, owner, token, open=True))
    for (server, owner), (since, token) in list(holding.items()):
        client = _client_of(owner)
        if client in clients:
            clients[client].server_holds.setdefault(server, []).append(Interval(since, end_ns, owner, token, open=True))
    return LockTimeline([clients[n] for n in client_names], servers, end_ns, violations)


def lock_timeline_figure(timeline: LockTimeline, run: Run):
    """The figure: fault lanes on top, then a row per client. Labels (tokens, orphans, the
    violation) are left out rather than printed over each other (figures.tidy_labels, at
    save); a violation is marked on each client it names with a red triangle and a band at
    least a few pixels wide, so an overlap that lasted no time at all still shows."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    s = NS_PER_S
    rows = len(timeline.clients)
    windows = fault_windows(run.events, timeline.end_ns)
    lanes_in = lanes_height_in(windows)
    fig = new_figure(12, 1.9 + 0.75 * max(rows, 1) + lanes_in)
    grid = fig.add_gridspec(2, 1, height_ratios=(max(lanes_in, 0.01), 0.75 * max(rows, 1) + 0.6))
    ax = fig.add_subplot(grid[1])
    lanes_ax = fig.add_subplot(grid[0], sharex=ax)
    shade_faults(ax, windows, label=False)  # named in the lanes above
    n_servers = max(len(timeline.servers), 1)
    believed = {b.owner for c in timeline.clients for b in c.beliefs}
    end_s = timeline.end_ns / s
    for i, c in enumerate(timeline.clients):
        y = rows - 1 - i
        for b in c.beliefs:
            ax.broken_barh([(b.start_ns / s, (b.end_ns - b.start_ns) / s)], (y + 0.05, 0.35),
                           color=BELIEF_COLOR, alpha=0.85, gid="belief")
            if b.label:  # near the end of the axis, written leftwards so it is never cut
                right = b.start_ns / s > 0.85 * end_s
                bar_label(ax, b.start_ns / s, y + 0.43, b.label, fontsize=7, va="bottom",
                          ha="right" if right else "left", clip_on=True)
        lane = 0.35 / n_servers
        for k, server in enumerate(timeline.servers):
            for h in c.server_holds.get(server, []):
                ax.broken_barh([(h.start_ns / s, (h.end_ns - h.start_ns) / s)],
                               (y - 0.05 - (k + 1) * lane, lane * 0.9),
                               color=SERVER_COLORS[k % len(SERVER_COLORS)], alpha=0.7)
                if h.owner not in believed:  # held for an owner nobody believed in: a lost reply
                    bar_label(ax, h.start_ns / s, y - 0.42, "orphan", fontsize=7, va="top",
                              color="#555555", clip_on=True)
        if c.writes_accepted:
            ax.plot([t / s for t in c.writes_accepted], [y + 0.225] * len(c.writes_accepted), "o",
                    color=ACCEPTED_COLOR, markersize=4, markeredgecolor="black", markeredgewidth=0.4)
        if c.writes_rejected:
            ax.plot([t / s for t in c.writes_rejected], [y + 0.225] * len(c.writes_rejected), "x",
                    color=REJECTED_COLOR, markersize=8, markeredgewidth=2)
    row_of = {c.name: rows - 1 - i for i, c in enumerate(timeline.clients)}
    min_band = end_s * 0.004  # about 5 pixels: a zero-width overlap is still a visible band
    for v in timeline.violations:
        x = int(v.get("t_ns", 0)) / s
        ax.axvline(x, color=VIOLATION_COLOR, lw=1.5, gid="violation")
        ax.axvspan(x - min_band, x + min_band, color=VIOLATION_COLOR, alpha=0.25, lw=0,
                   gid="violation-band")
        named = [row_of[n] for n in v.get("nodes", []) if n in row_of]
        ax.plot([x] * len(named), [y + 0.225 for y in named], marker="v", ls="", markersize=10,
                color=VIOLATION_COLOR, markeredgecolor="black", markeredgewidth=0.6,
                gid="violation-marker", clip_on=False)
        near_end = x > 0.7 * end_s
        bar_label(ax, x, -0.6, f" {v.get('check')}: {', '.join(v.get('nodes', []))} ",
                  gid="violation-label", color=VIOLATION_COLOR, fontsize=8, va="top",
                  ha="right" if near_end else "left", clip_on=True)
    ax.set_yticks([rows - 1 - i for i in range(rows)], [c.name for c in timeline.clients])
    ax.set_ylim(-0.9, rows)
    ax.set_xlim(0, end_s)
    ax.set_xlabel("simulated time (s)")
    draw_fault_lanes(lanes_ax, windows)
    lanes_ax.tick_params(labelbottom=False)
    h = run.header
    fig.suptitle(f"{h.get('scenario', '')} — {h.get('variant', '')}, seed {h.get('seed', '')}"
                 f"{' — ' + run.end.get('verdict', '') if run.end else ''}", fontsize=10)
    if len(timeline.servers) > 1:
        held = [Patch(color=SERVER_COLORS[k % len(SERVER_COLORS)], alpha=0.7, label=f"held by {server}")
                for k, server in enumerate(timeline.servers)]
    else:
        held = [Patch(color=SERVER_COLORS[0], alpha=0.7, label="held for it by the lock server")]
    handles = [Patch(color=BELIEF_COLOR, label="client believes it holds the lock"), *held,
               Line2D([], [], marker="o", ls="", color=ACCEPTED_COLOR, markeredgecolor="black",
                      label="write accepted"),
               Line2D([], [], marker="x", ls="", color=REJECTED_COLOR, markeredgewidth=2,
                      label="write rejected")]
    if timeline.violations:
        handles.append(Line2D([], [], marker="v", ls="", color=VIOLATION_COLOR,
                              markeredgecolor="black", label="violation (on the clients it names)"))
    below_xlabel = -0.55 / (0.75 * max(rows, 1) + 0.6)  # about half an inch under the axis
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, below_xlabel), ncol=5,
              fontsize=8, frameon=False)
    return fig


def plots_for_run(run: Run, out_dir: Path) -> list[Path]:
    """Draws the lock timeline of a ``locks`` run into ``out_dir``; [] for other runs."""
    if run.protocol != "locks":
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    scenario = str(run.header.get("scenario", "locks")).replace("/", "_")
    path = out_dir / f"{scenario}-seed{run.header.get('seed', 0)}-lock-timeline.png"
    return [save_figure(lock_timeline_figure(lock_timeline(run), run), path)]
