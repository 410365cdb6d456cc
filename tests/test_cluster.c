/*
 * test_cluster.c - story agglomeration: average linkage computed from
 * centroid sums (no single-link chaining), the threshold, the time window,
 * starting groups kept together, centroid linkage, and the nearest-neighbour
 * chain walk giving the merges of greedy best-first average linkage.
 */
#include "cluster.h"
#include "nc_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nc__cluster_agglomerate takes ownership of its edges: a malloc'd copy. */
static nc_edge *dupe(const nc_edge *e, size_t n)
{
    nc_edge *c = malloc(n * sizeof *c);
    if (c) memcpy(c, e, n * sizeof *c);
    return c;
}

/* Up to 8 documents over tokens 0..15; vec[d] holds unit vectors. */
static nc_vent store[8][16];
static const nc_vent *vec[8];
static uint32_t vlen[8];

/* Document d gets the tokens of @p toks (a string of letters a..p), equal weights. */
static void set_doc(int d, const char *toks)
{
    size_t n = strlen(toks);
    for (size_t i = 0; i < n; i++) {
        store[d][i].tok = (uint32_t)(toks[i] - 'a');
        store[d][i].w = (float)(1.0 / sqrt((double)n));
    }
    vec[d] = store[d];
    vlen[d] = (uint32_t)n;
}

static int same(nc_uf *uf, uint32_t a, uint32_t b)
{
    return nc__uf_find(uf, a) == nc__uf_find(uf, b);
}

static nc_cluster_opts opts(double thr)
{
    nc_cluster_opts o = {thr, NULL, 0, NC_LINK_AVERAGE, vec, vlen, 1, 0, NULL};
    return o;
}

static void test_no_chaining(void)
{
    /* 0=[a] 1=[a,b] 2=[b,c] 3=[c]: a chain of links; single link would join
     * all four.  Average link joins {0,1} and {2,3} (cos 0.707), then their
     * average is (cos(1,2) = 0.5) / 4 = 0.125 < 0.3: they stay apart. */
    set_doc(0, "a");
    set_doc(1, "ab");
    set_doc(2, "bc");
    set_doc(3, "c");
    nc_uf uf;
    nc__uf_init(&uf, 4);
    nc_edge e[] = {{0, 1, 0}, {1, 2, 0}, {2, 3, 0}};
    nc_cluster_opts o = opts(0.3);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 3), 3, &o) == 0);
    CHECK(same(&uf, 0, 1) && same(&uf, 2, 3));
    CHECK(!same(&uf, 0, 3));
    nc__uf_free(&uf);
}

static void test_threshold(void)
{
    /* three identical docs join; doc 3 over 16 tokens has cosine 0.25 with
     * them, below 0.3 */
    set_doc(0, "a");
    set_doc(1, "a");
    set_doc(2, "a");
    set_doc(3, "abcdefghijklmnop");
    nc_uf uf;
    nc__uf_init(&uf, 4);
    nc_edge e[] = {{0, 1, 0}, {0, 2, 0}, {1, 2, 0}, {0, 3, 0}};
    nc_cluster_opts o = opts(0.3);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 4), 4, &o) == 0);
    CHECK(same(&uf, 0, 1) && same(&uf, 1, 2));
    CHECK(!same(&uf, 0, 3));
    CHECK(uf.size[nc__uf_find(&uf, 0)] == 3);
    nc__uf_free(&uf);
    /* at 0.2 it joins */
    nc__uf_init(&uf, 4);
    o = opts(0.2);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 4), 4, &o) == 0);
    CHECK(same(&uf, 0, 3));
    nc__uf_free(&uf);
}

static void test_no_edge_no_merge(void)
{
    /* identical documents with no candidate edge are never compared */
    set_doc(0, "a");
    set_doc(1, "a");
    nc_uf uf;
    nc__uf_init(&uf, 2);
    nc_cluster_opts o = opts(0.3);
    CHECK(nc__cluster_agglomerate(&uf, NULL, 0, &o) == 0);
    CHECK(!same(&uf, 0, 1));
    nc__uf_free(&uf);
}

