/*
 * test_index.c - the batch clustering pipeline through the public API:
 * identical results for 1 and 2 threads on a corpus large enough to use
 * both, every document in exactly one cluster, duplicates pointing to the
 * earliest member, the time window, Google News lines kept with their item,
 * the clusters' order (size, then first member's id), and errors (duplicate ids, NULL arguments,
 * bad parameters); the JSON writer's bytes the same for 1 and 3 threads.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "nc_test.h"
#include "index_impl.h"
#include "newsclust.h"

#include <stdlib.h>
#include <string.h>

#define N_DOCS 10000 /* features are computed in chunks of 4096 a thread */

static const char *const words[] = {
    "apple",   "iphone", "samsung", "galaxy", "google",  "glass",  "tesla",   "model",
    "ukraine", "russia", "paris",   "summit", "market",  "stocks", "bank",    "rates",
    "eclipse", "moon",   "thrones", "season", "warrior", "wwe",    "tax",     "deadline",
    "ebola",   "africa", "oil",     "prices", "fed",     "yellen", "netflix", "comcast"};

static char titles[N_DOCS][96];
static char ids[N_DOCS][16];

/* Story s uses words 2s and 2s+1 plus two random others: ~16 stories. */
static void make_corpus(nc_doc *docs)
{
    uint64_t st = 12345;
    for (int i = 0; i < N_DOCS; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        int s = (int)((st >> 33) % 16);
        int r1 = (int)((st >> 20) % 32), r2 = (int)((st >> 8) % 32);
        snprintf(titles[i], sizeof titles[i], "%s %s %s news %s today", words[2 * s],
                 words[2 * s + 1], words[r1], words[r2]);
        snprintf(ids[i], sizeof ids[i], "d%05d", i);
        memset(&docs[i], 0, sizeof docs[i]);
        docs[i].id = ids[i];
        docs[i].title = titles[i];
        docs[i].published = 1400000000 + (int64_t)(i % 50) * 600;
    }
}

/* Per-document "cluster id dup score" lines of a clustered index. */
static char *dump(nc_index *ix, size_t n)
{
    size_t cap = n * 64 + 1, len = 0, seen = 0;
    char *out = calloc(cap, 1);
    for (size_t c = 0; c < nc_index_cluster_count(ix); c++) {
        nc_cluster cl;
        CHECK(nc_index_cluster_get(ix, c, &cl) == NC_OK);
        for (size_t j = 0; j < cl.size; j++) {
            nc_member m;
            CHECK(nc_index_member_get(ix, c, j, &m) == NC_OK);
            len += (size_t)snprintf(out + len, cap - len, "%zu %s %s %.4f\n", c, m.doc.id,
                                    m.duplicate_of ? m.duplicate_of : "-", m.score);
            seen++;
        }
    }
    CHECK(seen == n); /* every document in exactly one cluster */
    return out;
}

/* Cluster with @p threads, clustering once after the first @p first documents
 * too (0: only at the end); return dump()'s lines. */
static char *run_in_two(const nc_doc *docs, size_t n, unsigned threads, size_t first)
{
    nc_params p;
    nc_params_default(&p);
    p.threads = threads;
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    for (size_t i = 0; i < n; i++) {
        if (i == first && first) CHECK(nc_index_cluster(ix) == NC_OK);
        CHECK(nc_index_add(ix, &docs[i], NULL) == NC_OK);
    }
    CHECK(nc_index_cluster(ix) == NC_OK);
    char *out = dump(ix, n);
    nc_index_free(ix);
    return out;
}

static char *run(const nc_doc *docs, size_t n, unsigned threads)
{
    return run_in_two(docs, n, threads, 0);
}

/* The verify stage's early-exit copy test gives the exact Jaccard's answer
 * on every pair, at several thresholds, headline-only and with summaries. */
