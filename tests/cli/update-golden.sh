#!/usr/bin/env bash
# update-golden.sh - regenerate (or check) the golden outputs of the CLI tests.
#
#   tests/cli/update-golden.sh --write [NEWSCLUST]   rewrite tests/cli/golden/*
#   tests/cli/update-golden.sh [NEWSCLUST]           check only: show what would change
#
# NEWSCLUST defaults to build/newsclust.  Run --write after a deliberate change
# of the engine's output, review `git diff tests/cli/golden`, and commit the
# new golden files with the change.  ctest also runs this script (every
# tests/cli/*.sh is a test), in check mode: it fails when a golden file is out
# of date, and says which one.
set -u
write=0
if [ "${1:-}" = "--write" ]; then write=1; shift; fi
NC=${1:-$(dirname "$0")/../../build/newsclust}
case $NC in */*) NC=$(cd "$(dirname "$NC")" 2>/dev/null && pwd)/$(basename "$NC") ;; esac
cd "$(dirname "$0")/.." || exit 1            # tests/
if [ ! -x "$NC" ]; then
    echo "update-golden: $NC is not an executable (build first, or give its path)" >&2
    echo "0 passed, 1 failed"; exit 1
fi
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

# name of the golden file, then the newsclust arguments that produce it
goldens=(
    "extract_seeds.jsonl|extract ../data/"
    "cluster_seeds.json|cluster ../data/"
)
pass=0 fail=0
for g in "${goldens[@]}"; do
    name=${g%%|*} args=${g#*|}
    # shellcheck disable=SC2086
    if ! "$NC" $args --quiet >"$TMP/$name"; then
        echo "FAIL - newsclust $args failed"; fail=$((fail + 1)); continue
    fi
    if cmp -s "$TMP/$name" "cli/golden/$name"; then
        echo "ok   - cli/golden/$name is up to date"; pass=$((pass + 1))
    elif [ $write -eq 1 ]; then
        cp "$TMP/$name" "cli/golden/$name" && echo "wrote  cli/golden/$name"
        pass=$((pass + 1))
    else
        echo "FAIL - cli/golden/$name differs from 'newsclust $args' (first lines of the diff below);"
        echo "       if the change is intended, run: tests/cli/update-golden.sh --write $NC"
        diff "cli/golden/$name" "$TMP/$name" | head -20 | cut -c1-200
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
