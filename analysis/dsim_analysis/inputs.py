"""Works out what the report was given: a run-set output folder, one trace, one summary,
a sweep's results, or a ring-stats result — and finds the files that belong together.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from .sweep import looks_like_sweep
from .trace_io import first_records, is_trace, load_json


@dataclass
class RunFiles:
    trace: Path | None
    summary: Path | None
    expectation: dict | None = None  # the run's entry in index.json

    @property
    def has_outputs(self) -> bool:
        """False for an index.json entry with nothing on disk: a scenario refused at run
        time, not reached or interrupted after a signal, whose outputs could not be
        written, or whose listed files are gone."""
        return self.trace is not None or self.summary is not None


@dataclass
class Inputs:
    runs: list[RunFiles] = field(default_factory=list)
    sweeps: list[Path] = field(default_factory=list)
    ring_stats: list[Path] = field(default_factory=list)
    # Traces and summaries in a run-set folder that its index.json does not list, so not
    # runs of this set (named, never judged): an earlier set's outputs of scenarios no
    # longer in the set, or of scenarios this set listed without outputs of their own.
    not_in_index: list[Path] = field(default_factory=list)
    # For those of a scenario still in index.json: the verdict of its entry there
    # ("not_run" after a set stopped by a signal, "refused", ...); absent: no longer in it.
    not_in_index_verdict: dict[Path, str] = field(default_factory=dict)
    # ... and that entry itself (its "error", "trace" and "summary" say why they were left).
    not_in_index_entry: dict[Path, dict] = field(default_factory=dict)
    # Those of them the set's index.json lists as an earlier set's outputs it left in the
    # folder (its entry's "earlier_outputs": a set stopped by a signal, or an output it could
    # not write); the others of a listed scenario are not known to run-set as its own.
    not_in_index_left: set[Path] = field(default_factory=set)
    # Those it names as its entries' "unprovable_outputs": listed by an index.json of a dsim
    # that did not record "scenario_hash", so not provably run-set's, and kept.
    not_in_index_unprovable: set[Path] = field(default_factory=set)


def _stem(path: Path, suffix: str) -> str:
    return path.name[: -len(suffix)]


def _beside(folder: Path, recorded: str | None) -> Path | None:
    """A path recorded in index.json, looked for in the folder first (it may have moved)."""
    if not recorded:
        return None
    for candidate in (folder / Path(recorded).name, Path(recorded)):
        if candidate.is_file():
            return candidate
    return None


def looks_like_ring_stats(data) -> bool:
    items = data if isinstance(data, list) else [data]
    for item in items[:5]:
        if not isinstance(item, dict):
            continue
        if "algorithm" in item:
            return True
        nested = [v for v in item.values() if isinstance(v, list)]
        if any(isinstance(x, dict) and "algorithm" in x for lst in nested for x in lst[:5]):
            return True
    return False


def _classify_json(path: Path, found: Inputs) -> bool:
    try:
        data = load_json(path)
    except (OSError, ValueError):
        return False
    if isinstance(data, dict) and data.get("format") == "dsim-summary":
        trace = path.with_name(_stem(path, ".summary.json") + ".trace.jsonl") \
            if path.name.endswith(".summary.json") else None
        recorded = (data.get("trace") or {}).get("path")
        if trace is None or not trace.is_file():
            trace = _beside(path.parent, recorded)
        found.runs.append(RunFiles(trace, path))
        return True
    if looks_like_ring_stats(data):
        found.ring_stats.append(path)
        return True
    return False


def _classify_jsonl(path: Path, found: Inputs) -> bool:
    if is_trace(path):
        summary = path.with_name(_stem(path, ".trace.jsonl") + ".summary.json") \
            if path.name.endswith(".trace.jsonl") else None
        found.runs.append(RunFiles(path, summary if summary and summary.is_file() else None))
        return True
    if looks_like_sweep(first_records(path)):
        found.sweeps.append(path)
        return True
    return False


def run_set_stem(file: str) -> str:
    """The name run-set gives a scenario's outputs (C++ output_stem in run_set_command.cpp):
    scenarios/locks/seed-demo.json -> locks_seed-demo."""
    stem = posixpath.splitext(posixpath.normpath(file))[0]
    if stem.startswith("scenarios/"):
        stem = stem[len("scenarios/"):]
    return stem.replace("/", "_")


def _from_index(folder: Path, found: Inputs) -> set[Path]:
    """Runs listed in run-set's index.json, in its order, every entry of it (one without
    outputs too: see RunFiles.has_outputs); returns the files they use."""
    used: set[Path] = set()
    entries = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    for e in entries if isinstance(entries, list) else []:
        if not isinstance(e, dict):
            continue
        trace, summary = _beside(folder, e.get("trace")), _beside(folder, e.get("summary"))
        found.runs.append(RunFiles(trace, summary, e))
        used |= {p.resolve() for p in (trace, summary) if p is not None}
    return used


def output_stem(scenario_file: str) -> str:
    """The name run-set gives a scenario's outputs (output_stem in
    sim/cli/run_set_command.cpp): "scenarios/locks/seed-demo.json" -> "locks_seed-demo"."""
    s = str(Path(posixpath.normpath(scenario_file)).with_suffix(""))
    if s.startswith("scenarios/"):
        s = s[len("scenarios/"):]
    return s.replace("/", "_")


def _run_output_stem(f: Path) -> str | None:
    for suffix in (".trace.jsonl", ".summary.json"):
        if f.name.endswith(suffix):
            return _stem(f, suffix)
    return None


def _is_run_output(f: Path) -> bool:
    """A run's trace or summary (what run-set writes per scenario)."""
    if f.name.endswith(".trace.jsonl") or (f.suffix == ".jsonl" and is_trace(f)):
        return True
    if f.suffix != ".json":
        return False
    try:
        data = load_json(f)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == "dsim-summary"


