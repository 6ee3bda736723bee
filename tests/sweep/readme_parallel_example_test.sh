#!/usr/bin/env bash
# Runs the GNU parallel example of sim/explore/README.md as written, in a fresh folder (no
# results/ folder yet), with one change: 40 seeds instead of 100,000, to stay quick.
#   usage: readme_parallel_example_test.sh DSIM SOURCE_DIR
set -euo pipefail
dsim="$1"
source_dir="$2"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/bin"
ln -s "$dsim" "$dir/bin/dsim"
ln -s "$source_dir/scenarios" "$dir/scenarios"

# The first sh block after the "GNU parallel, one machine" heading.
example=$(awk '/\*\*GNU parallel, one machine\*\*/ {found = 1} found && /^```sh/ {inside = 1; next}
               inside && /^```/ {exit} inside {print}' "$source_dir/sim/explore/README.md")
[ -n "$example" ] || { echo "the example was not found in sim/explore/README.md"; exit 1; }
example=${example//--seeds 1..100000/--seeds 1..40}
echo "$example"

cd "$dir"
# As the README says, parallel's exit code counts shards that exited non-zero, and a
# shard's 1 only means it found failing seeds; merge likewise exits 1 on failing seeds.
PATH="$dir/bin:$PATH" bash -c "$example" >"$dir/log" 2>&1 || true
for i in 0 1 2 3 4 5 6 7; do
  [ -s "results/shard-$i.jsonl" ] || { echo "results/shard-$i.jsonl missing"; cat "$dir/log"; exit 1; }
done
seeds=$(wc -l < results/all.jsonl)
[ "$seeds" -eq 40 ] || { echo "results/all.jsonl has $seeds seeds, expected 40"; cat "$dir/log"; exit 1; }
grep -q '"format": "dsim-sweep-report"' results/report.json || { echo "no report"; exit 1; }
echo "ok: the README's GNU parallel example ran as written (40 seeds merged)"
