#!/usr/bin/env python3
"""Sweeps every shipped scenario that runs the random nemesis and is expected to pass (its
`expect` block says exit 0) over a range of seeds, and prints one line per scenario: seeds
passed, the failing seeds and the checks they failed. This is the benchmark run behind the
"fixed variant passes seeds 1..1000" claims in the family READMEs and the closing notes;
it takes minutes, so it is not part of ctest.

    python3 sim/bench/fixed_variant_sweeps.py [--dsim build/dsim] [--seeds 1..1000]
                                              [--jobs 2] [--only SUBSTRING ...]

Exit code 0 when every scenario passed every seed, 1 otherwise, 2 on bad arguments.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def swept_scenarios(only):
    out = []
    for path in sorted((ROOT / "scenarios").rglob("*.json")):
        if ".schema." in path.name:
            continue
        doc = json.loads(path.read_text())
        if doc.get("expect", {}).get("exit") != 0:
            continue
        if "random" not in doc.get("faults", {}):
            continue
        rel = str(path.relative_to(ROOT))
        if only and not any(s in rel for s in only):
            continue
        out.append(rel)
    return out


def sweep(dsim, scenario, seeds, jobs):
    with tempfile.TemporaryDirectory() as tmp:
        results = pathlib.Path(tmp) / "sweep.jsonl"
        start = time.monotonic()
        done = subprocess.run([dsim, "sweep", scenario, "--seeds", seeds, "--jobs", str(jobs), "--out",
                               str(results), "-q"], cwd=ROOT, capture_output=True, text=True)
        wall = time.monotonic() - start
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{scenario}: dsim sweep exited {done.returncode}: {done.stderr.strip()}")
        rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    failed = [(r["seed"], r["check"]) for r in rows if r["verdict"] == "fail"]
    return len(rows), failed, wall


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dsim", default=str(ROOT / "build" / "dsim"))
    p.add_argument("--seeds", default="1..1000")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--only", nargs="*", default=[], help="sweep only scenarios whose path contains one of these")
    a = p.parse_args()
    scenarios = swept_scenarios(a.only)
    if not scenarios:
        print("no scenario matches", file=sys.stderr)
        return 2
    all_passed = True
    print(f"| scenario | seeds {a.seeds} passed | failing seeds (check) | wall s |")
    print("| --- | --- | --- | --- |")
    for s in scenarios:
        runs, failed, wall = sweep(a.dsim, s, a.seeds, a.jobs)
        all_passed = all_passed and not failed
        shown = ", ".join(f"{seed} ({check})" for seed, check in failed[:10]) + (" ..." if len(failed) > 10 else "")
        print(f"| {s} | {runs - len(failed)}/{runs} | {shown} | {wall:.1f} |", flush=True)
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
