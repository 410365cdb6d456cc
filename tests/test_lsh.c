/*
 * test_lsh.c - the S-curve parameter choice against hand-computed cases, and
 * the band table's candidates (identical signatures pair, distinct ones do
 * not, windows and bucket caps hold).
 */
#include "index_impl.h"
#include "lsh.h"
#include "minhash.h"
#include "nc_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The search written plainly (every (b, r) with both areas), to check the
 * one in lsh.c, which skips work, against. */
static double ref_area(double lo, double hi, uint32_t b, uint32_t r, int complement)
{
    double h = (hi - lo) / 200, sum = 0.0;
    for (int i = 0; i <= 200; i++) {
        double p = nc__lsh_prob(lo + h * i, b, r);
        double w = (i == 0 || i == 200) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        sum += w * (complement ? 1.0 - p : p);
    }
    return sum * h / 3.0;
}

static void ref_search(double t, uint32_t k, uint32_t *bo, uint32_t *ro)
{
    double best = INFINITY;
    *bo = 1;
    *ro = k;
    for (uint32_t b = 1; b <= k; b++)
        for (uint32_t r = 1; r <= k / b; r++) {
            double err = ref_area(0.0, t, b, r, 0) + ref_area(t, 1.0, b, r, 1);
            if (err < best - 1e-12) {
                best = err;
                *bo = b;
                *ro = r;
            }
        }
}

static void test_search_exhaustive(void)
{
    int same = 1;
    for (uint32_t k = 1; k <= 40; k += 3)
        for (int ti = 2; ti < 100; ti += 7) {
            uint32_t b, r, rb, rr;
            nc__lsh_search(ti / 100.0, k, &b, &r);
            ref_search(ti / 100.0, k, &rb, &rr);
            same &= b == rb && r == rr;
        }
    CHECK(same);
}

static void test_params(void)
{
    uint32_t b, r;
    /* k = 2, t = 0.3: areas (FP + FN) are (1,1) 0.045+0.245, (1,2) 0.009+0.37567,
     * (2,1) 0.081+0.11433 -> (2,1). */
    nc__lsh_params(0.3, 2, &b, &r);
    CHECK(b == 2 && r == 1);
    /* k = 2, t = 0.7: mirror image -> (1,2). */
    nc__lsh_params(0.7, 2, &b, &r);
    CHECK(b == 1 && r == 2);
    /* k = 2, t = 0.5: all three total 0.25; the first found, (1,1), is kept. */
    nc__lsh_params(0.5, 2, &b, &r);
    CHECK(b == 1 && r == 1);
    /* k = 128, computed by an independent Simpson integration (Python). */
    nc__lsh_params(0.2, 128, &b, &r);
    CHECK(b == 28 && r == 2);
    nc__lsh_params(0.5, 128, &b, &r);
    CHECK(b == 25 && r == 5);
    nc__lsh_params(0.7, 128, &b, &r);
    CHECK(b == 14 && r == 9);
    nc__lsh_params(0.5, 16, &b, &r);
    CHECK(b == 5 && r == 3);
    /* the table of the defaults' answers holds the defaults (index_impl.h,
     * 128 permutations) and agrees with the search */
    CHECK(nc__lsh_defaults[0].t == NC_DEFAULT_DUP_THRESHOLD && nc__lsh_defaults[0].k == 128);
    CHECK(nc__lsh_defaults[1].t == NC_STORY_LSH_THRESHOLD && nc__lsh_defaults[1].k == 128);
    nc_params p;
    nc_params_default(&p);
    CHECK(p.num_perm == 128 && p.dup_threshold == NC_DEFAULT_DUP_THRESHOLD);
    for (int i = 0; i < NC_LSH_DEFAULTS; i++) {
        const nc_lsh_choice *d = &nc__lsh_defaults[i];
        uint32_t bs, rs;
        nc__lsh_params(d->t, d->k, &b, &r);
        nc__lsh_search(d->t, d->k, &bs, &rs);
        CHECK(b == d->b && r == d->r && bs == d->b && rs == d->r);
    }
    nc__lsh_search(0.5, 128, &b, &r); /* the search alone, not the memo */
    CHECK(b == 25 && r == 5);
    /* P(s) itself */
    CHECK(fabs(nc__lsh_prob(0.5, 1, 1) - 0.5) < 1e-12);
    CHECK(fabs(nc__lsh_prob(0.5, 2, 2) - (1.0 - 0.75 * 0.75)) < 1e-12);
    /* the knee of 32x4 is near 0.42 (DESIGN.md) */
    CHECK(nc__lsh_prob(0.42, 32, 4) > 0.5 && nc__lsh_prob(0.35, 32, 4) < 0.5);
}

