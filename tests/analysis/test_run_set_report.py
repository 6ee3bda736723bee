"""A run-set into a folder an earlier run-set wrote: a scenario taken out of the set never
shows as failing, neither through files left behind nor in the report. Every entry of
index.json is in the report, one without outputs (refused, not run, ...) too: listed with
its verdict and error, never drawn, never counted as passing."""
import json
import re
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


def run_report(out, tmp_path):
    """dsim-report on ``out`` into tmp_path/report; -> (index.html's text, stdout)."""
    done = subprocess.run([sys.executable, "-m", "dsim_analysis", str(out), "--out",
                           str(tmp_path / "report")], cwd=SOURCE_DIR / "analysis",
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return (tmp_path / "report" / "index.html").read_text(), done.stdout


def report(out, tmp_path):
    return run_report(out, tmp_path)[0]


def overview_rows(page):
    """The overview table's rows (the first table of the page), header row left out."""
    table = page[page.index("<table>"):page.index("</table>")]
    return re.findall(r"<tr[^>]*>.*?</tr>", table)[1:]


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


# Zero latency: the tokens bounce at time 0 until the run is refused (simulated time stood
# still) after 1,000 events at that instant, as in tests/cli/refused_runs_test.cpp.
SPIN = {"name": "spin", "duration": "10s", "nodes": 8, "protocol": {"name": "phold"},
        "network": {"latency": "0ms"}, "limits": {"max_events_per_instant": 1000}}


def test_a_refused_scenario_is_listed_with_its_error_not_drawn_and_not_passing(dsim, tmp_path):
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    (scenarios / "spin.json").write_text(json.dumps(SPIN))
    done = run_set(dsim, tmp_path, "set", "--out", "out", expect=2)
    assert "REFUSED     set/spin.json" in done.stdout
    page, stdout = run_report(out, tmp_path)
    assert "dsim-report: 2 runs (0 failed, 1 refused)" in stdout
    good, spin = overview_rows(page)
    assert 'href="#set_good"' in good and "PASS" in good
    assert 'href="#set_spin"' in spin and "REFUSED" in spin and "PASS" not in spin
    assert "simulated time stood still" in spin and 'class="not-shown"' in spin
    section = page[page.index('<section id="set_spin">'):]
    section = section[:section.index("</section>")]
    assert "REFUSED" in section and "simulated time stood still" in section
    assert "<img" not in section and "set/spin.json" in section
    assert not (tmp_path / "report" / "set_spin").exists()  # no pictures, no folder for them
    assert "<img" in page[page.index('<section id="set_good">'):]
    found = collect(out)
    assert [r.expectation["file"] for r in found.runs] == ["set/good.json", "set/spin.json"]
    assert (found.runs[1].trace, found.runs[1].summary) == (None, None)


def test_every_index_entry_without_outputs_is_listed_as_what_it_is(tmp_path):
    """The entries run-set writes after a signal, or when outputs could not be written, and
    an entry whose files are gone from the folder."""
    TraceBuilder().write(tmp_path, "ran")
    entry = {"scenario": "s", "seed": 1, "failed_check": "", "expected_exit": 0,
             "expected_check": "", "as_expected": False, "trace": "", "summary": ""}
    (tmp_path / "index.json").write_text(json.dumps([
        {**entry, "file": "set/ran.json", "verdict": "pass", "as_expected": True,
         "trace": "out/ran.trace.jsonl", "summary": "out/ran.summary.json"},
        {**entry, "file": "set/cut.json", "verdict": "interrupted",
         "error": "out/set_cut.summary.json: disk full"},
        {**entry, "file": "set/later.json", "verdict": "not_run"},
        {**entry, "file": "set/lost.json", "verdict": "fail", "failed_check": "settled_view",
         "error": "out/set_lost.summary.json appeared while dsim ran"},
        {**entry, "file": "set/gone.json", "verdict": "pass",
         "trace": "out/set_gone.trace.jsonl", "summary": "out/set_gone.summary.json"}]))
    page, stdout = run_report(tmp_path, tmp_path)
    assert ("dsim-report: 5 runs (0 failed, 1 interrupted, 1 not run, 1 not written, "
            "1 outputs missing)") in stdout
    rows = overview_rows(page)
    assert [re.search(r'href="#([^"]+)"', row).group(1) for row in rows] == [
        "ran", "set_cut", "set_later", "set_lost", "set_gone"]
    for row, label, says in zip(rows[1:], ["INTERRUPTED", "NOT RUN", "NOT WRITTEN",
                                           "OUTPUTS MISSING"],
                                ["disk full", "before it reached", "appeared while dsim ran",
                                 "not found: out/set_gone.trace.jsonl"]):
        assert label in row and says in row and "PASS" not in row and "FAIL" not in row, row
    assert "settled_view" in rows[3]  # what the discarded run found is still said
    for name in ("set_cut", "set_later", "set_lost", "set_gone"):
        assert f'<section id="{name}">' in page
        assert not (tmp_path / "report" / name).exists()


def test_a_scenario_refused_now_has_its_earlier_outputs_removed_and_said_so(dsim, tmp_path):
    """Ran fine once, refused the next time: its earlier outputs go, and run-set says it
    was because it is refused, not because it left the set."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    (scenarios / "spin.json").write_text(json.dumps({**SPIN, "network": {"latency": "1ms"}, "duration": "1s"}))
    run_set(dsim, tmp_path, "set", "--out", "out")
    assert (out / "set_spin.summary.json").is_file()
    (scenarios / "spin.json").write_text(json.dumps(SPIN))
    done = run_set(dsim, tmp_path, "set", "--out", "out", expect=2)
    assert ("removed 2 outputs of an earlier run-set that this set does not write: 2 of "
            "scenarios it refused (REFUSED above") in done.stdout, done.stdout
    assert "no longer in it" not in done.stdout
    assert not (out / "set_spin.summary.json").exists() and not (out / "set_spin.trace.jsonl").exists()
    # Both reasons in one line: one scenario refused, one taken out of the set.
    (scenarios / "spin.json").write_text(json.dumps({**SPIN, "network": {"latency": "1ms"}, "duration": "1s"}))
    run_set(dsim, tmp_path, "set", "--out", "out")
    (scenarios / "spin.json").write_text(json.dumps(SPIN))
    (scenarios / "good.json").unlink()
    done = run_set(dsim, tmp_path, "set", "--out", "out", expect=2)
    assert ("removed 4 outputs of an earlier run-set that this set does not write: 2 of "
            "scenarios no longer in it, 2 of scenarios it refused") in done.stdout, done.stdout
    done = run_set(dsim, tmp_path, "set/spin.json", "--out", "out", expect=2)
    assert "removed" not in done.stdout  # nothing of an earlier set was left to remove


def test_the_report_says_why_unlisted_outputs_of_a_listed_scenario_are_not_shown(tmp_path):
    """After a set stopped by a signal, the earlier set's outputs of the scenarios it did not
    reach (or refused) stay in the folder, unlisted: the report says so, and keeps "no
    longer in the set" for outputs whose scenario index.json does not list at all."""
    TraceBuilder().write(tmp_path, "ran")
    TraceBuilder().write(tmp_path, "set_later")   # an earlier set's, of a scenario not reached
    TraceBuilder().write(tmp_path, "set_spin")    # an earlier set's, of a scenario now refused
    TraceBuilder().write(tmp_path, "set_gone")    # an earlier set's, of a scenario taken out
    entry = {"scenario": "s", "seed": 1, "failed_check": "", "expected_exit": 0,
             "expected_check": "", "as_expected": False, "trace": "", "summary": ""}
    (tmp_path / "index.json").write_text(json.dumps([
        {**entry, "file": "set/ran.json", "verdict": "interrupted", "as_expected": False,
         "trace": "out/ran.trace.jsonl", "summary": "out/ran.summary.json"},
        {**entry, "file": "./set/spin.json", "verdict": "refused", "error": "simulated time stood still",
         "earlier_outputs": ["out/set_spin.trace.jsonl", "out/set_spin.summary.json"]},
        {**entry, "file": "set/later.json", "verdict": "not_run",
         "earlier_outputs": ["out/set_later.trace.jsonl", "out/set_later.summary.json"]}]))
    found = collect(tmp_path)
    assert {p.name: found.not_in_index_verdict.get(p) for p in found.not_in_index} == {
        "set_gone.summary.json": None, "set_gone.trace.jsonl": None,
        "set_later.summary.json": "not_run", "set_later.trace.jsonl": "not_run",
        "set_spin.summary.json": "refused", "set_spin.trace.jsonl": "refused"}
    page = report(tmp_path, tmp_path)
    assert not_shown_notes(page) == [
        (NOT_RUN_SETS, "set_gone.summary.json, set_gone.trace.jsonl"),
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios this set did not reach (NOT RUN: "
         "it was stopped by a signal first)", "set_later.summary.json, set_later.trace.jsonl"),
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios this set refused (REFUSED), left "
         "as the set was stopped by a signal before its clean-up", "set_spin.summary.json, set_spin.trace.jsonl")], page


