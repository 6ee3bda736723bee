"""Every family with clients traces its client operations as the common ``op`` event
(sim/core/client_op.h), paired invoke -> ok | fail | unknown, and the availability picture
draws them; phold and heartbeat have no client operations."""
import subprocess

import pytest

from conftest import SOURCE_DIR
from dsim_analysis.availability import availability_figure
from dsim_analysis.ops import client_ops
from dsim_analysis.trace_io import load_run

COMPLETIONS = {"ok", "fail", "unknown"}

# (scenario, overrides, the operation kinds its clients run)
FAMILIES = [
    ("scenarios/ring/partition-flap.json", [], {"get", "put"}),
    ("scenarios/locks/seed-demo.json", ["--set", "duration=20s"], {"acquire", "write"}),
    ("scenarios/locks/fenced-random-faults.json", [], {"acquire", "write"}),
    ("scenarios/2pc/bank-random-faults.json", [], {"transfer", "audit"}),
    ("scenarios/2pc/seed-demo.json", [], {"double"}),
]


def traced(dsim, tmp_path, scenario, overrides):
    trace = tmp_path / "run.trace.jsonl"
    done = subprocess.run([dsim, "run", scenario, *overrides, "--trace", str(trace), "-q"],
                          cwd=SOURCE_DIR, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr  # a failing check still traces the run
    return load_run(trace)


def check_pairing(run):
    """Walks the trace as a history: returns (completed, never completed) counts and
    fails on any op event that breaks the shape or the pairing."""
    open_ops: dict[tuple, str] = {}
    completed = 0
    for e in run.events:
        if e.get("ev") == "crash":
            for key in [k for k in open_ops if k[0] == e["node"]]:
                del open_ops[key]
            continue
        if e.get("ev") != "proto" or e.get("name") != "op":
            continue
        data = e["data"]
        assert list(data) == ["type", "id", "op", "value"], e
        assert isinstance(data["id"], int) and data["id"] >= 1, e
        key = (e["node"], data["id"])
        if data["type"] == "invoke":
            assert key not in open_ops, f"id invoked twice while open: {e}"
            open_ops[key] = data["op"]
        else:
            assert data["type"] in COMPLETIONS, e
            assert open_ops.pop(key, None) == data["op"], f"completion without its invocation: {e}"
            completed += 1
    return completed, len(open_ops)


@pytest.mark.parametrize("scenario,overrides,kinds", FAMILIES,
                         ids=[f[0].split("/", 1)[1] for f in FAMILIES])
def test_each_family_traces_paired_client_ops(dsim, tmp_path, scenario, overrides, kinds):
    run = traced(dsim, tmp_path, scenario, overrides)
    completed, _ = check_pairing(run)
    assert completed > 0
    ops = client_ops(run)
    assert {op.kind for op in ops} == kinds
    assert sum(op.completed for op in ops) == completed
    assert all(op.latency_ns > 0 for op in ops if op.completed)  # true time, never a 0 stand-in
    fig = availability_figure(run)
    latency_ax = fig.axes[1]
    drawn = sum(len(c.get_offsets()) for c in latency_ax.collections
                if (c.get_gid() or "").startswith("latency-") and c.get_gid() != "latency-never")
    assert drawn == completed


def test_lock_writes_have_their_real_latency(dsim, tmp_path):
    """The old reader gave lock writes a latency of 0 (drawn at 1 ns on the log axis)."""
    run = traced(dsim, tmp_path, "scenarios/locks/seed-demo.json", ["--set", "duration=20s"])
    writes = [op for op in client_ops(run) if op.kind == "write" and op.completed]
    assert writes and min(op.latency_ns for op in writes) >= 1_000  # at least a network hop


@pytest.mark.parametrize("scenario", ["scenarios/phold.json", "scenarios/default.json"])
def test_families_without_clients_trace_no_ops(dsim, tmp_path, scenario):
    run = traced(dsim, tmp_path, scenario, [])
    assert run.events and client_ops(run) == [] and availability_figure(run) is None
