"""A run-set into a folder an earlier run-set wrote: a scenario taken out of the set never
shows as failing, neither through files left behind nor in the report."""
import json
import shutil
import subprocess
import sys

from conftest import SOURCE_DIR
from synthetic import TraceBuilder

from dsim_analysis.inputs import collect


def make_set(folder, with_failing: bool):
    folder.mkdir(exist_ok=True)
    shutil.copy(SOURCE_DIR / "scenarios" / "default.json", folder / "good.json")
    failing = folder / "bad.json"
    if with_failing:
        scenario = json.loads((SOURCE_DIR / "scenarios" / "default.json").read_text())
        scenario["name"] = "bad"
        scenario["protocol"]["timeout"] = "150ms"  # settled_view fails; no expect says so
        failing.write_text(json.dumps(scenario))
    elif failing.exists():
        failing.unlink()


def run_set(dsim, cwd, *args, expect=0):
    """run-set from ``cwd``, so that outputs are named after the relative paths (set_good)."""
    done = subprocess.run([dsim, "run-set", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == expect, done.stdout + done.stderr
    return done


def report(out, tmp_path):
    done = subprocess.run([sys.executable, "-m", "dsim_analysis", str(out), "--out",
                           str(tmp_path / "report")], cwd=SOURCE_DIR / "analysis",
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return (tmp_path / "report" / "index.html").read_text()


def test_a_scenario_removed_from_the_set_leaves_no_outputs_and_no_failure(dsim, tmp_path):
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    assert (out / "set_bad.summary.json").is_file()
    (out / "mine.txt").write_text("not run-set's")
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed 2 outputs" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["index.json", "mine.txt", "set_good.summary.json", "set_good.trace.jsonl"]
    page = report(out, tmp_path)
    assert "FAIL" not in page and 'id="set_bad"' not in page and 'id="set_good"' in page


def test_no_trace_the_second_time_removes_the_old_trace(dsim, tmp_path):
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    run_set(dsim, tmp_path, "set", "--out", "out")
    assert (out / "set_good.trace.jsonl").is_file()
    run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace")
    assert not (out / "set_good.trace.jsonl").exists() and (out / "set_good.summary.json").is_file()


def test_the_report_follows_index_json_only(tmp_path):
    """Outputs not in index.json (left by hand, or by an older dsim) are not runs of the
    set: they are named in a note and never judged."""
    TraceBuilder().write(tmp_path, "current")
    stale = TraceBuilder()
    stale.violation(5, "settled_view", ["n0"])
    stale.write(tmp_path, "removed")                       # a failing run, no longer in the set
    (tmp_path / "index.json").write_text(json.dumps([
        {"file": "scenarios/current.json", "trace": "out/current.trace.jsonl",
         "summary": "out/current.summary.json", "as_expected": True, "expected_exit": 0}]))
    (tmp_path / "sweep.jsonl").write_text('{"seed": 1, "verdict": "pass"}\n')
    found = collect(tmp_path)
    assert [r.trace.name for r in found.runs] == ["current.trace.jsonl"]
    assert sorted(p.name for p in found.not_in_index) == ["removed.summary.json",
                                                          "removed.trace.jsonl"]
    assert [p.name for p in found.sweeps] == ["sweep.jsonl"]
    page = report(tmp_path, tmp_path)
    assert "FAIL" not in page and 'id="removed"' not in page
    assert "Not part of this run-set" in page and "removed.trace.jsonl" in page
