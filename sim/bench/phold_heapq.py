#!/usr/bin/python3
"""PHOLD in plain Python with heapq: what a user of a scripting language writes by hand.

Same workload as the other contenders (N nodes, T tokens each, every delivered token
forwarded to a uniformly random node after a delay uniform in [1 ms, 10 ms], integer
nanoseconds, ties broken by a sequence number), drawn from Python's own `random` module as
such a user would. Prints the same JSON report as `dsim_bench run-one`.

usage: phold_heapq.py NODES TOKENS DURATION_NS SEED
"""
import heapq
import json
import random
import resource
import sys
import time

DELAY_MIN_NS = 1_000_000
DELAY_MAX_NS = 10_000_000


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_phold(nodes, tokens, duration_ns, seed):
    rng = random.Random(seed)
    queue = []
    seq = 0
    for _ in range(nodes):
        for _ in range(tokens):
            heapq.heappush(queue, (rng.randint(DELAY_MIN_NS, DELAY_MAX_NS), seq, rng.randrange(nodes)))
            seq += 1
    events = 0
    while queue and queue[0][0] <= duration_ns:
        now_ns, _, _node = heapq.heappop(queue)
        events += 1
        heapq.heappush(queue, (now_ns + rng.randint(DELAY_MIN_NS, DELAY_MAX_NS), seq, rng.randrange(nodes)))
        seq += 1
    return events


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    nodes, tokens, duration_ns, seed = (int(a) for a in sys.argv[1:])
    baseline_kib = rss_kib()
    cpu0, wall0 = time.process_time(), time.monotonic()
    events = run_phold(nodes, tokens, duration_ns, seed)
    cpu1, wall1 = time.process_time(), time.monotonic()
    print(json.dumps({
        "contender": "python", "nodes": nodes, "tokens_per_node": tokens,
        "duration_ns": duration_ns, "seed": seed, "events": events,
        "run_cpu_s": cpu1 - cpu0, "run_wall_s": wall1 - wall0, "setup_cpu_s": 0.0,
        "baseline_rss_kib": baseline_kib,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
