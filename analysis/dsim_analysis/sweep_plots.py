"""Pictures of a sweep's results (see sweep.py for reading them)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .figures import count_axis, new_figure, save_figure
from .sweep import (SPREAD_KEYS, SweepResults, to_ns, failed_check, failure_time_ns,
                    fault_kinds)

PASS_COLOR, FAIL_COLOR = "#2ca02c", "#d62728"


def failures_figure(results: SweepResults):
    """Seeds per outcome: passing, and failing by check."""
    counts = Counter(failed_check(r) or "pass" for r in results.records)
    if not counts:
        return None
    labels = ["pass"] + sorted(k for k in counts if k != "pass")
    fig = new_figure(8, 4)
    ax = fig.add_subplot()
    bars = ax.bar(labels, [counts.get(k, 0) for k in labels],
                  color=[PASS_COLOR] + [FAIL_COLOR] * (len(labels) - 1), gid="seeds-by-outcome")
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("seeds")
    count_axis(ax.yaxis)
    fails = len(results.records) - counts.get("pass", 0)
    fig.suptitle(f"{results.path.name}: {fails} of {len(results.records)} seeds failed")
    return fig


def failure_times_figure(results: SweepResults):
    """When in the run each failure happened, stacked by check."""
    by_check: dict[str, list[float]] = {}
    for r in results.failures:
        t = failure_time_ns(r)
        if t is not None:
            by_check.setdefault(failed_check(r), []).append(t / 1e9)
    if not by_check:
        return None
    fig = new_figure(8, 4)
    ax = fig.add_subplot()
    checks = sorted(by_check)
    ax.hist([by_check[c] for c in checks], bins=30, stacked=True, label=checks)
    ax.set_xlabel("time of the violation (s, simulated)")
    ax.set_ylabel("failing seeds")
    count_axis(ax.yaxis)
    ax.legend(fontsize=8)
    fig.suptitle("when failures happen")
    return fig


def fault_mix_figure(results: SweepResults):
    """Per fault kind: how many seeds enabled it, and what share of those failed."""
    enabled, failed = Counter(), Counter()
    for r in results.records:
        for kind in set(fault_kinds(r)):
            enabled[kind] += 1
            failed[kind] += failed_check(r) is not None
    if not enabled:
        return None
    kinds = sorted(enabled)
    fig = new_figure(9, 4.5)
    ax = fig.add_subplot()
    ax.bar(kinds, [enabled[k] for k in kinds], color="#aec7e8", label="seeds with the kind on")
    ax.bar(kinds, [failed[k] for k in kinds], color=FAIL_COLOR, label="... of which failed")
    ax.set_ylabel("seeds")
    count_axis(ax.yaxis)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    ax.legend(fontsize=8)
    fig.suptitle("fault mix (swarm testing): which kinds were on, and failure counts")
    return fig


def spread_figure(results: SweepResults):
    """Histograms of run size and cost per seed, for the fields the results carry."""
    panels = []
    for title, keys in SPREAD_KEYS.items():
        key = next((k for k in keys if any(k in r for r in results.records)), None)
        if key is None:
            continue
        values = [to_ns(r.get(key), key) for r in results.records]
        values = [v for v in values if v is not None]
        if "time" in title:
            values = [v / (1e9 if "(s)" in title else 1e6) for v in values]
        if values:
            panels.append((title, values))
    if not panels:
        return None
    fig = new_figure(4 * len(panels) + 1, 3.5)
    for ax, (title, values) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        ax.hist(values, bins=30, color="#1f77b4")
        ax.set_title(title, fontsize=9)
        ax.set_ylabel("seeds")
        count_axis(ax.yaxis)
    count_axis(ax.yaxis)
    return fig


FIGURES = {
    "sweep_failures.png": failures_figure,
    "sweep_failure_times.png": failure_times_figure,
    "sweep_fault_mix.png": fault_mix_figure,
    "sweep_spread.png": spread_figure,
}


def render_sweep(results: SweepResults, out_dir: Path) -> list[Path]:
    out = []
    for name, make in FIGURES.items():
        fig = make(results)
        if fig is not None:
            out.append(save_figure(fig, Path(out_dir) / name))
    return out
