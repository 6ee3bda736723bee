"""Shared fixtures: the analysis package on sys.path, the dsim binary, and small traces
made by dsim once per session (the built-in default scenario and the heartbeat under the
random nemesis)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("DSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_DIR / "analysis"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dsim_analysis.trace_io import load_run  # noqa: E402


@pytest.fixture(scope="session")
def dsim() -> str:
    binary = os.environ.get("DSIM_BINARY") or str(SOURCE_DIR / "build" / "dsim")
    if not Path(binary).is_file():
        pytest.fail(f"dsim binary not found at {binary} (build it, or set DSIM_BINARY)")
    return binary


def run_dsim(dsim: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([dsim, *args], cwd=SOURCE_DIR, capture_output=True, text=True)
    assert done.returncode == expect, done.stderr
    return done


@pytest.fixture(scope="session")
def traces(dsim, tmp_path_factory) -> Path:
    """A folder with default.*, heartbeat.* (pass) and failing.* (settled_view fails)."""
    out = tmp_path_factory.mktemp("traces")
    for stem, args, expect in (
            ("default", [], 0),
            ("heartbeat", ["scenarios/heartbeat-random-faults.json"], 0),
            ("failing", ["scenarios/default.json", "--set", "protocol.timeout=150ms"], 1)):
        run_dsim(dsim, "run", *args, "--trace", str(out / f"{stem}.trace.jsonl"),
                 "--summary", str(out / f"{stem}.summary.json"), "-q", expect=expect)
    return out


@pytest.fixture(scope="session")
def default_run(traces):
    return load_run(traces / "default.trace.jsonl")


@pytest.fixture(scope="session")
def heartbeat_run(traces):
    return load_run(traces / "heartbeat.trace.jsonl")


@pytest.fixture(scope="session")
def failing_run(traces):
    return load_run(traces / "failing.trace.jsonl")
