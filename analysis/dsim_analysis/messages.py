"""Messages reassembled from a trace: each send with what became of it.

The simulator logs ``send`` (with the message ``id``), then at once ``drop`` if the network
lost it on the way out (loss, or a partition at send time) or ``duplicate`` if it made two
copies (both share the id). Later each copy either arrives (``deliver``) or is dropped at
arrival (``drop`` with reason ``partition`` or ``node_down``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .trace_io import Run


@dataclass
class Flight:
    id: int
    src: str
    dst: str
    msg: str
    send_ns: int
    duplicated: bool = False
    dropped_at_send: str | None = None                        # reason, when lost on the way out
    delivered_ns: list[int] = field(default_factory=list)    # one per copy that arrived
    arrival_drops: list[tuple[int, str]] = field(default_factory=list)  # (t_ns, reason)


def message_flights(run: Run) -> list[Flight]:
    """Every sent message, in send order."""
    by_id: dict[int, Flight] = {}
    order: list[Flight] = []
    previous: dict | None = None
    for e in run.events:
        ev = e.get("ev")
        if ev == "send":
            f = Flight(int(e["id"]), e["from"], e["to"], e.get("msg", "?"), int(e["t_ns"]))
            by_id[f.id] = f
            order.append(f)
        elif ev in ("drop", "duplicate", "deliver") and int(e.get("id", -1)) in by_id:
            f = by_id[int(e["id"])]
            if ev == "duplicate":
                f.duplicated = True
            elif ev == "deliver":
                f.delivered_ns.append(int(e["t_ns"]))
            elif _right_after_send(previous, f):
                f.dropped_at_send = e.get("reason", "?")
            else:
                f.arrival_drops.append((int(e["t_ns"]), e.get("reason", "?")))
        previous = e
    return order


def _right_after_send(previous: dict | None, f: Flight) -> bool:
    return (previous is not None and previous.get("ev") == "send"
            and int(previous.get("id", -1)) == f.id)