static void test_copy_test_exact(void)
{
    enum { M = 400 };
    static nc_doc docs[N_DOCS];
    static char sums[M][128];
    make_corpus(docs);
    uint64_t st = 99;
    for (int i = 0; i < M; i += 2) { /* every other document gets a summary */
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        snprintf(sums[i], sizeof sums[i], "%s %s said on %s that %s", words[(st >> 10) % 32],
                 words[(st >> 20) % 32], words[(st >> 30) % 32], words[(st >> 40) % 32]);
        docs[i].summary = sums[i];
    }
    const double th[] = {0.3, 0.6, 0.9, 1.0};
    for (size_t k = 0; k < sizeof th / sizeof *th; k++) {
        nc_params p;
        nc_params_default(&p);
        p.dup_threshold = th[k];
        nc_index *ix = NULL;
        CHECK(nc_index_create(&p, &ix) == NC_OK);
        for (size_t i = 0; i < M; i++)
            CHECK(nc_index_add(ix, &docs[i], NULL) == NC_OK);
        CHECK(nc_index_cluster(ix) == NC_OK);
        size_t wrong = 0, copies = 0, others = 0;
        for (uint32_t a = 0; a < M; a++)
            for (uint32_t b = a + 1; b < M; b++) {
                int want = nc__dup_similarity(ix, a, b) >= th[k];
                wrong += (size_t)(nc__dup_is_copy(ix, a, b) != want);
                copies += (size_t)want;
                others += (size_t)!want;
            }
        CHECK(wrong == 0);
        CHECK(copies > 0 && others > 0);
        nc_index_free(ix);
    }
}

/* nc_index_write_json's bytes with @p threads (rendered in parallel). */
static char *written(const nc_doc *docs, size_t n, unsigned threads, unsigned flags, size_t *len)
{
    nc_params p;
    nc_params_default(&p);
    p.threads = threads;
    p.story_threshold = 0.5; /* many clusters of every size */
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    for (size_t i = 0; i < n; i++)
        CHECK(nc_index_add(ix, &docs[i], NULL) == NC_OK);
    CHECK(nc_index_cluster(ix) == NC_OK);
    char *mem = NULL;
    FILE *f = open_memstream(&mem, len);
    CHECK(nc_index_write_json(ix, f, flags, 0) == NC_OK);
    fclose(f);
    nc_index_free(ix);
    return mem;
}

static void test_write_threads(void)
{
    static nc_doc docs[N_DOCS];
    make_corpus(docs);
    for (unsigned flags = 0; flags <= NC_OUT_JSONL; flags += NC_OUT_JSONL) {
        size_t la = 0, lb = 0;
        char *a = written(docs, N_DOCS, 1, flags, &la);
        char *b = written(docs, N_DOCS, 3, flags, &lb);
        CHECK(la > 100000 && la == lb && memcmp(a, b, la) == 0);
        /* every document once: one "score" a member */
        size_t members = 0, lines = 0;
        for (const char *q = a; (q = strstr(q, "\"score\":")); q++)
            members++;
        for (size_t i = 0; i < la; i++)
            lines += a[i] == '\n';
        CHECK(members == N_DOCS);
        if (flags) CHECK(lines > 100); /* one cluster a line */
        CHECK(la > 2 && a[la - 1] == '\n' && (flags || a[la - 2] == '}'));
        free(a);
        free(b);
    }
}

static void test_threads_identical(void)
{
    static nc_doc docs[N_DOCS];
    make_corpus(docs);
    char *a = run(docs, N_DOCS, 1);
    char *b = run(docs, N_DOCS, 2);
    char *c = run(docs, N_DOCS, 2);
    CHECK(strcmp(a, b) == 0);
    CHECK(strcmp(b, c) == 0);
    /* features of documents added after a clustering are computed by the
     * next one: clustering in between changes nothing in the end */
    char *d = run_in_two(docs, N_DOCS, 2, 5000);
    CHECK(strcmp(a, d) == 0);
    free(d);
    free(a);
    free(b);
    free(c);
}

