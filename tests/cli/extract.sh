#!/usr/bin/env bash
# extract.sh - golden and semantic tests of `newsclust extract`.
# Run by ctest as: bash cli/extract.sh /path/to/newsclust  (working directory tests/)
# Checks: the seeds in ../data/ give exactly 17 documents, byte-identical to
# golden/extract_seeds.jsonl (regenerate with cli/update-golden.sh --write);
# the Google News split (ids <parent>#n, sources, parents); titles without
# outlet suffixes; no HTML tag or entity left; the bundled feeds (counts,
# Windows-1252 accents); directories recursed in sorted order; standard input.
set -u
NC=${1:?usage: extract.sh /path/to/newsclust}
source "$(dirname "$0")/common.bash"

# ---- the seeds
ncx extract ../data/ >"$TMP/seeds.jsonl" 2>"$TMP/seeds.err"
check "extract ../data/ exits 0" test $? -eq 0
check "17 lines" test "$(wc -l <"$TMP/seeds.jsonl")" -eq 17
check "output equals golden/extract_seeds.jsonl byte for byte" \
    cmp -s "$TMP/seeds.jsonl" cli/golden/extract_seeds.jsonl
check "every line is a JSON object with the extract fields" \
    jqt -s 'length == 17 and all(.[]; type == "object" and
        (keys == (["id","title","summary","source","link","published","parent"] | sort)))' \
    "$TMP/seeds.jsonl"
check "ids are unique" test "$(jq -r .id "$TMP/seeds.jsonl" | sort -u | wc -l)" -eq 17
check "summary line on stderr: 17 documents, 0 skipped" \
    grep -q '17 documents, 0 skipped' "$TMP/seeds.err"

# field of one document: field ID NAME
field() { jq -r --arg id "$1" "select(.id == \$id) | .$2" "$TMP/seeds.jsonl"; }
S0=000_3b2b5ba8c80ccf41.txt S1=001_3aa68a8d806b5d7b.txt S2=002_5169f3dc4537730f.txt
S3=003_a90b0d2206cb7772.txt S4=004_9892dc4eae38963a.txt
for f in $S0 $S1 $S2 $S3 $S4; do
    check "$f present, no parent" test "$(field "$f" parent)" = null
done
for p in $S0 $S1 $S3; do
    for n in 2 3 4 5; do
        check "$p#$n present with parent $p" test "$(field "$p#$n" parent)" = "$p"
    done
    check "$p#1 (the item's own line) is not a document" test -z "$(field "$p#1" id)"
done
check "$S0 source The Guardian" test "$(field $S0 source)" = "The Guardian"
check "$S0#2 source Reuters" test "$(field "$S0#2" source)" = "Reuters"
check "$S0#3 source ABC News" test "$(field "$S0#3" source)" = "ABC News"
check "$S0#4 source The New York Times" test "$(field "$S0#4" source)" = "The New York Times"
check "$S0#5 source DW" test "$(field "$S0#5" source)" = "DW"
check "$S1 source KSL.com" test "$(field $S1 source)" = "KSL.com"
check "$S3 source The New York Times" test "$(field $S3 source)" = "The New York Times"
check "$S0#2 title is the Reuters headline" test "$(field "$S0#2" title)" = \
    "US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris"
check "$S1 title is the same headline as $S0#2" test "$(field $S1 title)" = "$(field "$S0#2" title)"
check "$S2 (plain text) headline" test "$(field $S2 title)" = \
    "Ukraine war briefing: US backs European ceasefire security guarantees for first time"
check "$S0 title has its outlet suffix removed" test "$(field $S0 title)" = \
    "Ukraine war briefing: US backs European ceasefire security guarantees for first time"
check "$S2 has a lead paragraph as summary" test "$(field $S2 summary | wc -c)" -gt 100
check "$S4 has a lead paragraph as summary" test "$(field $S4 summary | wc -c)" -gt 100
check "split lines carry their parent's date" test "$(field "$S1#3" published)" = "$(field $S1 published)"
check "$S0 is dated 2026-01-07" test "$(field $S0 published)" = "2026-01-07T00:00:00Z"
check "$S0's summary is not the related-coverage list" test "$(field $S0 summary)" = null
check "no title ends with ' - <its source>'" \
    jqt -s 'all(.[]; . as $d | .source == null or .title == null or
        (.title | endswith(" - " + $d.source) | not))' "$TMP/seeds.jsonl"
check "no HTML tag in any field" bash -c "! grep -Eq '<[A-Za-z/!]' '$TMP/seeds.jsonl'"
check "no &nbsp; or &amp; in any field" bash -c "! grep -Eq '&(nbsp|amp);' '$TMP/seeds.jsonl'"
check "no HTML entity in titles or summaries" \
    jqt -s 'all(.[]; ((.title // "") + (.summary // "") | test("&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);") | not))' \
    "$TMP/seeds.jsonl"

# ---- the bundled feeds
for spec in guardian.rss:55 uolNoticias.rss:15 heise.atom:15; do
    f=${spec%%:*} n=${spec##*:}
    ncx extract --quiet "feeds/$f" >"$TMP/$f.jsonl" 2>"$TMP/$f.err"
    check "feeds/$f exits 0" test $? -eq 0
    check "feeds/$f gives $n documents" test "$(wc -l <"$TMP/$f.jsonl")" -eq "$n"
    check "feeds/$f: every document has title, link and date" \
        jqt -s 'all(.[]; .title != null and .link != null and .published != null)' "$TMP/$f.jsonl"
    check "feeds/$f: no HTML tag or &nbsp;/&amp; in any field" \
        bash -c "! grep -Eq '<[A-Za-z/!]|&(nbsp|amp);' '$TMP/$f.jsonl'"
    check "feeds/$f: nothing on stderr with --quiet" test ! -s "$TMP/$f.err"
done
check "uolNoticias.rss (undeclared Windows-1252): 'simulações' read correctly" \
    grep -q 'simulações' "$TMP/uolNoticias.rss.jsonl"
check "uolNoticias.rss: no U+FFFD replacement character or mojibake" \
    bash -c "! grep -Eq $'\xEF\xBF\xBD|Ã§|Ã£' '$TMP/uolNoticias.rss.jsonl'"
check "--format rss on an RSS file gives the same documents" \
    cmp -s <(ncx extract -q --format rss feeds/guardian.rss) "$TMP/guardian.rss.jsonl"

# ---- standard input
cat feeds/guardian.rss | ncx extract -q - >"$TMP/stdin.jsonl" 2>/dev/null
check "stdin ('-') gives the same documents as the file" cmp -s "$TMP/stdin.jsonl" "$TMP/guardian.rss.jsonl"
cat feeds/heise.atom | ncx extract -q >"$TMP/stdin2.jsonl" 2>/dev/null
check "no INPUT reads standard input" cmp -s "$TMP/stdin2.jsonl" "$TMP/heise.atom.jsonl"

# ---- directories: recursed, sorted by name, hidden entries skipped
mkdir -p "$TMP/dir/b" "$TMP/dir/a"
printf '{"id":"in-b","title":"Bee"}\n' >"$TMP/dir/b/x.jsonl"
printf '{"id":"in-a","title":"Ay"}\n' >"$TMP/dir/a/z.jsonl"
printf '{"id":"top","title":"Top"}\n' >"$TMP/dir/c.jsonl"
printf '{"id":"hidden","title":"Hidden"}\n' >"$TMP/dir/.hidden.jsonl"
check "directories recursed in sorted order, hidden files skipped" \
    test "$(ncx extract -q "$TMP/dir" | jq -r .id | tr '\n' ' ')" = "in-a in-b top "

crashes
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
