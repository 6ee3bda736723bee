#!/usr/bin/python3
"""Plots PHOLD events per CPU-second against the node count, one line per contender.

usage: plot_bench.py RESULTS_JSON OUTPUT_PNG   (run with /usr/bin/python3: matplotlib)
Prints {"plot": OUTPUT_PNG} when done.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

LABELS = {
    "dsim": "dsim (full network model, no trace)",
    "dsim_trace": "dsim, JSON-lines trace on",
    "bare_loop": "bare std::priority_queue loop",
    "simgrid": "SimGrid 3.32 S4U",
    "python": "plain Python + heapq",
}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        results = json.load(f)
    fig, ax = plt.subplots(figsize=(8, 5))
    for contender in results["settings"]["contenders"]:
        points = [(p["nodes"], p["runs"][contender]["events_per_cpu_s"])
                  for p in results["phold"]
                  if "events_per_cpu_s" in p["runs"].get(contender, {})]
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, marker="o", label=LABELS.get(contender, contender))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("nodes (N)")
    ax.set_ylabel("events per CPU-second")
    tokens = results["settings"]["tokens_per_node"]
    ax.set_title(f"PHOLD, {tokens} tokens per node, delay uniform in [1 ms, 10 ms]")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
    print(json.dumps({"plot": sys.argv[2]}))


if __name__ == "__main__":
    main()
