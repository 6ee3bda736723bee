"""-q/--quiet: every command that prints progress or results prints nothing but errors (and
run-set's note of outputs it kept, which asks something of the user: that one is tested in
tests/analysis/test_run_set_report.py; the sets here keep none).
Each command is run twice, without and with -q: without, it prints something (so the test
sees -q change it); with, standard output and standard error are both empty, and the exit
code and the files written are the same. An error still prints under -q."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DSIM = os.environ.get("DSIM_BINARY", str(ROOT / "build" / "dsim"))
HEARTBEAT = str(ROOT / "scenarios" / "default.json")
FAILING = str(ROOT / "scenarios" / "locks" / "unsafe-release.json")  # fails owner_release


def dsim(*args):
    return subprocess.run([DSIM, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def sweep_file(tmp_path):
    out = tmp_path / "sweep.jsonl"
    done = dsim("sweep", HEARTBEAT, "--seeds", "1..2", "--jobs", "1", "--out", out, "-q")
    assert done.returncode == 0, done.stderr
    return out


def trace_file(tmp_path):
    trace = tmp_path / "t.jsonl"
    done = dsim("run", HEARTBEAT, "--trace", trace, "-q")
    assert done.returncode == 0, done.stderr
    return trace


# name -> (arguments given the tmp folder and a suffix for output names, expected exit code)
COMMANDS = {
    "run": (lambda d, s: ["run", HEARTBEAT, "--summary", d / f"s{s}.json"], 0),
    "run failing": (lambda d, s: ["run", FAILING], 1),
    "run --perfetto": (lambda d, s: ["run", HEARTBEAT, "--perfetto", d / f"p{s}.json"], 0),
    "run-set": (lambda d, s: ["run-set", HEARTBEAT, FAILING, "--out", d / f"set{s}", "--no-trace"], 0),
    "sweep": (lambda d, s: ["sweep", HEARTBEAT, "--seeds", "1..3", "--jobs", "1",
                            "--out", d / f"sw{s}.jsonl"], 0),
    "check-determinism": (lambda d, s: ["check-determinism", HEARTBEAT, "--seed", "3"], 0),
    "shrink": (lambda d, s: ["shrink", FAILING, "--seed", "1", "--out", d / f"min{s}.json",
                             "--max-runs", "3"], 0),
    "merge": (lambda d, s: ["merge", sweep_file(d), "--out", d / f"m{s}.jsonl"], 0),
    "perfetto": (lambda d, s: ["perfetto", trace_file(d), d / f"perfetto{s}.json"], 0),
    "ring-stats": (lambda d, s: ["ring-stats", "--nodes", "8", "--keys", "2000", "--no-timing",
                                 "--out", d / f"ring{s}.json"], 0),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_quiet_prints_nothing_but_errors(name, tmp_path):
    args, code = COMMANDS[name]
    loud = dsim(*args(tmp_path, "loud"))
    assert loud.returncode == code, loud.stderr
    assert loud.stdout + loud.stderr != "", "without -q the command prints something"
    quiet = dsim(*args(tmp_path, "quiet"), "-q")
    assert quiet.returncode == code, quiet.stderr
    assert quiet.stdout == ""
    assert quiet.stderr == ""
    written = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")]
    loud_files = sorted(p.replace("loud", "X") for p in written if "loud" in p)
    quiet_files = sorted(p.replace("quiet", "X") for p in written if "quiet" in p)
    assert loud_files == quiet_files


@pytest.mark.parametrize("args", [
    ["run", "no-such-file.json", "-q"],
    ["run-set", "no-such-folder", "-q"],
    ["sweep", "no-such-file.json", "--seeds", "1..2", "-q"],
    ["check-determinism", "no-such-file.json", "-q"],
    ["shrink", "no-such-file.json", "--seed", "1", "--out", "x.json", "-q"],
    ["merge", "no-such-file.jsonl", "-q"],
    ["perfetto", "no-such-file.jsonl", "out.json", "-q"],
    ["ring-stats", "--nodes", "x", "-q"],
])
def test_quiet_still_prints_errors(args):
    done = dsim(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("dsim"), done.stderr


def test_every_command_that_prints_takes_quiet():
    """Each command's --help lists -q [ --quiet ], except those whose output is the answer."""
    listing = dsim("--help").stdout
    commands = listing.split("commands")[1].split("\n\n")[0].splitlines()[1:]
    names = [line.split()[0] for line in commands if line.strip()]
    assert "run" in names and "describe" in names
    for name in names:
        if name in ("describe", "version", "ring"):  # their output is what was asked for
            continue
        assert "-q [ --quiet ]" in dsim(name, "--help").stdout, name