static void test_candidates(void)
{
    enum { K = 8, N = 5 };
    uint32_t sigs[N * K];
    for (int d = 0; d < N; d++)
        for (int i = 0; i < K; i++)
            sigs[d * K + i] = (uint32_t)(d * 100 + i);
    /* doc 3 equals doc 1; doc 4 shares only band 0 (rows 0-1) with doc 0 */
    for (int i = 0; i < K; i++)
        sigs[3 * K + i] = sigs[1 * K + i];
    sigs[4 * K + 0] = sigs[0];
    sigs[4 * K + 1] = sigs[1];
    nc_lsh_opts o = {4, 2, NULL, 0, 0, 1, 0};
    nc_pairs p = {0};
    size_t skipped = 0;
    CHECK(nc__lsh_candidates(sigs, N, K, &o, &p, &skipped) == 0);
    CHECK(p.n == 2);
    CHECK(p.n == 2 && p.a[0] == ((uint64_t)0 << 32 | 4));
    CHECK(p.n == 2 && p.a[1] == ((uint64_t)1 << 32 | 3));
    free(p.a);

    /* a window of 10 s keeps 1-3 apart when they are 20 s apart */
    int64_t t[N] = {0, 0, 0, 20, 5};
    nc_lsh_opts ow = {4, 2, t, 10, 0, 1, 0};
    nc_pairs q = {0};
    CHECK(nc__lsh_candidates(sigs, N, K, &ow, &q, &skipped) == 0);
    CHECK(q.n == 1 && q.a[0] == ((uint64_t)0 << 32 | 4));
    free(q.a);
}

/* One step of a 64-bit linear congruential generator (Knuth's MMIX
 * constants): the tests' fixed-seed pseudo-random numbers. */
static uint64_t lcg_next(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return *st;
}

/* @p count signature values drawn from [0, @p range): small ranges make
 * bands collide, so buckets are big. */
static void fill_small_values(uint32_t *v, size_t count, uint64_t *st, uint32_t range)
{
    for (size_t i = 0; i < count; i++)
        v[i] = (uint32_t)((lcg_next(st) >> 40) % range);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* The key filter before the sort (band_range) keeps out only keys that no
 * other document has.  One band of @p n documents, most keys a single
 * document's (random, so that many share a filter slot with another key),
 * every 7th document copying an earlier one's key and every 11th with no
 * key (0): the candidates are exactly the pairs with one key, as many as
 * the groups of equal keys (counted on a sorted copy) make. */
static void check_key_filter(size_t n)
{
    uint32_t *keys = malloc(n * sizeof *keys), *sorted = malloc(n * sizeof *sorted);
    uint64_t st = 42;
    for (size_t d = 0; d < n; d++) {
        keys[d] = (uint32_t)nc__splitmix64(&st) | 1u;
        if (d % 7 == 6) keys[d] = keys[d / 3];
        if (d % 11 == 10) keys[d] = 0;
    }
    memcpy(sorted, keys, n * sizeof *keys);
    uint32_t *orig = malloc(n * sizeof *orig); /* the call overwrites keys */
    memcpy(orig, keys, n * sizeof *keys);
    qsort(sorted, n, sizeof *sorted, cmp_u32);
    size_t want = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
            ;
        if (sorted[i]) want += (j - i) * (j - i - 1) / 2;
    }
    nc_lsh_opts o = {1, 1, NULL, 0, 0, 1, 0};
    nc_pairs p = {0};
    size_t skipped = 0;
    CHECK(nc__lsh_candidates_keys(keys, n, &o, &p, &skipped) == 0);
    CHECK(want > n / 10 && p.n == want && skipped == 0);
    int all_share = 1;
    for (size_t i = 0; i < p.n; i++) {
        uint32_t a = (uint32_t)(p.a[i] >> 32), b = (uint32_t)p.a[i];
        all_share &= a < b && orig[a] != 0 && orig[a] == orig[b];
    }
    CHECK(all_share);
    free(p.a);
    free(orig);
    free(sorted);
    free(keys);
}

