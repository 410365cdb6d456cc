/*
 * lsh.c - locality-sensitive hashing over MinHash signatures (banding).
 *
 * A signature of k values is cut into b bands of r rows; two documents become
 * a candidate pair when all r rows of some band agree, which happens with
 * probability P(s) = 1 - (1 - s^r)^b for Jaccard similarity s.  (b, r) is
 * chosen like datasketch's _optimal_param: minimise the false-positive area
 * (integral of P over [0, t]) plus the false-negative area (integral of
 * 1 - P over [t, 1]).
 *
 * The band table: per band, an array of (32-bit key of the band's rows,
 * document) packed in one 64-bit word and radix-sorted; equal keys are a
 * bucket.  No strings are stored.  The index keeps only the band keys, not
 * the signatures (69 keys instead of 256 values a document); a chance
 * collision of two keys is a false candidate that verification rejects.
 * Buckets are paired inside the time window; a bucket larger than the cap
 * pairs each member with its next `cap` members in time order only, so a
 * bucket shared by thousands of documents cannot produce millions of pairs
 * (the pairs left out are counted).
 *
 * Two passes: band by band, each bucket becomes links (a document's entry
 * in the band's column is replaced by the bucket's next member, flagged
 * when that one has a next member too); then
 * document by document, the links of all bands are followed and the
 * document's partners deduplicated and sorted, so that the pairs come out
 * in order, each once.
 */
#include "lsh.h"

#include "huge_pages.h"
#include "parallel.h"
#include "radix_sort.h"
#include "vec.h"
#include "xxhash_inline.h"

#include <math.h>
#include <pthread.h> /* the memo's lock */
#include <stdlib.h>
#include <string.h>