static void test_window(void)
{
    /* 0 and 1 identical but 100 h apart: a 72 h window keeps them apart; the
     * undated 2 may join one of them */
    set_doc(0, "ab");
    set_doc(1, "ab");
    set_doc(2, "ab");
    int64_t t[3] = {0, 100 * 3600, INT64_MIN};
    nc_uf uf;
    nc__uf_init(&uf, 3);
    nc_edge e[] = {{0, 1, 0}, {1, 2, 0}};
    nc_cluster_opts o = opts(0.3);
    o.time = t;
    o.window = 72 * 3600;
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 2), 2, &o) == 0);
    CHECK(!same(&uf, 0, 1));
    CHECK(same(&uf, 1, 2));
    nc__uf_free(&uf);
    nc__uf_init(&uf, 3);
    o.window = 0;
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 2), 2, &o) == 0);
    CHECK(same(&uf, 0, 1) && same(&uf, 1, 2));
    nc__uf_free(&uf);
}

static void test_window_after_merge(void)
{
    /* Identical documents at 0, 10, 20 and 100 h.  A merge's span decides
     * which neighbours stay: {0, 1} keeps 2 (its span stays inside 72 h)
     * and drops 3 for good, which even {0, 1, 2} cannot reach. */
    set_doc(0, "ab");
    set_doc(1, "ab");
    set_doc(2, "ab");
    set_doc(3, "ab");
    int64_t t[4] = {0, 10 * 3600, 20 * 3600, 100 * 3600};
    nc_edge e[] = {{0, 1, 0}, {0, 2, 0}, {1, 2, 0}, {1, 3, 0}, {2, 3, 0}};
    nc_cluster_opts o = opts(0.3);
    o.time = t;
    o.window = 72 * 3600;
    nc_uf uf;
    nc__uf_init(&uf, 4);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 5), 5, &o) == 0);
    CHECK(same(&uf, 0, 1) && same(&uf, 1, 2));
    CHECK(!same(&uf, 0, 3));
    CHECK(uf.size[nc__uf_find(&uf, 3)] == 1);
    nc__uf_free(&uf);
    /* 3 at 50 h: the span 0..50 h is inside the window, all four join */
    t[3] = 50 * 3600;
    nc__uf_init(&uf, 4);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 5), 5, &o) == 0);
    CHECK(same(&uf, 0, 3) && same(&uf, 1, 2) && same(&uf, 0, 2));
    nc__uf_free(&uf);
}

static void test_initial_groups(void)
{
    /* 0=[a] and 1=[b] start together (a Google News item and its line); 2=[a]
     * joins by average: (1 + 0) / 2 = 0.5 >= 0.3 */
    set_doc(0, "a");
    set_doc(1, "b");
    set_doc(2, "a");
    nc_uf uf;
    nc__uf_init(&uf, 3);
    nc__uf_union(&uf, 0, 1);
    nc_edge e[] = {{0, 2, 0}};
    nc_cluster_opts o = opts(0.3);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 1), 1, &o) == 0);
    CHECK(same(&uf, 0, 1) && same(&uf, 0, 2));
    CHECK(nc__uf_validate(&uf));
    nc__uf_free(&uf);
}

static void test_centroid(void)
{
    /* big story {0,1,2} = [a],[a],[a]; 3 = [a,b]: centroid cosine 0.707 */
    set_doc(0, "a");
    set_doc(1, "a");
    set_doc(2, "a");
    set_doc(3, "ab");
    set_doc(4, "cd");
    nc_uf uf;
    nc__uf_init(&uf, 5);
    nc__uf_union(&uf, 0, 1);
    nc__uf_union(&uf, 0, 2);
    nc_edge e[] = {{0, 3, 0}, {3, 4, 0}};
    nc_cluster_opts o = opts(0.8);
    o.linkage = NC_LINK_CENTROID;
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 2), 2, &o) == 0);
    CHECK(!same(&uf, 0, 3)); /* 0.707 < 0.8 */
    o.threshold = 0.7;
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, 2), 2, &o) == 0);
    CHECK(same(&uf, 0, 3));
    CHECK(!same(&uf, 3, 4)); /* 4 shares nothing: cosine 0 */
    nc__uf_free(&uf);
}