static void test_duplicates_and_window(void)
{
    nc_doc d[5];
    memset(d, 0, sizeof d);
    d[0] = (nc_doc){.id = "b",
                    .title = "Fed chair Yellen signals rates stay low for longer",
                    .published = 2000};
    d[1] = (nc_doc){.id = "a",
                    .title = "Fed chair Yellen signals rates stay low for longer",
                    .published = 1000};
    d[2] = (nc_doc){.id = "c",
                    .title = "Fed chair Yellen signals rates stay low for longer",
                    .published = NC_TIME_UNKNOWN};
    /* the same story a week later: outside the 72 h window */
    d[3] = (nc_doc){.id = "late",
                    .title = "Fed chair Yellen signals rates stay low for longer",
                    .published = 1000 + 7 * 86400};
    d[4] = (nc_doc){
        .id = "other", .title = "Netflix raises subscription prices in Europe", .published = 1500};
    nc_index *ix = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    for (int i = 0; i < 5; i++)
        CHECK(nc_index_add(ix, &d[i], NULL) == NC_OK);
    CHECK(nc_index_add(ix, &d[0], NULL) == NC_ERR_INVALID_ARG); /* duplicate id */
    CHECK(nc_index_cluster_count(ix) == 0);
    nc_cluster cl;
    CHECK(nc_index_cluster_get(ix, 0, &cl) == NC_ERR_STATE);
    CHECK(nc_index_cluster(ix) == NC_OK);
    /* clusters: {a, b, c} (size 3), then {late}, {other} by first member id */
    CHECK(nc_index_cluster_count(ix) == 3);
    CHECK(nc_index_cluster_get(ix, 0, &cl) == NC_OK && cl.size == 3);
    nc_member m;
    CHECK(nc_index_member_get(ix, 0, 0, &m) == NC_OK);
    CHECK_STR(m.doc.id, "a"); /* earliest first */
    CHECK(m.duplicate_of == NULL && m.score > 0.99);
    CHECK(nc_index_member_get(ix, 0, 1, &m) == NC_OK);
    CHECK_STR(m.doc.id, "b");
    CHECK_STR(m.duplicate_of, "a");
    CHECK(nc_index_member_get(ix, 0, 2, &m) == NC_OK);
    CHECK_STR(m.doc.id, "c"); /* undated last */
    CHECK_STR(m.duplicate_of, "a");
    CHECK(nc_index_cluster_get(ix, 1, &cl) == NC_OK && cl.size == 1);
    CHECK(nc_index_member_get(ix, 1, 0, &m) == NC_OK);
    CHECK_STR(m.doc.id, "late");
    CHECK(nc_index_member_get(ix, 3, 0, &m) == NC_ERR_INVALID_ARG);
    nc_index_info info;
    CHECK(nc_index_get_info(ix, &info) == NC_OK);
    CHECK(info.duplicate_groups == 1); /* a, b, c; "late" is a copy but outside the window */
    /* candidates only inside the window, at both levels: a-b, a-c, b-c and
     * the undated c with late (a-late and b-late are a week apart) */
    CHECK(info.candidate_pairs == 4);
    CHECK(info.story_bands * info.story_rows <= 128 && info.dup_bands * info.dup_rows <= 128);
    nc_index_free(ix);
}

static void test_gnews_item_kept_together(void)
{
    nc_doc d[3];
    memset(d, 0, sizeof d);
    d[0] = (nc_doc){.id = "item", .title = "Ukraine allies meet in Paris", .published = 0};
    d[1] = (nc_doc){.id = "item#2",
                    .title = "Completely different words here",
                    .parent = "item",
                    .published = 0};
    d[2] = (nc_doc){.id = "x", .title = "Unrelated cooking recipe for bread", .published = 0};
    nc_index *ix = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    for (int i = 0; i < 3; i++)
        CHECK(nc_index_add(ix, &d[i], NULL) == NC_OK);
    CHECK(nc_index_cluster(ix) == NC_OK);
    nc_cluster cl;
    CHECK(nc_index_cluster_get(ix, 0, &cl) == NC_OK && cl.size == 2);
    nc_index_free(ix);
}

/* Clusters come by size, largest first, then by their first member's id in
 * strcmp() order (unsigned bytes), whatever the ids look like: short ones,
 * ones that agree on their first 8 bytes or more (sorted apart by the
 * radix keys' tie runs), bytes above 0x7f.  Copies of one title make
 * clusters of 2 and 3; the other titles are unrelated singletons. */
