"""The schema and dsim give the same verdict on small variations of shipped scenarios, so
the two cannot drift apart unseen.

From a few shipped scenarios (together: every family, most variants, each core section) it
makes every variation of one key: the key left out, set to null, set to a value of another
type, set to an edge value of its type ("0.5ms", -1, [], the other boolean); and values at
the edges of the rule for numbers and durations (EDGE_VALUES). Each goes through
scenarios/scenario.schema.json and through `dsim run` (exit 2:
refused); they must agree. A refusal JSON Schema cannot say (one value against another, a
node name that must exist, an odd list) is named by its message in UNSAYABLE: only there may
the schema accept what dsim refuses, never the other way."""
import copy
import json
import os
import pathlib
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
DSIM = os.environ.get("DSIM_BINARY", str(ROOT / "build" / "dsim"))

# Shipped scenarios whose keys together reach every part of the schema that files use.
BASES = [
    "default.json", "heartbeat-random-faults.json", "phold.json",
    "ring/rebalance.json", "ring/maglev-rejoin.json", "ring/partition-flap.json",
    "locks/seed-demo.json", "locks/zombie-keepalive-fixed.json", "locks/redis-failover-fenced-random.json",
    "locks/etcd-keepalive-stops.json", "locks/raft-disk-faults.json", "locks/zookeeper-herd.json",
    "2pc/seed-demo.json", "2pc/bank-random-faults.json", "2pc/coordinator-log-fails.json",
    "2pc/paxos-commit-coordinator-crash.json", "2pc/participant-failover-loses-prepare.json",
    "2pc/torn-prepare-record-checksums.json", "2pc/recovery-manager-random-faults.json",
    "2pc/cooperative-termination-blocked.json", "2pc/three-phase-partition.json",
]

# ... and one with the core keys no shipped scenario sets (limits.max_events is left to
# --set, which bounds each run here).
EVERY_CORE_KEY = {
    "$schema": "../scenario.schema.json", "name": "every-core-key", "description": "d", "seed": 7, "duration": "20s",
    "nodes": 4, "down_at_start": ["n3"], "protocol": {"name": "heartbeat", "interval": "100ms"},
    "network": {"latency": {"dist": "uniform", "min": "1ms", "max": "5ms", "floor": "0ms", "cap": "10s"},
                "loss": 0.01, "duplicate": 0.01,
                "links": [{"from": "n0", "to": ["n1"], "latency": "3ms", "loss": 0.1, "duplicate": 0.1}]},
    "clocks": {"max_offset": "5ms", "max_drift_ppm": 100, "nodes": {"n1": {"offset": "-2ms", "drift_ppm": -50}}},
    "storage": {"keep_unsynced_max": 0.5, "torn_write": 0.1},
    "faults": {"schedule": [{"at": "12s", "action": "disk_slow", "node": "n1", "for": "500ms",
                             "latency": {"dist": "exponential", "mean": "5ms"}},
                            {"at": "13s", "action": "restart", "node": "n3"}],
               "random": {"kinds": ["crash", "stall", "disk_slow"], "swarm": True, "targets": ["n0", "n1"],
                          "start": "1s", "stop": "15s", "mean_interval": "1s", "duration_min": "100ms",
                          "duration_max": "1s", "max_down": 1, "clock_jump_max": "1s", "drift_ppm_max": 100,
                          "extra_latency_max": "5ms", "loss_max": 0.5, "stall_timers": ["tick"],
                          "stall_messages": ["ping"], "disk_latency_max": "5ms"}},
    "checks": ["settled_view"],
    "limits": {"max_events_per_instant": 1000, "max_time": "20s", "max_trace_bytes": 100000000,
               "max_memory": "1GiB", "stop_on_violation": False},
    "expect": {"exit": 0},
}

# dsim's refusals that JSON Schema cannot say (a pattern of the message, and why).
UNSAYABLE = {
    "no node or role named": "a name must be one of the run's nodes",
    r"expected at most the run's duration|\$\.duration: expected at least \S+ \(": "a time against the run's duration",
    r"\.stop: expected at least start|\.start: expected at most stop": "one value against another",
    r"\.max: expected at least min|\.min: expected at most max": "one value against another",
    r"\.duration_max: expected at least duration_min|\.duration_min: expected at most duration_max":
        "one value against another",
    "expected at least backoff_min": "one value against another",
    "expected at least start": "one value against another",
    "expected more than": "one value against another (a timeout above its interval)",
    "the random nemesis would plan about": "a count of faults from several values",
    "would do nothing": "a fault against the nodes' state at its time",
    "one replica node per participant": "one role's count against another's",
    r"2F\+1": "an odd number of names in a list",
    r'"[^"]*" is not a \w+ node': "a name must be one of the run's nodes of a role",
    "expected the name of a participant node": "a name must be one of the run's nodes of a role",
    "no client named": "a name must be one of the run's nodes of a role",
    "no account": "an account must be one of the run's (workload.accounts per participant)",
    "this run needs an estimated": "a memory limit against the run's estimate",
    r"\.max_down: expected an integer from 0 to": "a count against the run's nodes",
}


