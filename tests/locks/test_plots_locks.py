"""The lock timeline, drawn from traces that dsim writes for real scenarios."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dsim_analysis.plugins import family_plots

lock_timeline = family_plots("locks").lock_timeline
plots_for_run = family_plots("locks").plots_for_run
from dsim_analysis.trace_io import load_run

ROOT = Path(__file__).resolve().parents[2]
DSIM = os.environ.get("DSIM_BINARY", str(ROOT / "build" / "dsim"))
MS = 1_000_000


def run_dsim(scenario: str, out: Path, *sets: str):
    trace = out / (Path(scenario).stem + ".trace.jsonl")
    cmd = [DSIM, "run", str(ROOT / scenario), "--trace", str(trace), "-q"]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=False, capture_output=True)
    return load_run(trace)


def test_fenced_pause_timeline_shows_beliefs_grants_and_the_rejected_write(tmp_path):
    run = run_dsim("scenarios/locks/lease-pause-fenced.json", tmp_path)
    tl = lock_timeline(run)
    c1, c2 = tl.clients
    assert [c.name for c in tl.clients] == ["c1", "c2"]
    # c1 believed from its grant until the rejection told it otherwise, after its pause.
    assert len(c1.beliefs) == 1 and c1.beliefs[0].start_ns < 10 * MS
    assert c1.beliefs[0].end_ns > 2100 * MS and "fenced" in c1.beliefs[0].label
    # The server held it for c1 only until the lease ran out, then for c2.
    (c1_hold,) = c1.server_holds["lock"]
    assert c1_hold.end_ns - c1_hold.start_ns == 1000 * MS
    assert c2.server_holds["lock"][0].start_ns >= c1_hold.end_ns
    assert len(c1.writes_rejected) == 1 and c1.writes_rejected[0] > 2100 * MS
    assert len(c2.writes_accepted) == 3
    paths = plots_for_run(run, tmp_path / "plots")
    assert len(paths) == 1
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_redlock_timeline_has_a_lane_per_server_and_marks_the_violation(tmp_path):
    run = run_dsim("scenarios/locks/redlock-clock-jump.json", tmp_path)
    tl = lock_timeline(run)
    assert tl.servers == ["lock1", "lock2", "lock3", "lock4", "lock5"]
    c1, c2 = tl.clients
    assert sorted(c1.server_holds) == ["lock1", "lock2", "lock3"]
    assert sorted(c2.server_holds) == ["lock3", "lock4", "lock5"]
    assert [v["check"] for v in tl.violations] == ["overlap"]
    assert c1.beliefs[0].open and c2.beliefs[0].open  # both still believed when the run stopped
    assert plots_for_run(run, tmp_path)[0].stat().st_size > 10_000


def test_other_protocols_get_no_lock_plot(tmp_path):
    run = run_dsim("scenarios/default.json", tmp_path, "duration=1s", "faults.schedule=[]")
    assert run.protocol == "heartbeat"
    assert plots_for_run(run, tmp_path) == []


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q"]))