/* With the filter (up to 2^20 documents), and beyond it without. */
static void test_key_filter(void)
{
    check_key_filter(5000);
    check_key_filter(((size_t)1 << 20) + 5);
}

static void test_bucket_cap(void)
{
    /* 100 identical signatures: 4950 pairs, or 100*cap-ish with a cap */
    enum { K = 4, N = 100 };
    uint32_t *sigs = calloc(N * K, sizeof *sigs);
    nc_lsh_opts o = {2, 2, NULL, 0, 0, 1, 0};
    nc_pairs p = {0};
    size_t skipped = 0;
    CHECK(nc__lsh_candidates(sigs, N, K, &o, &p, &skipped) == 0);
    CHECK(p.n == N * (N - 1) / 2 && skipped == 0);
    free(p.a);
    nc_lsh_opts oc = {2, 2, NULL, 0, 3, 1, 0};
    nc_pairs q = {0};
    skipped = 0;
    CHECK(nc__lsh_candidates(sigs, N, K, &oc, &q, &skipped) == 0);
    CHECK(q.n == 3 * (N - 3) + 3); /* 97 members pair 3 ahead, then 2, 1 */
    CHECK(skipped > 0);
    free(q.a);
    free(sigs);
}

static void test_threads_identical(void)
{
    /* 6000 documents (enough to use threads), values drawn from a small range
     * so that many bands collide: the pairs must not depend on the threads,
     * with the documents out of time order (each part's pairs are sorted
     * afterwards) and in time order (the parts' lists, in order, are the
     * sorted list: the pairs must come out strictly ascending) */
    enum { K = 16, N = 6000 };
    uint32_t *sigs = malloc(N * K * sizeof *sigs);
    int64_t *t = malloc(N * sizeof *t);
    uint64_t st = 99;
    fill_small_values(sigs, (size_t)N * K, &st, 7);
    for (int ordered = 0; ordered < 2; ordered++) {
        for (size_t i = 0; i < N; i++)
            t[i] = ordered ? (int64_t)i * 2 : (int64_t)(i % 100) * 60;
        nc_pairs p[3] = {{0}, {0}, {0}};
        size_t sk[3] = {0, 0, 0};
        for (unsigned th = 1; th <= 3; th++) {
            nc_lsh_opts o = {8, 2, t, 3000, 5, th, 0};
            CHECK(nc__lsh_candidates(sigs, N, K, &o, &p[th - 1], &sk[th - 1]) == 0);
        }
        CHECK(p[0].n > 1000);
        CHECK(p[0].n == p[1].n && p[1].n == p[2].n);
        CHECK(p[0].n == p[1].n && memcmp(p[0].a, p[1].a, p[0].n * sizeof *p[0].a) == 0);
        CHECK(p[0].n == p[2].n && memcmp(p[0].a, p[2].a, p[0].n * sizeof *p[0].a) == 0);
        CHECK(sk[0] == sk[1] && sk[1] == sk[2]);
        int ascending = 1;
        for (size_t i = 1; i < p[1].n; i++)
            ascending &= p[1].a[i - 1] < p[1].a[i];
        CHECK(ascending);
        for (int i = 0; i < 3; i++)
            free(p[i].a);
    }
    free(sigs);
    free(t);
}

