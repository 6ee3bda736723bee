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
    summary_path: Path | None = None

    @property
    def protocol(self) -> str:
        return self.header.get("protocol", "")

    @property
    def node_names(self) -> list[str]:
        return [n["name"] for n in self.header.get("nodes", [])]

    @property
    def duration_ns(self) -> int:
        return int(self.header.get("duration_ns", 0))

    @property
    def name(self) -> str:
        """The file stem ("locks__seed-demo"), else the scenario name."""
        for path in (self.trace_path, self.summary_path):
            if path is not None:
                return _stem(Path(path).name)
        return self.summary.get("scenario") or self.header.get("scenario", "run")

    @property
    def end_ns(self) -> int:
        """Where the run's time axis ends: the simulated time reached, else the last event."""
        for source in (self.end or {}, self.summary):
            t = source.get("t_ns", source.get("sim_time_ns"))
            if t is not None:
                return int(t)
        last = self.events[-1].get("t_ns", 0) if self.events else 0
        return max(int(last), self.duration_ns)

    @property
    def verdict(self) -> str:
        return self.summary.get("verdict") or (self.end or {}).get("verdict", "unknown")

    @property
    def violations(self) -> list[dict]:
        """The violations as the summary lists them (check, t_ns, nodes, message, ...)."""
        if "violations" in self.summary:
            return self.summary["violations"]
        if self.end is not None and "violations" in self.end:
            return self.end["violations"]
        return [e for e in self.events if e.get("ev") == "violation"]

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
        run.summary = load_json(summary_path)
        run.summary_path = Path(summary_path)
    return run


def load_summary_only(summary_path: Path) -> Run:
    """A run written with --no-trace: metrics and verdict, no events."""
    summary = load_json(summary_path)
    header = {"scenario": summary.get("scenario", ""), "seed": summary.get("seed"),
              "protocol": summary.get("protocol", ""), "variant": summary.get("variant", ""),
              "duration_ns": summary.get("duration_ns", 0)}
    return Run(header=header, events=[], end=None, summary=summary,
               summary_path=Path(summary_path))


def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def first_records(path: Path, count: int = 5) -> list[dict]:
    """The first JSON-object lines of a file (to tell a trace from a sweep's results);
    stops at the first line that is not one."""
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                record = json.loads(line)
                if not isinstance(record, dict) or len(records) == count:
                    break
                records.append(record)
    except (OSError, ValueError):
        pass
    return records


def is_trace(path: Path) -> bool:
    records = first_records(path, 1)
    return bool(records) and records[0].get("ev") == "header"


def _stem(file_name: str) -> str:
    for suffix in (".trace.jsonl", ".summary.json", ".jsonl", ".json"):
        if file_name.endswith(suffix):
            return file_name[: -len(suffix)]
    return file_name
