#!/usr/bin/env bash
# newsclust set-up: installs what is missing (Debian packages), builds, and
#   run       clusters the bundled sample in data/ (prints the JSON)
#   test      runs every test (ctest)
#   sanitize  builds with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test
# Idempotent: installs only packages that are missing; builds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(gcc cmake make pkg-config libxml2-dev libcjson-dev libxxhash-dev libutf8proc-dev libstemmer-dev jq)

install_deps() {
    local missing=()
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing missing packages: ${missing[*]}" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "setup: missing packages ${missing[*]} and not root (no sudo): install them with apt-get" >&2
            exit 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup: missing packages ${missing[*]} and no apt-get: this script needs Debian or Ubuntu" >&2
        exit 1
    fi
    $sudo apt-get update -qq >&2 || { echo "setup: apt-get update failed" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || { echo "setup: could not install ${missing[*]}" >&2; exit 1; }
}

build() { # $1 build dir, rest: cmake options
    local dir=$1; shift
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$(nproc)" >&2
}

cmd=${1:-run}
install_deps
case "$cmd" in
run)
    build build -DCMAKE_BUILD_TYPE=Release
    ./build/newsclust cluster data/
    ;;
test)
    build build -DCMAKE_BUILD_TYPE=Release
    (cd build && ctest --output-on-failure -j"$(nproc)")
    ;;
sanitize)
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DNC_SANITIZE=ON -DNC_BUILD_BENCH=OFF
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j"$(nproc)")
    ;;
*)
    echo "usage: scripts/setup.sh [run|test|sanitize]" >&2
    exit 2
    ;;
esac
