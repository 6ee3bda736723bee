"""Reading dsim's outputs: a trace is a header line, event lines, and a summary line."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

NS_PER_S = 1_000_000_000


@dataclass
class Run:
    """One run's trace and summary, as loaded from disk."""

    header: dict
    events: list[dict]
    end: dict | None  # the trace's closing summary line (None if the file was cut)
    summary: dict = field(default_factory=dict)  # the separate JSON summary, if found
    trace_path: Path | None = None

    @property
    def protocol(self) -> str:
        return self.header.get("protocol", "")

    @property
    def node_names(self) -> list[str]:
        return [n["name"] for n in self.header.get("nodes", [])]

    @property
    def duration_ns(self) -> int:
        return int(self.header.get("duration_ns", 0))

    def proto_events(self, name: str | None = None) -> list[dict]:
        """Protocol events (ctx.trace), optionally only those called ``name``."""
        return [e for e in self.events
                if e.get("ev") == "proto" and (name is None or e.get("name") == name)]


def load_trace(path: Path) -> Run:
    header, events, end = {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            kind = record.get("ev")
            if kind == "header":
                header = record
            elif kind == "summary":
                end = record
            else:
                events.append(record)
    return Run(header=header, events=events, end=end, trace_path=Path(path))


def load_run(trace_path: Path, summary_path: Path | None = None) -> Run:
    """Loads a trace and, when given or found beside it, its summary."""
    run = load_trace(trace_path)
    if summary_path is None:
        name = Path(trace_path).name
        if name.endswith(".trace.jsonl"):
            candidate = Path(trace_path).with_name(name[: -len(".trace.jsonl")] + ".summary.json")
            if candidate.exists():
                summary_path = candidate
    if summary_path is not None:
        run.summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    return run
