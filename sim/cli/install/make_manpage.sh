#!/usr/bin/env bash
# make_manpage.sh DSIM OUT: writes the man page dsim(1) with help2man, from `dsim --help`
# and `dsim --version`, plus a COMMANDS section with each command's own --help, so the
# page says what the binary says. Run by the build (sim/CMakeLists.txt).
set -euo pipefail
dsim="$1"
out="$2"
include="$(mktemp)"
trap 'rm -f "$include"' EXIT

# roff: a leading '.' or "'" would be read as a request, a backslash as an escape.
as_roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

{
  echo "[COMMANDS]"
  for cmd in $("$dsim" --help | awk '/^commands/ {on = 1; next} /^$/ {on = 0} on {print $1}'); do
    [ "$cmd" = version ] && continue
    echo ".SS $cmd"
    echo ".nf"
    "$dsim" "$cmd" --help | as_roff
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "The README.md of the dsim sources, and \\fBdsim describe\\fR for the protocol families."
} >"$include"

help2man --no-info --section 1 --name "deterministic simulator of distributed systems" \
  --include "$include" --output "$out.tmp" "$dsim"
mv "$out.tmp" "$out"
