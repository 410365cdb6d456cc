#!/usr/bin/env bash
# cluster_seeds.sh - golden, semantic and schema tests of `newsclust cluster`
# on the seeds in ../data/.
# Run by ctest as: bash cli/cluster_seeds.sh /path/to/newsclust  (working directory tests/)
# - the output equals golden/cluster_seeds.json byte for byte (after an
#   intended change of the engine's output: cli/update-golden.sh --write);
# - independently of the golden: 000, 001, 002 and 000#2 share one story;
#   000#2 and 001 are duplicates, 002 and 000 are duplicates; 003 and 004 are
#   elsewhere; every id once; determinism across runs and --threads;
#   --jsonl; schema v1 (fields, types, sizes, orders).
set -u
NC=${1:?usage: cluster_seeds.sh /path/to/newsclust}
source "$(dirname "$0")/common.bash"

OUT=$TMP/out.json
ncx cluster ../data/ >"$OUT" 2>"$TMP/err"
check "cluster ../data/ exits 0" test $? -eq 0
check "output equals golden/cluster_seeds.json byte for byte" cmp -s "$OUT" cli/golden/cluster_seeds.json
check "output is one JSON document" test "$(jq -s length "$OUT" 2>/dev/null)" = 1
check "summary on stderr" grep -q '17 documents, .* clusters, 0 skipped' "$TMP/err"

S0=000_3b2b5ba8c80ccf41.txt S1=001_3aa68a8d806b5d7b.txt S2=002_5169f3dc4537730f.txt
S3=003_a90b0d2206cb7772.txt S4=004_9892dc4eae38963a.txt
# the cluster id of a document, and a member's duplicate_of
cid() { jq -r --arg id "$1" '[.clusters[] | select(any(.members[]; .id == $id)) | .id] | map(tostring) | join(",")' "$OUT"; }
dupof() { jq -r --arg id "$1" '.clusters[].members[] | select(.id == $id) | .duplicate_of' "$OUT"; }
c0=$(cid $S0)
check "$S0 is in one cluster" test -n "$c0"
check "$S1 in the cluster of $S0" test "$(cid $S1)" = "$c0"
check "$S2 in the cluster of $S0" test "$(cid $S2)" = "$c0"
check "$S0#2 (Reuters) in the cluster of $S0" test "$(cid "$S0#2")" = "$c0"
check "$S3 not in that cluster" test "$(cid $S3)" != "$c0"
check "$S4 not in that cluster" test "$(cid $S4)" != "$c0"
check "$S0#2 and $S1 are duplicates (one's duplicate_of is the other)" \
    test "$(dupof "$S0#2")" = "$S1" -o "$(dupof $S1)" = "$S0#2"
check "$S2 and $S0 are duplicates (one's duplicate_of is the other)" \
    test "$(dupof $S2)" = "$S0" -o "$(dupof $S0)" = "$S2"

# every input id exactly once
ncx extract --quiet ../data/ | jq -r .id | LC_ALL=C sort >"$TMP/ids.in"
jq -r '.clusters[].members[].id' "$OUT" | LC_ALL=C sort >"$TMP/ids.out"
check "17 input ids" test "$(wc -l <"$TMP/ids.in")" -eq 17
check "every input id appears exactly once in the clusters" cmp -s "$TMP/ids.in" "$TMP/ids.out"

# determinism
ncx cluster --quiet ../data/ >"$TMP/run2.json"
check "two runs give identical output" cmp -s "$OUT" "$TMP/run2.json"
ncx cluster --quiet --threads 1 ../data/ >"$TMP/t1.json"
ncx cluster --quiet --threads 2 ../data/ >"$TMP/t2.json"
check "--threads 1 and --threads 2 give identical output" cmp -s "$TMP/t1.json" "$TMP/t2.json"
check "--threads 1 and the default give identical output" cmp -s "$TMP/t1.json" "$OUT"
ncx cluster --quiet -o "$TMP/o.json" ../data/
check "-o FILE holds the same bytes as standard output" cmp -s "$TMP/o.json" "$OUT"
ncx cluster --quiet --seed 1 ../data/ >"$TMP/seed1.json"
check "--seed 1 (the default) gives the default output" cmp -s "$TMP/seed1.json" "$OUT"
check "params.background is true: the English seeds are covered by the background" \
    jqt '.params.background == true' "$OUT"
ncx cluster --quiet --no-background ../data/ >"$TMP/nobg.json"
check "--no-background: params.background is false" jqt '.params.background == false' "$TMP/nobg.json"
check "--no-background: the seeds' story placement holds (000, 001, 002 together; 003, 004 apart)" \
    jqt '[.clusters[] | [.members[].id | sub("#.*"; "")] | unique] as $c
         | any($c[]; index("000_3b2b5ba8c80ccf41.txt") and index("001_3aa68a8d806b5d7b.txt")
                     and index("002_5169f3dc4537730f.txt")
                     and (index("003_a90b0d2206cb7772.txt") | not)
                     and (index("004_9892dc4eae38963a.txt") | not))' "$TMP/nobg.json"
ncx cluster --quiet ../tests/feeds/heise.atom >"$TMP/heise.json"
check "a German feed is not covered by the English background (params.background false)" \
    jqt '.params.background == false' "$TMP/heise.json"

