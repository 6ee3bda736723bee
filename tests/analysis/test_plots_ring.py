"""The ring plots on small ring-stats outputs (one with trials and sweeps over V, probes,
table sizes and concurrent failures) and a small run."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SOURCE_DIR
from dsim_analysis.plugins import FAMILIES_DIR, family_plots

plots_ring = family_plots("ring")
from dsim_analysis.trace_io import load_run

DSIM = os.environ.get("DSIM_BINARY") or str(SOURCE_DIR / "build" / "dsim")


def ring_stats(out: Path, *args: str) -> dict:
    subprocess.run([DSIM, "ring-stats", "--out", str(out), *args], check=True, capture_output=True, cwd=SOURCE_DIR)
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("ring")
    ring_stats(d / "stats.json", "--algorithm", "ring,jump,seed", "--nodes", "8", "--vnodes", "10,100",
               "--keys", "2000", "--events", "remove,add,crash-rejoin")
    # The papers' figures: trials over layouts, sweeps over V, probes and table sizes,
    # concurrent failures (remove:k), two cluster sizes.
    ring_stats(d / "sweep.json", "--algorithm", "ring,multiprobe,maglev", "--nodes", "10,20", "--vnodes", "10,40",
               "--probes", "1,5,21", "--table-size", "251,1009", "--keys", "2000", "--trials", "3",
               "--events", "remove:1,add:1,remove:2,add:2,remove:4", "--no-timing")
    subprocess.run([DSIM, "run", "scenarios/ring/rebalance.json", "--set", "workload.ops_per_second=20",
                    "--trace", str(d / "rebalance.trace.jsonl"), "-q"], check=True, cwd=SOURCE_DIR)
    subprocess.run([DSIM, "run", "scenarios/default.json", "--trace", str(d / "default.trace.jsonl"), "-q"],
                   check=True, cwd=SOURCE_DIR)
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


def test_paper_plots_from_a_sweep_with_trials(outputs, tmp_path):
    stats = json.loads((outputs / "sweep.json").read_text())
    paths = plots_ring.plots_for_ring_stats(stats, tmp_path)
    names = {p.name for p in paths}
    for plot in ("balance_vs_vnodes", "balance_by_algorithm", "peak_vs_probes", "changed_vs_failures",
                 "moved_per_event", "load_cdf"):
        assert f"ring_stats_{plot}.png" in names
    assert all(p.stat().st_size > 5000 for p in paths)
    configs = stats["configurations"]
    assert len(configs) == 2 * (2 + 3 + 2)
    # A figure with trials is their mean, with their stddev.
    ring = configs[0]
    mean, err = plots_ring._figure(ring, "load_exact", "stddev_over_mean")
    assert mean == ring["trials"]["load_exact"]["stddev_over_mean"]["mean"] and err > 0
    assert plots_ring._figure(ring, "events", 0, "moved_fraction")[0] == \
        ring["trials"]["events"][0]["moved_fraction"]["mean"]


def test_moved_per_event_has_n_in_every_label_and_an_ideal_per_configuration(outputs, monkeypatch, tmp_path):
    stats = json.loads((outputs / "sweep.json").read_text())
    configs = [c for c in stats["configurations"] if c["algorithm"] == "ring" and c["vnodes"] == 40]
    figures = []
    monkeypatch.setattr(plots_ring, "_save", lambda fig, out_dir, name: figures.append(fig) or Path(name))
    plots_ring._plot_moved_per_event(configs, tmp_path, "t")
    ax = figures[0].axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "ring V=40 N=10" in labels and "ring V=40 N=20" in labels
    ideals = sorted({round(line.get_ydata()[0], 6) for line in ax.lines if len(line.get_ydata()) == 2})
    # remove:1 from 10 nodes is 1/10, from 20 nodes 1/20: one ideal per configuration.
    assert round(1 / 10, 6) in ideals and round(1 / 20, 6) in ideals


def test_balance_chart_is_one_sorted_row_per_configuration(outputs, monkeypatch, tmp_path):
    stats = json.loads((outputs / "sweep.json").read_text())
    figures = []
    monkeypatch.setattr(plots_ring, "_save", lambda fig, out_dir, name: figures.append(fig) or Path(name))
    plots_ring._plot_balance_by_algorithm(stats["configurations"], tmp_path, "t")
    ax = figures[0].axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == len(stats["configurations"]) and all("N=" in r for r in rows)


def test_run_plots_and_non_ring_runs(outputs, rebalance, tmp_path):
    paths = plots_ring.plots_for_run(rebalance, tmp_path)
    assert [p.name for p in paths] == ["ring_rebalance_availability.png", "ring_rebalance_key_movement.png"]
    assert plots_ring.plots_for_run(load_run(outputs / "default.trace.jsonl"), tmp_path) == []


def test_availability_series_counts_every_operation(rebalance):
    xs, fractions, counts = plots_ring.availability_series(rebalance, 10**9)
    completed = [e for e in rebalance.proto_events("op") if e["data"]["type"] != "invoke"]
    assert sum(counts) == len(completed) > 0
    ok = sum(1 for e in completed if e["data"]["type"] == "ok")
    assert abs(sum(f * n for f, n in zip(fractions, counts)) - ok) < 1e-6
    assert all(0.0 <= f <= 1.0 for f in fractions)


def test_one_command_plots_a_folder(outputs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    ring_stats(folder / "one.json", "--algorithm", "ring", "--nodes", "6", "--keys", "600", "--no-timing")
    shutil.copy(outputs / "default.trace.jsonl", folder)  # not a ring run: nothing to draw
    env = {**os.environ, "PYTHONPATH": str(SOURCE_DIR / "analysis")}
    done = subprocess.run(["/usr/bin/python3", str(FAMILIES_DIR / "ring" / "plots.py"), str(folder), str(tmp_path / "png")],
                          check=True, capture_output=True, text=True, env=env)
    written = [Path(line) for line in done.stdout.split()]
    assert len(written) == 6  # no lookup plot: --no-timing leaves lookup_ns null
    assert all(p.exists() for p in written)
    assert plots_ring.main([str(outputs / "default.trace.jsonl"), str(tmp_path / "none")]) == 1
    assert plots_ring.main([str(tmp_path / "missing"), str(tmp_path / "none")]) == 2
