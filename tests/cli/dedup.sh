#!/usr/bin/env bash
# dedup.sh - tests of `newsclust dedup` on the seeds in ../data/.
# Run by ctest as: bash cli/dedup.sh /path/to/newsclust  (working directory tests/)
# Each line is a surviving document with a "duplicates" array of the ids it
# stands for; 17 minus the dropped ids = the lines; every input id appears
# exactly once, as a line's id or inside a duplicates array; the dropped ids
# are exactly the cluster output's members with a duplicate_of.
set -u
NC=${1:?usage: dedup.sh /path/to/newsclust}
source "$(dirname "$0")/common.bash"

D=$TMP/dedup.jsonl
ncx dedup --quiet ../data/ >"$D"
check "dedup ../data/ exits 0" test $? -eq 0
check "every line is one JSON object" test "$(jq -c . "$D" | wc -l)" -eq "$(wc -l <"$D")"
check "every line has id, title, source, link, published and a duplicates array of strings" \
    jqt -s 'length > 0 and all(.[]; type == "object" and (.id | type) == "string" and has("title")
        and has("source") and has("link") and has("published")
        and (.duplicates | type) == "array" and all(.duplicates[]; type == "string"))' "$D"
lines=$(wc -l <"$D")
dropped=$(jq -r '.duplicates[]' "$D" | wc -l)
check "17 - dropped ($dropped) = surviving lines ($lines)" test $((17 - dropped)) -eq "$lines"
check "at least the two seed duplicate pairs are dropped" test "$dropped" -ge 2

ncx extract --quiet ../data/ | jq -r .id | LC_ALL=C sort >"$TMP/ids.in"
jq -r '.id, .duplicates[]' "$D" | LC_ALL=C sort >"$TMP/ids.out"
check "every input id appears exactly once (line id or in a duplicates array)" cmp -s "$TMP/ids.in" "$TMP/ids.out"

# agreement with the cluster output
ncx cluster --quiet ../data/ >"$TMP/c.json"
jq -r '.clusters[].members[] | select(.duplicate_of == null) | .id' "$TMP/c.json" | LC_ALL=C sort >"$TMP/keep.c"
jq -r .id "$D" | LC_ALL=C sort >"$TMP/keep.d"
check "surviving ids = cluster members without duplicate_of" cmp -s "$TMP/keep.c" "$TMP/keep.d"
jq -r '.clusters[].members[] | select(.duplicate_of != null) | "\(.duplicate_of) \(.id)"' "$TMP/c.json" \
    | LC_ALL=C sort >"$TMP/pairs.c"
jq -r '.id as $k | .duplicates[] | "\($k) \(.)"' "$D" | LC_ALL=C sort >"$TMP/pairs.d"
check "each duplicates array holds the members whose duplicate_of is that line" cmp -s "$TMP/pairs.c" "$TMP/pairs.d"

S0=000_3b2b5ba8c80ccf41.txt S1=001_3aa68a8d806b5d7b.txt S2=002_5169f3dc4537730f.txt
pair() { # pair A B: one survives with the other in its duplicates
    jqt -s --arg a "$1" --arg b "$2" 'any(.[]; (.id == $a and (.duplicates | index([$b])))
        or (.id == $b and (.duplicates | index([$a]))))' "$D"
}
check "$S0#2 and $S1: one survives, the other is in its duplicates" pair "$S0#2" "$S1"
check "$S0 and $S2: one survives, the other is in its duplicates" pair "$S0" "$S2"

ncx dedup --quiet --threads 1 ../data/ >"$TMP/t1.jsonl"
ncx dedup --quiet --threads 2 ../data/ >"$TMP/t2.jsonl"
check "deterministic across --threads 1 and 2 and the default" \
    bash -c "cmp -s '$TMP/t1.jsonl' '$TMP/t2.jsonl' && cmp -s '$TMP/t1.jsonl' '$D'"

# a small JSON Lines input with a known duplicate
printf '%s\n' '{"id":"a","title":"Fire destroys historic church in the old town centre","published":"2026-01-02T10:00:00Z"}' \
    '{"id":"b","title":"Fire destroys historic church in the old town centre","published":"2026-01-01T10:00:00Z"}' \
    '{"id":"c","title":"Central bank raises interest rates by half a point"}' >"$TMP/in.jsonl"
ncx dedup --quiet "$TMP/in.jsonl" >"$TMP/small.jsonl"
check "identical headlines: the earlier (b) survives with a in its duplicates" \
    jqt -s 'length == 2 and any(.[]; .id == "b" and .duplicates == ["a"])
        and any(.[]; .id == "c" and .duplicates == [])' "$TMP/small.jsonl"

crashes
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