double nc__lsh_prob(double s, uint32_t b, uint32_t r)
{
    return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

#define AREA_STEPS 200 /* even */

/* Simpson's rule over [lo, hi] of P or 1 - P.  @p sr: NULL, or s^r at the
 * AREA_STEPS + 1 points (the same values nc__lsh_prob computes: the same
 * result, with half the calls to pow). */
static double area(double lo, double hi, uint32_t b, uint32_t r, int complement, const double *sr)
{
    if (hi <= lo) return 0.0;
    double h = (hi - lo) / AREA_STEPS, sum = 0.0;
    for (int i = 0; i <= AREA_STEPS; i++) {
        double p = sr ? 1.0 - pow(1.0 - sr[i], (double)b) : nc__lsh_prob(lo + h * i, b, r);
        if (complement) p = 1.0 - p;
        double w = (i == 0 || i == AREA_STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        sum += w * p;
    }
    return sum * h / 3.0;
}

/* s^r at the points of area() over [lo, hi], for r = 1..k: @p tab[(r - 1) *
 * (AREA_STEPS + 1) + i]. */
static void powers(double *tab, double lo, double hi, uint32_t k)
{
    double h = (hi - lo) / AREA_STEPS;
    for (uint32_t r = 1; r <= k; r++)
        for (int i = 0; i <= AREA_STEPS; i++)
            tab[(size_t)(r - 1) * (AREA_STEPS + 1) + (size_t)i] = pow(lo + h * i, (double)r);
}

/* The search below integrates for every (b, r): about 150 million
 * instructions (tens of milliseconds) at k = 128, which was nine tenths of
 * a run on a one-document feed.  The defaults' answers are a table, and
 * other answers are memoised (a few (t, k) pairs are ever used). */
const nc_lsh_choice nc__lsh_defaults[NC_LSH_DEFAULTS] = {
    {0.6, 128, 18, 7},  /* NC_DEFAULT_DUP_THRESHOLD */
    {0.15, 128, 51, 2}, /* NC_STORY_LSH_THRESHOLD */
};

#define LSH_MEMO 16
static nc_lsh_choice lsh_memo[LSH_MEMO];
static unsigned lsh_memo_n;
static pthread_mutex_t lsh_memo_lock = PTHREAD_MUTEX_INITIALIZER;

void nc__lsh_params(double t, uint32_t k, uint32_t *bo, uint32_t *ro)
{
    for (unsigned i = 0; i < NC_LSH_DEFAULTS; i++) {
        if (nc__lsh_defaults[i].t == t && nc__lsh_defaults[i].k == k) {
            *bo = nc__lsh_defaults[i].b;
            *ro = nc__lsh_defaults[i].r;
            return;
        }
    }
    pthread_mutex_lock(&lsh_memo_lock);
    for (unsigned i = 0; i < lsh_memo_n; i++) {
        if (lsh_memo[i].t == t && lsh_memo[i].k == k) {
            *bo = lsh_memo[i].b;
            *ro = lsh_memo[i].r;
            pthread_mutex_unlock(&lsh_memo_lock);
            return;
        }
    }
    pthread_mutex_unlock(&lsh_memo_lock);
    nc__lsh_search(t, k, bo, ro);
    pthread_mutex_lock(&lsh_memo_lock);
    unsigned slot = lsh_memo_n < LSH_MEMO ? lsh_memo_n++ : 0;
    lsh_memo[slot].t = t;
    lsh_memo[slot].k = k;
    lsh_memo[slot].b = *bo;
    lsh_memo[slot].r = *ro;
    pthread_mutex_unlock(&lsh_memo_lock);
}

/* Exhaustive over b * r <= k, in (b, r) order, the first of equal errors
 * kept.  The false-negative area is skipped when the false-positive area
 * alone already fails the comparison: both are sums of terms >= 0, so the
 * total could not pass it either.  With s^r computed once per r, the same
 * answer costs a quarter of the plain search (at k = 128, t = 0.5: about 38
 * instead of 148 million instructions). */
void nc__lsh_search(double t, uint32_t k, uint32_t *bo, uint32_t *ro)
{
    double best = INFINITY;
    *bo = 1;
    *ro = k ? k : 1;
    /* s^r depends on r alone: computed once for every b (without the
     * memory for it, area() computes it itself) */
    size_t per = (size_t)k * (AREA_STEPS + 1);
    double *below = malloc((2 * per + 1) * sizeof *below), *above = below ? below + per : NULL;
    if (below) {
        powers(below, 0.0, t, k);
        powers(above, t, 1.0, k);
    }
    for (uint32_t b = 1; b <= k; b++) {
        for (uint32_t r = 1; r <= k / b; r++) {
            size_t at = (size_t)(r - 1) * (AREA_STEPS + 1);
            double fp = area(0.0, t, b, r, 0, below ? below + at : NULL);
            if (!(fp < best - 1e-12)) continue;
            double err = fp + area(t, 1.0, b, r, 1, above ? above + at : NULL);
            if (err < best - 1e-12) {
                best = err;
                *bo = b;
                *ro = r;
            }
        }
    }
    free(below);
}

/* Order a bucket's members by time (undated first), then document: a
 * stable radix sort on the time with the sign bit flipped. */
static int sort_by_time(uint32_t *m, size_t len, const int64_t *t, nc_keyed *tmp)
{
    for (size_t i = 0; i < len; i++) {
        tmp[i].key = (uint64_t)t[m[i]] ^ 0x8000000000000000ull;
        tmp[i].val = m[i];
    }
    int rc = nc__radix_sort_keyed(tmp, len);
    for (size_t i = 0; i < len; i++)
        m[i] = tmp[i].val;
    return rc;
}

static int push_pair(nc_pairs *out, uint32_t a, uint32_t b)
{
    uint64_t v = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
    if (out->n == out->cap) {
        size_t c = out->cap ? out->cap + out->cap / 2 : 1024; /* 1.5x: less slack at the peak */
        uint64_t *p = nc__big_realloc(out->a, c * sizeof *p);
        if (!p) return -1;
        out->a = p;
        out->cap = c;
    }
    out->a[out->n++] = v;
    return 0;
}

/* A column entry with no next member: the document's key is no other's in
 * the band (or it has none, or it is its bucket's last). */
#define NC_NO_NEXT UINT32_MAX
/* The flag of a column entry whose next member has a next member too (so
 * that a chain's end is known without reading the last member's entry, a
 * load at a scattered place); document ids are below it. */
#define NC_MORE 0x80000000u

/* Link one bucket (members sorted by time, undated first): each member's
 * entry of the band's column becomes the next member (with NC_MORE when
 * that one is not the bucket's last), and *skipped counts what the cap
 * leaves out of the pairs pair_range() will read off the links: member i
 * pairs with the members after it inside its window, at most `cap` of them
 * (counted for members below @p core only: a segment's own documents,
 * members in time order, so the others come last). */
static void link_bucket(uint32_t *col, const uint32_t *m, size_t len, const nc_lsh_opts *o,
                        size_t core, size_t *skipped)
{
    const int64_t *t = o->time;
    size_t cap = o->bucket_cap ? o->bucket_cap : (size_t)-1;
    int windowed = t && o->window > 0;
    size_t dated_end = 0; /* the dated members' window ends only move on */
    for (size_t i = 0; i + 1 < len; i++) {
        col[m[i]] = m[i + 1] | (i + 2 < len ? NC_MORE : 0);
        /* nothing to skip from here on, or another segment counts it (the
         * links are still needed: a segment's chains run through them) */
        if (len - i - 1 <= cap || m[i] >= core) continue;
        size_t end = len; /* one past the last member in the window of m[i] */
        if (windowed && t[m[i]] != INT64_MIN) {
            int64_t lim = t[m[i]] > INT64_MAX - o->window ? INT64_MAX : t[m[i]] + o->window;
            if (dated_end < i + 1) dated_end = i + 1;
            while (dated_end < len && t[m[dated_end]] <= lim)
                dated_end++;
            end = dated_end;
        }
        size_t eligible = end - i - 1;
        *skipped += eligible > cap ? eligible - cap : 0;
    }
}

/* Drop the repeats of a sorted array, in place; @return the new length.
 * Branch-free: each value is written at m and kept by advancing m when it
 * differs from the last kept one (whether a pair repeats is data, and a
 * branch on it was mispredicted often). */
static size_t unique_sorted(uint64_t *a, size_t n)
{
    if (n < 2) return n;
    size_t m = 1;
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        a[m] = v;
        m += v != a[m - 1];
    }
    return m;
}

void nc__pairs_unique(nc_pairs *p)
{
    if (p->n < 2) return;
    nc__radix_sort_u64(p->a, p->n);
    p->n = unique_sorted(p->a, p->n);
}

void nc__lsh_band_keys(const uint32_t *sig, uint32_t bands, uint32_t rows, uint32_t *keys,
                       size_t stride)
{
    int empty = sig[0] == 0xFFFFFFFFu; /* empty feature set: never a candidate */
    for (uint32_t b = 0; b < bands; b++) {
        uint32_t h = (uint32_t)XXH3_64bits_withSeed(sig + (size_t)b * rows, rows * sizeof *sig, b);
        keys[b * stride] = empty ? 0 : h ? h : 1; /* 0 marks "no key" */
    }
}

/* Give back a pair list's unused capacity (keeps it when realloc fails). */
static void shrink(nc_pairs *p)
{
    if (p->cap <= p->n + p->n / 8 + 1024) return;
    uint64_t *q = nc__big_realloc(p->a, (p->n + 1) * sizeof *q);
    if (!q) return;
    p->a = q;
    p->cap = p->n + 1;
}

/* The classic merge into a's free tail, largest first.  Branch-free while
 * both lists have elements left: the larger of the two tails is picked by
 * a conditional move and each index steps back by the comparison's 0 or 1
 * (which list holds the next pair is a coin toss for the predictor: at
 * 100,000 documents, cachegrind counted 5.9 of the run's 114 million
 * mispredicted branches here; now 88). */
int nc__pairs_merge_unique(nc_pairs *a, nc_pairs *b)
{
    if (b->n == 0) {
        free(b->a);
        *b = (nc_pairs){0};
        return 0;
    }
    if (a->n == 0) { /* take b's buffer */
        free(a->a);
        *a = *b;
        *b = (nc_pairs){0};
        return 0;
    }
    if (a->cap < a->n + b->n) {
        uint64_t *q = nc__big_realloc(a->a, (a->n + b->n) * sizeof *q);
        if (!q) return -1;
        a->a = q;
        a->cap = a->n + b->n;
    }
    uint64_t *x = a->a;
    const uint64_t *y = b->a;
    size_t i = a->n, j = b->n, k = a->n + b->n;
    while (i > 0 && j > 0) { /* a's tail is free: the largest element goes last */
        uint64_t va = x[i - 1], vb = y[j - 1];
        size_t take_a = va > vb;
        x[--k] = take_a ? va : vb;
        i -= take_a;
        j -= 1 - take_a;
    }
    while (j > 0) /* what is left of a is in place already */
        x[--k] = y[--j];
    a->n = unique_sorted(x, a->n + b->n); /* a pair in both lists is now twice, adjacent */
    free(b->a);
    *b = (nc_pairs){0};
    return 0;
}

/* Whether the documents are given in time order (undated first): then a
 * bucket's members, in document order, are in time order already. */
static int in_time_order(const int64_t *t, size_t n)
{
    if (!t) return 0;
    for (size_t d = 1; d < n; d++)
        if (t[d - 1] > t[d]) return 0;
    return 1;
}

/* The key filter of band_range, up to 2^22 slots (1 MB: half a core's L2
 * cache here), so up to 2^20 documents. */
#define NC_FILTER_MAX_BITS 22

/* The filter slot of a band key: the top @p sbits bits of a multiplicative
 * hash (the keys are hashes already; this spreads them over any size). */
static uint64_t filter_slot(uint32_t key, unsigned sbits)
{
    return (uint64_t)key * 0x9E3779B97F4A7C15ull >> (64 - sbits);
}

/* The band tables of bands [lo, hi), as links: each band's column of keys
 * is replaced by each document's next member in its bucket, in time order
 * (NC_NO_NEXT when none), and *skipped counts what the cap leaves out.
 * @p by_doc: the documents are in time order (in_time_order()).
 * @return 0 or -1. */
static int link_range(const uint32_t *keys, size_t stride, uint32_t *links, size_t n, size_t core,
                      const nc_lsh_opts *o, int by_doc, uint32_t lo, uint32_t hi, size_t *skipped)
{
    /* (key << 32 | document): one radix sort orders by key, then document */
    uint64_t *e = nc__big_malloc((n + 1) * sizeof *e);
    uint32_t *members = nc__big_malloc((n + 1) * sizeof *members);
    nc_keyed *tmp = nc__big_malloc((n + 1) * sizeof *tmp);
    /* the key filter (below): 2^sbits slots, at least 4 n, two bits each
     * (seen, seen twice) in adjacent words, so that a key reads one line */
    unsigned sbits = 6;
    while (sbits < NC_FILTER_MAX_BITS && ((size_t)1 << sbits) < 4 * n)
        sbits++;
    int filtered = ((size_t)1 << sbits) >= 4 * n;
    uint64_t *seen = filtered ? nc__big_calloc(((size_t)1 << sbits) / 32, sizeof *seen) : NULL;
    int rc = (!e || !members || !tmp || (filtered && !seen)) ? -1 : 0;
    for (uint32_t band = lo; band < hi && rc == 0; band++) {
        size_t m = 0;
        const uint32_t *col = keys + (size_t)band * stride; /* band-major: read in order */
        /* Only keys that two documents share make a bucket, and about half
         * of a band's keys are a single document's.  A filter (over slots
         * the keys hash to: seen, seen twice) keeps out every key whose
         * slot no other key shares, before the sort: at 1M documents the
         * sort and the bucket scan see about 57% of the keys.  A key kept
         * by a shared slot alone is a bucket of one, skipped below as
         * before, so the buckets, and their members' order, are the same.
         * Only while the filter (n bytes) fits in a core's cache: beyond,
         * its random reads would cost about what the sort saves (an
         * estimate; the 10M band stage was not faster with it). */
        if (filtered)
            for (size_t d = 0; d < n; d++) {
                uint64_t slot = filter_slot(col[d], sbits);
                uint64_t bit = (uint64_t)1 << (slot & 63), *w = seen + 2 * (slot >> 6);
                w[1] |= w[0] & bit;
                w[0] |= bit;
            }
        /* Each key is written and kept by advancing m, with no branch on
         * whether it is (the filter's answer is a coin toss: cachegrind
         * counted 3.1 million mispredicted branches here at 100,000
         * documents).  m <= d: the slot written is inside e. */
        if (filtered)
            for (size_t d = 0; d < n; d++) {
                uint64_t slot = filter_slot(col[d], sbits);
                e[m] = (uint64_t)col[d] << 32 | (uint32_t)d;
                m += (size_t)(seen[2 * (slot >> 6) + 1] >> (slot & 63) & 1u) & (col[d] != 0);
            }
        else
            for (size_t d = 0; d < n; d++) {
                e[m] = (uint64_t)col[d] << 32 | (uint32_t)d;
                m += col[d] != 0;
            }
        if (filtered) memset(seen, 0, ((size_t)1 << sbits) / 32 * sizeof *seen);
        /* documents come in order: a stable sort on the key alone is enough */
        nc__radix_sort_u64_hi32(e, m);
        uint32_t *lcol = links + (size_t)band * n; /* may be col itself: its keys are in e */
        memset(lcol, 0xFF, n * sizeof *lcol);      /* NC_NO_NEXT */
        for (size_t i = 0; i < m && rc == 0;) {
            size_t j = i + 1;
            while (j < m && e[j] >> 32 == e[i] >> 32)
                j++;
            if (j - i > 1) {
                size_t len = j - i;
                for (size_t x = 0; x < len; x++)
                    members[x] = (uint32_t)e[i + x];
                if (o->time && !by_doc) sort_by_time(members, len, o->time, tmp); /* -1: by qsort */
                link_bucket(lcol, members, len, o, core, skipped);
            }
            i = j;
        }
    }
    free(e);
    free(members);
    free(tmp);
    free(seen);
    return rc;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* A document's partners in order: about 16 on average at the default cap,
 * by insertion sort; a long list (no cap) by qsort. */
static void sort_small(uint32_t *a, size_t n)
{
    if (n > 64) {
        qsort(a, n, sizeof *a, cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* The pairs of documents [lo, hi) read off the links of all bands, appended
 * to @p out: document a pairs with the members that follow it in each of its
 * buckets, up to the cap, while inside a's window.  A pair shared by several bands (a near-copy
 * shares most) is kept once: @p stamp[b] == a marks b as taken for a.  In a time ordered corpus,
 * a's partners all come after it, so the pairs of a, sorted, follow those of a - 1: the list comes
 * out sorted and unique with no sort of the whole (the 40 M pairs pushed at 1M documents, 2.5 times
 * the unique ones, were sorted and merged: a third of the band stage).  Otherwise each pair is
 * still found once, from its earlier document, and the caller sorts.
 * @p by_doc: the documents are in time order (in_time_order()).
 * @return 0 or -1. */
static int pair_range(const uint32_t *next, size_t n, const nc_lsh_opts *o, int by_doc, size_t lo,
                      size_t hi, uint32_t base, uint32_t *stamp, nc_pairs *out)
{
    const int64_t *t = o->time;
    size_t cap = o->bucket_cap ? o->bucket_cap : (size_t)-1;
    int windowed = t && o->window > 0;
    NC_VEC(uint32_t) part = {0}; /* a's partners */
    /* The bands' chains are followed in lockstep: the first step of every
     * band, then the second, and so on.  A chain is a run of dependent loads
     * at scattered places in the window, but chains of different bands are
     * independent: one step's loads overlap instead of each band waiting on
     * the last.  Each band still stops after the same steps (the cap, its
     * bucket's end, the window's end), so the partners are the same set,
     * found in another order, and sorted below. */
    uint32_t *cb = malloc(((size_t)o->bands + 1) * 2 * sizeof *cb); /* live chains' bands */
    if (!cb) return -1;
    uint32_t *cn = cb + o->bands + 1; /* and members */
    static const uint32_t no_next = NC_NO_NEXT;
    int rc = 0;
    size_t wend = 0; /* by_doc: one past the last document in a's window */
    for (size_t a = lo; a < hi && rc == 0; a++) {
        int limited = windowed && t[a] != INT64_MIN;
        int64_t lim = !limited ? 0 : t[a] > INT64_MAX - o->window ? INT64_MAX : t[a] + o->window;
        /* In time order, a's partners come after it, and one is past its
         * window when it is at or past wend: no partner's time is read. */
        size_t end = n;
        if (limited && by_doc) {
            if (wend <= a) wend = a + 1;
            while (wend < n && t[wend] <= lim)
                wend++;
            end = wend;
        }
        part.n = 0;
        uint32_t live = 0;
        for (uint32_t band = 0; band < o->bands; band++) {
            uint32_t b = next[(size_t)band * n + a];
            cb[live] = band;
            cn[live] = b;
            live += b != NC_NO_NEXT;
        }
        for (size_t take = 0; take < cap && live && rc == 0; take++) {
            /* room for every live chain's partner: the loop below has no
             * branch on the data (whether a partner is new, in the window,
             * or has a next member are coin tosses for the predictor) */
            if ((rc = NC_VEC_RESERVE(&part, part.n + live)) != 0) break;
            uint32_t still = 0;
            for (uint32_t i = 0; i < live; i++) {
                uint32_t v = cn[i], b = v & ~NC_MORE;
                /* past the window: so are the members that follow */
                uint32_t in = by_doc ? b < end : !(limited && t[b] > lim);
                /* b is taken for a either way: out of the window, no chain
                 * reaches it for a inside */
                uint32_t fresh = in & (stamp[b] != (uint32_t)a);
                stamp[b] = (uint32_t)a;
                part.a[part.n] = b;
                part.n += fresh;
                /* b's own entry is read only when it has a next member (most
                 * buckets are pairs); otherwise a constant NC_NO_NEXT */
                uint32_t more = in & ((v & NC_MORE) != 0);
                const uint32_t *at = more ? next + (size_t)cb[i] * n + b : &no_next;
                cb[still] = cb[i];
                cn[still] = *at;
                still += more;
            }
            live = still;
        }
        sort_small(part.a, part.n);
        for (size_t i = 0; i < part.n && rc == 0; i++)
            rc = push_pair(out, base + (uint32_t)a, base + part.a[i]);
    }
    free(part.a);
    free(cb);
    return rc;
}

/* Both passes in parallel (parallel.h): the links band by band (part t takes
 * bands [bands*t/T, bands*(t+1)/T)), then the pairs document by document,
 * each part into its own list; the lists, in part order, are the union. */
typedef struct band_ctx {
    uint32_t *keys;
    size_t n;
    const nc_lsh_opts *o;
    int by_doc;
    size_t seg; /* segmented (segment_part): documents a segment; 0: not */
    nc_pairs out[NC_MAX_THREADS];
    size_t skipped[NC_MAX_THREADS];
} band_ctx;

static int link_part(void *arg, unsigned part, size_t lo, size_t hi)
{
    band_ctx *j = arg;
    return link_range(j->keys, j->n, j->keys, j->n, j->n, j->o, j->by_doc, (uint32_t)lo,
                      (uint32_t)hi, &j->skipped[part]);
}

static int pair_part(void *arg, unsigned part, size_t lo, size_t hi)
{
    band_ctx *j = arg;
    uint32_t *stamp = nc__big_malloc((j->n + 1) * sizeof *stamp);
    if (!stamp) return -1;
    memset(stamp, 0xFF, (j->n + 1) * sizeof *stamp); /* no document is UINT32_MAX */
    int rc = pair_range(j->keys, j->n, j->o, j->by_doc, lo, hi, 0, stamp, &j->out[part]);
    free(stamp);
    return rc;
}

/* One past the last document in the window of document @p d (times in
 * order, all dated): binary search. */
static size_t window_end(const int64_t *t, size_t n, size_t d, int64_t window)
{
    int64_t lim = t[d] > INT64_MAX - window ? INT64_MAX : t[d] + window;
    size_t lo = d + 1, hi = n; /* the first later than lim is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] <= lim)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Segments (a corpus in time order, all dated, windowed): the documents of
 * segment s, [s * seg, (s + 1) * seg), with those after it inside its last
 * document's window, make a table of their own, with the links of only
 * those documents, and the segment's documents read their pairs off it.
 * That is exact: every partner of a segment document lies in its window,
 * so inside the extended range, and the members of a bucket there follow in
 * the same order; a link cut at the range's end leads only outside every
 * window.  The pairs left out are counted for the segment's own documents.
 * Why: a table of 10M documents is 40 MB a band, and its sort and the
 * links' writes miss the cache where a million documents' do not (the band
 * stage took 19 times its 1M time at 10M, the key filter applies only up to
 * 2^20 documents).  Segments of 2^18 documents did better than 2^20 at 10M
 * (band stage 16.2 s against 18.0 s), and 2^17 better still, at 1M too
 * (NC_LSH_ONE_TABLE); their scratch (bands x 2^17 x 4 bytes of links, 27 MB
 * at 51 bands, a thread) is an eighth.  Part t takes a run of segments, in
 * order, with scratch of its own; its pair list is then in order too. */
static int segment_part(void *arg, unsigned part, size_t lo, size_t hi)
{
    band_ctx *j = arg;
    const nc_lsh_opts *o = j->o;
    uint32_t *links = NULL, *stamp = NULL;
    size_t room = 0;
    int rc = 0;
    for (size_t s = lo; s < hi && rc == 0; s++) {
        size_t c0 = s * j->seg, c1 = c0 + j->seg < j->n ? c0 + j->seg : j->n;
        size_t x1 = window_end(o->time, j->n, c1 - 1, o->window), m = x1 - c0;
        if (m > room) {
            free(links);
            free(stamp);
            links = nc__big_malloc(((size_t)o->bands * m + 1) * sizeof *links);
            stamp = nc__big_malloc((m + 1) * sizeof *stamp);
            if (!links || !stamp) {
                rc = -1;
                break;
            }
            room = m;
        }
        nc_lsh_opts so = *o;
        so.time = o->time + c0; /* the segment's documents numbered from 0 */
        rc = link_range(j->keys + c0, j->n, links, m, c1 - c0, &so, 1, 0, o->bands,
                        &j->skipped[part]);
        memset(stamp, 0xFF, (m + 1) * sizeof *stamp);
        if (rc == 0)
            rc = pair_range(links, m, &so, 1, 0, c1 - c0, (uint32_t)c0, stamp, &j->out[part]);
    }
    free(links);
    free(stamp);
    return rc;
}

/* Up to this many documents a corpus is one table (in the keys' own
 * memory); above, segments of at most NC_LSH_SEGMENT_MIN documents or, when
 * a window reaches too far for them, of at most the least power of two
 * times that which it does not (nc_lsh_opts.segment 0).  Why 2^17 (a
 * band's table 512 KB, a core's L2 cache here): at 1M documents, 100 days,
 * the band stage's functions took 2,574 / 2,684 perf samples with segments
 * of 2^17, 2,967 / 2,933 with 2^18, and 3,138 / 3,435 as one table, all
 * in one hour (`perf record -F 999`, 1 thread). */
#define NC_LSH_ONE_TABLE ((size_t)1 << 17)
#define NC_LSH_SEGMENT_MIN ((size_t)1 << 17)

/* The threads the work is split over: o->threads, 1 when 0, at most
 * NC_MAX_THREADS. */
static unsigned lsh_threads(const nc_lsh_opts *o)
{
    unsigned nt = o->threads ? o->threads : 1;
    return nt > NC_MAX_THREADS ? NC_MAX_THREADS : nt;
}

/* Whether segments of @p seg documents suit a time-ordered corpus: no
 * window reaches more than a quarter segment past a segment's end (the
 * extended tables would cost more than they save). */
static int segments_fit(const nc_lsh_opts *o, size_t n, size_t seg)
{
    for (size_t c1 = seg; c1 < n; c1 += seg)
        if (window_end(o->time, n, c1 - 1, o->window) - c1 > seg / 4) return 0;
    return 1;
}

/* The segment size for @p n documents, or 0 when the corpus is one table:
 * small enough, not in time order or not windowed, with undated documents
 * (no window: their partners may lie anywhere), or a window too long for
 * any segment size below n (segments_fit()).  For a bound `most` of 2^17,
 * 2^18, ...: the segments are as many as `most` asks, rounded up to a
 * multiple of the threads, and of equal size, so that each thread takes as
 * many documents (any size gives the same pairs).  A set
 * nc_lsh_opts.segment is the only size tried, for any n above it (the
 * tests' small corpora). */
size_t nc__lsh_segment_size(const nc_lsh_opts *o, size_t n, int in_order)
{
    if (!in_order || !o->time || o->window <= 0 || o->time[0] == INT64_MIN) return 0;
    if (o->segment) return n > o->segment && segments_fit(o, n, o->segment) ? o->segment : 0;
    if (n <= NC_LSH_ONE_TABLE) return 0;
    size_t nt = lsh_threads(o);
    for (size_t most = NC_LSH_SEGMENT_MIN; most < n; most *= 2) {
        size_t segs = (n + most - 1) / most;
        segs = (segs + nt - 1) / nt * nt;
        size_t seg = (n + segs - 1) / segs;
        if (segments_fit(o, n, seg)) return seg;
    }
    return 0;
}

int nc__lsh_candidates(const uint32_t *sigs, size_t n, uint32_t k, const nc_lsh_opts *o,
                       nc_pairs *out, size_t *skipped)
{
    uint32_t *keys = nc__big_malloc((n * o->bands + 1) * sizeof *keys);
    if (!keys) return -1;
    for (size_t d = 0; d < n; d++)
        nc__lsh_band_keys(sigs + d * k, o->bands, o->rows, keys + d, n);
    int rc = nc__lsh_candidates_keys(keys, n, o, out, skipped);
    free(keys);
    return rc;
}

int nc__lsh_candidates_keys(uint32_t *keys, size_t n, const nc_lsh_opts *o, nc_pairs *out,
                            size_t *skipped)
{
    if (n < 2) return 0;
    if (n >= NC_MORE) return -1; /* a document id, even with NC_MORE, is not NC_NO_NEXT */
    unsigned nt = n < 4096 ? 1 : lsh_threads(o);
    band_ctx *j = calloc(1, sizeof *j);
    if (!j) return -1;
    j->keys = keys;
    j->n = n;
    j->o = o;
    j->by_doc = in_time_order(o->time, n);
    j->seg = nc__lsh_segment_size(o, n, j->by_doc);
    int rc;
    if (j->seg) {
        size_t segs = (n + j->seg - 1) / j->seg;
        rc = nc__parallel_ranges(nt < segs ? nt : (unsigned)segs, segs, segment_part, j);
    } else {
        rc = nc__parallel_ranges(nt < o->bands ? nt : o->bands, o->bands, link_part, j);
        if (rc == 0) rc = nc__parallel_ranges(nt, n, pair_part, j);
    }
    /* the parts' lists, in part order, into the first one */
    nc_pairs *all = &j->out[0];
    size_t total = 0;
    for (unsigned t = 0; t < NC_MAX_THREADS; t++) {
        total += j->out[t].n;
        *skipped += j->skipped[t];
    }
    if (rc == 0 && all->cap < total) {
        uint64_t *q = nc__big_realloc(all->a, total * sizeof *q);
        if (q) {
            all->a = q;
            all->cap = total;
        } else
            rc = -1;
    }
    for (unsigned t = 1; t < NC_MAX_THREADS; t++) {
        if (rc == 0 && j->out[t].n) {
            memcpy(all->a + all->n, j->out[t].a, j->out[t].n * sizeof *all->a);
            all->n += j->out[t].n;
        }
        free(j->out[t].a);
    }
    /* out of time order, a part's pairs are unsorted: sorted here (each is
     * found once already, so nothing repeats) */
    if (rc == 0 && !j->by_doc) nc__radix_sort_u64(all->a, all->n);
    if (rc == 0) nc__pairs_unique(out);
    /* The pairs found here are the long list (the story level's 16 M at
     * 1M documents, against the duplicate level's 0.3 M): the earlier ones
     * are merged into its buffer.  The other way, the short list grew to
     * the total, all of it new pages, and every pair was copied there. */
    if (rc == 0) rc = nc__pairs_merge_unique(all, out);
    if (rc == 0) {
        *out = *all;
        *all = (nc_pairs){0};
        shrink(out);
    }
    free(all->a);
    free(j);
    return rc;
}
