"""Client operations in a trace, by the convention every protocol family follows.

When a client operation completes, the protocol logs a protocol event named ``op``::

    ctx.trace("op", {"op": "put", "outcome": "ok", "latency_ns": 1834000, ...})

``outcome`` is ``ok`` (it took effect and the client knows), ``fail`` (it definitely did
not take effect: refused, aborted) or ``timeout`` (the client gave up; it may or may not
have taken effect — Jepsen's "info"). ``latency_ns`` is the simulated time from
invocation to completion. Any other fields (key, txn, client) are kept in ``data``.
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
    for e in run.proto_events(OP_EVENT):
        data = e.get("data") or {}
        outcome = data.get("outcome", "fail")
        out.append(ClientOp(end_ns=int(e.get("t_ns", 0)),
                            latency_ns=max(0, int(data.get("latency_ns", 0))),
                            kind=str(data.get("op", "op")),
                            outcome=outcome if outcome in OUTCOMES else "fail",
                            node=e.get("node"), data=data))
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
