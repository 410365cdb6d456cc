#!/usr/bin/env bash
# bench/quality.sh - build a Release newsclust and bench/quality, then run the
# story-clustering quality benchmark on the labelled corpus.
#
#   bench/quality.sh [--whole] [quality options] [-- newsclust cluster options]
#
# Examples:
#   bench/quality.sh                          # each UTC day alone, default options
#   bench/quality.sh --whole                  # whole corpus, --window 24
#   bench/quality.sh -- --story-threshold 0.25 --threads 1
#
# The build directory is build-bench (override with NC_BENCH_BUILD=DIR); the
# corpus defaults to ../shared/data/uci-news-dev.jsonl.gz (see quality --help).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NC_BENCH_BUILD:-$root/build-bench}
log=$(mktemp "${TMPDIR:-/tmp}/nc-quality-build.XXXXXX")
trap 'rm -f "$log"' EXIT
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNC_BUILD_BENCH=ON &&
       cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target newsclust_cli nc_bench_quality; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "quality.sh: the build failed" >&2
    exit 1
fi
"$build/bench/quality" --bin "$build/newsclust" "$@"
