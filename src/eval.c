/*
 * eval.c - clustering quality measures on two labelings of the same n items
 * (nc_eval_labels): pair precision/recall/F1, B-cubed precision/recall/F1,
 * the adjusted Rand index and normalised mutual information.
 *
 * Everything is computed from the contingency table n_ij (items with true
 * label i and predicted label j) and its margins a_i = sum_j n_ij and
 * b_j = sum_i n_ij, in O(n) time and O(n) memory, never looking at pairs of
 * items.  Labels are first renumbered densely (0..k-1, in order of first
 * appearance); the items are then grouped by true cluster with a counting
 * sort, and each true cluster's row of the table is counted in a scratch
 * array indexed by predicted cluster.  Pair counts are exact 64-bit
 * integers; sums of products and logarithms are taken in long double.
 *
 * Degenerate cases (pinned by tests/test_eval.c):
 *  - no predicted pairs: pair precision 1; no true pairs: pair recall 1;
 *    pair F1 is 0 when precision + recall is 0;
 *  - ARI is 1 when its denominator is 0 (this happens only when both
 *    labelings are all singletons or both are one cluster, or n < 2), as
 *    scikit-learn's adjusted_rand_score does;
 *  - NMI is 1 when both entropies are 0 (both labelings are one cluster),
 *    as scikit-learn's normalized_mutual_info_score does; the mutual
 *    information is clipped at 0 and NMI at 1 against rounding;
 *  - n = 0: every score is 1 (no item and no pair is misplaced) and the
 *    counts are 0.
 */
#include "newsclust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- renumbering */

/* Renumber labels densely into dense[i], in order of first appearance, and
 * count the members of each new label into *counts (allocated, length *k).
 * Labels that fit a direct table (max < 2n + 64) use one; others use an
 * open-addressing hash table of label -> dense id.  @return 0 or -1 (NOMEM). */