/* Greedy best-first average linkage by brute force over all cluster pairs
 * (the definition the chain walk must reproduce on a complete candidate
 * graph): label[d] gets the smallest document index of d's cluster. */
static void greedy_average(const double *v, size_t dim, size_t n, double thr, uint32_t *label)
{
    for (size_t i = 0; i < n; i++)
        label[i] = (uint32_t)i;
    for (;;) {
        double best = -1.0;
        uint32_t ba = 0, bb = 0;
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = a + 1; b < n; b++) {
                if (label[a] != a || label[b] != b) continue; /* roots only */
                double sum = 0.0, pairs = 0.0;
                for (size_t x = 0; x < n; x++)
                    for (size_t y = 0; y < n; y++) {
                        if (label[x] != a || label[y] != b) continue;
                        double d = 0.0;
                        for (size_t t = 0; t < dim; t++)
                            d += v[x * dim + t] * v[y * dim + t];
                        sum += d;
                        pairs += 1.0;
                    }
                if (sum / pairs > best) {
                    best = sum / pairs;
                    ba = a;
                    bb = b;
                }
            }
        if (best < thr) return;
        for (size_t x = 0; x < n; x++)
            if (label[x] == bb) label[x] = ba;
    }
}

/* The agglomeration of n <= 16 documents (vectors @p vecs, dense copies
 * @p dense of @p dim tokens each) with every pair a candidate, against
 * greedy_average(): @return whether the partitions are the same (a message
 * for the first pair of documents that differs); @p label gets greedy's. */
static int agrees_with_greedy(const nc_vent **vecs, uint32_t *lens, const double *dense, size_t dim,
                              uint32_t n, double thr, uint32_t *label, int inst)
{
    nc_edge e[16 * 15 / 2];
    size_t ne = 0;
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = a + 1; b < n; b++)
            e[ne++] = (nc_edge){a, b, 0};
    nc_cluster_opts o = {thr, NULL, 0, NC_LINK_AVERAGE, vecs, lens, 1, 0, NULL};
    nc_uf uf;
    nc__uf_init(&uf, n);
    CHECK(nc__cluster_agglomerate(&uf, dupe(e, ne), ne, &o) == 0);
    CHECK(nc__uf_validate(&uf));
    greedy_average(dense, dim, n, thr, label);
    int ok = 1;
    for (uint32_t a = 0; a < n && ok; a++)
        for (uint32_t b = 0; b < n && ok; b++)
            if (same(&uf, a, b) != (label[a] == label[b])) {
                fprintf(stderr, "instance %d (%zu tokens): documents %u and %u differ\n", inst, dim,
                        a, b);
                ok = 0;
            }
    nc__uf_free(&uf);
    return ok;
}

/* The nonzero weights x[0..dim) over norm sqrt(@p nrm) as a sparse unit
 * vector into @p out, and the same float weights, as doubles, into the
 * dense @p dv (what greedy_average() reads).  @return the entries. */
static uint32_t unit_doc(const double *x, int dim, double nrm, nc_vent *out, double *dv)
{
    uint32_t m = 0;
    for (int t = 0; t < dim; t++) {
        dv[t] = 0.0;
        if (x[t] > 0.0) out[m++] = (nc_vent){(uint32_t)t, (float)(x[t] / sqrt(nrm))};
    }
    for (uint32_t i = 0; i < m; i++)
        dv[out[i].tok] = (double)out[i].w;
    return m;
}

/* Random unit vectors over 8 tokens for documents [0, n) into many/mvec/mlen
 * (and mv, as doubles equal to the engine's float weights). */
enum { MANY = 60 };
static nc_vent many[MANY][8];
static const nc_vent *mvec[MANY];
static uint32_t mlen[MANY];
static double mv[MANY][8];

static void random_docs(uint64_t *rng, size_t n)
{
    for (size_t d = 0; d < n; d++) {
        double x[8], nrm = 0.0;
        for (int t = 0; t < 8; t++) {
            *rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
            unsigned r = (unsigned)(*rng >> 40);
            x[t] = (r % 2u == 0u) ? (double)(r % 1000u + 1u) / 1000.0 : 0.0;
            nrm += x[t] * x[t];
        }
        if (nrm == 0.0) {
            x[d % 8] = 1.0;
            nrm = 1.0;
        }
        mlen[d] = unit_doc(x, 8, nrm, many[d], mv[d]);
        mvec[d] = many[d];
    }
}