def paths(node, prefix=()):
    """Every key (and first list item) under `node`, parents first."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list) and node:
        yield prefix + (0,)
        yield from paths(node[0], prefix + (0,))


def another_type(value):
    return "x" if isinstance(value, (bool, int, float)) else True


def edge_value(value):
    """A value of the same type at an edge: below a timer's 1ms, negative, empty."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return -1
    return {str: "0.5ms", list: []}[type(value)]


def leaf(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def varied(doc, path, how):
    doc = copy.deepcopy(doc)
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    last = path[-1]
    if how == "left out":
        del parent[last]
    elif how == "null":
        parent[last] = None
    elif how == "another type":
        parent[last] = another_type(parent[last])
    else:
        parent[last] = edge_value(parent[last])
    return doc


def variations():
    """One variation per key pattern ("faults.schedule[].for") and kind of change; per family
    too for the keys a family reads (protocol, workload, nodes)."""
    seen = set()
    for base in BASES + ["every core key"]:
        doc = EVERY_CORE_KEY if base == "every core key" else json.loads((ROOT / "scenarios" / base).read_text())
        for path in paths(doc):
            pattern = ".".join("[]" if isinstance(p, int) else p for p in path)
            for how in ("left out", "null", "another type", "edge value"):
                if how == "edge value" and isinstance(leaf(doc, path), dict):
                    continue  # {} reads as each key left out, varied already
                family = doc["protocol"]["name"] if path[0] in ("protocol", "workload", "nodes") else ""
                key = (family, pattern, how)
                if key not in seen:
                    seen.add(key)
                    yield f"{base} {pattern} {how}", varied(doc, path, how)


# Values at the edges of the one rule for numbers and durations (README: durations are whole
# nanoseconds, never rounded, at most 365 days; an integer may be written as any number whose
# fraction is zero), each put at a key of a few kinds: a run's duration (above 0), a period
# (at least 1ms), a signed clock offset, a constant latency, an integer, a count.
EDGE_VALUES = {
    ("duration",): [".000016667m", "8761h", "8760h", 20000000000.0, 20000000000.5, "0.5ns", "1.0000000001s",
                    "0.00000000005m", "1.0000000000000000000000000s", "1e3ms", "20000000000.0ns"],
    ("protocol", "interval"): [".000016667m", ".000016666m", ".0000002778h", ".0000002777h", "999999", 1000000.0,
                               ".0s", "0.0h"],
    ("clocks", "nodes", "n1", "offset"): ["-8760h", "-8761h", -1e9, "-0.5ns", "-.5ms", "-0.00000000000025h"],
    ("network", "latency"): ["0.5ns", 1500000.0, "1.5us", 1.5],
    ("seed",): [1.0, 1.5, 7e0],
    ("expect", "exit"): [0.0, 0.5],
    ("nodes",): [4.0, 4.5],
    ("limits", "max_memory"): [1073741824.0, 1.5],
}


def edge_variations():
    for path, values in EDGE_VALUES.items():
        for value in values:
            doc = copy.deepcopy(EVERY_CORE_KEY)
            parent = doc
            for p in path[:-1]:
                parent = parent.setdefault(p, {})
            parent[path[-1]] = value
            yield f"every core key {'.'.join(path)} = {json.dumps(value)}", doc


def dsim_verdict(doc, folder):
    fd, name = tempfile.mkstemp(suffix=".json", dir=folder)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    done = subprocess.run([DSIM, "run", name, "-q", "--set", "limits.max_events=1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1, 2), done.stderr
    return done.returncode == 2, done.stderr.strip()


def test_schema_and_dsim_agree_on_variations(tmp_path):
    cases = list(variations()) + list(edge_variations())
    assert len(cases) > 300
    with ThreadPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        verdicts = list(pool.map(lambda c: dsim_verdict(c[1], tmp_path), cases))
    disagree = []
    for (name, doc), (refused, error) in zip(cases, verdicts):
        valid = VALIDATOR.is_valid(doc)
        if valid != refused:
            continue
        if valid and any(re.search(pattern, error) for pattern in UNSAYABLE):
            continue
        disagree.append(f"{name}: schema {'accepts' if valid else 'refuses'}, dsim "
                        f"{'refuses: ' + error if refused else 'accepts'}")
    assert not disagree, "\n".join(disagree)