# The report's reason for outputs named as no scenario's of the set: run-set's clean-up
# removes its own, so these are what it kept as not its own.
NOT_RUN_SETS = ("index.json does not list them, and no scenario of this set has their name: kept by "
                "run-set&#x27;s clean-up as not its own (files of yours, or outputs an index.json of a "
                "dsim that did not record &quot;scenario_hash&quot; listed)")

# How the report's note begins for outputs index.json lists as left ("earlier_outputs").
LISTED_AS_LEFT = "index.json lists them as its entries&#x27; &quot;earlier_outputs&quot;, not as runs: "


def not_shown_notes(page):
    """The report's notes on outputs in the folder that are not this set's runs: [(why, names)]."""
    return re.findall(r"Not part of this run-set \((.*?)\), so not shown: ([^<]*)", page)


def test_the_report_gives_the_true_reason_for_every_verdict_of_a_scenario_that_left_outputs(tmp_path):
    """Earlier outputs left under entries of every verdict that can leave them: one not
    written (NOT WRITTEN, or INTERRUPTED with its error), and traces of scenarios a
    --no-trace set ran (pass, fail, interrupted) before a signal stopped it. None of them
    is said to be unlisted, nor a pass or fail to be NOT WRITTEN."""
    for name in ("set_ok", "set_bad", "set_cut", "set_full", "set_cutfull"):
        TraceBuilder().write(tmp_path, name)
    entry = {"scenario": "s", "seed": 1, "failed_check": "", "expected_exit": 0,
             "expected_check": "", "as_expected": True, "trace": "", "summary": ""}
    (tmp_path / "set_ok.summary.json").rename(tmp_path / "ok.summary.json")  # this set's summaries
    (tmp_path / "set_bad.summary.json").rename(tmp_path / "bad.summary.json")
    (tmp_path / "set_cut.summary.json").rename(tmp_path / "cut.summary.json")
    (tmp_path / "index.json").write_text(json.dumps([
        {**entry, "file": "set/ok.json", "verdict": "pass", "summary": "out/ok.summary.json",
         "earlier_outputs": ["out/set_ok.trace.jsonl"]},
        {**entry, "file": "set/bad.json", "verdict": "fail", "failed_check": "settled_view",
         "as_expected": False, "summary": "out/bad.summary.json", "earlier_outputs": ["out/set_bad.trace.jsonl"]},
        {**entry, "file": "set/cut.json", "verdict": "interrupted", "as_expected": False,
         "summary": "out/cut.summary.json", "earlier_outputs": ["out/set_cut.trace.jsonl"]},
        {**entry, "file": "set/full.json", "verdict": "pass", "as_expected": False, "error": "disk full",
         "earlier_outputs": ["out/set_full.trace.jsonl", "out/set_full.summary.json"]},
        {**entry, "file": "set/cutfull.json", "verdict": "interrupted", "as_expected": False,
         "error": "disk full", "earlier_outputs": ["out/set_cutfull.trace.jsonl", "out/set_cutfull.summary.json"]}]))
    page = report(tmp_path, tmp_path)
    no_trace = ("an earlier run-set&#x27;s outputs of scenarios this set ran without traces (--no-trace: it "
                "wrote their summaries), left as the set was stopped by a signal before its clean-up")
    assert not_shown_notes(page) == [
        (LISTED_AS_LEFT + no_trace, "set_bad.trace.jsonl, set_cut.trace.jsonl, set_ok.trace.jsonl"),
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios whose outputs this set could not "
         "write (INTERRUPTED: stopped by a signal while it ran)", "set_cutfull.summary.json, set_cutfull.trace.jsonl"),
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios whose outputs this set could not "
         "write (NOT WRITTEN: it ran, and its earlier outputs were kept)",
         "set_full.summary.json, set_full.trace.jsonl")], page


