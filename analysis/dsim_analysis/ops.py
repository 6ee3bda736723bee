"""Client operations in a trace.

A protocol can log a generic protocol event named ``op`` when a client operation
completes::

    ctx.trace("op", {"op": "put", "outcome": "ok", "latency_ns": 1834000, ...})

``outcome`` is ``ok`` (it took effect and the client knows), ``fail`` (it definitely did
not take effect: refused, aborted) or ``timeout`` (the client gave up; it may or may not
have taken effect — Jepsen's "info"). ``latency_ns`` is the simulated time from
invocation to completion. Any other fields (key, txn, client) are kept in ``data``.

The shipped families log their own, richer completion events, read here as the same
operations: the ring store's ``op_done``; a 2PC client's ``tx_result`` (commit is ok,
abort is fail, unknown is timeout); a lock client's acquisitions (``acquire_start`` to
``acquired``) and the resource's verdict on each write (``write_accepted`` is ok,
``write_rejected`` fail; the write's latency is not in the trace and is given as 0).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .trace_io import Run

OUTCOMES = ("ok", "fail", "timeout")
OUTCOME_COLORS = {"ok": "#2ca02c", "fail": "#d62728", "timeout": "#ff7f0e"}
OP_EVENT = "op"


@dataclass(frozen=True)
class ClientOp:
    end_ns: int      # completion, true (simulated) time
    latency_ns: int
    kind: str        # the "op" field: get, put, acquire, transfer, ...
    outcome: str     # ok | fail | timeout
    node: str | None
    data: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def start_ns(self) -> int:
        return self.end_ns - self.latency_ns


def client_ops(run: Run) -> list[ClientOp]:
    """Every completed client operation, in trace order. Unknown outcomes count as fail."""
    out = []
    acquiring: dict[str, int] = {}  # lock client -> when its current acquisition started

    def add(e: dict, kind: str, outcome: str, latency_ns: int, node=None, data=None) -> None:
        out.append(ClientOp(end_ns=int(e.get("t_ns", 0)), latency_ns=max(0, int(latency_ns)),
                            kind=kind, outcome=outcome if outcome in OUTCOMES else "fail",
                            node=node if node is not None else e.get("node"),
                            data=data if data is not None else (e.get("data") or {})))

    for e in run.proto_events():
        name, data = e.get("name"), e.get("data") or {}
        if name == OP_EVENT:
            add(e, str(data.get("op", "op")), data.get("outcome", "fail"), data.get("latency_ns", 0))
        elif name == "op_done":  # the ring store
            add(e, str(data.get("kind", "op")), data.get("outcome", "fail"), data.get("latency_ns", 0))
        elif name == "tx_result":  # 2PC
            outcome = {"commit": "ok", "abort": "fail"}.get(data.get("outcome"), "timeout")
            add(e, str(data.get("kind", "transfer")), outcome, data.get("latency_ns", 0))
        elif name == "acquire_start":  # locks
            acquiring[e.get("node")] = int(e.get("t_ns", 0))
        elif name == "acquired":
            start = acquiring.pop(e.get("node"), int(e.get("t_ns", 0)))
            add(e, "acquire", "ok", int(e.get("t_ns", 0)) - start)
        elif name in ("write_accepted", "write_rejected"):
            add(e, "write", "ok" if name == "write_accepted" else "fail", 0, node=data.get("client"))
    return out


@dataclass
class OpRates:
    """Operations completed per time window, by outcome."""

    window_ns: int
    starts_ns: list[int]
    counts: dict[str, list[int]]  # outcome -> count per window

    def per_second(self, outcome: str) -> list[float]:
        scale = 1e9 / self.window_ns
        return [c * scale for c in self.counts[outcome]]


def op_rates(ops: list[ClientOp], end_ns: int, window_ns: int) -> OpRates:
    buckets = max(1, -(-end_ns // window_ns))
    counts = {o: [0] * buckets for o in OUTCOMES}
    for op in ops:
        i = min(buckets - 1, max(0, op.end_ns // window_ns))
        counts[op.outcome][i] += 1
    return OpRates(window_ns, [i * window_ns for i in range(buckets)], counts)
