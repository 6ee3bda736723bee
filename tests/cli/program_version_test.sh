#!/bin/bash
# program_version.cmake in a scratch git repository: the commit, "-dirty" while a tracked
# file differs from it (an untracked file does not count, as for `git describe --dirty`),
# and the header left untouched when nothing changed (so a second build rebuilds nothing).
# usage: program_version_test.sh CMAKE SCRIPT
set -eu
cmake=$1 script=$(realpath "$2")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
git init -q repo
git -C repo -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
echo a > repo/file && git -C repo add file
git -C repo -c user.name=t -c user.email=t@t commit -q -m two
commit=$(git -C repo rev-parse --short=12 HEAD)
header=$dir/program_version.h
version() {
  "$cmake" -DSOURCE_DIR="$dir/repo" -DOUTPUT="$header" -DPROJECT_VERSION=0.1.0 \
           -DGIT_EXECUTABLE="$(command -v git)" -P "$script"
  sed -n 's/^#define DSIM_PROGRAM_VERSION "\(.*\)"$/\1/p' "$header"
}
expect() {  # expect WHAT GOT WANT
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', want '$3'"; exit 1; fi
}
expect "clean tree" "$(version)" "0.1.0+g$commit"
touch -d '2000-01-01' "$header"
expect "unchanged" "$(version)" "0.1.0+g$commit"
expect "header untouched when nothing changed" "$(stat -c %Y "$header")" "$(date -d 2000-01-01 +%s)"
echo b > repo/untracked
expect "untracked file" "$(version)" "0.1.0+g$commit"
echo b > repo/file
expect "changed tracked file" "$(version)" "0.1.0+g$commit-dirty"
touch -d '2000-01-01' "$header"
expect "still dirty" "$(version)" "0.1.0+g$commit-dirty"
expect "header untouched while still dirty" "$(stat -c %Y "$header")" "$(date -d 2000-01-01 +%s)"
git -C repo add file
expect "staged change" "$(version)" "0.1.0+g$commit-dirty"
git -C repo -c user.name=t -c user.email=t@t commit -q -m three
expect "committed" "$(version)" "0.1.0+g$(git -C repo rev-parse --short=12 HEAD)"
echo "program_version: ok"
