"""Lock timeline: per client, when it believed it held the lock, when the lock servers
held it for the client, the writes the resource accepted and rejected, and the fault
windows shaded behind — everything read from a ``locks`` trace.

``lock_timeline(run)`` extracts the data (pure, testable); ``plots_for_run(run, out_dir)``
draws it and returns the PNG paths (empty for runs of other protocols).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .faults import fault_windows, shade_faults
from .trace_io import NS_PER_S, Run

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


def _draw(timeline: LockTimeline, run: Run, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    s = NS_PER_S
    rows = len(timeline.clients)
    height_in = 1.6 + 0.7 * max(rows, 1)
    fig, ax = plt.subplots(figsize=(12, height_in))
    shade_faults(ax, fault_windows(run.events, timeline.end_ns))
    n_servers = max(len(timeline.servers), 1)
    believed = {b.owner for c in timeline.clients for b in c.beliefs}
    for i, c in enumerate(timeline.clients):
        y = rows - 1 - i
        for b in c.beliefs:
            ax.broken_barh([(b.start_ns / s, (b.end_ns - b.start_ns) / s)], (y + 0.05, 0.35),
                           color=BELIEF_COLOR, alpha=0.85)
            if b.label:
                ax.text(b.start_ns / s, y + 0.43, b.label, fontsize=7, va="bottom")
        lane = 0.35 / n_servers
        for k, server in enumerate(timeline.servers):
            for h in c.server_holds.get(server, []):
                ax.broken_barh([(h.start_ns / s, (h.end_ns - h.start_ns) / s)],
                               (y - 0.05 - (k + 1) * lane, lane * 0.9),
                               color=SERVER_COLORS[k % len(SERVER_COLORS)], alpha=0.7)
                if h.owner not in believed:  # held for an owner nobody believed in: a lost reply
                    ax.text(h.start_ns / s, y - 0.42, "orphan", fontsize=7, va="top", color="#555555")
        if c.writes_accepted:
            ax.plot([t / s for t in c.writes_accepted], [y + 0.225] * len(c.writes_accepted), "o",
                    color=ACCEPTED_COLOR, markersize=4, markeredgecolor="black", markeredgewidth=0.4)
        if c.writes_rejected:
            ax.plot([t / s for t in c.writes_rejected], [y + 0.225] * len(c.writes_rejected), "x",
                    color=REJECTED_COLOR, markersize=8, markeredgewidth=2)
    for v in timeline.violations:
        x = int(v.get("t_ns", 0)) / s
        ax.axvline(x, color=VIOLATION_COLOR, lw=1.5)
        near_end = x > 0.7 * timeline.end_ns / s
        ax.text(x, -0.6, f" {v.get('check')}: {', '.join(v.get('nodes', []))} ", color=VIOLATION_COLOR,
                fontsize=8, va="top", ha="right" if near_end else "left")
    ax.set_yticks([rows - 1 - i for i in range(rows)])
    ax.set_yticklabels([c.name for c in timeline.clients])
    ax.set_ylim(-0.9, rows)
    ax.set_xlim(0, timeline.end_ns / s)
    ax.set_xlabel("simulated time (s)")
    h = run.header
    ax.set_title(f"{h.get('scenario', '')} — {h.get('variant', '')}, seed {h.get('seed', '')}"
                 f"{' — ' + run.end.get('verdict', '') if run.end else ''}", fontsize=10)
    if len(timeline.servers) > 1:
        held = [Patch(color=SERVER_COLORS[k % len(SERVER_COLORS)], alpha=0.7, label=f"held by {server}")
                for k, server in enumerate(timeline.servers)]
    else:
        held = [Patch(color=SERVER_COLORS[0], alpha=0.7, label="held for it by the lock server")]
    fig.legend(handles=[
        Patch(color=BELIEF_COLOR, label="client believes it holds the lock"),
        *held,
        Line2D([], [], marker="o", ls="", color=ACCEPTED_COLOR, markeredgecolor="black", label="write accepted"),
        Line2D([], [], marker="x", ls="", color=REJECTED_COLOR, markeredgewidth=2, label="write rejected"),
    ], loc="lower center", ncol=min(4 + len(held) - 1, 9), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.35 / height_in, 1, 1))  # room for the legend below
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plots_for_run(run: Run, out_dir: Path) -> list[Path]:
    """Draws the lock timeline of a ``locks`` run into ``out_dir``; [] for other runs."""
    if run.protocol != "locks":
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    scenario = str(run.header.get("scenario", "locks")).replace("/", "_")
    path = out_dir / f"{scenario}-seed{run.header.get('seed', 0)}-lock-timeline.png"
    _draw(lock_timeline(run), run, path)
    return [path]