def collect(path: Path) -> Inputs:
    """Everything renderable at ``path``; raises FileNotFoundError or ValueError. In a
    folder with run-set's index.json, the runs are exactly those it lists (other outputs,
    of scenarios no longer in the set or not run by it, stay out: ``not_in_index``); sweep
    and ring-stats results beside them are still picked up."""
    path = Path(path)
    found = Inputs()
    if path.is_file():
        classify = _classify_jsonl if path.suffix == ".jsonl" else _classify_json
        ok = classify(path, found)
        if not ok:
            raise ValueError(f"{path}: not a dsim trace, summary, sweep result or ring-stats file")
        return found
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    has_index = (path / "index.json").is_file()
    used = _from_index(path, found) if has_index else set()
    listed_entries = {output_stem(str(r.expectation["file"])): r.expectation
                      for r in found.runs if r.expectation and r.expectation.get("file")}
    left_names = {Path(str(p)).name for r in found.runs if r.expectation
                  for p in (r.expectation.get("earlier_outputs") or [])}
    unprovable_names = {Path(str(p)).name for r in found.runs if r.expectation
                        for p in (r.expectation.get("unprovable_outputs") or [])}
    for f in sorted(path.iterdir()):
        if not f.is_file() or f.resolve() in used or f.name == "index.json":
            continue
        if has_index and _is_run_output(f):
            found.not_in_index.append(f)
            entry = listed_entries.get(_run_output_stem(f))
            if entry is not None:
                found.not_in_index_verdict[f] = str(entry.get("verdict"))
                found.not_in_index_entry[f] = entry
                if f.name in left_names:
                    found.not_in_index_left.add(f)
                elif f.name in unprovable_names:
                    found.not_in_index_unprovable.add(f)
        elif f.name.endswith(".summary.json"):
            trace = f.with_name(_stem(f, ".summary.json") + ".trace.jsonl")
            if not trace.is_file():  # a summary-only run (--no-trace); else the trace brings it
                found.runs.append(RunFiles(None, f))
        elif f.suffix == ".jsonl":
            _classify_jsonl(f, found)
        elif f.suffix == ".json":
            _classify_json(f, found)
    return found
