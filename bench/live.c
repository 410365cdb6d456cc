/*
 * live.c - benchmark of the live index (public API only): an aggregator
 * that batch-clusters the first part of a feed, then adds the rest one
 * document at a time, saves and loads its index, and re-clusters.
 *
 *   live [--warm F] [--runs R] [--threads N] CORPUS.jsonl
 *
 * CORPUS is JSON Lines with "id" and a "story" label (bench/corpus output, or
 * uci-news-dev unpacked); it is read in file order.  The first F (default
 * 0.5) of the documents are added and clustered as a batch; the rest are
 * added one by one, each assigned at once (nc_index_add of a live index).
 * Printed: adds per second and the median and 99th percentile latency of one
 * add; the quality (nc_eval_files against the labels) of the assignments as
 * made, of a re-clustering of everything, and of one batch run over all
 * documents; the share of documents whose cluster id the re-clustering kept;
 * the save and load times and the file size.  With --runs R the timed add
 * phase is repeated R times (fresh indexes) and the medians are printed.
 */
#define _POSIX_C_SOURCE 200809L
#include "newsclust.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static char *dup_str(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

typedef struct corpus {
    nc_doc *d;
    size_t n, cap;
} corpus;

static void die(const char *what, nc_status st)
{
    fprintf(stderr, "live: %s: %s\n", what, nc_strerror(st));
    exit(1);
}

static corpus read_corpus(const char *path)
{
    corpus c = {0};
    nc_reader *r = NULL;
    nc_status st = nc_reader_open_file(path, NC_FORMAT_JSONL, &r);
    if (st != NC_OK) die(path, st);
    nc_doc d;
    while ((st = nc_reader_next(r, &d)) != NC_DONE) {
        if (st != NC_OK) continue; /* skipped, as the CLI does */
        if (c.n == c.cap) {
            c.cap = c.cap ? c.cap * 2 : 4096;
            c.d = realloc(c.d, c.cap * sizeof *c.d);
            if (!c.d) die("corpus", NC_ERR_NOMEM);
        }
        nc_doc x = d;
        x.id = dup_str(d.id);
        x.title = dup_str(d.title);
        x.summary = dup_str(d.summary);
        x.source = dup_str(d.source);
        x.link = dup_str(d.link);
        x.parent = dup_str(d.parent);
        x.text = NULL;
        c.d[c.n++] = x;
    }
    nc_reader_free(r);
    return c;
}

/* Write clusters given as one id per document (JSON Lines, "members"). */
static void write_assigned(const char *path, const corpus *c, const int64_t *cid)
{
    int64_t max = -1;
    for (size_t i = 0; i < c->n; i++)
        if (cid[i] > max) max = cid[i];
    size_t k = (size_t)(max + 1);
    size_t *start = calloc(k + 2, sizeof *start), *order = malloc((c->n + 1) * sizeof *order);
    for (size_t i = 0; i < c->n; i++)
        start[cid[i] + 2]++;
    for (size_t i = 0; i < k; i++)
        start[i + 2] += start[i + 1];
    for (size_t i = 0; i < c->n; i++)
        order[start[cid[i] + 1]++] = i;
    FILE *f = fopen(path, "wb");
    if (!f) die(path, NC_ERR_IO);
    for (size_t g = 0; g < k; g++) {
        if (start[g] == start[g + 1]) continue;
        fprintf(f, "{\"id\":%zu,\"members\":[", g);
        for (size_t j = start[g]; j < start[g + 1]; j++)
            fprintf(f, "%s{\"id\":\"%s\"}", j > start[g] ? "," : "", c->d[order[j]].id);
        fputs("]}\n", f);
    }
    fclose(f);
    free(start);
    free(order);
}

static void score(const char *label, const char *labels, const char *out)
{
    nc_eval_result e;
    char err[256];
    nc_status st = nc_eval_files(labels, out, "story", &e, err, sizeof err);
    if (st != NC_OK) {
        fprintf(stderr, "live: eval: %s\n", err);
        exit(1);
    }
    printf("  %-28s pair P %.4f R %.4f F1 %.4f  B-cubed F1 %.4f  ARI %.4f  NMI %.4f  (%zu "
           "clusters)\n",
           label, e.pair_p, e.pair_r, e.pair_f1, e.bcubed_f1, e.ari, e.nmi, e.pred_clusters);
}

static void write_index(const nc_index *ix, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) die(path, NC_ERR_IO);
    nc_status st = nc_index_write_json(ix, f, NC_OUT_JSONL, 0);
    fclose(f);
    if (st != NC_OK) die(path, st);
}