def test_outputs_of_a_listed_scenario_the_index_does_not_list_as_left_are_not_said_to_be_left(tmp_path):
    """A refused scenario's outputs that its entry does not list as left ("earlier_outputs":
    e.g. from a dsim before it, or put there by hand): the report does not claim the set
    was stopped before its clean-up."""
    TraceBuilder().write(tmp_path, "set_spin")
    (tmp_path / "index.json").write_text(json.dumps([
        {"file": "set/spin.json", "scenario": "s", "seed": 1, "verdict": "refused", "failed_check": "",
         "expected_exit": 0, "expected_check": "", "as_expected": False, "trace": "", "summary": "",
         "error": "simulated time stood still"}]))
    page = report(tmp_path, tmp_path)
    assert "clean-up" not in page
    assert ("named as outputs of scenarios in this set, which neither wrote them nor knew them as "
            "an earlier run-set&#x27;s, so left them") in page, page


def _wait_replaced(path, inode, timeout=60.0):
    """Until ``path`` is another file than ``inode`` (run-set moves each output into place)."""
    import os
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if os.stat(path).st_ino != inode:
                return
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"{path} was not rewritten")


def _run_set_stopped_after_set_a(dsim, tmp_path, out, *args):
    """run-set set --out out ARGS from tmp_path, stopped by SIGINT once it has written
    set_a's summary anew (the first scenario is done, the second under way): exit 130."""
    import os
    import signal
    inode = os.stat(out / "set_a.summary.json").st_ino
    child = subprocess.Popen([dsim, "run-set", "set", "--out", "out", *args], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_replaced(out / "set_a.summary.json", inode)
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, stdout + stderr


def test_a_set_after_an_interrupted_one_removes_what_the_interrupted_set_left(dsim, tmp_path):
    """Complete set of a, b, c; then a set stopped by SIGINT after its first scenario (b
    interrupted, c not run): c's earlier outputs stay, listed as left in c's entry, and the
    report says whose they are; then a set without c removes them, and never a user file."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    scenarios.mkdir()
    base = json.loads((SOURCE_DIR / "scenarios" / "default.json").read_text())
    short = base
    long = {**base, "nodes": 60, "duration": "120s", "limits": {"max_trace_bytes": 1000000}}
    for name in ("a", "b", "c"):
        (scenarios / f"{name}.json").write_text(json.dumps(short))
    run_set(dsim, tmp_path, "set", "--out", "out")
    (out / "notes.txt").write_text("my notes, not dsim's\n")
    (scenarios / "b.json").write_text(json.dumps(long))  # a few seconds: the signal comes in it
    _run_set_stopped_after_set_a(dsim, tmp_path, out)
    index = json.loads((out / "index.json").read_text())
    assert [e["verdict"] for e in index] == ["pass", "interrupted", "not_run"], index
    assert index[2]["summary"] == "" and index[2]["trace"] == ""
    assert sorted(index[2]["earlier_outputs"]) == ["out/set_c.summary.json", "out/set_c.trace.jsonl"]
    assert "earlier_outputs" not in index[0] and "earlier_outputs" not in index[1]
    found = collect(out)
    assert sorted(p.name for p in found.not_in_index) == ["set_c.summary.json", "set_c.trace.jsonl"]
    page = report(out, tmp_path)
    assert ("an earlier run-set&#x27;s outputs of scenarios this set did not reach (NOT RUN: it was "
            "stopped by a signal first)), so not shown: set_c.summary.json, set_c.trace.jsonl") in page
    # The next set no longer has c: c's earlier outputs go, the user's file stays.
    (scenarios / "c.json").unlink()
    (scenarios / "b.json").write_text(json.dumps(short))
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert ("removed 2 outputs of an earlier run-set that this set does not write: 2 of scenarios "
            "no longer in it") in done.stdout, done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "index.json", "notes.txt", "set_a.summary.json", "set_a.trace.jsonl",
        "set_b.summary.json", "set_b.trace.jsonl"]
    assert (out / "notes.txt").read_text() == "my notes, not dsim's\n"
    page = report(out, tmp_path)
    assert "set_c" not in page and "clean-up" not in page and "did not reach" not in page


def test_a_set_that_refuses_what_an_interrupted_set_left_removes_it(dsim, tmp_path):
    """The interrupted set's index lists the earlier outputs it left: a later set that
    refuses that scenario removes them (its report then names none as left)."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    scenarios.mkdir()
    (scenarios / "spin.json").write_text(json.dumps({**SPIN, "network": {"latency": "1ms"}, "duration": "1s"}))
    run_set(dsim, tmp_path, "set", "--out", "out")
    # What an interrupted set writes for a scenario it did not reach (as in the test above).
    index = json.loads((out / "index.json").read_text())
    index[0].update(verdict="not_run", summary="", trace="",
                    earlier_outputs=["out/set_spin.trace.jsonl", "out/set_spin.summary.json"])
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    (scenarios / "spin.json").write_text(json.dumps(SPIN))
    done = run_set(dsim, tmp_path, "set", "--out", "out", expect=2)
    assert "removed 2 outputs of an earlier run-set that this set does not write: 2 of scenarios it refused" \
        in done.stdout, done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["index.json"]
    page = report(out, tmp_path)
    assert "clean-up" not in page and "Not part of this run-set" not in page


def test_a_user_file_put_at_a_listed_output_name_is_never_removed(dsim, tmp_path):
    """index.json lists set_bad's summary, but the user has since written their own file
    there: the set without that scenario removes its trace and keeps the user's file."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    (out / "set_bad.summary.json").write_text("my notes, not dsim's\n")
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed 1 output of an earlier run-set" in done.stdout, done.stdout
    assert not (out / "set_bad.trace.jsonl").exists()
    assert (out / "set_bad.summary.json").read_text() == "my notes, not dsim's\n"


def test_a_symbolic_link_at_a_listed_output_name_is_left_and_its_target_kept(dsim, tmp_path):
    """index.json lists set_bad's trace, but the user has since moved that trace out of the
    folder and put a symbolic link to it at its name: the set without that scenario removes
    neither the link nor, through it, the user's file outside the folder."""
    scenarios, out, mine = tmp_path / "set", tmp_path / "out", tmp_path / "mine"
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    mine.mkdir()
    kept = mine / "kept.trace.jsonl"
    (out / "set_bad.trace.jsonl").rename(kept)
    (out / "set_bad.trace.jsonl").symlink_to(kept)
    text = kept.read_text()
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed 1 output of an earlier run-set" in done.stdout, done.stdout
    assert not (out / "set_bad.summary.json").exists()
    assert (out / "set_bad.trace.jsonl").is_symlink()
    assert kept.read_text() == text


def test_a_dsim_output_of_another_run_written_at_a_listed_name_is_kept(dsim, tmp_path):
    """index.json lists set_bad's trace and summary, but the user has since written dsim
    outputs of other runs at their names by hand (the built-in scenario's trace; set_bad's
    scenario with another seed): the set without set_bad keeps both. Outputs of the very
    run index.json lists (same scenario file, seed and settings) are run-set's, and go."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    index = json.loads((out / "index.json").read_text())
    assert [len(e["scenario_hash"]) for e in index] == [16, 16], index
    subprocess.run([dsim, "run", "-q", "--trace", "out/set_bad.trace.jsonl"], cwd=tmp_path, check=True)
    subprocess.run([dsim, "run", "set/bad.json", "--seed", "9", "-q", "--summary", "out/set_bad.summary.json"],
                   cwd=tmp_path)
    mine = {name: (out / name).read_text() for name in ("set_bad.trace.jsonl", "set_bad.summary.json")}
    assert json.loads(mine["set_bad.trace.jsonl"].split("\n")[0])["scenario"] == "default"
    assert json.loads(mine["set_bad.summary.json"])["seed"] == 9
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed" not in done.stdout, done.stdout
    assert {name: (out / name).read_text() for name in mine} == mine
    # The report says they are kept as the user's, not that they are run-set's leftovers.
    assert not_shown_notes(report(out, tmp_path)) == [
        (NOT_RUN_SETS, "set_bad.summary.json, set_bad.trace.jsonl")]
    # The same run by hand (seed 1, as the set runs it) is run-set's output again: it goes.
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    subprocess.run([dsim, "run", "set/bad.json", "-q", "--trace", "out/set_bad.trace.jsonl"], cwd=tmp_path)
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed 2 outputs" in done.stdout, done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "set_good.summary.json", "set_good.trace.jsonl"]


def test_an_interrupted_no_trace_set_says_why_it_left_the_traces_of_scenarios_it_ran(dsim, tmp_path):
    """A set with traces, then a --no-trace set stopped by SIGINT in its second scenario:
    the traces of the scenarios it ran (a pass, b interrupted) are listed as left, and the
    report says they were not asked for, not that they could not be written."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    scenarios.mkdir()
    base = json.loads((SOURCE_DIR / "scenarios" / "default.json").read_text())
    long = {**base, "nodes": 60, "duration": "120s", "limits": {"max_trace_bytes": 1000000}}
    for name in ("a", "b", "c"):
        (scenarios / f"{name}.json").write_text(json.dumps(base))
    run_set(dsim, tmp_path, "set", "--out", "out")
    (scenarios / "b.json").write_text(json.dumps(long))
    _run_set_stopped_after_set_a(dsim, tmp_path, out, "--no-trace")
    index = json.loads((out / "index.json").read_text())
    assert [e["verdict"] for e in index] == ["pass", "interrupted", "not_run"], index
    assert [e.get("earlier_outputs") for e in index[:2]] == [["out/set_a.trace.jsonl"], ["out/set_b.trace.jsonl"]]
    page, stdout = run_report(out, tmp_path)
    assert not_shown_notes(page) == [
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios this set ran without traces "
         "(--no-trace: it wrote their summaries), left as the set was stopped by a signal before its clean-up",
         "set_a.trace.jsonl, set_b.trace.jsonl"),
        (LISTED_AS_LEFT + "an earlier run-set&#x27;s outputs of scenarios this set did not reach (NOT RUN: it "
         "was stopped by a signal first)", "set_c.summary.json, set_c.trace.jsonl")], page
    assert "NOT WRITTEN" not in page and "could not write" not in page


