"""A sweep's results (one JSON line per seed) as pictures: failures by check, when in the
run they happened, how the fault mix relates to failing, and how runs spread in size and
cost. Field names follow ``dsim sweep``; a few spellings are accepted for each so results
from older or sharded runs still render.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .units import parse_duration_ns

CHECK_KEYS = ("failed_check", "check", "failure")
WHEN_KEYS = ("when_ns", "failed_at_ns", "violation_t_ns", "at_ns", "when")
MIX_KEYS = ("fault_mix", "fault_kinds", "random_kinds_enabled", "faults")
SPREAD_KEYS = {  # histogram title -> accepted fields (ns unless the name says otherwise)
    "events per seed": ("events", "events_processed"),
    "simulated time per seed (s)": ("sim_time_ns", "sim_time"),
    "wall time per seed (ms)": ("wall_ns", "wall_time_ns", "wall_ms", "wall_time_ms",
                                "wall_s", "wall_time_s", "wall_time"),
}


@dataclass
class SweepResults:
    path: Path
    records: list[dict]
    bad_lines: int  # lines that were not per-seed records (a line cut by a kill, a header)

    @property
    def failures(self) -> list[dict]:
        return [r for r in self.records if failed_check(r) is not None]


def load_sweep(path: Path) -> SweepResults:
    records, bad = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(record, dict) and "seed" in record:
                records.append(record)
            else:
                bad += 1
    records.sort(key=lambda r: (str(type(r["seed"])), r["seed"]))
    return SweepResults(Path(path), records, bad)


def looks_like_sweep(records: list[dict]) -> bool:
    """Whether these first lines of a file read like per-seed results (a leading line of
    another kind, such as a header, is allowed)."""
    return any("seed" in r and ("verdict" in r or "failed_check" in r) for r in records)


def failed_check(record: dict) -> str | None:
    """The failing check's name, or None for a passing seed."""
    for key in CHECK_KEYS:
        if record.get(key):
            return str(record[key])
    if record.get("violations"):
        return str(record["violations"][0].get("check", "violation"))
    return "unknown check" if record.get("verdict") == "fail" else None


def to_ns(value, key: str) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            return float(parse_duration_ns(value))
        except ValueError:
            return None
    for suffix, scale in (("_ms", 1e6), ("_s", 1e9)):
        if key.endswith(suffix):
            return float(value) * scale
    return float(value)


def failure_time_ns(record: dict) -> float | None:
    for key in WHEN_KEYS:
        if key in record:
            return to_ns(record[key], key)
    if record.get("violations"):
        return to_ns(record["violations"][0].get("t_ns"), "t_ns")
    return None


def fault_kinds(record: dict) -> list[str]:
    for key in MIX_KEYS:
        mix = record.get(key)
        if isinstance(mix, list):
            return [str(k) for k in mix]
        if isinstance(mix, dict):
            kinds = mix.get("random_kinds_enabled", mix.get("kinds"))
            if isinstance(kinds, list):
                return [str(k) for k in kinds]
            return [str(k) for k, v in mix.items() if isinstance(v, (int, float)) and v > 0]
    return []


def replay_command(record: dict) -> str | None:
    if record.get("replay"):
        return str(record["replay"])
    scenario = record.get("file") or record.get("scenario_file") or record.get("scenario")
    return f"dsim run {scenario} --seed {record['seed']}" if scenario else None
