#!/usr/bin/env python3
"""How fast this CPU fetches code it cannot keep in its first-level instruction cache.

A VM's CPU may show the guest another CPU's model and cache sizes (QEMU's "EPYC" model
shows Zen 1's 64 KiB L1i on whatever host it runs), and 2PC's rate against PHOLD's depends
on instruction fetch (README.md here, sessions 19 and 22). This probe measures instead of
asking: for each footprint F it builds a function of F bytes of code, 64-byte blocks of 14
independent 4-byte adds and a jump, visited in a random cycle (so no sequential prefetch
helps, and too many micro-ops for an op cache), and prints the best time per block over a
few runs. The time stays flat while F fits the L1i and climbs once it does not: the
footprint where it starts climbing is the cache's size as the code sees it.

    python3 sim/bench/icache_probe.py [--sizes 8,16,24,...] [--runs 9]

Needs gcc. Prints "KiB ns-per-block" lines. Not a test: it only measures.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

# add $1, reg for seven 64-bit registers (rax, rdx, rsi, r8, r9, r10, r11): four bytes
# each, seven independent chains, so the adds never wait for one another.
ADDS = ["0x48, 0x83, 0xc0", "0x48, 0x83, 0xc2", "0x48, 0x83, 0xc6",
        "0x49, 0x83, 0xc0", "0x49, 0x83, 0xc1", "0x49, 0x83, 0xc2", "0x49, 0x83, 0xc3"]


def function_asm(size):
    """long run_SIZE(long cycles): walks its blocks in a fixed random cycle `cycles` times."""
    blocks = size // 64
    order = list(range(1, blocks))
    random.Random(7).shuffle(order)  # the same cycle every run
    order = [0] + order
    successor = {order[i]: order[(i + 1) % blocks] for i in range(blocks)}
    out = [".text", ".globl run_%d" % size, ".p2align 6", "run_%d:" % size,
           "  mov %rdi, %rcx", "  jmp B%d_0" % size, ".p2align 6"]
    for b in range(blocks):
        out.append("B%d_%d:" % (size, b))
        out += ["  .byte %s, 0x01" % ADDS[i % len(ADDS)] for i in range(14)]
        if successor[b] == 0:
            out += ["  dec %rcx", "  jz B%d_end" % size, "  jmp B%d_0" % size]
        else:
            out.append("  jmp B%d_%d" % (size, successor[b]))
        out.append(".p2align 6")
    out += ["B%d_end:" % size, "  ret", '.section .note.GNU-stack,"",@progbits']
    return "\n".join(out) + "\n"


def driver_c(sizes, runs, blocks_per_run):
    decls = "".join("long run_%d(long);\n" % s for s in sizes)
    calls = "".join(
        "  measure(%d, run_%d);\n" % (s, s) for s in sizes)
    return """#include <stdio.h>
#include <time.h>
%s
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static void measure(long size, long (*run)(long)) {
  long cycles = %dL / (size / 64);
  double best = 1e9;
  for (int r = 0; r < %d; ++r) {
    double t0 = now();
    run(cycles);
    double t = now() - t0;
    if (t < best) best = t;
  }
  printf("%%6ld %%.3f\\n", size / 1024, best * 1e9 / ((double)cycles * (size / 64)));
}
int main(void) {
%s  return 0;
}
""" % (decls, blocks_per_run, runs, calls)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="8,16,24,32,40,48,56,64,72,80,96,128,192",
                   help="footprints in KiB, comma-separated (multiples of 1 KiB)")
    p.add_argument("--runs", type=int, default=9, help="runs per footprint; the best is printed")
    p.add_argument("--blocks", type=int, default=60_000_000, help="blocks executed per run")
    a = p.parse_args()
    try:
        sizes = [int(s) * 1024 for s in a.sizes.split(",") if s]
    except ValueError:
        sys.exit("icache_probe: --sizes takes whole KiB, comma-separated (got %r)" % a.sizes)
    if not sizes or min(sizes) < 1024 or a.runs < 1 or a.blocks < 1:
        sys.exit("icache_probe: sizes of at least 1 KiB, and --runs and --blocks of at least 1")
    with tempfile.TemporaryDirectory() as d:
        asm = os.path.join(d, "blocks.S")
        with open(asm, "w") as f:
            f.write("".join(function_asm(s) for s in sizes))
        c = os.path.join(d, "driver.c")
        with open(c, "w") as f:
            f.write(driver_c(sizes, a.runs, a.blocks))
        exe = os.path.join(d, "probe")
        subprocess.run(["gcc", "-O2", "-o", exe, c, asm], check=True)
        print("   KiB ns-per-block")
        sys.stdout.flush()
        subprocess.run([exe], check=True)


if __name__ == "__main__":
    main()