static void test_chain_matches_greedy(void)
{
    /* 30 random instances of 10 documents over 8 tokens, every pair a
     * candidate: the partitions must be the same as brute force. */
    uint64_t rng = 12345;
    int same_all = 1;
    for (int inst = 0; inst < 30; inst++) {
        enum { N = 10 };
        random_docs(&rng, N);
        uint32_t label[N];
        double thr = 0.15 + 0.05 * (inst % 6);
        if (same_all && !agrees_with_greedy(mvec, mlen, &mv[0][0], 8, N, thr, label, inst))
            same_all = 0;
    }
    CHECK(same_all);
}

/* As test_chain_matches_greedy, with vectors of very different lengths:
 * "wide" documents of about 40 of 96 tokens and "narrow" ones of 1 to 4
 * tokens, mostly among the wide ones' first 12, so that a narrow document
 * often joins a cluster whose sum has more than 8 times its entries (the
 * merge of the two sums by search and copy, vec_add()). */
enum { WIDE_N = 12, WIDE_DIM = 96 };
static nc_vent wide[WIDE_N][WIDE_DIM];
static const nc_vent *wvec[WIDE_N];
static uint32_t wlen[WIDE_N];
static double wv[WIDE_N][WIDE_DIM];

static void wide_docs(uint64_t *rng)
{
    for (size_t d = 0; d < WIDE_N; d++) {
        double x[WIDE_DIM], nrm = 0.0;
        int is_wide = d % 3 == 0;
        for (int t = 0; t < WIDE_DIM; t++) {
            *rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
            unsigned r = (unsigned)(*rng >> 40);
            int on = is_wide ? r % 100u < 42u : t < 12 && r % 100u < 25u;
            x[t] = on ? (double)(r % 1000u + 1u) / 1000.0 : 0.0;
            nrm += x[t] * x[t];
        }
        if (nrm == 0.0) {
            x[d % 12] = 1.0;
            nrm = 1.0;
        }
        wlen[d] = unit_doc(x, WIDE_DIM, nrm, wide[d], wv[d]);
        wvec[d] = wide[d];
    }
}

static void test_chain_matches_greedy_wide(void)
{
    uint64_t rng = 777;
    int same_all = 1, merged_some = 0;
    for (int inst = 0; inst < 40; inst++) {
        wide_docs(&rng);
        uint32_t label[WIDE_N];
        double thr = 0.04 + 0.02 * (inst % 5);
        if (same_all &&
            !agrees_with_greedy(wvec, wlen, &wv[0][0], WIDE_DIM, WIDE_N, thr, label, inst))
            same_all = 0;
        for (uint32_t a = 0; a < WIDE_N; a += 3) /* a wide document with a narrow one */
            for (uint32_t b = 0; b < WIDE_N; b++)
                if (b % 3 != 0 && label[a] == label[b]) merged_some = 1;
    }
    CHECK(same_all);
    CHECK(merged_some); /* narrow documents joined wide clusters */
}

