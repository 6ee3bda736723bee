"""Every Perfetto export is read by a strict Trace Event reader: the field rules checked
one by one and @tracerbench/trace-model from npm (strict_trace_check.js; installed into
tests/analysis/node_modules by .ci/setup with `npm ci`)."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_dsim
from synthetic import TraceBuilder

HERE = Path(__file__).resolve().parent
CHECKER = HERE / "strict_trace_check.js"
MS = 1_000_000

# One scenario per family (the big ones cut at an event bound: the format is what is tested).
SCENARIOS = [("scenarios/default.json", []), ("scenarios/heartbeat-random-faults.json", []),
             ("scenarios/phold.json", ["--set", "limits.max_events=20000"]),
             ("scenarios/ring/partition-flap.json", ["--set", "limits.max_events=20000"]),
             ("scenarios/locks/fenced-random-faults.json", []),
             ("scenarios/2pc/bank-random-faults.json", [])]


@pytest.fixture(scope="module")
def node() -> str:
    binary = shutil.which("node")
    if binary is None:
        pytest.fail("node not found (.ci/setup installs nodejs)")
    if not (HERE / "node_modules" / "@tracerbench" / "trace-model").is_dir():
        pytest.fail("tests/analysis/node_modules is missing: run `npm ci` in tests/analysis "
                    "(.ci/setup does)")
    return binary


def strict_read(node, *files):
    done = subprocess.run([node, str(CHECKER), *map(str, files)], capture_output=True, text=True)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def export(dsim, trace: Path, out: Path) -> Path:
    run_dsim(dsim, "perfetto", "-q", str(trace), str(out))
    return out


@pytest.mark.parametrize("scenario,overrides", SCENARIOS, ids=[s for s, _ in SCENARIOS])
def test_every_familys_export_reads_strictly(dsim, node, tmp_path, scenario, overrides):
    trace = tmp_path / "run.trace.jsonl"
    done = subprocess.run([dsim, "run", scenario, *overrides, "--trace", str(trace), "-q"],
                          capture_output=True, text=True, cwd=HERE.parents[1])
    assert done.returncode in (0, 1), done.stderr
    nodes = [n["name"] for n in json.loads(trace.open().readline())["nodes"]]
    code, models, err = strict_read(node, export(dsim, trace, tmp_path / "run.perfetto.json"))
    assert code == 0, err
    (model,) = models
    (process,) = model["processes"]
    assert process["pid"] == 1 and process["name"].startswith("dsim ")
    assert process["threads"] == ["cluster (partitions, link windows)", *nodes]
    assert model["events"] > len(nodes)


def test_dsim_run_perfetto_reads_strictly(dsim, node, tmp_path):
    out = tmp_path / "failing.perfetto.json"
    run_dsim(dsim, "run", "scenarios/default.json", "--set", "protocol.timeout=150ms",
             "--perfetto", str(out), "-q", expect=1)
    code, _, err = strict_read(node, out)
    assert code == 0, err


def test_a_trace_with_every_fault_kind_and_an_unlisted_node_reads_strictly(dsim, node, tmp_path):
    """Hand-made: crash, pause, partition, link window, clock changes, a violation, a
    message dropped on arrival, one still in flight, and a node missing from the header
    (its track is named when it first appears, mid-file)."""
    b = TraceBuilder(duration_ns=100 * MS)
    b.fault(1 * MS, "partition", action="partition", groups=[["n0"]], cut=1)
    m = b.send(2 * MS, "n0", "n1")
    b.fault(3 * MS, "heal", cut=1, cuts_healed=1)
    b.drop_on_arrival(4 * MS, m, reason="partition")
    b.fault(5 * MS, "crash", "n2")
    b.fault(6 * MS, "restart", "n2")
    b.fault(7 * MS, "pause", "n1")
    b.fault(8 * MS, "resume", "n1")
    b.fault(9 * MS, "link_window_start", action="link_slow", window=1, **{"from": ["n0"], "to": ["n1"]})
    b.fault(10 * MS, "link_window_end", window=1)
    b.fault(11 * MS, "clock_jump", "n0", by_ns=5 * MS)
    b.fault(12 * MS, "clock_drift", "n1", drift_ppm=100)
    b.proto(13 * MS, "x9", "hello")
    b.send(14 * MS, "n0", "n2")
    b.violation(15 * MS, "something", ["n0"])
    trace = b.write(tmp_path, "synthetic")
    code, models, err = strict_read(node, export(dsim, trace, tmp_path / "synthetic.perfetto.json"))
    assert code == 0, err
    assert models[0]["processes"][0]["threads"][-1] == "x9"


def test_the_checker_refuses_metadata_without_cat(node, tmp_path):
    """The rule item 8 fixed: what the exporter wrote before, read strictly, fails."""
    old = {"displayTimeUnit": "ns", "traceEvents": [
        {"ph": "M", "pid": 1, "name": "process_name", "args": {"name": "dsim default seed 1"}},
        {"ph": "X", "ts": 1.0, "dur": 0, "pid": 1, "tid": 2, "name": "send", "cat": "net"}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    code, _, err = strict_read(node, path)
    assert code == 1 and "cat is not a string" in err
