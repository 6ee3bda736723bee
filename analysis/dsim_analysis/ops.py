"""Client operations in a trace: the common ``op`` event (sim/core/client_op.h).

Every family with clients (ring store, locks, 2PC) traces each client operation as two
protocol events named ``op`` at the client, paired by the client's operation ``id``::

    {"t_ns":1000,"ev":"proto","name":"op","node":"c1",
     "data":{"type":"invoke","id":7,"op":"put","value":{"key":"k3","value":"c1-7"}}}
    {"t_ns":5000,"ev":"proto","name":"op","node":"c1",
     "data":{"type":"ok","id":7,"op":"put","value":{"key":"k3","value":"c1-7"}}}

``type`` is ``invoke``, then one completion: ``ok`` (took effect), ``fail`` (certainly did
not) or ``unknown`` (the client cannot tell: Jepsen's info; any other type is read as
unknown too). Latency is the difference of the two events' ``t_ns``. A crash of the client
ends its open operations: they never complete (like a crashed Jepsen process's), and so
do operations still open when the trace ends. Nothing else is read here: a family's own
events (op_done, tx_result, acquired, ...) are for its checkers and its own plots.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .trace_io import Run

OUTCOMES = ("ok", "fail", "unknown")
OUTCOME_COLORS = {"ok": "#2ca02c", "fail": "#d62728", "unknown": "#ff7f0e"}
OP_EVENT = "op"
INVOKE = "invoke"


@dataclass(frozen=True)
class ClientOp:
    start_ns: int            # invocation, true (simulated) time
    end_ns: int | None       # completion; None when it never completed
    kind: str                # the "op" field: get, put, acquire, write, transfer, ...
    outcome: str | None      # ok | fail | unknown; None when it never completed
    node: str | None         # the client
    id: int | None = None    # the client's operation id
    invoke_value: object = field(default=None, compare=False, hash=False)
    value: object = field(default=None, compare=False, hash=False)  # at completion

    @property
    def completed(self) -> bool:
        return self.end_ns is not None

    @property
    def latency_ns(self) -> int | None:
        return None if self.end_ns is None else self.end_ns - self.start_ns


def client_ops(run: Run) -> list[ClientOp]:
    """Every client operation, completed ones in completion order, then those that never
    completed in invocation order. A completion with no invocation before it (a trace that
    begins mid-run) is skipped."""
    done: list[ClientOp] = []
    never: list[ClientOp] = []
    open_ops: dict[tuple, dict] = {}  # (client, id) -> the invocation event

    def abandon(key) -> None:
        e = open_ops.pop(key)
        data = e.get("data") or {}
        never.append(ClientOp(start_ns=int(e.get("t_ns", 0)), end_ns=None,
                              kind=str(data.get("op", "op")), outcome=None,
                              node=e.get("node"), id=data.get("id"),
                              invoke_value=data.get("value")))

    for e in run.events:
        ev = e.get("ev")
        if ev == "crash":
            for key in [k for k in open_ops if k[0] == e.get("node")]:
                abandon(key)
            continue
        if ev != "proto" or e.get("name") != OP_EVENT:
            continue
        data = e.get("data") or {}
        key = (e.get("node"), data.get("id"))
        if data.get("type") == INVOKE:
            if key in open_ops:  # the same id again: the earlier one can no longer complete
                abandon(key)
            open_ops[key] = e
            continue
        invoke = open_ops.pop(key, None)
        if invoke is None:
            continue
        outcome = data.get("type")
        done.append(ClientOp(start_ns=int(invoke.get("t_ns", 0)), end_ns=int(e.get("t_ns", 0)),
                             kind=str(data.get("op", (invoke.get("data") or {}).get("op", "op"))),
                             outcome=outcome if outcome in OUTCOMES else "unknown",
                             node=e.get("node"), id=data.get("id"),
                             invoke_value=(invoke.get("data") or {}).get("value"),
                             value=data.get("value")))
    for key in list(open_ops):
        abandon(key)
    never.sort(key=lambda op: op.start_ns)
    return done + never


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
    """Completed operations per window of their completion time (those that never
    completed are not counted)."""
    buckets = max(1, -(-end_ns // window_ns))
    counts = {o: [0] * buckets for o in OUTCOMES}
    for op in ops:
        if op.end_ns is None:
            continue
        i = min(buckets - 1, max(0, op.end_ns // window_ns))
        counts[op.outcome][i] += 1
    return OpRates(window_ns, [i * window_ns for i in range(buckets)], counts)