/* Corpus position of a document id: open addressing over FNV-1a. */
typedef struct idmap {
    size_t *slot, cap;
    const corpus *c;
} idmap;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static idmap idmap_of(const corpus *c)
{
    idmap m = {NULL, 1, c};
    while (m.cap < 2 * c->n)
        m.cap <<= 1;
    m.slot = malloc(m.cap * sizeof *m.slot);
    if (!m.slot) die("map", NC_ERR_NOMEM);
    for (size_t i = 0; i < m.cap; i++)
        m.slot[i] = SIZE_MAX;
    for (size_t i = 0; i < c->n; i++) {
        size_t j = (size_t)fnv(c->d[i].id) & (m.cap - 1);
        while (m.slot[j] != SIZE_MAX)
            j = (j + 1) & (m.cap - 1);
        m.slot[j] = i;
    }
    return m;
}

static size_t pos_of(const idmap *m, const char *id)
{
    size_t j = (size_t)fnv(id) & (m->cap - 1);
    while (strcmp(m->c->d[m->slot[j]].id, id) != 0)
        j = (j + 1) & (m->cap - 1);
    return m->slot[j];
}

/* Call @p fn(ctx, corpus position, cluster id) for every document of a
 * clustered index. */
static void each_member(const nc_index *ix, const idmap *m, void (*fn)(void *, size_t, int64_t),
                        void *ctx)
{
    for (size_t k = 0; k < nc_index_cluster_count(ix); k++) {
        nc_cluster cl;
        nc_index_cluster_get(ix, k, &cl);
        for (size_t j = 0; j < cl.size; j++) {
            nc_member mb;
            nc_index_member_get(ix, k, j, &mb);
            fn(ctx, pos_of(m, mb.doc.id), cl.id);
        }
    }
}

static void set_id(void *ctx, size_t pos, int64_t id)
{
    ((int64_t *)ctx)[pos] = id;
}

typedef struct kept_ctx {
    const int64_t *cid;
    size_t kept;
} kept_ctx;

static void count_kept(void *ctx, size_t pos, int64_t id)
{
    kept_ctx *k = ctx;
    k->kept += k->cid[pos] == id;
}

/* Batch-cluster documents [0, warm), add the rest one by one; fill @p cid
 * (each document's id: batch ids of the warm part, assignments after) and
 * the per-add latencies.  @return the index; *add_sec the add phase. */
static nc_index *live_run(const corpus *c, const idmap *m, size_t warm, unsigned threads,
                          int64_t *cid, double *lat, double *add_sec, double *warm_sec)
{
    nc_params p;
    nc_params_default(&p);
    p.threads = threads;
    nc_index *ix = NULL;
    nc_status st = nc_index_create(&p, &ix);
    if (st != NC_OK) die("create", st);
    double t0 = now();
    for (size_t i = 0; i < warm; i++)
        if ((st = nc_index_add(ix, &c->d[i], NULL)) != NC_OK) die(c->d[i].id, st);
    if ((st = nc_index_cluster(ix)) != NC_OK) die("cluster", st);
    *warm_sec = now() - t0;
    each_member(ix, m, set_id, cid);
    t0 = now();
    for (size_t i = warm; i < c->n; i++) {
        nc_assignment a;
        double s = now();
        if ((st = nc_index_add(ix, &c->d[i], &a)) != NC_OK) die(c->d[i].id, st);
        lat[i - warm] = now() - s;
        cid[i] = a.cluster;
    }
    *add_sec = now() - t0;
    return ix;
}

