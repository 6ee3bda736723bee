import json

import pytest

from dsim_analysis.inputs import collect
from synthetic import TraceBuilder


def test_folder_follows_index_and_picks_up_other_results(tmp_path):
    TraceBuilder().write(tmp_path, "b")
    TraceBuilder().write(tmp_path, "a")
    (tmp_path / "a.trace.jsonl").unlink()                        # a summary-only run
    index = [{"file": "scenarios/b.json", "trace": "elsewhere/b.trace.jsonl",
              "summary": "elsewhere/b.summary.json", "as_expected": True}]
    (tmp_path / "index.json").write_text(json.dumps(index))
    (tmp_path / "sweep.jsonl").write_text('{"seed": 1, "verdict": "pass"}\n')
    (tmp_path / "ring.json").write_text('{"results": [{"algorithm": "jump", "nodes": 3}]}')
    (tmp_path / "notes.json").write_text('{"hello": "world"}')  # ignored
    found = collect(tmp_path)
    assert [(r.trace and r.trace.name, r.summary.name, bool(r.expectation)) for r in found.runs] == [
        ("b.trace.jsonl", "b.summary.json", True)]
    assert [p.name for p in found.not_in_index] == ["a.summary.json"]  # not a run of this set
    assert [p.name for p in found.sweeps] == ["sweep.jsonl"]
    assert [p.name for p in found.ring_stats] == ["ring.json"]


def test_a_summary_finds_its_trace(tmp_path):
    TraceBuilder().write(tmp_path, "x")
    (run,) = collect(tmp_path / "x.summary.json").runs
    assert run.trace == tmp_path / "x.trace.jsonl"


def test_unknown_files_are_refused(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"something": "else"}\n')
    with pytest.raises(ValueError, match="not a dsim"):
        collect(tmp_path / "a.jsonl")
    with pytest.raises(FileNotFoundError):
        collect(tmp_path / "missing")


def test_a_folder_without_index_takes_every_run(tmp_path):
    TraceBuilder().write(tmp_path, "b")
    TraceBuilder().write(tmp_path, "a")
    (tmp_path / "a.trace.jsonl").unlink()                        # a summary-only run
    found = collect(tmp_path)
    assert [(r.trace and r.trace.name, r.summary.name) for r in found.runs] == [
        (None, "a.summary.json"), ("b.trace.jsonl", "b.summary.json")]
    assert found.not_in_index == []
