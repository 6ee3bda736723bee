#!/usr/bin/env bash
# install_test.sh CMAKE BUILD_DIR: `cmake --install` into a fresh prefix puts the binary,
# the bash completion and the man page under the usual paths, and the installed binary runs.
set -euo pipefail
cmake="$1"
build="$2"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in bin/dsim share/bash-completion/completions/dsim share/man/man1/dsim.1; do
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
echo "ok: installed $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"