static void test_blocks(void)
{
    /* 12 groups of 5 consecutive documents, every pair inside a group a
     * candidate, none across: each group must come out as brute-force
     * greedy average linkage makes it, whether the blocks of the walk fit
     * the groups (5), cut through them (4, 7) or hold all (0: one block),
     * and on 1, 2 or 3 threads. */
    uint64_t rng = 777;
    random_docs(&rng, MANY);
    nc_edge e[MANY * 3];
    size_t ne = 0;
    for (uint32_t g0 = 0; g0 < MANY; g0 += 5)
        for (uint32_t a = g0; a < g0 + 5; a++)
            for (uint32_t b = a + 1; b < g0 + 5; b++)
                e[ne++] = (nc_edge){a, b, 0};
    const double thr = 0.3;
    uint32_t want[MANY];
    for (uint32_t g0 = 0; g0 < MANY; g0 += 5) {
        uint32_t label[5];
        greedy_average(&mv[g0][0], 8, 5, thr, label);
        for (int i = 0; i < 5; i++)
            want[g0 + (uint32_t)i] = g0 + label[i];
    }
    const size_t blocks[] = {5, 4, 7, 0};
    int all_ok = 1, merged_some = 0;
    for (size_t bi = 0; bi < 4; bi++)
        for (unsigned th = 1; th <= 3; th++) {
            nc_cluster_opts o = {thr, NULL, 0, NC_LINK_AVERAGE, mvec, mlen, th, blocks[bi], NULL};
            nc_uf uf;
            nc__uf_init(&uf, MANY);
            CHECK(nc__cluster_agglomerate(&uf, dupe(e, ne), ne, &o) == 0);
            CHECK(nc__uf_validate(&uf));
            for (uint32_t a = 0; a < MANY; a++)
                for (uint32_t b = 0; b < MANY; b++) {
                    if (same(&uf, a, b) != (want[a] == want[b])) all_ok = 0;
                    if (a != b && same(&uf, a, b)) merged_some = 1;
                }
            nc__uf_free(&uf);
        }
    CHECK(all_ok);
    CHECK(merged_some); /* the threshold lets some merges happen */

    /* A sparse random graph over a time line (edges between documents at
     * most 3 apart): blocks of 8 give the same stories on 1, 2 and 3
     * threads. */
    random_docs(&rng, MANY);
    ne = 0;
    for (uint32_t a = 0; a < MANY; a++)
        for (uint32_t b = a + 1; b <= a + 3 && b < MANY; b++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            if ((rng >> 60) % 4u != 0u) e[ne++] = (nc_edge){a, b, 0};
        }
    uint32_t root1[MANY];
    int same_threads = 1;
    for (unsigned th = 1; th <= 3; th++) {
        nc_cluster_opts o = {0.2, NULL, 0, NC_LINK_AVERAGE, mvec, mlen, th, 8, NULL};
        nc_uf uf;
        nc__uf_init(&uf, MANY);
        CHECK(nc__cluster_agglomerate(&uf, dupe(e, ne), ne, &o) == 0);
        for (uint32_t a = 0; a < MANY; a++) {
            uint32_t r = nc__uf_find(&uf, a);
            if (th == 1)
                root1[a] = r;
            else if (root1[a] != r)
                same_threads = 0;
        }
        nc__uf_free(&uf);
    }
    CHECK(same_threads);
}

/* A vector at least 8 times shorter than the other is probed into it by
 * binary search (dot() in cluster.c): one token against 20.  Document 1 has
 * the even tokens 0..38 at weight 1/sqrt(20); document 0 has token 8 (W is
 * that weight, 0.2236) or token 7, which document 1 lacks (W 0: no merge at
 * any threshold, though a search that is off by one lands on token 8). */
static void test_probe_dot(void)
{
    static nc_vent longv[20], shortv[1];
    for (uint32_t i = 0; i < 20; i++)
        longv[i] = (nc_vent){2 * i, (float)(1.0 / sqrt(20.0))};
    const nc_vent *pv[2] = {shortv, longv};
    uint32_t pl[2] = {1, 20};
    const uint32_t tok[3] = {8, 7, 38};
    const double thr[3][2] = {{0.22, 0.23}, {0.001, 0.001}, {0.22, 0.23}};
    for (int c = 0; c < 3; c++)
        for (int k = 0; k < 2; k++) {
            shortv[0] = (nc_vent){tok[c], 1.0f};
            nc_edge e[1] = {{0, 1, 0}};
            nc_cluster_opts o = {thr[c][k], NULL, 0, NC_LINK_AVERAGE, pv, pl, 1, 0, NULL};
            nc_uf uf;
            nc__uf_init(&uf, 2);
            CHECK(nc__cluster_agglomerate(&uf, dupe(e, 1), 1, &o) == 0);
            CHECK(same(&uf, 0, 1) == (c != 1 && k == 0));
            nc__uf_free(&uf);
        }
}

int main(void)
{
    test_no_chaining();
    test_threshold();
    test_no_edge_no_merge();
    test_window();
    test_window_after_merge();
    test_initial_groups();
    test_centroid();
    test_chain_matches_greedy();
    test_chain_matches_greedy_wide();
    test_blocks();
    test_probe_dot();
    return nc_test_report("test_cluster");
}
