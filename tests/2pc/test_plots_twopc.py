"""The 2PC plots end to end: dsim writes real traces, the plot module reads and draws them."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dsim_analysis.plugins import family_plots
from dsim_analysis.trace_io import Run, load_run

_plots = family_plots("2pc")
in_doubt_by_variant = _plots.in_doubt_by_variant
in_doubt_times = _plots.in_doubt_times
participant_timelines = _plots.participant_timelines
plots_for_run = _plots.plots_for_run

ROOT = Path(__file__).resolve().parents[2]
DSIM = Path(os.environ.get("DSIM_BINARY", ROOT / "build" / "dsim"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_scenario(name: str, tmp: Path) -> Run:
    trace = tmp / f"{name}.trace.jsonl"
    summary = tmp / f"{name}.summary.json"
    subprocess.run([str(DSIM), "run", str(ROOT / "scenarios" / "2pc" / f"{name}.json"), "-q",
                    "--trace", str(trace), "--summary", str(summary)], check=False)
    return load_run(trace)


@pytest.fixture(scope="module")
def blocking(tmp_path_factory) -> Run:
    return run_scenario("coordinator-crash-blocking", tmp_path_factory.mktemp("blocking"))


def test_blocked_participants_stay_in_doubt_to_the_end(blocking):
    timelines = participant_timelines(blocking)
    for p in ("p1", "p2", "p3"):
        in_doubt = [s for s in timelines[p] if s.state == "in_doubt"]
        assert len(in_doubt) == 1, timelines[p]
        assert 30_000_000 < in_doubt[0].start_ns < 32_000_000  # voted yes at about 31ms
        assert in_doubt[0].end_ns == 4_000_000_000  # still in doubt when the run ends
        assert in_doubt[0].ends_in == "open"
    assert in_doubt_times(blocking)["p1"] == []  # never decided


def test_plots_for_run_writes_both_pngs(blocking, tmp_path):
    paths = plots_for_run(blocking, tmp_path)
    assert [p.name.split(".")[1] for p in paths] == ["twopc_timeline", "twopc_in_doubt"]
    for p in paths:
        assert p.read_bytes()[:8] == PNG_MAGIC
        assert p.stat().st_size > 5000


def test_in_doubt_times_of_cooperative_termination(tmp_path):
    run = run_scenario("cooperative-termination", tmp_path)
    times = in_doubt_times(run)
    assert len(times["p1"]) == 1 and times["p1"][0] < 20_000_000     # told by the coordinator
    assert len(times["p2"]) == 1 and times["p2"][0] > 150_000_000    # finished through p1
    out = in_doubt_by_variant([run], tmp_path / "by_variant.png")
    assert out.read_bytes()[:8] == PNG_MAGIC


def test_other_protocols_get_no_plots(tmp_path):
    run = Run(header={"protocol": "heartbeat"}, events=[], end=None)
    assert plots_for_run(run, tmp_path) == []
