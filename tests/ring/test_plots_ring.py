"""The ring plots on a small ring-stats output and a small run (run via ctest)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dsim_analysis import plots_ring
from dsim_analysis.trace_io import load_run

DSIM = os.environ.get("DSIM_BINARY", "build/dsim")


def ring_stats(out: Path, *args: str) -> dict:
    subprocess.run([DSIM, "ring-stats", "--out", str(out), *args], check=True, capture_output=True)
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("ring")
    ring_stats(d / "stats.json", "--algorithm", "ring,jump,seed", "--nodes", "8", "--vnodes", "10,100",
               "--keys", "2000", "--events", "remove,add,crash-rejoin")
    subprocess.run([DSIM, "run", "scenarios/ring/rebalance.json", "--set", "workload.ops_per_second=20",
                    "--trace", str(d / "rebalance.trace.jsonl"), "-q"], check=True)
    subprocess.run([DSIM, "run", "scenarios/default.json", "--trace", str(d / "default.trace.jsonl"), "-q"],
                   check=True)
    return d


@pytest.fixture(scope="module")
def rebalance(outputs):
    return load_run(outputs / "rebalance.trace.jsonl")


def test_stats_plots(outputs, tmp_path):
    stats = json.loads((outputs / "stats.json").read_text())
    paths = plots_ring.plots_for_ring_stats(stats, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"ring_stats_{plot}.png" for plot in ("balance_vs_vnodes", "balance_by_algorithm", "load_cdf",
                                              "moved_per_event", "cumulative_churn", "removed_keys_landing",
                                              "lookup_vs_nodes"))
    assert all(p.stat().st_size > 5000 for p in paths)
    assert plots_ring.plots_for_ring_stats({"format": "something-else"}, tmp_path) == []


def test_run_plots_and_non_ring_runs(outputs, rebalance, tmp_path):
    paths = plots_ring.plots_for_run(rebalance, tmp_path)
    assert [p.name for p in paths] == ["ring_rebalance_availability.png", "ring_rebalance_key_movement.png"]
    assert plots_ring.plots_for_run(load_run(outputs / "default.trace.jsonl"), tmp_path) == []


def test_availability_series_counts_every_operation(rebalance):
    xs, fractions, counts = plots_ring.availability_series(rebalance, 10**9)
    assert sum(counts) == len(rebalance.proto_events("op_done")) > 0
    assert all(0.0 <= f <= 1.0 for f in fractions)


def test_one_command_plots_a_folder(outputs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    ring_stats(folder / "one.json", "--algorithm", "ring", "--nodes", "6", "--keys", "600", "--no-timing")
    shutil.copy(outputs / "default.trace.jsonl", folder)  # not a ring run: nothing to draw
    done = subprocess.run(["/usr/bin/python3", "-m", "dsim_analysis.plots_ring", str(folder), str(tmp_path / "png")],
                          check=True, capture_output=True, text=True)
    written = [Path(line) for line in done.stdout.split()]
    assert len(written) == 6  # no lookup plot: --no-timing leaves lookup_ns null
    assert all(p.exists() for p in written)
    assert plots_ring.main([str(outputs / "default.trace.jsonl"), str(tmp_path / "none")]) == 1
    assert plots_ring.main([str(tmp_path / "missing"), str(tmp_path / "none")]) == 2