static void test_segments(void)
{
    /* A time-ordered, dated, windowed corpus split into segments of 700
     * documents (each table extended by the window, 75-150 documents):
     * the same pairs and the same skipped count as one table, on 1 and 2
     * threads.  Values from a small range make big buckets (the cap). */
    enum { K = 8, N = 3000 };
    uint32_t *sigs = malloc(N * K * sizeof *sigs);
    int64_t *t = malloc(N * sizeof *t);
    uint64_t st = 5;
    fill_small_values(sigs, (size_t)N * K, &st, 6);
    t[0] = 1000;
    for (size_t i = 1; i < N; i++) { /* uneven steps: a segment's times are its own */
        t[i] = t[i - 1] + 1 + (int64_t)(lcg_next(&st) >> 63);
    }
    nc_pairs one = {0};
    size_t sk_one = 0;
    nc_lsh_opts o = {4, 2, t, 150, 3, 1, 0};
    CHECK(nc__lsh_candidates(sigs, N, K, &o, &one, &sk_one) == 0);
    CHECK(one.n > 1000 && sk_one > 1000);
    for (unsigned th = 1; th <= 2; th++) {
        nc_lsh_opts so = {4, 2, t, 150, 3, th, 700};
        nc_pairs p = {0};
        size_t sk = 0;
        CHECK(nc__lsh_candidates(sigs, N, K, &so, &p, &sk) == 0);
        CHECK(p.n == one.n && memcmp(p.a, one.a, p.n * sizeof *p.a) == 0);
        CHECK(sk == sk_one);
        free(p.a);
    }
    free(one.a);
    free(sigs);
    free(t);
}

static void test_segment_size(void)
{
    /* One document a second: a window of w seconds reaches w documents past
     * a segment's end, and a segment of s documents takes up to s / 4. */
    enum { N = (1 << 20) + (1 << 19) };
    int64_t *t = malloc(N * sizeof *t);
    CHECK(t != NULL);
    if (!t) return;
    for (size_t i = 0; i < N; i++)
        t[i] = (int64_t)i;
    nc_lsh_opts o = {4, 2, t, 1000, 3, 1, 0};
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 17);
    CHECK(nc__lsh_segment_size(&o, (size_t)1 << 17, 1) == 0); /* small enough: one table */
    CHECK(nc__lsh_segment_size(&o, N, 0) == 0);               /* not in time order */
    /* equal segments, as many as a multiple of the threads: 12 of 2^17 for
     * 1, 2, 3, 4 or 6 threads; 16 of 98,304 for 8; 15 of 104,858 for 5 */
    o.threads = 8;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 98304);
    o.threads = 5;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 104858);
    o.threads = 6;
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 17);
    CHECK(nc__lsh_segment_size(&o, 1000000, 1) == 83334); /* 12 segments */
    o.threads = 2;
    CHECK(nc__lsh_segment_size(&o, 1000000, 1) == 125000); /* 8 */
    o.threads = 1;
    o.window = 32768; /* a quarter of 2^17 */
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 17);
    o.window = 32769;
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 18);
    o.window = 65536; /* a quarter of 2^18 */
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 18);
    o.window = 65537;
    CHECK(nc__lsh_segment_size(&o, N, 1) == (size_t)1 << 19);
    o.window = 300000; /* past a quarter of 2^20, and 2^21 is not below N */
    CHECK(nc__lsh_segment_size(&o, N, 1) == 0);
    o.window = 0;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 0);
    o.window = 175; /* a quarter of a set segment of 700 */
    o.segment = 700;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 700);
    o.window = 176;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 0); /* a set size is the only one tried */
    o.window = 175;
    CHECK(nc__lsh_segment_size(&o, 700, 1) == 0);
    o.segment = 0;
    t[0] = INT64_MIN; /* an undated document: its partners may lie anywhere */
    CHECK(nc__lsh_segment_size(&o, N, 1) == 0);
    o.time = NULL;
    CHECK(nc__lsh_segment_size(&o, N, 1) == 0);
    free(t);
}

/* Pairs by the rule itself, brute force: per band, the members of each key
 * in time order (undated first, then document), each with its next @p cap
 * members inside the window.  Sorted and unique into @p out; @return count. */