#define ORDER_DOCS 900
static void test_cluster_order(void)
{
    static char oid[ORDER_DOCS][48], otitle[ORDER_DOCS][64];
    static const char *const stem[] = {"http://example.com/story/", "abcdefg", "q",
                                       "\xc3\xa9t\xc3\xa9-",        "zz",      "abcdefgh",
                                       "http://example.com/s"};
    nc_doc *docs = calloc(ORDER_DOCS, sizeof *docs);
    CHECK(docs != NULL);
    if (!docs) return;
    uint64_t st = 99;
    for (int i = 0; i < ORDER_DOCS; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(st >> 33);
        snprintf(oid[i], sizeof oid[i], "%s%u", stem[r % 7], (r / 7) % 1000 * 1000 + (unsigned)i);
        int copy_of = i % 10 < 3 ? i / 10 : -1;        /* docs 10k..10k+2: one title */
        if (i % 10 == 2 && (i / 10) % 2) copy_of = -1; /* every other group: 2 copies */
        unsigned k = copy_of >= 0 ? 4000u + 4u * (unsigned)copy_of : 4u * (unsigned)i;
        size_t len = 0;
        for (unsigned w = 0; w < 4; w++, k++) { /* words of their own: no two titles share one */
            uint64_t h = (k + 1) * 0x9E3779B97F4A7C15ull;
            char word[8];
            for (int b = 0; b < 7; b++)
                word[b] = (char)('a' + (h >> (40 + 3 * b)) % 26);
            word[7] = 0;
            len += (size_t)snprintf(otitle[i] + len, sizeof otitle[i] - len, "%s%s", w ? " " : "",
                                    word);
        }
        docs[i].id = oid[i];
        docs[i].title = otitle[i];
        docs[i].published = 1400000000 + (int64_t)i * 60;
    }
    nc_params p;
    nc_params_default(&p);
    p.threads = 2;
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    for (int i = 0; i < ORDER_DOCS; i++)
        CHECK(nc_index_add(ix, &docs[i], NULL) == NC_OK);
    CHECK(nc_index_cluster(ix) == NC_OK);
    size_t nc = nc_index_cluster_count(ix), seen = 0, sizes[4] = {0}, prev_size = 0;
    char prev_id[48] = "";
    int in_order = 1;
    for (size_t c = 0; c < nc; c++) {
        nc_cluster cl;
        nc_member m;
        CHECK(nc_index_cluster_get(ix, c, &cl) == NC_OK);
        CHECK(nc_index_member_get(ix, c, 0, &m) == NC_OK);
        if (c && (cl.size > prev_size || (cl.size == prev_size && strcmp(prev_id, m.doc.id) >= 0)))
            in_order = 0;
        prev_size = cl.size;
        snprintf(prev_id, sizeof prev_id, "%s", m.doc.id);
        sizes[cl.size < 4 ? cl.size : 0]++;
        seen += cl.size;
    }
    CHECK(in_order);
    CHECK(seen == ORDER_DOCS);
    CHECK(sizes[0] == 0);                    /* no cluster above 3 */
    CHECK(sizes[3] == 45 && sizes[2] == 45); /* the 90 groups */
    CHECK(sizes[1] == ORDER_DOCS - 225);
    nc_index_free(ix);
    free(docs);
}

static void test_bad_arguments(void)
{
    nc_params p;
    nc_params_default(&p);
    nc_index *ix = (nc_index *)1;
    p.dup_threshold = 1.5;
    CHECK(nc_index_create(&p, &ix) == NC_ERR_INVALID_ARG && ix == NULL);
    nc_params_default(&p);
    p.num_perm = 0;
    CHECK(nc_index_create(&p, &ix) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_create(NULL, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    nc_doc noid = {.title = "x"};
    CHECK(nc_index_add(ix, &noid, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_add(ix, NULL, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_cluster(ix) == NC_OK); /* empty index */
    CHECK(nc_index_cluster_count(ix) == 0);
    nc_index_free(ix);
    nc_index_free(NULL);
    CHECK(strcmp(nc_strerror(NC_ERR_NOMEM), "out of memory") == 0);
    CHECK(NC_OK == 0 && NC_DONE == 1 && NC_ERR_NOMEM == -1 && NC_ERR_CORRUPT == -9);
}

int main(void)
{
    test_threads_identical();
    test_write_threads();
    test_copy_test_exact();
    test_duplicates_and_window();
    test_gnews_item_kept_together();
    test_bad_arguments();
    test_cluster_order();
    return nc_test_report("test_index");
}
