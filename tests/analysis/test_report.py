"""End to end: the dsim-report script on what dsim writes."""
import html
import json
import re
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR, run_dsim

SCRIPT = SOURCE_DIR / "analysis" / "dsim-report"


def report(*args, expect=0):
    done = subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True)
    assert done.returncode == expect, done.stderr
    return done


@pytest.fixture(scope="module")
def run_set(dsim, traces, tmp_path_factory):
    """What `dsim run-set --out` writes, plus a failing run and a sweep dropped beside it."""
    out = tmp_path_factory.mktemp("set")
    run_dsim(dsim, "run-set", "scenarios/default.json", "--out", str(out))
    for name in ("failing.trace.jsonl", "failing.summary.json"):
        shutil.copy(traces / name, out / name)
    index = json.loads((out / "index.json").read_text())  # listed as run-set would list it
    index.append({"file": "scenarios/default.json", "scenario": "default", "seed": 1,
                  "verdict": "fail", "failed_check": "settled_view", "expected_exit": 1,
                  "expected_check": "settled_view", "as_expected": True,
                  "summary": str(out / "failing.summary.json"),
                  "trace": str(out / "failing.trace.jsonl")})
    (out / "index.json").write_text(json.dumps(index))
    sweep = [{"seed": s, "verdict": "fail" if s % 3 == 0 else "pass",
              "failed_check": "settled_view" if s % 3 == 0 else ""} for s in range(1, 10)]
    (out / "sweep.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sweep))
    done = report(out, "--perfetto", "--dsim", dsim)
    return out, done.stdout


def test_renders_every_run_and_says_where(run_set):
    out, stdout = run_set
    index = out / "report" / "index.html"
    assert f"report: {index.resolve()}" in stdout
    assert "2 runs (1 failed), 1 sweeps" in stdout and "0 plot errors" in stdout
    for run in ("default", "failing"):
        pictures = sorted(p.name for p in (out / "report" / run).glob("*.png"))
        assert pictures == ["network.png", "protocol_events.png", "spacetime.png"], run


def test_html_lists_every_picture(run_set):
    out, _ = run_set
    root = out / "report"
    text = (root / "index.html").read_text()
    shown = set(re.findall(r'<img src="([^"]+)"', text))
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.png")}
    assert shown == on_disk and len(on_disk) == 2 * 3 + 1  # 3 per run, 1 for the sweep


def test_html_has_verdicts_violations_and_the_exact_replay(run_set):
    out, _ = run_set
    text = (out / "report" / "index.html").read_text()
    summary = json.loads((out / "failing.summary.json").read_text())
    assert f"<code>{html.escape(summary['replay'])}</code>" in text
    assert "--set &#x27;protocol.timeout=150ms&#x27;" in text
    assert html.escape(summary["violations"][0]["message"]) in text
    # each verdict shows twice: in the overview table and in the run's own section
    assert text.count('class="fail">FAIL') == 2 and text.count('class="pass">PASS') == 2
    assert "as expected" in text                         # from run-set's index.json
    assert "settled_view.false_suspicions" in text      # the metrics table
    assert text.count(".perfetto.json</a>") == 2
    assert "Sweep sweep.jsonl" in text and "dsim run" not in text.split("Sweep sweep.jsonl")[1][:200]


def test_single_trace_with_a_chosen_window(traces, tmp_path):
    report(traces / "default.trace.jsonl", "--out", tmp_path, "--window", "1s:1.2s",
           "--nodes", "n0,n1,n2")
    assert (tmp_path / "default" / "spacetime.png").is_file()
    assert "default" in (tmp_path / "index.html").read_text()


def test_bad_input_is_exit_2(tmp_path):
    assert "no such file" in report(tmp_path / "missing", expect=2).stderr
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    assert "not a dsim" in report(junk, expect=2).stderr
    (tmp_path / "empty").mkdir()
    assert "nothing to render" in report(tmp_path / "empty", expect=2).stderr


def test_a_streamed_trace_ending_in_an_internal_error_is_shown_as_such(dsim, tmp_path):
    """`dsim run --trace -` that ends in an internal error (exit 70) closes the stream with
    a summary line whose verdict is "error" (README, Output files): the report takes it,
    shows ERROR and the error, and never counts it as passing."""
    done = run_dsim(dsim, "run", "--trace", "-", "-q", "--set", "faults=null", "--set", "duration=50ms")
    lines = done.stdout.splitlines()[:-1]  # the run's events, without its own closing line
    lines.append(json.dumps({"ev": "summary", "t_ns": 1_000_000, "verdict": "error", "violations": [],
                             "stopped_by": "error", "events_processed": len(lines) - 1,
                             "truncated": False, "error": "internal error: broken on purpose"}))
    (tmp_path / "broken.trace.jsonl").write_text("\n".join(lines) + "\n")
    out = report(tmp_path / "broken.trace.jsonl", "--out", tmp_path / "report").stdout
    assert "dsim-report: 1 runs (0 failed, 1 error)" in out
    page = (tmp_path / "report" / "index.html").read_text()
    assert '<span class="internal_error">ERROR</span>' in page and "PASS" not in page
    assert "internal error: broken on purpose" in page