static size_t naive_pairs(const uint32_t *keys, size_t n, const nc_lsh_opts *o, uint64_t *out,
                          size_t *skipped)
{
    size_t np = 0;
    uint32_t *m = malloc(n * sizeof *m);
    for (uint32_t b = 0; b < o->bands; b++) {
        const uint32_t *col = keys + (size_t)b * n;
        for (size_t d = 0; d < n; d++) {
            if (!col[d]) continue;
            int first = 1; /* d is the bucket's first document */
            for (size_t e = 0; e < d && first; e++)
                first = col[e] != col[d];
            if (!first) continue;
            size_t len = 0;
            for (size_t e = d; e < n; e++)
                if (col[e] == col[d]) m[len++] = (uint32_t)e;
            for (size_t x = 1; x < len; x++) /* insertion sort by (time, doc) */
                for (size_t y = x; y > 0 && o->time[m[y - 1]] > o->time[m[y]]; y--) {
                    uint32_t tmp = m[y];
                    m[y] = m[y - 1];
                    m[y - 1] = tmp;
                }
            for (size_t i = 0; i < len; i++) {
                size_t took = 0;
                for (size_t j = i + 1; j < len; j++) {
                    int64_t ti = o->time[m[i]], tj = o->time[m[j]];
                    if (ti != INT64_MIN && tj - ti > o->window) break;
                    if (took == o->bucket_cap) {
                        (*skipped)++;
                        continue;
                    }
                    took++;
                    uint32_t lo = m[i] < m[j] ? m[i] : m[j], hi = m[i] < m[j] ? m[j] : m[i];
                    out[np++] = (uint64_t)lo << 32 | hi;
                }
            }
        }
    }
    free(m);
    for (size_t x = 1; x < np; x++) /* sort, unique */
        for (size_t y = x; y > 0 && out[y - 1] > out[y]; y--) {
            uint64_t tmp = out[y];
            out[y] = out[y - 1];
            out[y - 1] = tmp;
        }
    size_t u = np ? 1 : 0;
    for (size_t x = 1; x < np; x++)
        if (out[x] != out[u - 1]) out[u++] = out[x];
    return u;
}

static void test_time_order(void)
{
    /* Documents given in time order take a shortcut (no sort of a bucket by
     * time): the same documents in time order and shuffled must give the
     * same pairs, mapped back, and both the pairs of the rule itself. */
    enum { K = 8, N = 700, B = 4, R = 2 };
    uint32_t *sigs = malloc(N * K * sizeof *sigs), *shuf = malloc(N * K * sizeof *shuf);
    uint32_t *keys = malloc(N * B * sizeof *keys), *perm = malloc(N * sizeof *perm);
    int64_t *t = malloc(N * sizeof *t), *ts = malloc(N * sizeof *ts);
    uint64_t st = 7;
    fill_small_values(sigs, (size_t)N * K, &st, 5);
    t[0] = INT64_MIN; /* one undated document, first in time order */
    for (size_t d = 1; d < N; d++)
        t[d] = (int64_t)d * 30; /* distinct: the order is the same shuffled; and
                                 * a window of 600 ends on document d + 20 */
    for (size_t d = 0; d < N; d++)
        perm[d] = (uint32_t)d;
    for (size_t d = N - 1; d > 0; d--) { /* Fisher-Yates */
        size_t e = (size_t)(lcg_next(&st) >> 33) % (d + 1);
        uint32_t tmp = perm[d];
        perm[d] = perm[e];
        perm[e] = tmp;
    }
    for (size_t d = 0; d < N; d++) { /* shuffled document perm[d] is document d */
        memcpy(shuf + (size_t)perm[d] * K, sigs + d * K, K * sizeof *sigs);
        ts[perm[d]] = t[d];
    }
    nc_lsh_opts o = {B, R, t, 600, 3, 1, 0}, os = {B, R, ts, 600, 3, 1, 0};
    nc_pairs p = {0}, q = {0};
    size_t sk = 0, sks = 0, skn = 0;
    CHECK(nc__lsh_candidates(sigs, N, K, &o, &p, &sk) == 0);
    CHECK(nc__lsh_candidates(shuf, N, K, &os, &q, &sks) == 0);
    CHECK(p.n > 500 && sk > 0);
    CHECK(q.n == p.n && sks == sk);
    uint32_t *inv = malloc(N * sizeof *inv);
    for (size_t d = 0; d < N; d++)
        inv[perm[d]] = (uint32_t)d;
    for (size_t i = 0; i < q.n; i++) { /* back to the time-ordered numbering */
        uint32_t a = inv[q.a[i] >> 32], b = inv[(uint32_t)q.a[i]];
        q.a[i] = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
    }
    nc__pairs_unique(&q);
    CHECK(q.n == p.n && memcmp(p.a, q.a, p.n * sizeof *p.a) == 0);
    for (size_t d = 0; d < N; d++)
        nc__lsh_band_keys(sigs + d * K, B, R, keys + d, N);
    uint64_t *want = malloc((size_t)N * N * sizeof *want);
    size_t nw = naive_pairs(keys, N, &o, want, &skn);
    CHECK(nw == p.n && memcmp(p.a, want, nw * sizeof *want) == 0);
    CHECK(skn == sk);
    free(want);
    free(inv);
    free(p.a);
    free(q.a);
    free(sigs);
    free(shuf);
    free(keys);
    free(perm);
    free(t);
    free(ts);
}

