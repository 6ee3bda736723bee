"""Renders what inputs.collect found: every picture the data supports, per run, per sweep
and per ring-stats result, with errors kept for the HTML instead of raised."""
from __future__ import annotations

import os
import shutil
import subprocess
import traceback
from pathlib import Path

from . import plugins
from .availability import render_availability
from .html_report import ListedRun, RunSection, StatsSection, SweepSection
from .inputs import Inputs, RunFiles, run_set_stem
from .network_rate import render_network
from .proto_timeline import render_proto_timeline
from .spacetime import render_spacetime
from .sweep import load_sweep
from .sweep_plots import render_sweep
from .trace_io import load_json, load_run, load_summary_only

REPO_ROOT = Path(__file__).resolve().parents[2]


def core_plots(spacetime_options: dict):
    """(label, render(run, out_dir)) for the pictures every protocol gets."""
    return [("network", render_network), ("availability", render_availability),
            ("protocol events", render_proto_timeline),
            ("space-time", lambda run, d: render_spacetime(run, d, **spacetime_options))]


def find_dsim(explicit: Path | None) -> str | None:
    for candidate in (explicit, os.environ.get("DSIM_BINARY"), REPO_ROOT / "build" / "dsim"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("dsim")


def export_perfetto(dsim: str | None, trace: Path, out: Path) -> str | None:
    """Runs `dsim perfetto`; returns an error text, or None on success."""
    if dsim is None:
        return "no dsim binary found (give --dsim or set DSIM_BINARY)"
    done = subprocess.run([dsim, "perfetto", "-q", str(trace), str(out)],
                          capture_output=True, text=True)
    if done.returncode == 0:
        return None
    return f"dsim perfetto exited {done.returncode}: {done.stderr}"


def render_run(files: RunFiles, out_dir: Path, spacetime_options: dict,
               perfetto: bool = False, dsim: str | None = None) -> RunSection:
    """Pictures for one run in out_dir/<run name>/; a Perfetto export (made by the dsim
    binary ``dsim``) when asked."""
    run = load_run(files.trace, files.summary) if files.trace else load_summary_only(files.summary)
    section = RunSection(run, expectation=files.expectation)
    run_dir = out_dir / run.name
    run_dir.mkdir(parents=True, exist_ok=True)
    if run.events:
        for label, render in core_plots(spacetime_options):
            try:
                picture = render(run, run_dir)
                if picture is not None:
                    section.pictures.append(picture)
            except Exception:  # noqa: BLE001 - one broken picture must not cost the report
                section.errors.append((label, traceback.format_exc()))
    outcome = plugins.plots_for_run(run, run_dir)
    section.pictures += outcome.pictures
    section.errors += outcome.errors
    if perfetto and files.trace:
        target = run_dir / f"{run.name}.perfetto.json"
        error = export_perfetto(dsim, files.trace, target)
        if error:
            section.errors.append(("perfetto export", error))
        else:
            section.perfetto = target
    return section


def listed_run(files: RunFiles) -> ListedRun:
    """An index.json entry without outputs (refused, not run, ...): nothing to draw."""
    entry = files.expectation or {}
    file = entry.get("file")
    return ListedRun(entry, run_set_stem(file) if file else entry.get("scenario") or "run")


def render_all(found: Inputs, out_dir: Path, spacetime_options: dict, perfetto: bool,
               dsim: Path | None = None):
    """-> (run sections, and listed runs without outputs, in the order found; sweep
    sections; ring-stats sections)."""
    dsim_binary = find_dsim(dsim) if perfetto else None
    runs = [render_run(f, out_dir, spacetime_options, perfetto, dsim_binary) if f.has_outputs
            else listed_run(f) for f in found.runs]
    sweeps = []
    for path in found.sweeps:
        results = load_sweep(path)
        sweeps.append(SweepSection(results, render_sweep(results, out_dir / path.stem)))
    stats = []
    for path in found.ring_stats:
        outcome = plugins.plots_for_ring_stats(load_json(path), out_dir / path.stem)
        stats.append(StatsSection(path, outcome.pictures, outcome.errors))
    return runs, sweeps, stats
