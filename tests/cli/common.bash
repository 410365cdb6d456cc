# common.bash - sourced by the CLI tests (tests/cli/*.sh) after they set NC
# to the newsclust binary: absolute NC, working directory tests/, the
# ok/bad/check counters, jqt, a temporary directory $TMP removed on exit, ncx
# (runs newsclust and records crashes and sanitizer aborts) and crashes (reports
# them).  Not a test itself: its name does not end in .sh.
case $NC in */*) NC=$(cd "$(dirname "$NC")" && pwd)/$(basename "$NC") ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1            # tests/
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
jqt() { jq -e "$@" >/dev/null; }   # jq -e as a test: true when the filter gives true
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
# Every run of newsclust goes through ncx: a crash or a sanitizer report
# (abort: exit >= 126) fails the test even where the output looks right.
export ASAN_OPTIONS="abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="abort_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
ncx() {
    "$NC" "$@"
    local r=$?
    [ $r -ge 126 ] && echo "newsclust $* (exit status $r)" >>"$TMP/crashes"
    return $r
}
crashes() { # report the crashes recorded by ncx, also from subshells
    [ -s "$TMP/crashes" ] || { ok "no crash or sanitizer report"; return; }
    while IFS= read -r l; do bad "crashed or aborted: $l"; done <"$TMP/crashes"
}
if ! command -v jq >/dev/null 2>&1; then
    echo "FAIL - jq is not installed (apt-get install jq, or run scripts/setup.sh test)"
    echo "0 passed, 1 failed"; exit 1
fi
