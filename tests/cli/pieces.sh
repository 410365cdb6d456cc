#!/usr/bin/env bash
# pieces.sh - a JSON Lines file read in pieces on several threads gives what
# one reader gives: the same documents, made-up ids, messages (with their
# line numbers) and counts, for `extract` and `cluster`, whatever the piece
# size (NEWSCLUST_PIECE_BYTES cuts this small file into many pieces) and the
# thread count; standard input and --threads 1 read it with one reader.
# Run by ctest as: bash cli/pieces.sh /path/to/newsclust  (working directory tests/)
set -u
NC=${1:?usage: pieces.sh /path/to/newsclust}
source "$(dirname "$0")/common.bash"

IN=$TMP/in.jsonl
long=$(printf 'x%.0s' $(seq 1 3000))
{
    printf '\xef\xbb\xbf{"id":"a1","title":"Storm closes schools across the region - Reuters"}\n'
    printf '\n'
    printf '{"title":"Storm closes schools as snow falls","published":"2026-01-05T08:00:00Z"}\r\n'
    printf '{"id":"x","title":\n'
    printf 'not json\n'
    printf '{"title":"nul\0here"}\n'
    printf '{"id":"a1","title":"a repeated id"}\n'
    printf '   \t \n'
    printf '{"id":"long","title":"%s"}\n' "$long"
    for i in $(seq 1 40); do
        printf '{"id":"d%d","title":"Parliament passes budget %d after debate","source":"Post"}\n' $i $((i % 3))
    done
    printf '{"title":"the last line, without a newline"}'
} >"$IN"

ncx extract --threads 1 "$IN" >"$TMP/x1" 2>"$TMP/e1"
check "extract, one reader: exit 0" test $? -eq 0
check "one reader: 45 documents (the repeated id too: extract keeps it), 3 skipped" grep -q '45 documents, 3 skipped' "$TMP/e1"
check "one reader: the NUL line's message names file and line 6" \
    grep -qF "$IN:6: invalid JSON: NUL byte" "$TMP/e1"
check "one reader: a made-up id counts lines" test "$(jq -r .id "$TMP/x1" | sed -n 2p)" = "in.jsonl:3"
ncx cluster --threads 1 "$IN" >"$TMP/c1" 2>"$TMP/ce1"
check "cluster, one reader: exit 0" test $? -eq 0
check "cluster: the repeated id is skipped with a message" grep -q "duplicate id 'a1' skipped" "$TMP/ce1"

for t in 2 3; do
    for pb in 1 9 64 4096 ""; do
        NEWSCLUST_PIECE_BYTES=$pb ncx extract --threads $t "$IN" >"$TMP/x2" 2>"$TMP/e2"
        check "extract --threads $t, pieces of ${pb:-default} bytes: the same documents" \
            cmp -s "$TMP/x1" "$TMP/x2"
        check "extract --threads $t, pieces of ${pb:-default} bytes: the same messages" \
            cmp -s "$TMP/e1" "$TMP/e2"
        NEWSCLUST_PIECE_BYTES=$pb ncx cluster --threads $t "$IN" >"$TMP/c2" 2>"$TMP/ce2"
        check "cluster --threads $t, pieces of ${pb:-default} bytes: the same output" \
            cmp -s "$TMP/c1" "$TMP/c2"
        check "cluster --threads $t, pieces of ${pb:-default} bytes: the same messages" \
            cmp -s "$TMP/ce1" "$TMP/ce2"
    done
done

# --format jsonl, two files of a directory, and standard input
mkdir "$TMP/d"
cp "$IN" "$TMP/d/a.jsonl"
head -c 1500 "$IN" >"$TMP/d/b.jsonl"
ncx extract --threads 1 --format jsonl "$TMP/d" >"$TMP/x1" 2>"$TMP/e1"
NEWSCLUST_PIECE_BYTES=50 ncx extract --threads 2 --format jsonl "$TMP/d" >"$TMP/x2" 2>"$TMP/e2"
check "a directory of two files in pieces: the same documents" cmp -s "$TMP/x1" "$TMP/x2"
check "a directory of two files in pieces: the same messages" cmp -s "$TMP/e1" "$TMP/e2"
NEWSCLUST_PIECE_BYTES=50 ncx extract --threads 2 - <"$IN" >"$TMP/x2" 2>"$TMP/e2"
check "standard input: 45 documents, 3 skipped" grep -q '45 documents, 3 skipped' "$TMP/e2"
check "standard input: the same documents but for the ids made from the name" \
    test "$(jq -r .title "$TMP/x2" | md5sum)" = "$(jq -r .title "$TMP/x1" | head -45 | md5sum)"
# another format is not cut into pieces
NEWSCLUST_PIECE_BYTES=50 ncx extract --threads 2 feeds/guardian.rss >"$TMP/x2" 2>"$TMP/e2"
ncx extract --threads 1 feeds/guardian.rss >"$TMP/x1" 2>"$TMP/e1"
check "an RSS feed: the same documents with --threads 2" cmp -s "$TMP/x1" "$TMP/x2"

crashes
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
