/*
 * fuzz_reader.c - libFuzzer target for the readers and the index.
 *
 * Input: the first byte selects the format (NC_FORMAT_AUTO..NC_FORMAT_TEXT,
 * modulo 6), the rest is the feed, opened with nc_reader_open_memory().
 * Every document is read (going on after errors, as the API allows), each
 * string is checked to be NUL-terminated valid UTF-8 (the nc_doc contract)
 * and the document is written as JSON Lines to /dev/null.  The first
 * FR_INDEX_DOCS documents are added to an index (created at the first
 * document: defaults but one thread and FR_NUM_PERM MinHash values),
 * clustered, walked and written as JSON to /dev/null.
 *
 * FR_NUM_PERM is 8, not the default 128, for speed only: nc_index_create
 * picks the LSH shape by numerical integration over every (bands, rows)
 * pair, about 19 ms per create at 128 even in a release build, which would
 * hold the fuzzer to ~50 inputs a second; at 8 it takes ~0.7 ms.  The code
 * paths are the same.  Build with -DFR_NUM_PERM=128 to fuzz the default.
 *
 * Aborts (a finding) on: a string that is not valid UTF-8, a reader that
 * does not reach NC_DONE within a bound proportional to the input, a reader
 * that leaves NC_DONE, a failed open that sets its out pointer, a cluster
 * walk that disagrees with the counts.
 *
 * Built as a libFuzzer executable (tests/CMakeLists.txt, NC_FUZZ=ON) and
 * replayed by tests/test_fuzz_replay.c, which defines NC_FUZZ_ENTRY to give
 * the entry point another name.
 */
#include "newsclust.h"
#include "normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NC_FUZZ_ENTRY
#define NC_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define FR_INDEX_DOCS 200
#ifndef FR_NUM_PERM
#define FR_NUM_PERM 8
#endif

/* /dev/null, opened once for the life of the process. */
static FILE *fr_sink(void)
{
    static FILE *f;
    if (!f) f = fopen("/dev/null", "w");
    if (!f) {
        perror("fuzz_reader: /dev/null");
        abort();
    }
    return f;
}

static void fr_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_reader: %s (%s)\n", what, detail ? detail : "");
    abort();
}

/* Read the whole string (strlen) and check it is valid UTF-8. */
static void fr_touch(const char *s, const char *field)
{
    if (!s) return;
    size_t n = strlen(s);
    if (!nc__utf8_valid(s, n)) fr_fail("string is not valid UTF-8", field);
}

static void fr_touch_doc(const nc_doc *d)
{
    fr_touch(d->id, "id");
    fr_touch(d->title, "title");
    fr_touch(d->summary, "summary");
    fr_touch(d->text, "text");
    fr_touch(d->source, "source");
    fr_touch(d->link, "link");
    fr_touch(d->parent, "parent");
}

/* Cluster what was added, walk every cluster and member, write it all. */
static void fr_index_run(nc_index *ix, size_t skipped)
{
    if (nc_index_cluster(ix) != NC_OK) return; /* only NC_ERR_NOMEM */
    size_t nc = nc_index_cluster_count(ix), members = 0;
    for (size_t i = 0; i < nc; i++) {
        nc_cluster c;
        if (nc_index_cluster_get(ix, i, &c) != NC_OK) fr_fail("nc_index_cluster_get", "");
        fr_touch(c.headline, "headline");
        for (size_t k = 0; k < c.n_keywords; k++)
            fr_touch(c.keywords[k], "keyword");
        for (size_t j = 0; j < c.size; j++) {
            nc_member m;
            if (nc_index_member_get(ix, i, j, &m) != NC_OK) fr_fail("nc_index_member_get", "");
            fr_touch_doc(&m.doc);
            fr_touch(m.duplicate_of, "duplicate_of");
        }
        members += c.size;
    }
    if (members != nc_index_size(ix)) fr_fail("cluster sizes do not add up to the index size", "");
    FILE *out = fr_sink();
    (void)nc_index_write_json(ix, out, 0, skipped);
    (void)nc_index_write_json(ix, out, NC_OUT_JSONL, skipped);
    (void)nc_index_write_dedup(ix, out);
}

int NC_FUZZ_ENTRY(const uint8_t *data, size_t size);
int NC_FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    nc_format fmt = (nc_format)(data[0] % 6);
    static char sentinel;
    nc_reader *r = (nc_reader *)(void *)&sentinel; /* a failed open must reset it */
    if (nc_reader_open_memory(data + 1, size - 1, "fuzz", fmt, &r) != NC_OK) {
        if (r) fr_fail("failed nc_reader_open_memory left *out set", "");
        return 0;
    }

    nc_index *ix = NULL;
    FILE *out = fr_sink();
    size_t added = 0;
    /* Every call returns a document, an error that consumed an item, or
     * NC_DONE; a Google News item can give a few documents per <li>, so
     * 4 calls per input byte is far more than any honest reader needs. */
    size_t limit = 64 + 4 * size, calls = 0;
    for (;; calls++) {
        if (calls >= limit) fr_fail("reader did not reach NC_DONE", nc_reader_errmsg(r));
        nc_doc d;
        memset(&d, 0, sizeof d);
        nc_status st = nc_reader_next(r, &d);
        if (st == NC_DONE) break;
        if (st < 0) {
            /* not promised to be UTF-8: libxml2 messages quote raw bytes */
            (void)strlen(nc_reader_errmsg(r));
            continue;
        }
        if (st != NC_OK) fr_fail("nc_reader_next returned an unknown status", "");
        fr_touch_doc(&d);
        (void)nc_doc_write_jsonl(&d, out);
        if (!ix) {
            nc_params p;
            nc_params_default(&p);
            p.threads = 1;
            p.num_perm = FR_NUM_PERM;
            if (nc_index_create(&p, &ix) != NC_OK) fr_fail("nc_index_create", "");
        }
        if (added < FR_INDEX_DOCS && nc_index_add(ix, &d, NULL) == NC_OK) added++;
    }
    nc_doc d;
    if (nc_reader_next(r, &d) != NC_DONE) fr_fail("reader left NC_DONE", "");
    (void)nc_reader_format(r);
    size_t skipped = nc_reader_skipped(r);
    nc_reader_free(r);

    if (ix) {
        if (nc_index_size(ix) != added) fr_fail("nc_index_size disagrees with the adds", "");
        fr_index_run(ix, skipped);
        nc_index_free(ix);
    }
    return 0;
}