def test_two_scenarios_whose_outputs_would_share_a_name_are_refused_before_anything_runs(dsim, tmp_path):
    """sc/a.json and sc_a.json would both write sc_a.*: one run would replace the other's
    outputs and the index would point both entries at one run. Refused with exit code 2;
    the output folder is not even made."""
    (tmp_path / "sc").mkdir()
    shutil.copy(SOURCE_DIR / "scenarios" / "default.json", tmp_path / "sc" / "a.json")
    shutil.copy(SOURCE_DIR / "scenarios" / "2pc" / "seed-demo.json", tmp_path / "sc_a.json")
    done = run_set(dsim, tmp_path, "sc", "sc_a.json", "--out", "out", expect=2)
    assert ("the scenarios sc/a.json and sc_a.json would both write their outputs to sc_a.summary.json "
            "and sc_a.trace.jsonl") in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_a_scenario_named_twice_runs_once(dsim, tmp_path):
    """A folder and a file in it (also written ./sc/a.json): one run, one index entry."""
    (tmp_path / "sc").mkdir()
    shutil.copy(SOURCE_DIR / "scenarios" / "default.json", tmp_path / "sc" / "a.json")
    run_set(dsim, tmp_path, "sc", "./sc/a.json", "sc/a.json", "--out", "out")
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert [e["file"] for e in index] == ["./sc/a.json"], index
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "index.json", "sc_a.summary.json", "sc_a.trace.jsonl"]