static int renumber(const uint32_t *lab, size_t n, uint32_t *dense, uint32_t **counts, uint32_t *k)
{
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (lab[i] > max) max = lab[i];
    uint32_t next = 0;
    if ((uint64_t)max < 2 * (uint64_t)n + 64) {
        uint32_t *map = malloc(((size_t)max + 1) * sizeof *map);
        if (!map) return -1;
        for (size_t v = 0; v <= max; v++)
            map[v] = UINT32_MAX;
        for (size_t i = 0; i < n; i++) {
            if (map[lab[i]] == UINT32_MAX) map[lab[i]] = next++;
            dense[i] = map[lab[i]];
        }
        free(map);
    } else {
        size_t cap = 16;
        while (cap < 2 * n)
            cap *= 2;
        size_t mask = cap - 1;
        uint32_t *key = malloc(cap * sizeof *key);
        uint32_t *val = malloc(cap * sizeof *val);
        if (!key || !val) {
            free(key);
            free(val);
            return -1;
        }
        for (size_t s = 0; s < cap; s++)
            val[s] = UINT32_MAX; /* empty slot */
        for (size_t i = 0; i < n; i++) {
            /* Fibonacci hashing: multiply by 2^64 / golden ratio, use bits 32 up. */
            size_t s = (size_t)((lab[i] * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & mask;
            while (val[s] != UINT32_MAX && key[s] != lab[i])
                s = (s + 1) & mask;
            if (val[s] == UINT32_MAX) {
                key[s] = lab[i];
                val[s] = next++;
            }
            dense[i] = val[s];
        }
        free(key);
        free(val);
    }
    uint32_t *c = calloc(next ? next : 1, sizeof *c);
    if (!c) return -1;
    for (size_t i = 0; i < n; i++)
        c[dense[i]]++;
    *counts = c;
    *k = next;
    return 0;
}

/** C(x, 2) = x (x - 1) / 2, exact for x < 2^32. */
static uint64_t pairs_of(uint64_t x)
{
    return x * (x ? x - 1 : 0) / 2;
}

/** x ln x (0 for x = 0). */
static long double xlogx(uint64_t x)
{
    return x ? (long double)x * logl((long double)x) : 0.0L;
}

/* ---------------------------------------------------------------- measures */

/** Sums over the contingency table that every measure is made of. */
typedef struct sums {
    uint64_t tp;       /* sum_ij C(n_ij, 2): pairs together in both */
    uint64_t true_prs; /* sum_i C(a_i, 2): pairs together in the truth */
    uint64_t pred_prs; /* sum_j C(b_j, 2): pairs together in the prediction */
    long double bc_p;  /* sum_ij n_ij^2 / b_j */
    long double bc_r;  /* sum_ij n_ij^2 / a_i */
    long double s_ij;  /* sum_ij n_ij ln n_ij */
    long double s_a;   /* sum_i a_i ln a_i */
    long double s_b;   /* sum_j b_j ln b_j */
} sums;

static void finish(const sums *s, size_t n, nc_eval_result *out)
{
    /* Pair counting: precision = tp / predicted pairs, recall = tp / true pairs. */
    double p = s->pred_prs ? (double)((long double)s->tp / (long double)s->pred_prs) : 1.0;
    double r = s->true_prs ? (double)((long double)s->tp / (long double)s->true_prs) : 1.0;
    out->pair_p = p;
    out->pair_r = r;
    out->pair_f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;

    /* B-cubed (Bagga & Baldwin 1998): for item x in true cluster T and
     * predicted cluster P, precision(x) = |T & P| / |P|, recall(x) =
     * |T & P| / |T|.  Summed over the n_ij items of a cell these are
     * n_ij^2 / b_j and n_ij^2 / a_i; averaged over the n items. */
    if (n) {
        out->bcubed_p = (double)(s->bc_p / (long double)n);
        out->bcubed_r = (double)(s->bc_r / (long double)n);
    } else {
        out->bcubed_p = out->bcubed_r = 1.0;
    }
    out->bcubed_f1 = out->bcubed_p + out->bcubed_r > 0
                         ? 2 * out->bcubed_p * out->bcubed_r / (out->bcubed_p + out->bcubed_r)
                         : 0.0;

    /* Adjusted Rand index (Hubert & Arabie 1985), N = C(n, 2):
     *   ARI = (tp - E) / ((true_prs + pred_prs) / 2 - E),
     *   E   = true_prs * pred_prs / N   (the expected tp under random labels).
     * The denominator is 0 only for identical trivial partitions: ARI = 1. */
    long double npairs = (long double)pairs_of(n);
    long double ta = (long double)s->true_prs, pb = (long double)s->pred_prs;
    long double expect = npairs > 0 ? ta * pb / npairs : 0.0L;
    long double den = (ta + pb) / 2 - expect;
    out->ari = den != 0 ? (double)(((long double)s->tp - expect) / den) : 1.0;

    /* NMI with the arithmetic mean, natural log:
     *   MI   = sum_ij (n_ij/n) ln(n n_ij / (a_i b_j))
     *        = ln n + (sum n_ij ln n_ij - sum a_i ln a_i - sum b_j ln b_j) / n
     *   H(T) = ln n - sum a_i ln a_i / n,  H(P) = ln n - sum b_j ln b_j / n
     *   NMI  = MI / ((H(T) + H(P)) / 2).
     * Both entropies 0 (both one cluster, or n = 0): NMI = 1. */
    if (n) {
        int t_one = s->true_prs == pairs_of(n), p_one = s->pred_prs == pairs_of(n);
        long double ln_n = logl((long double)n), nn = (long double)n;
        long double ht = t_one ? 0 : ln_n - s->s_a / nn, hp = p_one ? 0 : ln_n - s->s_b / nn;
        /* One side a single cluster: MI is exactly 0. */
        long double mi = t_one || p_one ? 0 : ln_n + (s->s_ij - s->s_a - s->s_b) / nn;
        if (mi < 0) mi = 0;
        long double norm = (ht + hp) / 2;
        if (t_one && p_one) {
            out->nmi = 1.0;
        } else {
            long double v = norm > 0 ? mi / norm : 0;
            out->nmi = (double)(v > 1 ? 1 : v);
        }
    } else {
        out->nmi = 1.0;
    }
}

nc_status nc_eval_labels(const uint32_t *truth, const uint32_t *pred, size_t n, nc_eval_result *out)
{
    if (!out || (n && (!truth || !pred)) || n >= UINT32_MAX) return NC_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    sums s = {0};
    if (n == 0) {
        finish(&s, 0, out);
        return NC_OK;
    }

    nc_status st = NC_ERR_NOMEM;
    uint32_t *t = malloc(n * sizeof *t), *p = malloc(n * sizeof *p);
    uint32_t *a = NULL, *b = NULL, *start = NULL, *byrow = NULL, *cnt = NULL;
    uint32_t kt = 0, kp = 0;
    if (!t || !p) goto done;
    if (renumber(truth, n, t, &a, &kt) || renumber(pred, n, p, &b, &kp)) goto done;

    /* Counting sort by true cluster: byrow[start[i] .. start[i+1]) holds the
     * predicted labels of true cluster i's items.  a[] becomes the cursor. */
    start = malloc(((size_t)kt + 1) * sizeof *start);
    byrow = malloc(n * sizeof *byrow);
    cnt = calloc(kp, sizeof *cnt);
    if (!start || !byrow || !cnt) goto done;
    start[0] = 0;
    for (uint32_t i = 0; i < kt; i++) {
        start[i + 1] = start[i] + a[i];
        a[i] = start[i];
    }
    for (size_t x = 0; x < n; x++)
        byrow[a[t[x]]++] = p[x];

    for (uint32_t j = 0; j < kp; j++) {
        s.pred_prs += pairs_of(b[j]);
        s.s_b += xlogx(b[j]);
    }
    for (uint32_t i = 0; i < kt; i++) {
        uint32_t lo = start[i], hi = start[i + 1];
        uint64_t ai = hi - lo;
        s.true_prs += pairs_of(ai);
        s.s_a += xlogx(ai);
        for (uint32_t x = lo; x < hi; x++)
            cnt[byrow[x]]++;
        /* Second pass: each cell n_ij is met first with cnt > 0, used, zeroed. */
        for (uint32_t x = lo; x < hi; x++) {
            uint32_t j = byrow[x];
            uint64_t nij = cnt[j];
            if (!nij) continue;
            cnt[j] = 0;
            long double sq = (long double)nij * (long double)nij;
            s.tp += pairs_of(nij);
            s.s_ij += xlogx(nij);
            s.bc_p += sq / (long double)b[j];
            s.bc_r += sq / (long double)ai;
        }
    }
    finish(&s, n, out);
    out->items = n;
    out->true_clusters = kt;
    out->pred_clusters = kp;
    st = NC_OK;
done:
    free(t);
    free(p);
    free(a);
    free(b);
    free(start);
    free(byrow);
    free(cnt);
    return st;
}
