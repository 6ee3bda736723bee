#!/usr/bin/env bash
# install_test.sh CMAKE BUILD_DIR SOURCE_DIR: `cmake --install` into a fresh prefix puts the
# binary, the bash completion and the man page under the usual paths, and the installed binary
# runs; the installed dsim-report draws a run's pictures, the family's own plots included.
set -euo pipefail
cmake="$1"
build="$2"
source="$3"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in bin/dsim share/bash-completion/completions/dsim share/man/man1/dsim.1 bin/dsim-report \
         share/dsim/analysis/dsim_analysis/report.py share/dsim/sim/protocols/locks/plots.py; do
  [ -s "$prefix/$f" ] || fail "$f was not installed"
done
[ -x "$prefix/bin/dsim" ] || fail "bin/dsim is not executable"
version="$("$prefix/bin/dsim" --version)"
[ "$version" = "$("$build/dsim" --version)" ] || fail "installed --version says '$version'"
[[ "$version" == "dsim "* ]] || fail "--version says '$version'"
# The man page is help2man's, from this binary: its name, synopsis and every command.
grep -q '^\.SH SYNOPSIS' "$prefix/share/man/man1/dsim.1" || fail "the man page has no SYNOPSIS"
for cmd in run run-set sweep describe; do
  grep -q "^\.SS $cmd\$" "$prefix/share/man/man1/dsim.1" || fail "the man page lacks the command $cmd"
done
grep -qF "${version#dsim }" "$prefix/share/man/man1/dsim.1" || fail "the man page lacks the version"
# The installed report, away from the source tree, finds the locks family's plot module.
[ -L "$prefix/bin/dsim-report" ] || fail "bin/dsim-report is not a link"
mkdir "$prefix/out"
(cd "$prefix/out" && "$prefix/bin/dsim" run "$source/scenarios/locks/fenced-random-faults.json" \
   --trace run.trace.jsonl --summary run.summary.json -q) || fail "the installed dsim did not run"
(cd / && "$prefix/bin/dsim-report" "$prefix/out" >"$prefix/report.log" 2>&1) \
  || { cat "$prefix/report.log"; fail "the installed dsim-report failed"; }
[ -s "$prefix/out/report/index.html" ] || fail "dsim-report wrote no index.html"
ls "$prefix/out/report"/*/*lock-timeline*.png >/dev/null 2>&1 \
  || { find "$prefix/out/report" >&2; fail "the report lacks the locks family's lock timeline"; }
grep -q "plot error in" "$prefix/out/report/index.html" && fail "the report shows a plot error"
echo "ok: installed $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"
