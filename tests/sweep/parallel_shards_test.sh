#!/usr/bin/env bash
# Runs a sweep as 3 shards under GNU parallel, merges the shard files, and checks the
# result equals one whole sweep of the same range (wall times aside).
#   usage: parallel_shards_test.sh DSIM SCENARIO
set -euo pipefail
dsim="$1"
scenario="$2"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

# Exit code 1 only means some seeds failed; anything else is an error.
run() { "$@" >/dev/null 2>&1 || [ $? -eq 1 ]; }

# Each shard exits 0 (all passed) or 1 (some seed failed); the job log shows any other code.
parallel --joblog "$dir/jobs.log" "$dsim" sweep "$scenario" --seeds 1..45 --jobs 1 \
  --shard {}/3 --out "$dir/shard-{}.jsonl" --quiet ::: 0 1 2 >/dev/null 2>&1 || true
if [ "$(awk 'NR > 1 && $7 <= 1' "$dir/jobs.log" | wc -l)" -ne 3 ]; then
  echo "a shard did not run to the end:"; cat "$dir/jobs.log"; exit 1
fi
run "$dsim" merge "$dir"/shard-*.jsonl --out "$dir/merged.jsonl"
run "$dsim" sweep "$scenario" --seeds 1..45 --jobs 2 --out "$dir/whole.jsonl" --quiet

strip() { sed -E 's/"wall_us":[0-9]+,//' "$1"; }
if ! diff <(strip "$dir/merged.jsonl") <(strip "$dir/whole.jsonl") >/dev/null; then
  echo "merged shards differ from the whole sweep"
  diff <(strip "$dir/merged.jsonl") <(strip "$dir/whole.jsonl") | head -5
  exit 1
fi
echo "ok: 3 shards under GNU parallel merge to the whole sweep ($(wc -l < "$dir/merged.jsonl") seeds)"
