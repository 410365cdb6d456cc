/*
 * candidates.c - candidate recall of the LSH stage on a labelled corpus.
 *
 *   candidates [--threads N] [CORPUS]
 *
 * CORPUS is labelled JSON Lines (gzip or plain; default
 * ../shared/data/uci-news-dev.jsonl.gz) with "id", "title", "link",
 * "published" and "story".  Each UTC day is clustered alone with the default
 * parameters, as bench/quality does, and the candidate pairs of both LSH
 * levels (plus Google News item-line pairs) are compared with the labels:
 *
 *   pair recall       true same-story pairs that are candidate pairs
 *   graph recall      true pairs joined by a path of candidate pairs (and
 *                     so comparable by the exact average linkage, which links
 *                     clusters through any member pair)
 *   final recall      true pairs in one output cluster (pair recall of the
 *                     clustering, as newsclust eval prints it)
 *   candidates/doc    candidate pairs per document; precision of candidates
 *
 * It reaches the index's internals (src/index_impl.h) to keep the pairs.
 */
#include "newsclust.h"

#include "index_impl.h"
#include "unionfind.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifndef NC_BENCH_CORPUS
#define NC_BENCH_CORPUS "../shared/data/uci-news-dev.jsonl.gz"
#endif

typedef struct item {
    char *id, *title, *link, *story;
    int64_t t;
} item;

static void die(const char *what)
{
    fprintf(stderr, "candidates: %s\n", what);
    exit(1);
}

static char *dup_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    char *c = strdup(s);
    if (!c) die("out of memory");
    return c;
}

/* Number of pairs among runs of equal keys in sorted k[0..n). */
static double pairs_of_runs(const uint64_t *k, size_t n)
{
    double p = 0.0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && k[j] == k[i])
            j++;
        p += (double)(j - i) * (double)(j - i - 1) / 2.0;
        i = j;
    }
    return p;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *path = NC_BENCH_CORPUS;
    unsigned threads = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--threads") && a + 1 < argc)
            threads = (unsigned)strtoul(argv[++a], NULL, 10);
        else if (argv[a][0] == '-') {
            fputs("usage: candidates [--threads N] [CORPUS]\n", stderr);
            return 2;
        } else
            path = argv[a];
    }
    gzFile gz = gzopen(path, "rb");
    if (!gz) die("cannot open the corpus");
    size_t cap = 1 << 20, n = 0, icap = 1 << 16;
    char *line = malloc(cap);
    item *it = malloc(icap * sizeof *it);
    if (!line || !it) die("out of memory");
    while (gzgets(gz, line, (int)cap)) {
        cJSON *o = cJSON_Parse(line);
        if (!o) continue;
        if (n == icap) {
            icap *= 2;
            it = realloc(it, icap * sizeof *it);
            if (!it) die("out of memory");
        }
        it[n].id = dup_str(o, "id");
        it[n].title = dup_str(o, "title");
        it[n].link = dup_str(o, "link");
        it[n].story = dup_str(o, "story");
        char *pub = dup_str(o, "published");
        if (nc_time_parse(pub, &it[n].t) != NC_OK) it[n].t = NC_TIME_UNKNOWN;
        free(pub);
        cJSON_Delete(o);
        n++;
    }
    gzclose(gz);
    free(line);
    if (!n) die("no documents");

    double true_pairs = 0, cand_true = 0, graph_true = 0, final_true = 0, cands = 0;
    size_t days = 0;
    nc_params p;
    nc_params_default(&p);
    p.threads = threads;
    for (size_t i = 0; i < n;) {
        int64_t day = it[i].t == NC_TIME_UNKNOWN ? -1 : it[i].t / 86400;
        size_t j = i;
        while (j < n && (it[j].t == NC_TIME_UNKNOWN ? -1 : it[j].t / 86400) == day)
            j++;
        size_t m = j - i;
        nc_index *ix = NULL;
        if (nc_index_create(&p, &ix) != NC_OK) die("nc_index_create");
        ix->keep_pairs = 1;
        for (size_t k = i; k < j; k++) {
            nc_doc d = {
                .id = it[k].id, .title = it[k].title, .link = it[k].link, .published = it[k].t};
            if (nc_index_add(ix, &d, NULL) != NC_OK) die("nc_index_add");
        }
        if (nc_index_cluster(ix) != NC_OK) die("nc_index_cluster");
        /* labels as dense numbers: hash of the story string */
        uint64_t *lab = malloc((m + 1) * sizeof *lab), *key = malloc((m + 1) * sizeof *key);
        nc_uf uf;
        if (!lab || !key || nc__uf_init(&uf, m)) die("out of memory");
        for (size_t k = 0; k < m; k++) {
            const char *s = it[i + k].story;
            uint64_t h = 1469598103934665603ull;
            for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ull;
            lab[k] = h;
        }
        for (size_t q = 0; q < ix->n_kept_pairs; q++) {
            uint32_t a = (uint32_t)(ix->kept_pairs[q] >> 32), b = (uint32_t)ix->kept_pairs[q];
            if (lab[a] == lab[b]) cand_true++;
            nc__uf_union(&uf, a, b);
        }
        cands += (double)ix->n_kept_pairs;
        memcpy(key, lab, m * sizeof *key);
        qsort(key, m, sizeof *key, cmp_u64);
        true_pairs += pairs_of_runs(key, m);
        /* (component, label) and (cluster, label) groups */
        for (size_t k = 0; k < m; k++)
            key[k] = (uint64_t)nc__uf_find(&uf, (uint32_t)k) << 40 ^ (lab[k] & 0xFFFFFFFFFFull);
        qsort(key, m, sizeof *key, cmp_u64);
        graph_true += pairs_of_runs(key, m);
        size_t kk = 0;
        for (size_t c = 0; c < nc_index_cluster_count(ix); c++) {
            nc_cluster cl;
            nc_index_cluster_get(ix, c, &cl);
            for (size_t q = 0; q < cl.size; q++) {
                nc_member mb;
                nc_index_member_get(ix, c, q, &mb);
                int64_t ord = nc__index_find_id(ix, mb.doc.id);
                key[kk++] = (uint64_t)c << 40 ^ (lab[ord] & 0xFFFFFFFFFFull);
            }
        }
        qsort(key, kk, sizeof *key, cmp_u64);
        final_true += pairs_of_runs(key, kk);
        nc__uf_free(&uf);
        free(lab);
        free(key);
        nc_index_free(ix);
        days++;
        i = j;
    }
    printf("candidates: %zu documents, %zu days (each clustered alone, defaults)\n", n, days);
    printf("  true same-story pairs   %.0f\n", true_pairs);
    printf("  candidate pairs         %.0f (%.1f per document), precision %.3f\n", cands,
           cands / (double)n, cands > 0 ? cand_true / cands : 0.0);
    printf("  pair recall             %.4f  (true pairs that are candidates)\n",
           cand_true / true_pairs);
    printf("  graph recall            %.4f  (true pairs connected by candidates)\n",
           graph_true / true_pairs);
    printf("  final recall            %.4f  (true pairs in one output cluster)\n",
           final_true / true_pairs);
    for (size_t k = 0; k < n; k++) {
        free(it[k].id);
        free(it[k].title);
        free(it[k].link);
        free(it[k].story);
    }
    free(it);
    return 0;
}
