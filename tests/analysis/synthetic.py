"""Hand-made dsim traces for tests: every event placed on purpose, in time order."""
from __future__ import annotations

import json
from pathlib import Path

from dsim_analysis.trace_io import Run, load_run


class TraceBuilder:
    def __init__(self, nodes=("n0", "n1", "n2"), duration_ns=1_000_000_000, protocol="synthetic"):
        self.header = {"ev": "header", "format": "dsim-trace", "version": 1, "scenario": "synthetic",
                       "seed": 1, "protocol": protocol, "variant": "standard",
                       "duration_ns": duration_ns,
                       "nodes": [{"name": n, "role": "node"} for n in nodes]}
        self.events: list[dict] = []
        self.violations: list[dict] = []
        self._next_id = 1
        self._op_ids: dict[str, int] = {}

    def send(self, t, src, dst, msg="m", dropped=None, duplicated=False) -> int:
        mid = self._next_id
        self._next_id += 1
        self.events.append({"t_ns": t, "ev": "send", "from": src, "to": dst, "id": mid, "msg": msg})
        if dropped:
            self.events.append({"t_ns": t, "ev": "drop", "from": src, "to": dst, "id": mid,
                                "msg": msg, "reason": dropped})
        elif duplicated:
            self.events.append({"t_ns": t, "ev": "duplicate", "from": src, "to": dst, "id": mid,
                                "msg": msg})
        return mid

    def _about(self, mid):
        send = next(e for e in self.events if e["ev"] == "send" and e["id"] == mid)
        return {"from": send["from"], "to": send["to"], "id": mid, "msg": send["msg"]}

    def deliver(self, t, mid):
        self.events.append({"t_ns": t, "ev": "deliver", **self._about(mid)})

    def drop_on_arrival(self, t, mid, reason="node_down"):
        self.events.append({"t_ns": t, "ev": "drop", **self._about(mid), "reason": reason})

    def fault(self, t, ev, on=None, **data):
        """A simulator event; ``on`` is the node it happens to (none for partitions)."""
        e = {"t_ns": t, "ev": ev}
        if on is not None:
            e["node"] = on
        if data:
            e["data"] = data
        self.events.append(e)

    def proto(self, t, node, name, **data):
        self.events.append({"t_ns": t, "ev": "proto", "name": name, "node": node, "data": data})

    def invoke(self, t, node, kind, value=None) -> int:
        """A client operation's invocation (the common ``op`` event); returns its id."""
        self._op_ids[node] = self._op_ids.get(node, 0) + 1
        op_id = self._op_ids[node]
        self.proto(t, node, "op", type="invoke", id=op_id, op=kind, value=value)
        return op_id

    def complete(self, t, node, op_id, kind, outcome, value=None):
        self.proto(t, node, "op", type=outcome, id=op_id, op=kind, value=value)

    def op(self, t, node, kind, outcome, latency_ns, value=None):
        """One whole operation that completes at ``t`` after ``latency_ns``. The invocation
        is appended first (the trace is then not in time order, which the pairing ignores)."""
        op_id = self.invoke(t - latency_ns, node, kind, value)
        self.complete(t, node, op_id, kind, outcome, value)

    def violation(self, t, check, nodes):
        v = {"check": check, "t_ns": t, "nodes": list(nodes), "message": f"{check} broke",
             "details": {}}
        self.violations.append(v)
        self.events.append({"t_ns": t, "ev": "violation", "check": check, "nodes": list(nodes),
                            "message": v["message"], "data": {}})

    def write(self, folder: Path, stem="synthetic") -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        end_ns = self.header["duration_ns"]
        verdict = "fail" if self.violations else "pass"
        trace = folder / f"{stem}.trace.jsonl"
        lines = [self.header, *self.events,
                 {"ev": "summary", "t_ns": end_ns, "verdict": verdict, "violations": self.violations,
                  "stopped_by": "end_of_duration", "events_processed": len(self.events),
                  "truncated": False}]
        trace.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        summary = {"format": "dsim-summary", "version": 1, "scenario": "synthetic", "seed": 1,
                   "protocol": self.header["protocol"], "verdict": verdict,
                   "violations": self.violations, "replay": "dsim run synthetic.json --seed 1",
                   "sim_time_ns": end_ns, "metrics": {"sim": {"messages_sent": self._next_id - 1}}}
        (folder / f"{stem}.summary.json").write_text(json.dumps(summary), encoding="utf-8")
        return trace

    def run(self, folder: Path) -> Run:
        return load_run(self.write(folder))