# --jsonl: one cluster a line, no envelope
ncx cluster --quiet --jsonl ../data/ >"$TMP/out.jsonl"
check "--jsonl exits 0" test $? -eq 0
check "--jsonl: one line per cluster" \
    test "$(wc -l <"$TMP/out.jsonl")" -eq "$(jq '.clusters | length' "$OUT")"
check "--jsonl: every line is a cluster object, no envelope" \
    jqt -s 'all(.[]; type == "object" and has("members") and has("size")
        and (has("schema_version") or has("params") or has("stats") or has("clusters") | not))' "$TMP/out.jsonl"
check "--jsonl: the lines are the envelope's clusters, in order" \
    cmp -s <(jq -c . "$TMP/out.jsonl") <(jq -c '.clusters[]' "$OUT")
check "--jsonl: no line break inside a cluster" \
    test "$(jq -c . "$TMP/out.jsonl" | wc -l)" -eq "$(wc -l <"$TMP/out.jsonl")"

# ---- schema v1
check "schema_version is 1" jqt '.schema_version == 1' "$OUT"
check "generator is \"newsclust 0.1.0\"" jqt '.generator == "newsclust 0.1.0"' "$OUT"
check "params has num_perm, bands, rows, dup_threshold, story_threshold, window_hours, seed (numbers)" \
    jqt '.params as $p | all("num_perm","bands","rows","dup_threshold","story_threshold","window_hours","seed";
        ($p[.] | type) == "number")' "$OUT"
check "params: bands x rows <= num_perm, defaults num_perm 128, seed 1" \
    jqt '.params | .bands * .rows <= .num_perm and .bands >= 1 and .rows >= 1 and .num_perm == 128 and .seed == 1' "$OUT"
check "params: thresholds in (0, 1], dup_threshold > story_threshold, window 72" \
    jqt '.params | .dup_threshold > 0 and .dup_threshold <= 1 and .story_threshold > 0
        and .story_threshold < .dup_threshold and .window_hours == 72' "$OUT"
check "stats has documents, clusters, duplicate_groups, skipped (integers)" \
    jqt '.stats as $s | all("documents","clusters","duplicate_groups","skipped";
        ($s[.] | type) == "number" and $s[.] >= 0 and ($s[.] | floor) == $s[.])' "$OUT"
check "stats.documents is 17, stats.skipped 0" jqt '.stats.documents == 17 and .stats.skipped == 0' "$OUT"
check "stats.clusters is the number of clusters" jqt '.stats.clusters == (.clusters | length)' "$OUT"
check "stats.duplicate_groups is the number of distinct duplicate_of targets" \
    jqt '.stats.duplicate_groups == ([.clusters[].members[].duplicate_of | select(. != null)] | unique | length)' "$OUT"
check "every cluster has id, size, headline, first_published, last_published, sources, members" \
    jqt 'all(.clusters[]; . as $c | all("id","size","headline","first_published","last_published","sources","members";
        . as $k | $c | has($k)))' "$OUT"
check "cluster field types (id, size integers; headline string; sources, members arrays)" \
    jqt 'all(.clusters[]; (.id | type) == "number" and (.size | type) == "number" and (.headline | type) == "string"
        and (.sources | type) == "array" and all(.sources[]; type == "string") and (.members | type) == "array")' "$OUT"
check "cluster ids are unique" jqt '[.clusters[].id] | length == (unique | length)' "$OUT"
check "size equals the number of members (and is >= 1)" jqt 'all(.clusters[]; .size == (.members | length) and .size >= 1)' "$OUT"
check "every member has id, title, source, link, published, duplicate_of, score" \
    jqt 'all(.clusters[].members[]; . as $m | all("id","title","source","link","published","duplicate_of","score";
        . as $k | $m | has($k)))' "$OUT"
check "member field types (id string, score a number in [0, 1], published ISO 8601 UTC or null)" \
    jqt 'all(.clusters[].members[]; (.id | type) == "string" and (.score | type) == "number"
        and .score >= 0 and .score <= 1
        and (.published == null or (.published | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))))' "$OUT"
check "duplicate_of names another member of the same cluster, itself not a duplicate" \
    jqt 'all(.clusters[]; . as $c | all(.members[] | select(.duplicate_of != null);
        . as $m | .duplicate_of != $m.id and any($c.members[]; .id == $m.duplicate_of and .duplicate_of == null)))' "$OUT"
check "headline is the title of a member" \
    jqt 'all(.clusters[]; . as $c | any(.members[]; .title == $c.headline))' "$OUT"
check "first/last_published are the earliest/latest member dates (null if none)" \
    jqt 'all(.clusters[]; [.members[].published | select(. != null)] as $d
        | if ($d | length) == 0 then .first_published == null and .last_published == null
          else .first_published == ($d | min) and .last_published == ($d | max) end)' "$OUT"
check "sources are the members' distinct sources, sorted" \
    jqt 'all(.clusters[]; .sources == ([.members[].source | select(. != null and . != "")] | unique))' "$OUT"
check "members ordered by published, then id, undated last" \
    jqt 'all(.clusters[]; [.members[] | [(.published == null), .published, .id]] as $k | $k == ($k | sort))' "$OUT"
check "clusters ordered by size (descending), then first member id" \
    jqt '[.clusters[] | [-.size, .members[0].id]] as $k | $k == ($k | sort)' "$OUT"

crashes
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