int main(int argc, char **argv)
{
    double warm_share = 0.5;
    unsigned threads = 0;
    int runs = 1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--warm") && i + 1 < argc) {
            warm_share = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = (unsigned)atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "usage: live [--warm F] [--runs R] [--threads N] CORPUS.jsonl\n");
            return 2;
        }
    }
    if (!path || warm_share <= 0.0 || warm_share >= 1.0 || runs < 1) {
        fprintf(stderr, "usage: live [--warm F] [--runs R] [--threads N] CORPUS.jsonl\n");
        return 2;
    }
    char dir[] = "/tmp/nc_live_bench_XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", NC_ERR_IO);
    char f_live[64], f_re[64], f_batch[64], f_ix[64];
    snprintf(f_live, sizeof f_live, "%s/live.jsonl", dir);
    snprintf(f_re, sizeof f_re, "%s/recluster.jsonl", dir);
    snprintf(f_batch, sizeof f_batch, "%s/batch.jsonl", dir);
    snprintf(f_ix, sizeof f_ix, "%s/index.jsonl", dir);

    corpus c = read_corpus(path);
    size_t warm = (size_t)((double)c.n * warm_share);
    if (warm < 1 || warm >= c.n) die("corpus too small", NC_ERR_INVALID_ARG);
    size_t nadd = c.n - warm;
    idmap map = idmap_of(&c);
    int64_t *cid = malloc(c.n * sizeof *cid);
    double *lat = malloc(nadd * sizeof *lat), *rate = malloc((size_t)runs * sizeof *rate);
    double *p50 = malloc((size_t)runs * sizeof *p50), *p99 = malloc((size_t)runs * sizeof *p99);
    nc_index *ix = NULL;
    double warm_sec = 0.0, add_sec = 0.0;
    for (int r = 0; r < runs; r++) {
        nc_index_free(ix);
        ix = live_run(&c, &map, warm, threads, cid, lat, &add_sec, &warm_sec);
        rate[r] = (double)nadd / add_sec;
        qsort(lat, nadd, sizeof *lat, cmp_double);
        p50[r] = lat[nadd / 2];
        p99[r] = lat[nadd * 99 / 100];
    }
    qsort(rate, (size_t)runs, sizeof *rate, cmp_double);
    qsort(p50, (size_t)runs, sizeof *p50, cmp_double);
    qsort(p99, (size_t)runs, sizeof *p99, cmp_double);
    printf("corpus %s: %zu documents; %zu clustered as a batch (%.2f s), %zu added one by one\n",
           path, c.n, warm, warm_sec, nadd);
    double bytes_added = 0.0; /* the text of the added documents' fields */
    for (size_t i = warm; i < c.n; i++) {
        const char *f[6] = {c.d[i].id,     c.d[i].title, c.d[i].summary,
                            c.d[i].source, c.d[i].link,  c.d[i].parent};
        for (int k = 0; k < 6; k++)
            bytes_added += f[k] ? (double)strlen(f[k]) : 0.0;
    }
    printf("  adds: %.0f docs/s, %.2f MB/s of fields (median of %d), one add: median %.1f us, "
           "p99 %.1f us\n",
           rate[runs / 2], rate[runs / 2] * bytes_added / (double)nadd / 1e6, runs,
           p50[runs / 2] * 1e6, p99[runs / 2] * 1e6);

    write_assigned(f_live, &c, cid);
    double t0 = now();
    nc_status st = nc_index_save(ix, f_ix);
    double save_sec = now() - t0;
    if (st != NC_OK) die("save", st);
    FILE *sf = fopen(f_ix, "rb");
    fseek(sf, 0, SEEK_END);
    long bytes = ftell(sf);
    fclose(sf);
    t0 = now();
    nc_index *back = NULL;
    st = nc_index_load(f_ix, &back);
    double load_sec = now() - t0;
    if (st != NC_OK) die("load", st);
    nc_index_free(back);
    t0 = now();
    if ((st = nc_index_cluster(ix)) != NC_OK) die("cluster", st);
    double re_sec = now() - t0;
    write_index(ix, f_re);
    kept_ctx k = {cid, 0};
    each_member(ix, &map, count_kept, &k);
    printf("  save %.3f s (%.1f MB), load (clusters again) %.3f s; re-cluster %.3f s keeps "
           "the id of %.2f%% of the documents\n",
           save_sec, (double)bytes / 1e6, load_sec, re_sec, 100.0 * (double)k.kept / (double)c.n);

    nc_params p;
    nc_params_default(&p);
    p.threads = threads;
    nc_index *b = NULL;
    if ((st = nc_index_create(&p, &b)) != NC_OK) die("create", st);
    for (size_t i = 0; i < c.n; i++)
        nc_index_add(b, &c.d[i], NULL);
    t0 = now();
    if ((st = nc_index_cluster(b)) != NC_OK) die("cluster", st);
    double batch_sec = now() - t0;
    write_index(b, f_batch);
    nc_index_free(b);
    printf("  one batch of all documents: %.3f s\n", batch_sec);
    printf("quality against the labels:\n");
    score("assigned as added", path, f_live);
    score("re-clustered", path, f_re);
    score("one batch", path, f_batch);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS %.1f MB\n", (double)ru.ru_maxrss / 1024.0);

    remove(f_live);
    remove(f_re);
    remove(f_batch);
    remove(f_ix);
    rmdir(dir);
    nc_index_free(ix);
    free(cid);
    free(lat);
    free(rate);
    free(p50);
    free(p99);
    free(map.slot);
    for (size_t i = 0; i < c.n; i++) {
        free((char *)c.d[i].id);
        free((char *)c.d[i].title);
        free((char *)c.d[i].summary);
        free((char *)c.d[i].source);
        free((char *)c.d[i].link);
        free((char *)c.d[i].parent);
    }
    free(c.d);
    return 0;
}
