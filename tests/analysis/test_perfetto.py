"""`dsim perfetto` and `dsim run --perfetto` write valid Trace Event JSON."""
import json
from collections import Counter, defaultdict

import pytest

from conftest import run_dsim
from synthetic import TraceBuilder

MS = 1_000_000


def load_events(path):
    doc = json.loads(path.read_text())
    assert doc["displayTimeUnit"] == "ns"
    return doc, doc["traceEvents"]


def check_trace_events(events, node_names):
    """The properties every export must have, whatever the trace."""
    for e in events:
        assert e["ph"] in "MXsfiBEbe" and e["pid"] == 1
        assert e["ph"] == "M" or isinstance(e["ts"], (int, float))
    threads = {e["args"]["name"]: e["tid"] for e in events
               if e["ph"] == "M" and e["name"] == "thread_name"}
    assert set(node_names) <= set(threads)                     # one track per node
    assert len(set(threads.values())) == len(threads)
    starts = Counter(e["id"] for e in events if e["ph"] == "s")
    finishes = Counter(e["id"] for e in events if e["ph"] == "f")
    assert starts == finishes and set(starts.values()) == {1}  # every arrow starts and ends once
    assert all(e.get("bp") == "e" for e in events if e["ph"] == "f")
    slices = {(e["tid"], e["ts"], e["cat"]) for e in events if e["ph"] == "X"}
    assert all((e["tid"], e["ts"], e["cat"]) in slices for e in events if e["ph"] in "sf")
    last_ts = defaultdict(float)
    depth = Counter()
    for e in events:                                           # file order is time order per track
        if e["ph"] == "M":
            continue
        assert e["ts"] >= last_ts[e["tid"]], e
        last_ts[e["tid"]] = e["ts"]
        depth[e["tid"]] += {"B": 1, "E": -1}.get(e["ph"], 0)
        assert depth[e["tid"]] >= 0
    assert set(depth.values()) <= {0}                          # every B has its E
    opened = Counter(e["id"] for e in events if e["ph"] == "b")
    assert opened == Counter(e["id"] for e in events if e["ph"] == "e")
    return threads


def test_heartbeat_trace_converts(dsim, traces, heartbeat_run, tmp_path):
    out = tmp_path / "hb.json"
    stdout = run_dsim(dsim, "perfetto", str(traces / "heartbeat.trace.jsonl"), str(out)).stdout
    doc, events = load_events(out)
    assert doc["otherData"]["scenario"] == "heartbeat-random-faults"
    check_trace_events(events, heartbeat_run.node_names)
    kinds = Counter(e["ev"] for e in heartbeat_run.events)
    copies = kinds["send"] + kinds["duplicate"] - sum(
        1 for i, e in enumerate(heartbeat_run.events) if e["ev"] == "drop" and
        heartbeat_run.events[i - 1]["ev"] == "send" and heartbeat_run.events[i - 1]["id"] == e["id"])
    assert sum(e["ph"] == "s" for e in events) == copies     # one arrow per copy that left
    assert f"{copies} message arrows" in stdout
    assert sum(e["ph"] == "B" and e["name"] == "crashed" for e in events) == kinds["crash"]
    assert sum(e["ph"] == "b" for e in events) == kinds["partition"]
    assert sum(e["ph"] == "i" and e["cat"] == "proto" for e in events) == kinds["proto"]


def test_run_writes_perfetto_without_a_trace_file(dsim, tmp_path):
    out = tmp_path / "default.json"
    run_dsim(dsim, "run", "--perfetto", str(out), "-q")
    _, events = load_events(out)
    check_trace_events(events, [f"n{i}" for i in range(5)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["default.json"]  # temporary trace gone


def test_synthetic_corner_cases(dsim, tmp_path):
    b = TraceBuilder(nodes=("n0", "n1"), duration_ns=50 * MS)
    b.send(1 * MS, "n0", "n1", dropped="loss")                # no arrow
    dup = b.send(2 * MS, "n0", "n1", duplicated=True)         # two arrows
    b.fault(3 * MS, "pause", "n1")
    b.fault(4 * MS, "crash", "n1")                             # ends the pause
    b.drop_on_arrival(5 * MS, dup)
    b.fault(6 * MS, "restart", "n1")
    b.deliver(7 * MS, dup)
    b.send(8 * MS, "n1", "n0")                                # still in flight at the end
    b.fault(9 * MS, "partition", action="isolate", node="n0", cut=1)   # never healed
    b.violation(10 * MS, "safety", ["n0"])
    trace = b.write(tmp_path)
    out = tmp_path / "p.json"
    run_dsim(dsim, "perfetto", str(trace), str(out))
    _, events = load_events(out)
    threads = check_trace_events(events, ["n0", "n1"])
    assert sum(e["ph"] == "s" for e in events) == 3
    names = [(e["ph"], e["name"]) for e in events if e["ph"] in "BE" and e["tid"] == threads["n1"]]
    assert names == [("B", "paused"), ("E", "paused"), ("B", "crashed"), ("E", "crashed")]
    ends = [e for e in events if e["ph"] == "X" and e["name"].startswith("in flight at end")]
    assert len(ends) == 1 and ends[0]["ts"] == 50_000.0
    assert any(e["ph"] == "i" and e.get("s") == "g" and e["name"] == "VIOLATION safety"
               for e in events)
    sends = [e["ts"] for e in events if e["ph"] == "X" and e["name"].startswith("send")]
    assert sends == [2000.0, 8000.0]  # microseconds


@pytest.mark.parametrize("content", ['{"ev":"send"}\n', "not json\n"])
def test_bad_input_exits_2_and_writes_nothing(dsim, tmp_path, content):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    run_dsim(dsim, "perfetto", str(bad), str(tmp_path / "out.json"), expect=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]
