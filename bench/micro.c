/*
 * micro.c - stage micro-benchmarks of the engine, median of several runs.
 *
 *   micro [--n N] [--runs R] [--threads T] [--days D] [--seed S]
 *         [--synthetic] [--corpus FILE]
 *
 * N documents are generated in memory (gen.c: uci-news-dev replayed, or the
 * synthetic vocabulary) as JSON Lines, then timed:
 *
 *   public API (newsclust.h)
 *     read      nc_reader_open_memory + nc_reader_next over the JSON Lines
 *               (JSON parsing, text cleanup, outlet suffix removal)
 *     add       nc_index_add of every document (a copy: features are
 *               computed by nc_index_cluster)
 *     features, sign, band, verify, cluster
 *               the stages of nc_index_cluster, from nc_index_get_info
 *               (sec_features: fold, words, shingle hashes, stems, token
 *               dictionary; sec_sign, sec_band, sec_verify, sec_cluster)
 *   internal kernels (src/ headers, single thread)
 *     fold      nc__fold (NFKC + case fold) of each title
 *     features  nc__features_compute of each title
 *     minhash   nc__minhash_sign of each title's duplicate-level shingles, k = 128
 *     lsh       nc__lsh_candidates over those signatures, duplicate-level shape
 *
 * Rates are documents per second of the median run; --threads (default 1)
 * is passed to the index, so the index rows are per core by default.
 */
#include "newsclust.h"

#include "doc_features.h"
#include "gen.h"
#include "lsh.h"
#include "minhash.h"
#include "normalize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NC_BENCH_CORPUS
#define NC_BENCH_CORPUS "../shared/data/uci-news-dev.jsonl.gz"
#endif
#define MAX_RUNS 101

static const char usage[] =
    "usage: micro [--n N] [--runs R] [--threads T] [--days D] [--seed S] [--synthetic]\n"
    "             [--corpus FILE] [--skip-kernels]\n"
    "  N documents (default 1000000) over D days (default N / 10000) generated from\n"
    "  the corpus (default " NC_BENCH_CORPUS ",\n"
    "  or synthetic headlines with --synthetic);\n"
    "  each stage is run R times (default 5) and its median is reported;\n"
    "  corpus's --edits P and --start DATE are accepted too.\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "micro: %s\n", what);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stage {
    const char *name, *what;
    double t[MAX_RUNS];
    int n;
    double extra; /* printed when >= 0 */
    const char *extra_name;
} stage;

static void stage_print(stage *s, size_t docs)
{
    if (!s->n) return;
    double v[MAX_RUNS];
    memcpy(v, s->t, (size_t)s->n * sizeof *v);
    qsort(v, (size_t)s->n, sizeof *v, cmp_double);
    double med = v[s->n / 2];
    if (s->n % 2 == 0) med = (v[s->n / 2 - 1] + v[s->n / 2]) / 2.0;
    printf("  %-10s %9.3f %9.3f %9.3f %12.0f   %s", s->name, med, v[0], v[s->n - 1],
           med > 0 ? (double)docs / med : 0.0, s->what);
    if (s->extra_name) printf(" (%s %.0f)", s->extra_name, s->extra);
    printf("\n");
}

/* ---------------------------------------------------------------- corpus in memory */

typedef struct mbuf {
    char *p;
    size_t n, cap;
} mbuf;

static void mb_put(mbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 1 << 20;
        while (c < b->n + n + 1)
            c *= 2;
        b->p = realloc(b->p, c);
        if (!b->p) die("out of memory");
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void mb_str(mbuf *b, const char *s, size_t n)
{
    mb_put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        mb_put(b, s + run, i - run);
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        mb_put(b, esc, strlen(esc));
        run = i + 1;
    }
    mb_put(b, s + run, n - run);
    mb_put(b, "\"", 1);
}

/* documents kept after reading: strings in one buffer */
typedef struct docs {
    nc_doc *d;
    size_t n;
    mbuf text;
    size_t *off; /* per doc: id, title, source offsets */
} docs;

