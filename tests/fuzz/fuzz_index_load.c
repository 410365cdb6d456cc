/*
 * fuzz_index_load.c - libFuzzer target for nc_index_load: the input is
 * written to a temporary file and loaded as a saved index.
 *
 * Aborts (a finding) on broken promises of newsclust.h: a failed load that
 * returns a status other than NC_ERR_IO, NC_ERR_CORRUPT or NC_ERR_NOMEM, or
 * leaves *out set; a loaded index whose clusters do not hold every document
 * once; a loaded index that, saved and loaded again, does not give the same
 * JSON output; an add to it that fails other than by a known id.
 *
 * Built as a libFuzzer executable (tests/CMakeLists.txt, NC_FUZZ=ON) and
 * replayed by tests/test_fuzz_replay.c, which defines NC_FUZZ_ENTRY.
 */
#include "newsclust.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NC_FUZZ_ENTRY
#define NC_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void fl_fail(const char *what)
{
    fprintf(stderr, "fuzz_index_load: %s\n", what);
    abort();
}

/* The index's JSON output (NULL when it has no clusters yet). */
static char *fl_json(const nc_index *ix)
{
    if (nc_index_cluster_count(ix) == 0 && nc_index_size(ix) > 0) return NULL;
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    if (!f) return NULL;
    nc_status st = nc_index_write_json(ix, f, NC_OUT_JSONL, 0);
    fclose(f);
    if (st != NC_OK && st != NC_ERR_STATE) fl_fail("write_json failed");
    return mem;
}

int NC_FUZZ_ENTRY(const uint8_t *data, size_t size);

int NC_FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/nc_fuzz_load_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return 0;
    }
    int wrote = fwrite(data, 1, size, f) == size;
    fclose(f);
    nc_index *ix = (nc_index *)&wrote; /* must be NULL after a failure */
    nc_status st = wrote ? nc_index_load(path, &ix) : NC_ERR_IO;
    if (!wrote) ix = NULL;
    if (st != NC_OK) {
        unlink(path);
        if (ix) fl_fail("*out set after a failed load");
        if (st != NC_ERR_IO && st != NC_ERR_CORRUPT && st != NC_ERR_NOMEM)
            fl_fail("unexpected status");
        return 0;
    }
    size_t total = 0;
    for (size_t i = 0; i < nc_index_cluster_count(ix); i++) {
        nc_cluster c;
        if (nc_index_cluster_get(ix, i, &c) != NC_OK) fl_fail("cluster_get failed");
        total += c.size;
    }
    if (nc_index_cluster_count(ix) > 0 && total != nc_index_size(ix))
        fl_fail("clusters do not hold every document once");
    /* saved and loaded again: the same output */
    char *a = fl_json(ix);
    nc_index *back = NULL;
    if (nc_index_save(ix, path) != NC_OK) fl_fail("save failed");
    st = nc_index_load(path, &back);
    unlink(path);
    if (st == NC_ERR_NOMEM) {
        free(a);
        nc_index_free(ix);
        return 0;
    }
    if (st != NC_OK) fl_fail("a saved index does not load");
    char *b = fl_json(back);
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fl_fail("saved and loaded again, the output differs");
    free(a);
    free(b);
    nc_doc d;
    memset(&d, 0, sizeof d);
    d.id = "fuzz-added";
    d.title = "Central bank raises interest rates";
    d.published = NC_TIME_UNKNOWN;
    nc_assignment as;
    st = nc_index_add(back, &d, &as);
    if (st != NC_OK && st != NC_ERR_INVALID_ARG && st != NC_ERR_NOMEM) fl_fail("add failed");
    nc_index_free(back);
    nc_index_free(ix);
    return 0;
}
