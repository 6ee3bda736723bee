#!/usr/bin/env bash
# sdk_test.sh CMAKE BUILD_DIR EXAMPLE_DIR WORK_DIR CXX [LAUNCHER]: installs the build into
# WORK_DIR/prefix, builds the example family against it with find_package(dsim), and runs
# its scenarios: read-after-ack passes (exit 0), ack-before-backup fails no_stale_read
# (exit 1, the check named in the summary); the installed dsim-report draws the failing
# run with the example's own plot module (DSIM_PLOT_PLUGINS).
set -euo pipefail
cmake="$1" build="$2" example="$3" work="$4" cxx="$5" launcher="${6:-}"
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$work/prefix" >/dev/null
for f in lib/cmake/dsim/dsimConfig.cmake include/dsim/core/process.h include/dsim/cli/main_with.h \
         include/dsim/scenario/protocol_family.h lib/libdsim_core.a lib/libdsim_cli.a; do
  [ -s "$work/prefix/$f" ] || fail "$f was not installed"
done

configure=("$cmake" -S "$example" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix"
           -DCMAKE_CXX_COMPILER="$cxx")
[ -n "$launcher" ] && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
"${configure[@]}" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring the example"; }
"$cmake" --build "$work/example" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building the example"; }
pb="$work/example/pb_dsim"
[ -x "$pb" ] || fail "the example built no pb_dsim"

# The family is known beside the built-in ones.
"$pb" describe primary_backup | grep -q "no_stale_read" || fail "describe does not list primary_backup"
"$pb" describe 2pc >/dev/null || fail "the built-in family 2pc is gone"

status=0
"$pb" run "$example/scenarios/read-after-ack.json" --summary "$work/pass.json" -q || status=$?
[ "$status" -eq 0 ] || fail "read-after-ack.json: exit $status, expected 0"
grep -q '"verdict": *"pass"' "$work/pass.json" || fail "read-after-ack.json: the summary's verdict is not pass"

status=0
mkdir -p "$work/out"
"$pb" run "$example/scenarios/ack-before-backup.json" --summary "$work/fail.json" \
  --trace "$work/out/fail.trace.jsonl" -q || status=$?
[ "$status" -eq 1 ] || fail "ack-before-backup.json: exit $status, expected 1"
python3 - "$work/fail.json" <<'PY' || fail "ack-before-backup.json: the summary does not name no_stale_read"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["verdict"] == "fail", s["verdict"]
assert [v["check"] for v in s["violations"]] == ["no_stale_read"], s["violations"]
assert s["replay"].startswith("pb_dsim run "), s["replay"]  # the program that knows the family
PY
# The report, from the installed dsim-report, with the family's plots added.
cp "$work/fail.json" "$work/out/fail.summary.json"
DSIM_PLOT_PLUGINS="$example" "$work/prefix/bin/dsim-report" "$work/out" >"$work/report.log" 2>&1 \
  || { cat "$work/report.log"; fail "dsim-report on the example's run"; }
picture=$(find "$work/out/report" -name primary_backup_reads.png | head -n 1)
[ -s "$picture" ] || { find "$work/out/report" >&2; fail "the report lacks the example's picture"; }
grep -q "plot error in" "$work/out/report/index.html" && fail "the report shows a plot error"
echo "ok: the example family built against the installed SDK; pass and fail as expected; its plot in the report"