int main(int argc, char **argv)
{
    gen_opts go = gen_opts_default();
    int runs = 5, skip_kernels = 0;
    unsigned threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char err[256];
        int used = gen_parse_option(&go, a, v, err, sizeof err);
        if (used < 0) die(err);
        if (used) {
            i += used - 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--skip-kernels")) {
            skip_kernels = 1;
        } else if (!v) {
            fprintf(stderr, "micro: unknown option or missing value: %s\n%s", a, usage);
            return 2;
        } else if (!strcmp(a, "--runs")) {
            runs = atoi(v), i++;
            if (runs < 1 || runs > MAX_RUNS) die("--runs: 1 to 101");
        } else if (!strcmp(a, "--threads")) {
            threads = (unsigned)atoi(v), i++;
        } else {
            fprintf(stderr, "micro: unknown option: %s\n%s", a, usage);
            return 2;
        }
    }

    gen_opts_finish(&go);

    /* 1. generate the JSON Lines in memory */
    gen *g;
    char err[512];
    if (gen_open(&go, &g, err, sizeof err)) {
        fprintf(stderr, "micro: %s\n", err);
        return 1;
    }
    mbuf jl = {0};
    gen_doc gd;
    int r;
    while ((r = gen_next(g, &gd)) == 1) {
        char head[64], pub[32];
        snprintf(head, sizeof head, "{\"id\":\"g%llu\",\"title\":", (unsigned long long)gd.ordinal);
        mb_put(&jl, head, strlen(head));
        mb_str(&jl, gd.title, gd.title_len);
        mb_put(&jl, ",\"source\":", 10);
        mb_str(&jl, gd.source, gd.source_len);
        nc_time_format(gd.published, pub);
        mb_put(&jl, ",\"published\":\"", 14);
        mb_put(&jl, pub, strlen(pub));
        mb_put(&jl, "\"}\n", 3);
    }
    if (r < 0) die("out of memory");
    gen_close(g);

    printf("newsclust micro-benchmarks: %llu documents (%s, %u days, %.0f MB of JSON Lines), "
           "median of %d runs, index threads %u\n",
           (unsigned long long)go.n, go.synthetic ? "synthetic" : "uci-news-dev replayed", go.days,
           (double)jl.n / 1e6, runs, threads);
    printf("  %-10s %9s %9s %9s %12s\n", "stage", "median s", "min s", "max s", "docs/s");
    fflush(stdout);

    /* 2. read: the JSON Lines reader (timed), then one pass keeping the documents */
    stage st_read = {.name = "read", .what = "nc_reader over JSON Lines in memory"};
    docs D = {0};
    D.d = calloc((size_t)go.n, sizeof *D.d);
    D.off = calloc((size_t)go.n * 3, sizeof *D.off);
    if (!D.d || !D.off) die("out of memory");
    for (int run = 0; run <= runs; run++) {
        nc_reader *rd;
        double t0 = now();
        if (nc_reader_open_memory(jl.p, jl.n, "corpus", NC_FORMAT_JSONL, &rd) != NC_OK)
            die("nc_reader_open_memory failed");
        nc_doc d;
        size_t n = 0;
        nc_status s;
        while ((s = nc_reader_next(rd, &d)) != NC_DONE) {
            if (s != NC_OK) die(nc_reader_errmsg(rd));
            if (run == runs && n < go.n) { /* untimed pass: keep the documents */
                const char *f[3] = {d.id, d.title ? d.title : "", d.source ? d.source : ""};
                for (int k = 0; k < 3; k++) {
                    D.off[n * 3 + (size_t)k] = D.text.n;
                    mb_put(&D.text, f[k], strlen(f[k]) + 1);
                }
                D.d[n].published = d.published;
            }
            n++;
        }
        double t = now() - t0;
        nc_reader_free(rd);
        if (n != go.n) die("the reader did not return every document");
        if (run < runs) st_read.t[st_read.n++] = t;
    }
    D.n = (size_t)go.n;
    for (size_t i = 0; i < D.n; i++) {
        D.d[i].id = D.text.p + D.off[i * 3];
        D.d[i].title = D.text.p + D.off[i * 3 + 1];
        D.d[i].source = D.text.p + D.off[i * 3 + 2];
    }
    free(jl.p);
    stage_print(&st_read, D.n);
    fflush(stdout);

    /* 3. the index through the public API */
    stage st_add = {.name = "add", .what = "nc_index_add: copies each document"};
    stage st_feat_ix = {.name = "features", .what = "nc_index_cluster: features, in parallel"};
    stage st_sign = {.name = "sign", .what = "nc_index_cluster: MinHash, both levels"};
    stage st_band = {.name = "band", .what = "nc_index_cluster: LSH bands, candidate pairs"};
    stage st_verify = {.name = "verify", .what = "nc_index_cluster: exact verification"};
    stage st_clu = {.name = "cluster", .what = "nc_index_cluster: groups, stories, order"};
    stage st_tot = {.name = "add+clust", .what = "add + nc_index_cluster, wall"};
    nc_index_info info;
    memset(&info, 0, sizeof info);
    for (int run = 0; run < runs; run++) {
        nc_params p;
        nc_params_default(&p);
        p.threads = threads;
        nc_index *ix;
        if (nc_index_create(&p, &ix) != NC_OK) die("nc_index_create failed");
        double t0 = now();
        for (size_t i = 0; i < D.n; i++)
            if (nc_index_add(ix, &D.d[i], NULL) != NC_OK) die("nc_index_add failed");
        double t1 = now();
        if (nc_index_cluster(ix) != NC_OK) die("nc_index_cluster failed");
        double t2 = now();
        nc_index_get_info(ix, &info);
        st_add.t[st_add.n++] = t1 - t0;
        st_feat_ix.t[st_feat_ix.n++] = info.sec_features;
        st_sign.t[st_sign.n++] = info.sec_sign;
        st_band.t[st_band.n++] = info.sec_band;
        st_verify.t[st_verify.n++] = info.sec_verify;
        st_clu.t[st_clu.n++] = info.sec_cluster;
        st_tot.t[st_tot.n++] = t2 - t0;
        if (run == 0) {
            st_band.extra = (double)info.candidate_pairs;
            st_band.extra_name = "candidate pairs";
            st_verify.extra = (double)info.verified_pairs;
            st_verify.extra_name = "verified";
            st_clu.extra = (double)nc_index_cluster_count(ix);
            st_clu.extra_name = "clusters";
            st_tot.extra = (double)info.memory_bytes / (double)D.n;
            st_tot.extra_name = "index bytes/doc";
        }
        nc_index_free(ix);
    }
    stage_print(&st_add, D.n);
    stage_print(&st_feat_ix, D.n);
    stage_print(&st_sign, D.n);
    stage_print(&st_band, D.n);
    stage_print(&st_verify, D.n);
    stage_print(&st_clu, D.n);
    stage_print(&st_tot, D.n);
    printf("  (LSH shape: duplicate level %u x %u, story level %u x %u)\n", info.dup_bands,
           info.dup_rows, info.story_bands, info.story_rows);
    fflush(stdout);

    if (!skip_kernels) {
        /* 4. internal kernels, one thread */
        stage st_fold = {.name = "k:fold", .what = "nc__fold (NFKC + case fold) of the title"};
        stage st_feat = {.name = "k:features", .what = "nc__features_compute of the title"};
        stage st_mh = {.name = "k:minhash", .what = "nc__minhash_sign, 128 values, shingles"};
        stage st_lsh = {.name = "k:lsh", .what = "nc__lsh_candidates, duplicate shape"};
        for (int run = 0; run < runs; run++) {
            double t0 = now();
            for (size_t i = 0; i < D.n; i++) {
                char *f = NULL;
                if (nc__fold(D.d[i].title, strlen(D.d[i].title), &f) != NC_OK) die("nc__fold");
                free(f);
            }
            st_fold.t[st_fold.n++] = now() - t0;
        }
        stage_print(&st_fold, D.n);
        fflush(stdout);
        nc_featurizer *fz;
        if (nc__featurizer_create(&fz) != NC_OK) die("nc__featurizer_create");
        size_t *hoff = malloc((D.n + 1) * sizeof *hoff);
        uint64_t *hs = NULL;
        size_t hn = 0, hcap = 0;
        if (!hoff) die("out of memory");
        for (int run = 0; run < runs; run++) {
            double t0 = now();
            for (size_t i = 0; i < D.n; i++) {
                nc_features f;
                if (nc__features_compute(fz, D.d[i].title, NULL, NULL, &f) != NC_OK)
                    die("nc__features_compute");
                if (run == 0) { /* keep the shingle hashes (copying is untimed below) */
                    double tc = now();
                    hoff[i] = hn;
                    if (hn + f.n_dup_title > hcap) {
                        hcap = (hcap ? hcap * 2 : 1 << 20) + f.n_dup_title;
                        hs = realloc(hs, hcap * sizeof *hs);
                        if (!hs) die("out of memory");
                    }
                    memcpy(hs + hn, f.dup_title, f.n_dup_title * sizeof *hs);
                    hn += f.n_dup_title;
                    t0 += now() - tc;
                }
            }
            hoff[D.n] = hn;
            st_feat.t[st_feat.n++] = now() - t0;
        }
        nc__featurizer_free(fz);
        stage_print(&st_feat, D.n);
        fflush(stdout);

        const uint32_t k = 128;
        nc_minhash mh;
        if (nc__minhash_init(&mh, k, 1)) die("out of memory");
        uint32_t *sigs = malloc(D.n * k * sizeof *sigs);
        if (!sigs) die("out of memory");
        for (int run = 0; run < runs; run++) {
            double t0 = now();
            for (size_t i = 0; i < D.n; i++)
                nc__minhash_sign(&mh, hs + hoff[i], hoff[i + 1] - hoff[i], sigs + i * k);
            st_mh.t[st_mh.n++] = now() - t0;
        }
        st_mh.extra = (double)hn / (double)D.n;
        st_mh.extra_name = "shingles/doc";
        stage_print(&st_mh, D.n);
        fflush(stdout);
        nc__minhash_free(&mh);
        free(hs);
        free(hoff);

        nc_lsh_opts lo = {0, 0, NULL, 0, 10, 1, 0}; /* the engine's bucket cap */
        nc__lsh_params(0.6, k, &lo.bands, &lo.rows);
        for (int run = 0; run < runs; run++) {
            nc_pairs pairs = {0};
            size_t skipped = 0;
            double t0 = now();
            if (nc__lsh_candidates(sigs, D.n, k, &lo, &pairs, &skipped)) die("out of memory");
            st_lsh.t[st_lsh.n++] = now() - t0;
            st_lsh.extra = (double)pairs.n;
            free(pairs.a);
        }
        st_lsh.extra_name = "pairs";
        stage_print(&st_lsh, D.n);
        printf("  (kernel LSH shape %u x %u for threshold 0.6)\n", lo.bands, lo.rows);
        free(sigs);
    }
    free(D.d);
    free(D.off);
    free(D.text.p);
    return 0;
}