/* nc__pairs_merge_unique against sorting the concatenation: random sorted
 * unique lists with shared pairs, and the edge cases (either list empty,
 * one list wholly before or after the other, the same list twice). */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Merge a copy of a (with capacity @p cap) and of b; checks the result
 * against sorting the concatenation. */
static void check_merge_cap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t cap)
{
    nc_pairs p = {malloc(cap * sizeof *p.a), na, cap};
    nc_pairs q = {malloc((nb + 1) * sizeof *q.a), nb, nb + 1};
    uint64_t *want = malloc((na + nb + 1) * sizeof *want);
    memcpy(p.a, a, na * sizeof *a);
    memcpy(q.a, b, nb * sizeof *b);
    memcpy(want, a, na * sizeof *a);
    memcpy(want + na, b, nb * sizeof *b);
    qsort(want, na + nb, sizeof *want, cmp_u64);
    size_t nw = 0;
    for (size_t i = 0; i < na + nb; i++)
        if (nw == 0 || want[i] != want[nw - 1]) want[nw++] = want[i];
    CHECK(nc__pairs_merge_unique(&p, &q) == 0);
    CHECK(q.a == NULL && q.n == 0);
    CHECK(p.n == nw && (nw == 0 || memcmp(p.a, want, nw * sizeof *want) == 0));
    free(p.a);
    free(want);
}

/* Both ways: a with no room for b (it grows) and with room (merged in place). */
static void check_merge(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    check_merge_cap(a, na, b, nb, na + 1);
    check_merge_cap(a, na, b, nb, na + nb + 1);
}

static void test_merge_unique(void)
{
    enum { M = 3000 };
    uint64_t *a = malloc(M * sizeof *a), *b = malloc(M * sizeof *b);
    uint64_t seed = 7;
    for (int round = 0; round < 20; round++) {
        size_t na = 0, nb = 0;
        uint64_t va = 0, vb = 0;
        size_t want_a = (size_t)(round * 149) % M, want_b = (size_t)(round * 331) % M;
        while (na < want_a) { /* ascending, steps of 1..4: lists that meet often */
            va += 1 + (lcg_next(&seed) >> 62);
            a[na++] = va;
        }
        while (nb < want_b) {
            vb += 1 + (lcg_next(&seed) >> 62);
            b[nb++] = vb;
        }
        check_merge(a, na, b, nb);
        check_merge(b, nb, a, na);
    }
    for (size_t i = 0; i < 100; i++) {
        a[i] = i + 1;
        b[i] = i + 1001;
    }
    check_merge(a, 100, b, 100); /* a wholly before b */
    check_merge(b, 100, a, 100); /* a wholly after b */
    check_merge(a, 100, a, 100); /* every pair in both */
    check_merge(a, 0, b, 100);
    check_merge(a, 100, b, 0);
    check_merge(a, 1, a, 1);
    free(a);
    free(b);
}

int main(void)
{
    test_time_order();
    test_threads_identical();
    test_params();
    test_search_exhaustive();
    test_candidates();
    test_bucket_cap();
    test_segments();
    test_segment_size();
    test_key_filter();
    test_merge_unique();
    return nc_test_report("test_lsh");
}
