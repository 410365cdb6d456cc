#!/usr/bin/env bash
# errors.sh - exit status, messages, atomic -o, skipped items, --help,
# --version, `eval`, and standard input.
# Run by ctest as: bash cli/errors.sh /path/to/newsclust  (working directory tests/)
# Exit status (DESIGN.md): 0 success (bad items skipped, reported on stderr
# with file and line, counted in stats.skipped); 1 the run failed and no
# output file was written; 2 usage error.
set -u
NC=${1:?usage: errors.sh /path/to/newsclust}
source "$(dirname "$0")/common.bash"
# run ARGS...: run newsclust; sets $rc, output in $TMP/out and $TMP/err
run() { ncx "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; rc=$?; }
noleftovers() { # no temporary output files left in $TMP/w
    [ -z "$(find "$TMP/w" -name '*.tmp.*' -print -quit)" ]
}
mkdir "$TMP/w"
GOOD=$TMP/good.jsonl
printf '%s\n' '{"id":"g1","title":"Storm closes schools across the region","published":"2026-01-05T08:00:00Z"}' \
    '{"id":"g2","title":"Storm closes schools across the region as snow falls","source":"Daily Post"}' \
    '{"id":"g3","title":"Parliament passes the new budget after a long debate"}' >"$GOOD"

# ---- usage errors: exit 2 and a message
run frobnicate
check "unknown command: exit 2" test $rc -eq 2
check "unknown command: message names it" grep -q "unknown command 'frobnicate'" "$TMP/err"
run cluster --frobnicate "$GOOD"
check "unknown option: exit 2" test $rc -eq 2
check "unknown option: message names it" grep -q "unknown option '--frobnicate'" "$TMP/err"
check "usage error: nothing on standard output" test ! -s "$TMP/out"
run
check "no command: exit 2 with a message" bash -c "[ $rc -eq 2 ] && grep -q 'no command' '$TMP/err'"
run cluster -o
check "option without its value: exit 2" bash -c "[ $rc -eq 2 ] && grep -q 'needs a value' '$TMP/err'"
run cluster --format yaml "$GOOD"
check "unknown --format: exit 2" bash -c "[ $rc -eq 2 ] && grep -q \"unknown format 'yaml'\" '$TMP/err'"
for bad in "--threads -1" "--threads x" "--dup-threshold 0" "--story-threshold 1.5" "--window -3" "--seed 1.5"; do
    # shellcheck disable=SC2086
    run cluster $bad "$GOOD"
    check "bad value '$bad': exit 2 with a message" bash -c "[ $rc -eq 2 ] && [ -s '$TMP/err' ]"
done
run eval only-one-file.jsonl
check "eval with one file: exit 2" test $rc -eq 2

# ---- --help, --version
run --help
check "--help: exit 0" test $rc -eq 0
check "--help: usage on standard output" grep -q '^usage: newsclust' "$TMP/out"
check "--help: lists cluster, dedup, extract, eval" \
    bash -c "for c in cluster dedup extract eval; do grep -q \"newsclust \$c\" '$TMP/out' || exit 1; done"
check "--help: lists the options" \
    bash -c "for o in --format -o --jsonl --dup-threshold --story-threshold --window --threads --seed --quiet; do grep -q -- \"\$o\" '$TMP/out' || exit 1; done"
# the defaults --help states are the ones a run uses (params of the output)
dflt() { sed -n "s/^ *$1 .*(default \([0-9.e+-]*\).*/\1/p" "$TMP/out"; }
d_dup=$(dflt --dup-threshold) d_story=$(dflt --story-threshold) d_win=$(dflt --window) d_seed=$(dflt --seed)
ncx cluster --quiet ../data/ >"$TMP/defaults.json" 2>/dev/null
check "--help states the defaults used in params (dup $d_dup, story $d_story, window $d_win, seed $d_seed)" \
    jqt --argjson a "${d_dup:-null}" --argjson b "${d_story:-null}" --argjson c "${d_win:-null}" \
        --argjson d "${d_seed:-null}" '.params | .dup_threshold == $a and .story_threshold == $b
        and .window_hours == $c and .seed == $d' "$TMP/defaults.json"
run cluster --help
check "cluster --help: exit 0 with usage" bash -c "[ $rc -eq 0 ] && grep -q '^usage:' '$TMP/out'"
run --version
check "--version: exit 0" test $rc -eq 0
check "--version prints 'newsclust 0.1.0'" test "$(cat "$TMP/out")" = "newsclust 0.1.0"

# ---- a missing input: exit 1, no output file
run cluster "$TMP/no-such-file.jsonl" -o "$TMP/w/out.json"
check "missing input: exit 1" test $rc -eq 1
check "missing input: message names the file" grep -q "no-such-file.jsonl" "$TMP/err"
check "missing input: no output file created" test ! -e "$TMP/w/out.json"
check "missing input: no temporary file left" noleftovers
run extract "$GOOD" "$TMP/no-such-file.jsonl" -o "$TMP/w/ex.jsonl"
check "extract, one input missing: exit 1 and no output file" \
    bash -c "[ $rc -eq 1 ] && [ ! -e '$TMP/w/ex.jsonl' ]"
echo "previous contents" >"$TMP/w/keep.json"
run cluster "$TMP/no-such-file.jsonl" -o "$TMP/w/keep.json"
check "failed run leaves an existing output file untouched" \
    bash -c "[ $rc -eq 1 ] && [ \"\$(cat '$TMP/w/keep.json')\" = 'previous contents' ]"
run cluster "$GOOD" -o "$TMP/no-such-dir/out.json"
check "output directory missing: exit 1, nothing created" \
    bash -c "[ $rc -eq 1 ] && [ ! -e '$TMP/no-such-dir' ] && [ -s '$TMP/err' ]"

# ---- -o on success: the file appears complete, no temporary file left
for cmd in cluster dedup extract; do
    run "$cmd" --quiet "$GOOD" -o "$TMP/w/$cmd.out"
    check "$cmd -o: exit 0, file written, nothing on standard output" \
        bash -c "[ $rc -eq 0 ] && [ -s '$TMP/w/$cmd.out' ] && [ ! -s '$TMP/out' ]"
    ncx "$cmd" --quiet "$GOOD" >"$TMP/$cmd.stdout" 2>/dev/null
    check "$cmd -o: same bytes as standard output" cmp -s "$TMP/w/$cmd.out" "$TMP/$cmd.stdout"
done
run cluster --quiet "$GOOD" -o "$TMP/w/keep.json"
check "-o replaces an existing file on success" jqt '.schema_version == 1' "$TMP/w/keep.json"
check "-o: no temporary file left after successful runs" noleftovers
check "-o: only the expected files exist" \
    test "$(cd "$TMP/w" && ls | tr '\n' ' ')" = "cluster.out dedup.out extract.out keep.json "

# ---- a bad JSON Lines line among good ones: skipped, reported, counted
MIX=$TMP/mixed.jsonl
{ sed -n 1p "$GOOD"; echo '{"id": "broken", "title": '; sed -n 2,3p "$GOOD"; echo 'not json at all'; } >"$MIX"
run cluster "$MIX"
check "bad lines: exit 0" test $rc -eq 0
check "bad lines: stderr names file:line of the first bad line" grep -q "mixed.jsonl:2:" "$TMP/err"
check "bad lines: stderr names file:line of the second bad line" grep -q "mixed.jsonl:5:" "$TMP/err"
check "bad lines: stats.skipped counts them (2)" jqt '.stats.skipped == 2' "$TMP/out"
check "bad lines: the good documents are all clustered (3)" \
    jqt '.stats.documents == 3 and ([.clusters[].members[].id] | sort) == ["g1","g2","g3"]' "$TMP/out"
check "bad lines: summary on stderr counts them" grep -q '3 documents, .* 2 skipped' "$TMP/err"
run extract "$MIX"
check "extract with bad lines: exit 0, 3 documents, message with file:line" \
    bash -c "[ $rc -eq 0 ] && [ \$(wc -l <'$TMP/out') -eq 3 ] && grep -q 'mixed.jsonl:2:' '$TMP/err'"

# duplicate ids: the second is skipped with a message and counted
printf '%s\n' '{"id":"same","title":"First headline about the harbour"}' \
    '{"id":"same","title":"Second headline about the airport"}' >"$TMP/dupid.jsonl"
run cluster "$TMP/dupid.jsonl"
check "duplicate id: exit 0, one document, stats.skipped 1" \
    bash -c "[ $rc -eq 0 ] && jq -e '.stats.documents == 1 and .stats.skipped == 1' '$TMP/out' >/dev/null"
check "duplicate id: message names the id" grep -q "duplicate id 'same'" "$TMP/err"

# unreadable items: a binary file is skipped with a message, the rest is read
head -c 4096 "$NC" >"$TMP/binary.dat"
run cluster "$TMP/binary.dat" "$GOOD"
check "binary file among inputs: exit 0, skipped 1, good documents kept" \
    bash -c "[ $rc -eq 0 ] && jq -e '.stats.documents == 3 and .stats.skipped == 1' '$TMP/out' >/dev/null"
check "binary file: message names the file" grep -q "binary.dat" "$TMP/err"

# empty input: no documents is not an error
: >"$TMP/empty.jsonl"
run cluster "$TMP/empty.jsonl"
check "empty input: exit 0, 0 documents, 0 clusters" \
    bash -c "[ $rc -eq 0 ] && jq -e '.stats.documents == 0 and .clusters == []' '$TMP/out' >/dev/null"

# --quiet: nothing on stderr when all goes well
run cluster --quiet "$GOOD"
check "--quiet: nothing on standard error" bash -c "[ $rc -eq 0 ] && [ ! -s '$TMP/err' ]"
run cluster "$GOOD"
check "without --quiet: a summary on standard error" grep -q '3 documents' "$TMP/err"

# ---- standard input
ncx extract --quiet "$GOOD" >"$TMP/ex.file"
cat "$GOOD" | ncx extract --quiet - >"$TMP/ex.stdin"
check "cat file | newsclust extract - : same as the file" cmp -s "$TMP/ex.file" "$TMP/ex.stdin"
cat "$GOOD" | ncx cluster --quiet >"$TMP/cl.stdin"
ncx cluster --quiet "$GOOD" >"$TMP/cl.file"
check "cat file | newsclust cluster (no INPUT): same as the file" cmp -s "$TMP/cl.file" "$TMP/cl.stdin"
printf '{"title":"No id here"}\n' | ncx extract --quiet - >"$TMP/noid"
check "stdin JSON line without id gets id <stdin>:1" jqt '.id == "<stdin>:1"' "$TMP/noid"
printf '{bad\n' | ncx extract - >/dev/null 2>"$TMP/err"
check "bad line on stdin: message names <stdin>:1" grep -q '<stdin>:1:' "$TMP/err"

# ---- eval
KEYS='["ari","bcubed_f1","bcubed_p","bcubed_r","items","missing","nmi","pair_f1","pair_p","pair_r","pred_clusters","true_clusters"]'
printf '%s\n' '{"id":"a","story":"x"}' '{"id":"b","story":"x"}' '{"id":"c","story":"x"}' \
    '{"id":"d","story":"y"}' >"$TMP/labels.jsonl"
printf '%s\n' '{"schema_version":1,"clusters":[' '{"id":0,"size":2,"members":[{"id":"a"},{"id":"b"}]},' \
    '{"id":1,"size":2,"members":[{"id":"c"},{"id":"d"}]}]}' >"$TMP/pred.json"
run eval "$TMP/labels.jsonl" "$TMP/pred.json"
check "eval: exit 0" test $rc -eq 0
check "eval: one JSON object with exactly the documented keys" \
    jqt -s --argjson k "$KEYS" 'length == 1 and (.[0] | keys) == $k' "$TMP/out"
# hand-computed: true {a,b,c} {d}; predicted {a,b} {c,d}
check "eval: hand-computed scores (pairs 1/2, 1/3; B-cubed 3/4, 2/3; ARI 0; NMI 0.3437)" \
    jqt '.pair_p == 0.5 and .pair_r == 0.3333 and .pair_f1 == 0.4 and .bcubed_p == 0.75
        and .bcubed_r == 0.6667 and .bcubed_f1 == 0.7059 and .ari == 0 and .nmi == 0.3437
        and .items == 4 and .true_clusters == 2 and .pred_clusters == 2 and .missing == 0' "$TMP/out"
jq -c '.clusters[]' "$TMP/pred.json" >"$TMP/pred.jsonl"
run eval "$TMP/labels.jsonl" "$TMP/pred.jsonl"
check "eval reads --jsonl output too (same scores)" \
    bash -c "[ $rc -eq 0 ] && jq -e '.pair_f1 == 0.4 and .nmi == 0.3437' '$TMP/out' >/dev/null"
echo '{"id":"e","story":"y"}' >>"$TMP/labels.jsonl"
run eval "$TMP/labels.jsonl" "$TMP/pred.json"
check "eval: a labelled item missing from the output is a singleton (missing 1)" \
    jqt '.items == 5 and .missing == 1 and .pred_clusters == 3 and .pair_r == 0.25 and .bcubed_p == 0.8' "$TMP/out"
run eval -o "$TMP/w/eval.json" "$TMP/labels.jsonl" "$TMP/pred.json"
check "eval -o FILE: exit 0, scores in the file, nothing on standard output" \
    bash -c "[ $rc -eq 0 ] && [ ! -s '$TMP/out' ] && jq -e '.items == 5' '$TMP/w/eval.json' >/dev/null"
check "eval -o: no temporary file left" noleftovers
sed 's/"story"/"topic"/' "$TMP/labels.jsonl" >"$TMP/topic.jsonl"
run eval --label-field topic "$TMP/topic.jsonl" "$TMP/pred.json"
check "eval --label-field topic" jqt '.items == 5 and .pair_p == 0.5' "$TMP/out"
run eval "$TMP/labels.jsonl" "$TMP/no-such-output.json"
check "eval: missing file: exit 1 with a message naming it" \
    bash -c "[ $rc -eq 1 ] && grep -q 'no-such-output.json' '$TMP/err' && [ ! -s '$TMP/out' ]"
printf '{"schema_version":1,"clusters":[{"members":[{"id":"a"}]},\n{oops\n' >"$TMP/broken.json"
run eval "$TMP/labels.jsonl" "$TMP/broken.json"
check "eval: malformed output: exit 1 with file:line" bash -c "[ $rc -eq 1 ] && grep -q 'broken.json:[0-9]' '$TMP/err'"

# eval on a real run: seeds labelled by story
S0=000_3b2b5ba8c80ccf41.txt S1=001_3aa68a8d806b5d7b.txt S2=002_5169f3dc4537730f.txt
S3=003_a90b0d2206cb7772.txt S4=004_9892dc4eae38963a.txt
printf '{"id":"%s","story":"%s"}\n' "$S0" paris "$S0#2" paris "$S1" paris "$S2" paris \
    "$S3" nyt-analysis "$S4" witkoff-call >"$TMP/seeds-labels.jsonl"
ncx cluster --quiet ../data/ -o "$TMP/seeds.json"
run eval "$TMP/seeds-labels.jsonl" "$TMP/seeds.json"
check "eval on the seeds' cluster output: exit 0, 6 items, 3 true clusters, none missing" \
    bash -c "[ $rc -eq 0 ] && jq -e '.items == 6 and .true_clusters == 3 and .missing == 0' '$TMP/out' >/dev/null"
check "eval on the seeds: scores in range, the Paris story kept whole (pair recall 1)" \
    jqt '.pair_r == 1 and ([.pair_p,.pair_f1,.bcubed_p,.bcubed_r,.bcubed_f1,.nmi] | all(. >= 0 and . <= 1))
        and .ari >= -1 and .ari <= 1' "$TMP/out"

# ---- reading ahead on a thread (every run but --threads 1): the same
# documents, messages and output as reading directly, across many batches
BIG=$TMP/big.jsonl
for i in $(seq 1 5000); do
    case $((i % 997)) in
    0) echo '{"id": broken' ;;
    500) echo "{\"id\":\"b$((i - 1))\",\"title\":\"a repeated id\"}" ;;
    *) echo "{\"id\":\"b$i\",\"title\":\"Story $((i % 40)) headline about topic $((i % 40)) and more $i\"}" ;;
    esac
done >"$BIG"
ncx cluster --threads 1 "$BIG" -o "$TMP/ra1.json" 2>"$TMP/ra1.err"
ncx cluster --threads 2 "$BIG" -o "$TMP/ra2.json" 2>"$TMP/ra2.err"
check "read ahead: the same output as reading directly (5000 lines)" cmp -s "$TMP/ra1.json" "$TMP/ra2.json"
check "read ahead: the same messages, in order" cmp -s "$TMP/ra1.err" "$TMP/ra2.err"
check "read ahead: the broken lines are named with their line numbers" \
    bash -c "grep -q 'big.jsonl:997:' '$TMP/ra2.err' && grep -q 'big.jsonl:4985:' '$TMP/ra2.err'"
check "read ahead: every good line is a document, the rest counted" \
    jqt '.stats.documents == 4990 and .stats.skipped == 10' "$TMP/ra2.json"
ncx extract --threads 1 "$BIG" >"$TMP/ra1.jsonl" 2>/dev/null
ncx extract --threads 2 "$BIG" >"$TMP/ra2.jsonl" 2>/dev/null
check "read ahead: extract gives the same documents" cmp -s "$TMP/ra1.jsonl" "$TMP/ra2.jsonl"

crashes
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
