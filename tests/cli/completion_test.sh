#!/usr/bin/env bash
# completion_test.sh COMPLETION DSIM: sources the bash completion and completes a few
# command lines against DSIM, as bash would on Tab.
set -euo pipefail
completion="$1"
dsim="$2"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
ln -s "$(realpath "$dsim")" "$bin/dsim"
export PATH="$bin:$PATH"
# shellcheck disable=SC1090
source "$completion"

# complete WORD... : what Tab offers after the words (the last one is being completed).
complete_line() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _dsim
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect() {
  local want="$1"
  shift
  local got
  got="$(complete_line "$@")"
  if [ "$got" != "$want" ]; then
    echo "FAIL: completing '$*' offered '$got', expected '$want'" >&2
    exit 1
  fi
  echo "ok: '$*' -> $got"
}

expect "run run-set " dsim ru
expect "--seed --set " dsim run --se
expect "--scenario --seeds --set --shard " dsim sweep --s
expect "--json " dsim describe --j
expect "locks " dsim describe lo
expect "--version " dsim --ver
[ "$(complete -p dsim)" = "complete -o default -F _dsim dsim" ] || { echo "FAIL: not registered" >&2; exit 1; }