def _as_written_before_scenario_hash(index_file):
    """index.json as a dsim that did not record scenario hashes wrote it."""
    index = json.loads(index_file.read_text())
    for entry in index:
        entry.pop("scenario_hash", None)
        entry.pop("earlier_runs", None)
    index_file.write_text(json.dumps(index, indent=2) + "\n")


def test_an_index_without_scenario_hashes_never_costs_a_trace_written_by_hand(dsim, tmp_path):
    """After an upgrade, the earlier index.json records no scenario hash: a trace the user
    wrote by hand at a listed name, of the same scenario file and seed with another --set,
    names what run-set's own output would name. The first set without that scenario keeps
    it (and run-set's own summary beside it, which it cannot tell apart either), says so,
    and lists neither as left; the set after it does not touch them."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=True)
    run_set(dsim, tmp_path, "set", "--out", "out", expect=1)
    _as_written_before_scenario_hash(out / "index.json")
    subprocess.run([dsim, "run", "set/bad.json", "-q", "--set", "duration=9s", "--trace", "out/set_bad.trace.jsonl"],
                   cwd=tmp_path)
    mine = (out / "set_bad.trace.jsonl").read_text()
    header = json.loads(mine.split("\n")[0])
    assert (header["file"], header["seed"]) == ("set/bad.json", 1), header
    make_set(scenarios, with_failing=False)
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed" not in done.stdout, done.stdout
    assert ("kept 2 outputs that an earlier index.json (from a dsim that did not record \"scenario_hash\") "
            "lists but this set does not write: set_bad.summary.json, set_bad.trace.jsonl") in done.stdout, done.stdout
    assert (out / "set_bad.trace.jsonl").read_text() == mine
    assert (out / "set_bad.summary.json").is_file()
    assert all("earlier_outputs" not in e for e in json.loads((out / "index.json").read_text()))
    done = run_set(dsim, tmp_path, "set", "--out", "out")
    assert "removed" not in done.stdout and "kept" not in done.stdout, done.stdout
    assert (out / "set_bad.trace.jsonl").read_text() == mine


# The report's reason for outputs of a scenario in the set that an index.json without
# scenario hashes listed, and that run-set therefore kept.
UNPROVABLE = ("index.json lists them as its entries&#x27; &quot;unprovable_outputs&quot;: outputs of "
              "scenarios in this set that it did not write, listed by an earlier index.json from a dsim "
              "that did not record &quot;scenario_hash&quot;, so run-set could not prove them its own (a run "
              "of yours of the same scenario file and seed with other settings looks the same) and kept "
              "them; remove them by hand if they are run-set&#x27;s")


def test_outputs_an_index_without_scenario_hashes_listed_are_kept_named_under_q_and_reported_as_such(
        dsim, tmp_path):
    """After an upgrade, a --no-trace set into a folder whose index.json records no scenario
    hash cannot prove the listed traces of its own scenarios run-set's: it keeps them and
    says so even under -q (a note about a file that may be the user's is no chatter), lists
    them in their entry as "unprovable_outputs", and the report gives that as the reason
    (before: "neither wrote them nor knew them as an earlier run-set's"). A later set that
    still does not write them lists them again (without repeating the note); one that
    writes them drops them."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    run_set(dsim, tmp_path, "set", "--out", "out")
    _as_written_before_scenario_hash(out / "index.json")
    done = run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace", "-q")
    assert done.stdout == ("kept 1 output that an earlier index.json (from a dsim that did not record "
                           "\"scenario_hash\") lists but this set does not write: set_good.trace.jsonl; such an "
                           "output cannot be told from a run of yours of the same scenario file and seed with "
                           "other settings, so it is left to you (remove it by hand if it is run-set's: later "
                           "sets do not)\n"), done.stdout
    assert done.stderr == "", done.stderr
    assert (out / "set_good.trace.jsonl").is_file()
    index = json.loads((out / "index.json").read_text())
    assert [e.get("unprovable_outputs") for e in index] == [["out/set_good.trace.jsonl"]], index
    assert all("earlier_outputs" not in e for e in index), index
    page = report(out, tmp_path)
    assert not_shown_notes(page) == [(UNPROVABLE, "set_good.trace.jsonl")], page
    assert "neither wrote them" not in page

    done = run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace")
    assert "kept" not in done.stdout, done.stdout
    index = json.loads((out / "index.json").read_text())
    assert [e.get("unprovable_outputs") for e in index] == [["out/set_good.trace.jsonl"]], index
    assert not_shown_notes(report(out, tmp_path)) == [(UNPROVABLE, "set_good.trace.jsonl")]

    run_set(dsim, tmp_path, "set", "--out", "out", "-q")  # writes the trace again: its own now
    index = json.loads((out / "index.json").read_text())
    assert all("unprovable_outputs" not in e for e in index), index
    assert index[0]["trace"] == "out/set_good.trace.jsonl"


def test_a_file_of_the_users_put_where_an_unprovable_output_was_is_not_named_as_one(dsim, tmp_path):
    """An output named unprovable by an earlier set is named so again only while it still
    holds such an output: a file the user has put at its name since is the user's, kept as
    any other, and neither index.json nor the report calls it a run-set output."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    run_set(dsim, tmp_path, "set", "--out", "out")
    _as_written_before_scenario_hash(out / "index.json")
    run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace", "-q")
    index = json.loads((out / "index.json").read_text())
    assert [e.get("unprovable_outputs") for e in index] == [["out/set_good.trace.jsonl"]], index
    (out / "set_good.trace.jsonl").write_text("my notes\n")
    done = run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace", "-q")
    assert done.stdout == "", done.stdout
    assert (out / "set_good.trace.jsonl").read_text() == "my notes\n"
    index = json.loads((out / "index.json").read_text())
    assert all("unprovable_outputs" not in e for e in index), index
    assert UNPROVABLE not in [why for why, _ in not_shown_notes(report(out, tmp_path))]


def test_without_q_the_kept_note_comes_with_the_other_lines_and_q_hides_only_those(dsim, tmp_path):
    """-q hides the progress lines ("ok ...", the count), never the note naming outputs
    run-set kept; without -q the note comes among them."""
    scenarios, out = tmp_path / "set", tmp_path / "out"
    make_set(scenarios, with_failing=False)
    run_set(dsim, tmp_path, "set", "--out", "out")
    _as_written_before_scenario_hash(out / "index.json")
    done = run_set(dsim, tmp_path, "set", "--out", "out", "--no-trace")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ok ") and lines[1].startswith("kept 1 output ") and "1 scenarios" in lines[2], lines
