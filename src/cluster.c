/*
 * cluster.c - story clustering: agglomeration with average or centroid
 * linkage, computed exactly from centroid sums over a sparse candidate graph.
 *
 * Why not single linkage: connected components of similar pairs chain
 * unrelated stories through one ambiguous headline.  Average linkage asks a
 * document to be similar to the story as a whole.
 *
 * Why it is cheap: with unit vectors, the sum of all pairwise cosines
 * between clusters A and B is W(A, B) = S_A . S_B, where S is the sum of the
 * members' vectors.  Average linkage is W / (|A| |B|), centroid linkage
 * W / (||S_A|| ||S_B||): both exact, with no pair list.  W is additive:
 * W(A u B, C) = W(A, C) + W(B, C), so after a merge only the neighbours that
 * were linked to one side alone need a sparse dot product (the smaller
 * vector probed into the larger by binary search).  Which clusters are
 * compared at all comes from the LSH candidate edges: clusters with no
 * candidate pair between them never merge.
 *
 * Each cluster keeps a list of (neighbour, neighbour size, W).  An entry is
 * valid while the neighbour is a root of that size (sizes only grow, so
 * (root, size) names one version of a cluster); a merge rebuilds the merged
 * cluster's list and appends a fresh entry to each neighbour's list, leaving
 * older entries to be skipped and compacted away.
 *
 * Which pair merges next comes from a nearest-neighbour chain walk (walk()):
 * for average linkage, which is reducible, it makes the merges of greedy
 * best-first agglomeration without a global priority queue, and it works
 * through the corpus in document (time) order, first on fixed blocks of
 * clusters in parallel, then once over what the blocks left.  Ties break on
 * the cluster ids: deterministic.  Centroid linkage is not reducible: the
 * same walk still ends (every revisit follows a merge) but is then only an
 * approximation of best-first order.
 */
#include "cluster.h"

#include "huge_pages.h"
#include "lsh.h"
#include "parallel.h"
#include "prefetch.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Neighbours are visited at random places in memory: each loop over a
 * neighbour list asks for the cluster NC_AHEAD entries on while it works on
 * this one, so the misses overlap instead of adding up. */
#define NC_AHEAD 6

typedef struct link_ent {
    uint32_t nbr;
    uint32_t nbr_size; /* the neighbour's size when W was computed */
    float w;           /* W = S_self . S_nbr (12-byte entries: the lists are
                        * the engine's largest array at the peak) */
} link_ent;

/* A neighbour list: 32-bit counts, so that a cluster record is 16 bytes
 * shorter (a list never holds more entries than there are clusters). */
typedef struct link_vec {
    link_ent *a;
    uint32_t n, cap;
} link_vec;

/* 64 bytes a cluster, 64-byte aligned: one cache line a record, where the
 * 80-byte record (size_t counts in the list) often spanned two, and 16 MB
 * less at the peak at 1M documents.  (Measured: the peak 1.221 to 1.210 GB,
 * the cluster stage's time unchanged within the noise.) */
typedef struct cl {
    link_vec adj;
    nc_vent *s; /* S: sum of member unit vectors, sorted by tok */
    uint32_t s_len;
    uint32_t s_owned; /* 0: s borrows a single document's vector (o->vec) */
    uint32_t size;
    uint32_t stale;     /* entries of adj made stale since it was last compacted */
    double norm2;       /* ||S||^2 */
    int64_t tmin, tmax; /* INT64_MIN: no dated member */
} cl;

#define NC_CL_ALIGN 64
_Static_assert(sizeof(cl) == NC_CL_ALIGN, "a cluster record is one cache line");

/* Room for @p need entries in @p v: vec.h's growth (capacity doubles) with
 * the 32-bit counts.  Up to 2^31 entries, the doubled capacity stays below
 * 2^32.  @return 0 or -1 (out of memory or too many: the list unchanged). */
static int adj_reserve(link_vec *v, size_t need)
{
    if (need > (size_t)1 << 31) return -1;
    void *a = v->a;
    size_t cap = v->cap;
    if (nc__vec_reserve(&a, &cap, need, sizeof *v->a)) return -1;
    v->a = a;
    v->cap = (uint32_t)cap;
    return 0;
}

/* @p p when @p keep is 1, +0 when it is 0, by a mask on the bits: gcc
 * turns a multiplication by (double)keep, or keep ? p : 0, into a branch. */
static double kept(double p, uint32_t keep)
{
    uint64_t u;
    memcpy(&u, &p, sizeof u);
    u &= 0 - (uint64_t)keep;
    memcpy(&p, &u, sizeof p);
    return p;
}

/* The first index in [lo, nb) whose token is >= @p key (nb when none), by
 * a binary search with no branch on the data (as dot()'s). */
static uint32_t token_lower_bound(const nc_vent *b, uint32_t lo, uint32_t nb, uint32_t key)
{
    if (lo >= nb) return nb;
    const nc_vent *base = b + lo;
    uint32_t len = nb - lo;
    while (len > 1) { /* the first entry >= key is in [base, base + len] */
        uint32_t half = len / 2;
        base += half & (0u - (uint32_t)(base[half - 1].tok < key));
        len -= half;
    }
    base += base->tok < key; /* the first entry >= key, or b + nb */
    return (uint32_t)(base - b);
}

/* Sparse dot product; a much shorter vector is probed into the longer one
 * by binary search, otherwise the two sorted lists are merged.  The search
 * has no branch on the data: it moves its base by the step masked with the
 * comparison, so its steps depend only on the length, and a match adds the
 * product, a miss +0 in its place (kept()), which leaves the sum as it is
 * (it starts at +0 and so is never -0): the same W.  At 100,000 documents
 * (cachegrind) that took this function's mispredicted branches from 6.5 to
 * 4.1 million for 8% more instructions.  The merge was made branch-free
 * too (each side advanced by its comparison's 0 or 1): 0.9 million
 * mispredicted branches, but 69% more instructions, so it keeps its
 * branches. */
static double dot(const cl *x, const cl *y)
{
    if (x->s_len > y->s_len) {
        const cl *t = x;
        x = y;
        y = t;
    }
    const nc_vent *a = x->s, *b = y->s;
    uint32_t na = x->s_len, nb = y->s_len;
    double d = 0.0;
    if (na * 8u < nb) {
        uint32_t lo = 0; /* tokens ascend: each search starts where the last ended */
        for (uint32_t i = 0; i < na && lo < nb; i++) {
            uint32_t key = a[i].tok;
            lo = token_lower_bound(b, lo, nb, key);
            const nc_vent *e = b + lo - (lo == nb); /* b[nb - 1] < key: no match */
            d += kept((double)a[i].w * (double)e->w, e->tok == key);
        }
        return d;
    }
    uint32_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i].tok == b[j].tok)
            d += (double)a[i++].w * (double)b[j++].w;
        else if (a[i].tok < b[j].tok)
            i++;
        else
            j++;
    }
    return d;
}

/* Average linkage W / (|A| |B|) from the two sizes; 0 for W <= 0. */
static double average_link(double w, uint32_t size_a, uint32_t size_b)
{
    return w <= 0.0 ? 0.0 : w / ((double)size_a * (double)size_b);
}

static double linkage(const cl *x, const cl *y, double w, int kind)
{
    if (kind != NC_LINK_CENTROID) return average_link(w, x->size, y->size);
    if (w <= 0.0) return 0.0;
    double nn = sqrt(x->norm2 * y->norm2);
    return nn > 0.0 ? w / nn : 0.0;
}

/* S_x += S_y (sorted merge), and norm2 recomputed over the result in order.
 * A much shorter y (a document joining a story) is merged by searching each
 * of its tokens in x and copying the run of x before it whole, instead of
 * comparing entry by entry; norm2 is then one pass over the result, the
 * same sum in the same order as before.  (100k documents: the entry by
 * entry merge, with the sum in it, was 8.6% of the walk's instructions.)
 * @return 0 or -1. */
static int vec_add(cl *x, const cl *y)
{
    nc_vent *out = malloc(((size_t)x->s_len + y->s_len + 1) * sizeof *out);
    if (!out) return -1;
    const nc_vent *xs = x->s, *ys = y->s;
    uint32_t nx = x->s_len, ny = y->s_len, i = 0, j = 0, n = 0;
    if (ny * 8u < nx) {
        for (; j < ny; j++) {
            uint32_t p = token_lower_bound(xs, i, nx, ys[j].tok);
            memcpy(out + n, xs + i, (size_t)(p - i) * sizeof *out);
            n += p - i;
            i = p;
            if (i < nx && xs[i].tok == ys[j].tok) {
                out[n] = xs[i++];
                out[n].w += ys[j].w;
            } else {
                out[n] = ys[j];
            }
            n++;
        }
        memcpy(out + n, xs + i, (size_t)(nx - i) * sizeof *out);
        n += nx - i;
    } else {
        while (i < nx || j < ny) {
            if (j == ny || (i < nx && xs[i].tok < ys[j].tok))
                out[n] = xs[i++];
            else if (i == nx || ys[j].tok < xs[i].tok)
                out[n] = ys[j++];
            else {
                out[n] = xs[i++];
                out[n].w += ys[j++].w;
            }
            n++;
        }
    }
    double n2 = 0.0;
#pragma GCC unroll 4
    for (uint32_t k = 0; k < n; k++)
        n2 += (double)out[k].w * (double)out[k].w;
    if (x->s_owned) free(x->s);
    x->s = out;
    x->s_owned = 1;
    x->s_len = n;
    x->norm2 = n2;
    return 0;
}

static int window_ok(const cl *x, const cl *y, int64_t window)
{
    if (window <= 0 || x->tmin == INT64_MIN || y->tmin == INT64_MIN) return 1;
    int64_t lo = x->tmin < y->tmin ? x->tmin : y->tmin;
    int64_t hi = x->tmax > y->tmax ? x->tmax : y->tmax;
    return hi - lo <= window;
}

static void add_time(cl *c, int64_t t)
{
    if (t == INT64_MIN) return;
    if (c->tmin == INT64_MIN || t < c->tmin) c->tmin = t;
    if (c->tmax == INT64_MIN || t > c->tmax) c->tmax = t;
}

/* An entry is current while its neighbour is still that version of a root.
 * Sizes only grow, and a cluster merged away has size 0 (an entry's size is
 * at least 1), so the size alone says both.  It is read from @p ver, a
 * compact copy of the sizes (4 bytes a cluster, against 80 for the cl
 * array): these checks, mostly in the compactions of adj_append, were a
 * fifth of the agglomeration, each a cache miss into the large array. */
static int entry_valid(const uint32_t *ver, const link_ent *e)
{
    return ver[e->nbr] == e->nbr_size;
}

/* Whether cluster x lies outside the walked range [lo, hi): in a block's
 * walk, another thread's (never read); in the walk over all, none is. */
static int outside(uint32_t x, uint32_t lo, uint32_t hi)
{
    return x - lo >= hi - lo;
}

/* Append (nbr, W) to x's list.  A full list grows only when less than half
 * of it is stale; otherwise it is compacted (stale entries dropped) and the
 * entry goes in the room that makes.  A list's capacity stays within about
 * four times its live entries, instead of doubling over the stale entries
 * that every merge of a neighbour leaves (those lists were the peak of the
 * whole run).  Amortised O(1): a compaction frees at least half the list.
 * How much is stale is counted (cl.stale, by merge()), not found by a scan:
 * scanning every full list first, as this did before, read 260 M entries at
 * 1M documents, 96% of them in scans that freed less than half the list,
 * each entry a lookup in ver at a random place.  Compacting is never
 * needed for the result (every reader skips stale entries and the live ones
 * keep their order), so a count that is off only moves a compaction.
 * Entries for clusters outside [lo, hi) are kept unread: in a block's walk
 * another thread may be changing those clusters. */
static int adj_append(cl *c, uint32_t x, uint32_t nbr, float w, const uint32_t *ver, uint32_t lo,
                      uint32_t hi)
{
    cl *cx = &c[x];
    if (cx->adj.n == cx->adj.cap && cx->adj.cap && cx->stale >= cx->adj.cap - cx->adj.cap / 2) {
        size_t m = 0;
        for (size_t i = 0; i < cx->adj.n; i++) {
            const link_ent *e = &cx->adj.a[i];
            if (i + NC_AHEAD < cx->adj.n) NC_PREFETCH(&ver[cx->adj.a[i + NC_AHEAD].nbr]);
            if (outside(e->nbr, lo, hi) || entry_valid(ver, e)) cx->adj.a[m++] = *e;
        }
        cx->adj.n = (uint32_t)m;
        cx->stale = 0;
        if (m <= cx->adj.cap / 2) {
            cx->adj.a[cx->adj.n++] = (link_ent){nbr, c[nbr].size, w};
            return 0;
        }
    }
    if (adj_reserve(&cx->adj, (size_t)cx->adj.n + 1)) return -1;
    cx->adj.a[cx->adj.n++] = (link_ent){nbr, c[nbr].size, w};
    return 0;
}

/* Initial S of every root: its members' vectors added up. */
static int init_vectors(cl *c, size_t n, nc_uf *uf, const nc_cluster_opts *o)
{
    for (size_t d = 0; d < n; d++) {
        uint32_t r = nc__uf_find(uf, (uint32_t)d);
        cl one = {0};
        one.s = (nc_vent *)o->vec[d]; /* read only */
        one.s_len = o->vec_len[d];
        if (c[r].s == NULL) { /* borrowed until a merge makes a sum */
            c[r].s = one.s;
            c[r].s_owned = 0;
            c[r].s_len = one.s_len;
            double n2 = 0.0;
            for (uint32_t k = 0; k < one.s_len; k++)
                n2 += (double)one.s[k].w * one.s[k].w;
            c[r].norm2 = n2;
        } else if (vec_add(&c[r], &one)) {
            return -1;
        }
    }
    return 0;
}

/* The W of every initially linked cluster pair: independent dot products,
 * one slot each, computed in parallel ranges (parallel.h).  A link that
 * will not be listed (W <= 0, or a linkage below the threshold) gets W -1.
 *
 * The pairs come sorted by their first cluster, about 16 of them to one
 * first cluster: its weights are scattered once into a per-thread array
 * indexed by token, its tokens marked in a bitmap (a bit a token id: it
 * stays in cache), and each second cluster's entries are tested against the
 * bitmap: a token both have reads its weight, any other slot 0, which
 * stays 0 (token 0's weight has the slot past the ids: slot_of()).  That
 * is one pass over the second vector with no branch on the data (whether
 * a candidate has the token is a coin toss:
 * cachegrind counted 7.7 M mispredicted branches in these dots of 100,000
 * documents with a branch there), against a merge of both lists.  The products are
 * summed in token order, each (double)w_a * (double)w_b as dot() forms
 * them, and the extra terms are zeros, which leave the sum as it is (it
 * starts at +0 and so is never -0): the same W. */
typedef struct dot_ctx {
    const cl *c;
    const uint64_t *pairs;
    float *w;
    const nc_cluster_opts *o;
    size_t n_tok; /* token ids: 0 .. n_tok - 1; slot n_tok holds token 0's weight */
} dot_ctx;

/* Where token @p t's weight goes in a scattered weight array: slot t, but
 * token 0's goes in slot @p top, one past the token ids, so that slot 0
 * always holds 0: it is what a token that is not marked reads
 * (marked_or_zero()). */
static uint32_t slot_of(uint32_t t, uint32_t top)
{
    return t ? t : top;
}

/* Token t's bit in a token bitmap: bit 63 - t % 64 of word t / 64, so that
 * marked_or_zero() turns it into a mask with two shifts. */
static uint64_t token_bit(uint32_t t)
{
    return (uint64_t)1 << 63 >> (t & 63);
}

/* Scatter x's weights into @p wt (slot_of() with @p top) and mark its
 * tokens in @p bits, or (@p on 0) put both back to zero.  Floats, not
 * scatter()'s doubles: the weights are copied, not summed, and half the
 * bytes keep more of the array in cache (the doubles of scatter() made
 * dot_range about 40% more of the perf samples at 1M). */
static void mark_tokens(float *wt, uint64_t *bits, uint32_t top, const cl *x, int on)
{
    for (uint32_t t = 0; t < x->s_len; t++) {
        uint32_t tok = x->s[t].tok;
        if (on) {
            wt[slot_of(tok, top)] = x->s[t].w;
            bits[tok >> 6] |= token_bit(tok);
        } else {
            wt[slot_of(tok, top)] = 0.0f;
            bits[tok >> 6] = 0;
        }
    }
}

/* Token @p t (t > 0) when its bit is set in @p bits, else 0 (the slot that
 * holds 0), by a mask with no branch: whether a token is marked is a coin
 * toss for the branch predictor.  The bit is shifted to the top and spread
 * over the word (0 - (w >> 63)): with token 0's weight moved out of slot 0
 * (slot_of()), the miss needs no slot of its own, and the loops below run
 * 14 instructions an entry instead of 18. */
static uint32_t marked_or_zero(const uint64_t *bits, uint32_t t)
{
    uint64_t mask = 0 - (bits[t >> 6] << (t & 63) >> 63);
    return t & (uint32_t)mask;
}

/* S_x . S_y, with x scattered by mark_tokens() (token 0's weight in slot
 * @p top): the sum over y's entries, in token order, of x's weight (0 for
 * a token x lacks) times y's.  Token 0 can only be y's first entry (the
 * entries ascend), and reads its slot directly: 0 when x lacks it. */
static double dot_marked(const float *wt, const uint64_t *bits, uint32_t top, const cl *y)
{
    double d = 0.0;
    uint32_t i = 0;
    if (y->s_len && y->s[0].tok == 0) d += (double)wt[top] * (double)y->s[i++].w;
#pragma GCC unroll 4
    for (; i < y->s_len; i++)
        d += (double)wt[marked_or_zero(bits, y->s[i].tok)] * (double)y->s[i].w;
    return d;
}

static int dot_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    dot_ctx *j = arg;
    uint64_t *bits = nc__big_calloc(j->n_tok / 64 + 1, sizeof *bits);
    float *wt = nc__big_calloc(j->n_tok + 1, sizeof *wt);
    if (!bits || !wt) {
        free(bits);
        free(wt);
        return -1;
    }
    uint32_t top = (uint32_t)j->n_tok; /* token 0's slot (slot_of()) */
    uint32_t marked = UINT32_MAX;      /* the first cluster whose tokens are in bits */
    for (size_t i = lo; i < hi; i++) {
        /* the second cluster of a pair is the miss.  Its cluster is asked
         * for 2 NC_AHEAD pairs on, its vector (whose address that cluster
         * holds) NC_AHEAD on. */
        if (i + 2 * NC_AHEAD < hi) NC_PREFETCH(&j->c[(uint32_t)j->pairs[i + 2 * NC_AHEAD]]);
        if (i + NC_AHEAD < hi) NC_PREFETCH(j->c[(uint32_t)j->pairs[i + NC_AHEAD]].s);
        uint32_t ia = (uint32_t)(j->pairs[i] >> 32);
        const cl *a = &j->c[ia], *b = &j->c[(uint32_t)j->pairs[i]];
        double d;
        if (b->s_len > 8 * a->s_len) { /* a long second vector: probe a into it */
            d = dot(a, b);
        } else {
            if (marked != ia) {
                if (marked != UINT32_MAX) mark_tokens(wt, bits, top, &j->c[marked], 0);
                mark_tokens(wt, bits, top, a, 1);
                marked = ia;
            }
            d = dot_marked(wt, bits, top, b);
        }
        float w = (float)d;
        if (w <= 0.0f || linkage(a, b, w, j->o->linkage) < j->o->threshold) w = -1.0f;
        j->w[i] = w;
    }
    free(bits);
    free(wt);
    return 0;
}

/* The initial lists, built in parallel: part t owns clusters [lo, hi) and
 * reads every listed pair in order, allocating and filling only its own
 * clusters' lists (each at its exact length), so every list holds its
 * entries in pair order whatever the split. */
typedef struct list_ctx {
    cl *c;
    const uint32_t *ver; /* the sizes, compact: entry_valid() */
    const uint64_t *pairs;
    const float *w;
    size_t np;
} list_ctx;

static int list_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    list_ctx *j = arg;
    cl *c = j->c;
    /* The two passes over the pairs count and fill through one compact
     * slot a cluster of the part (its count, then where its next entry
     * goes: 8 bytes) and the sizes in ver, instead of the cluster records
     * (64 bytes): the second cluster of a pair is a random one, and this
     * keeps its miss small. */
    typedef union {
        size_t n;
        link_ent *at;
    } fill_slot;
    size_t span = hi - lo;
    fill_slot *f = nc__big_calloc(span ? span : 1, sizeof *f);
    if (!f) return -1;
    for (size_t i = 0; i < j->np; i++) {
        uint32_t a = (uint32_t)(j->pairs[i] >> 32), b = (uint32_t)j->pairs[i];
        if (a - lo < span) f[a - lo].n++;
        if (b - lo < span) f[b - lo].n++;
    }
    for (size_t x = lo; x < hi; x++) {
        size_t deg = f[x - lo].n;
        f[x - lo].at = NULL;
        if (!deg) continue;
        c[x].adj.a = malloc(deg * sizeof *c[x].adj.a);
        if (!c[x].adj.a) { /* the lists before it stay valid (and empty) */
            free(f);
            return -1;
        }
        c[x].adj.cap = (uint32_t)deg;
        f[x - lo].at = c[x].adj.a;
    }
    for (size_t i = 0; i < j->np; i++) {
        uint32_t a = (uint32_t)(j->pairs[i] >> 32), b = (uint32_t)j->pairs[i];
        if (a - lo < span) *f[a - lo].at++ = (link_ent){b, j->ver[b], j->w[i]};
        if (b - lo < span) *f[b - lo].at++ = (link_ent){a, j->ver[a], j->w[i]};
    }
    for (size_t x = lo; x < hi; x++)
        c[x].adj.n = c[x].adj.cap;
    free(f);
    return 0;
}

/* Sum of dense[tok] * w over the entries of @p y: the dot product with the
 * vector scattered into @p dense, whose tokens are the bits set in @p bits.
 * Most of y's tokens are not in the scattered vector: the bit (an array an
 * eighth of the dense one's size, which stays in cache) rules them out
 * without a miss into the dense vector.  With no branch on it: a token
 * without its bit reads slot 0, which holds 0, as dot_marked() does
 * (the branch was a coin toss: cachegrind at 100,000 documents, the walk's
 * mispredicted branches 26.1 to 13.1 million for 20% more instructions; at
 * 1M, four alternating runs, the cluster stage's median 7.8 to 7.2 s on one
 * thread, 4.7 to 4.4 s on two).  The extra terms are +0 and the sum starts
 * at +0, so it is the same.  The loop is unrolled (as dot_marked()'s):
 * still one sum in order, so the same W, with a quarter of the loop's own
 * steps (100k documents: walk 3.07 to 2.96 G instructions, dot_range 0.52
 * to 0.48 G). */
static double dot_dense(const double *dense, const uint64_t *bits, uint32_t top, const cl *y)
{
    double d = 0.0;
    uint32_t i = 0;
    if (y->s_len && y->s[0].tok == 0) d += dense[top] * (double)y->s[i++].w;
#pragma GCC unroll 4
    for (; i < y->s_len; i++)
        d += dense[marked_or_zero(bits, y->s[i].tok)] * (double)y->s[i].w;
    return d;
}

/* Add x's vector into the dense scratch (slot_of() with @p top) and mark its
 * tokens in @p bits. */
static void scatter(double *dense, uint64_t *bits, uint32_t top, const cl *x)
{
    for (uint32_t t = 0; t < x->s_len; t++) {
        uint32_t tok = x->s[t].tok;
        dense[slot_of(tok, top)] += (double)x->s[t].w;
        bits[tok >> 6] |= token_bit(tok);
    }
}

/* Undo scatter() of x: its entries and their bitmap words back to zero (a
 * word holds only bits that some scatter since the last clearing set). */
static void unscatter(double *dense, uint64_t *bits, uint32_t top, const cl *x)
{
    for (uint32_t t = 0; t < x->s_len; t++) {
        dense[slot_of(x->s[t].tok, top)] = 0.0;
        bits[x->s[t].tok >> 6] = 0;
    }
}

/* Scratch for a merge: per neighbour, W from each side. */
typedef struct side_w {
    uint32_t nbr;
    uint32_t has; /* bit 0: from keep, bit 1: from gone; 4: dropped */
    double wk, wg;
} side_w;

/* Where a cluster stands in the nearest-neighbour chain walk; ST_DEFER:
 * left by a block's walk to the walk over all clusters. */
enum { ST_OPEN = 0, ST_CHAIN = 1, ST_DONE = 2, ST_DEFER = 3 };

/* Clusters (by index) a block walk works on: far more than the documents
 * of a window, so that few lie near a block's edge (NC_BLOCK documents at
 * 10,000 a day are 52 days; a 72 h window reaches 30,000 documents). */
#define NC_BLOCK ((size_t)1 << 19) /* nc_cluster_opts.block 0 */

/* best_neighbour()'s answer for a cluster linked outside the block */
#define NC_EXTERIOR (UINT32_MAX - 1)

/* The agglomeration's state, shared by its steps. */
typedef struct agg {
    cl *c;
    uint32_t *ver;  /* cluster -> its size (0: not a root), entry_valid() */
    uint32_t *pos;  /* cluster x -> scratch slot in sw, at pos[x - lo] */
    double *dense;  /* zero between merges */
    uint32_t top;   /* dense's slot for token 0, past the token ids (slot_of()) */
    uint64_t *bits; /* dense's nonzero tokens (all clear between merges) */
    uint8_t *state; /* ST_* */
    NC_VEC(side_w) sw;
    NC_VEC(uint32_t) chain;
    NC_VEC(uint32_t) open; /* clusters to (re)visit: merged ones, revived ones */
    nc_uf *uf;
    const nc_cluster_opts *o;
    uint32_t lo, hi; /* the clusters walked: [lo, hi); a block's walk touches
                      * no cluster outside it */
} agg;

/* A walk's own scratch: @p slots entries of pos (all UINT32_MAX; each merge
 * leaves them so) and a zero dense vector of @p dense_len.  @return 0 or -1. */
static int walk_scratch(agg *g, size_t slots, size_t dense_len)
{
    g->pos = nc__big_malloc((slots ? slots : 1) * sizeof *g->pos);
    g->top = (uint32_t)dense_len; /* one slot more: token 0's (slot_of()) */
    g->dense = nc__big_calloc(dense_len + 1, sizeof *g->dense);
    g->bits = nc__big_calloc(dense_len / 64 + 1, sizeof *g->bits);
    if (!g->pos || !g->dense || !g->bits) return -1;
    for (size_t i = 0; i < slots; i++)
        g->pos[i] = UINT32_MAX;
    return 0;
}

static void walk_free(agg *g)
{
    free(g->pos);
    free(g->dense);
    free(g->bits);
    free(g->sw.a);
    free(g->chain.a);
    free(g->open.a);
}

/* Mark x open again and queue it; @return 0 or -1. */
static int reopen(agg *g, uint32_t x)
{
    g->state[x] = ST_OPEN;
    return NC_VEC_PUSH(&g->open, x);
}

/* linkage(x, nbr, e->w, NC_LINK_AVERAGE) for a valid entry e of x's list,
 * from the neighbour's size that the entry holds (valid: the neighbour's
 * size now), so that best_neighbour() reads no neighbour's record unless
 * it may be the best (the window's check): at 1M documents it reads 97 M
 * entries, and each record was a cache miss. */
static double average(const cl *x, const link_ent *e)
{
    return average_link(e->w, x->size, e->nbr_size);
}

/* Cluster x's best neighbour: the highest linkage at or above the
 * threshold, inside the window; ties go to @p prefer (the chain's previous
 * cluster, so that the walk cannot cycle), then to the lower id.  Compacts
 * x's list (stale entries out) while reading it.  @return the neighbour,
 * UINT32_MAX when there is none, or NC_EXTERIOR in a block's walk when x
 * is linked to a cluster outside the block (whose state another thread
 * may be changing: not even its entry is read). */
static uint32_t best_neighbour(agg *g, uint32_t x, uint32_t prefer)
{
    cl *c = g->c, *cx = &c[x];
    const nc_cluster_opts *o = g->o;
    double best = -1.0;
    uint32_t to = UINT32_MAX;
    size_t m = 0;
    int centroid = o->linkage == NC_LINK_CENTROID;
    for (size_t i = 0; i < cx->adj.n; i++) {
        link_ent e = cx->adj.a[i];
        if (outside(e.nbr, g->lo, g->hi)) { /* keep the list whole */
            memmove(cx->adj.a + m, cx->adj.a + i, (cx->adj.n - i) * sizeof e);
            cx->adj.n = (uint32_t)(m + (cx->adj.n - i));
            return NC_EXTERIOR;
        }
        if (i + NC_AHEAD < cx->adj.n) {
            if (centroid) NC_PREFETCH(&c[cx->adj.a[i + NC_AHEAD].nbr]);
            NC_PREFETCH(&g->ver[cx->adj.a[i + NC_AHEAD].nbr]);
        }
        if (e.nbr == x || !entry_valid(g->ver, &e)) continue;
        cx->adj.a[m++] = e; /* compact while reading */
        double l = centroid ? linkage(cx, &c[e.nbr], e.w, o->linkage) : average(cx, &e);
        if (l < o->threshold || l < best) continue;
        if (l == best && !(e.nbr == prefer || (to != prefer && e.nbr < to))) continue;
        if (!window_ok(cx, &c[e.nbr], o->window)) continue;
        best = l;
        to = e.nbr;
    }
    cx->adj.n = (uint32_t)m;
    cx->stale = 0;
    return to;
}

/* Merge clusters a and b: S and the list of the merged cluster from the
 * exact W with every neighbour of either side, a fresh entry in each
 * neighbour's list, and every finished neighbour that now has a link at or
 * above the threshold reopened.  @return the merged cluster, or UINT32_MAX
 * when out of memory (the clusters stay valid, the merge may be partial). */
static uint32_t merge(agg *g, uint32_t a, uint32_t b)
{
    cl *c = g->c;
    const nc_cluster_opts *o = g->o;
    uint32_t *pos = g->pos, *ver = g->ver, lo = g->lo; /* pos[x - lo]: x's slot */
    double *dense = g->dense;
    uint64_t *bits = g->bits;
    uint32_t keep = nc__uf_union(g->uf, a, b);
    uint32_t gone = keep == a ? b : a;
    cl *k = &c[keep], *gc = &c[gone];
    /* W of the merged cluster with every neighbour of either side */
    g->sw.n = 0;
    for (int side = 0; side < 2; side++) {
        const cl *from = side ? gc : k;
        for (size_t i = 0; i < from->adj.n; i++) {
            const link_ent *e = &from->adj.a[i];
            if (i + NC_AHEAD < from->adj.n) {
                uint32_t f = from->adj.a[i + NC_AHEAD].nbr;
                NC_PREFETCH(&c[f]);
                NC_PREFETCH(&pos[f - lo]);
                NC_PREFETCH(&ver[f]);
            }
            if (e->nbr == keep || e->nbr == gone || !entry_valid(ver, e)) continue;
            uint32_t p = pos[e->nbr - lo];
            if (p == UINT32_MAX) {
                if (NC_VEC_PUSH(&g->sw, ((side_w){e->nbr, 0, 0.0, 0.0}))) return UINT32_MAX;
                p = pos[e->nbr - lo] = (uint32_t)(g->sw.n - 1);
            }
            g->sw.a[p].has |= side ? 2u : 1u;
            if (side)
                g->sw.a[p].wg = e->w;
            else
                g->sw.a[p].wk = e->w;
        }
    }
    /* Neighbours linked to one side only need S_merged . S_C.  When C's
     * vector is no longer than the merged one, scatter S_keep + S_gone
     * into the dense scratch once and sum over C's entries: O(|S_C|) a
     * neighbour instead of a merge of both lists (or two probes). */
    side_w *sw = g->sw.a;
    size_t nsw = g->sw.n;
    uint32_t merged_len = k->s_len + gc->s_len;
    int scattered = 0;
    cl span = {.tmin = k->tmin, .tmax = k->tmax}; /* the merged cluster's time span */
    add_time(&span, gc->tmin);
    add_time(&span, gc->tmax);
    for (size_t i = 0; i < nsw; i++) {
        side_w *x = &sw[i];
        if (i + NC_AHEAD < nsw) NC_PREFETCH(c[sw[i + NC_AHEAD].nbr].s);
        pos[x->nbr - lo] = UINT32_MAX;
        cl *cd = &c[x->nbr];
        /* Lists are symmetric: C's list holds a live entry for each side
         * that lists C, and the merge makes both stale. */
        cd->stale += (x->has & 1u) + (x->has >> 1 & 1u);
        /* A neighbour that the merged span cannot join within the window
         * never can (spans only grow), and best_neighbour() never picks it:
         * it is dropped with no dot product, and no entry.  At 1M
         * documents, 15% of the neighbours of merges. */
        if (!window_ok(&span, cd, o->window)) {
            x->has = 4u;
            continue;
        }
        /* A missing side's W is at most ||S_side|| ||S_C|| (Cauchy-Schwarz).
         * When even that bound leaves the merged average below the
         * threshold, the neighbour is pruned below anyway: skip the dot. */
        if (o->linkage == NC_LINK_AVERAGE) {
            double known = (x->has & 1u ? x->wk : 0.0) + (x->has & 2u ? x->wg : 0.0);
            double bound = known;
            if (!(x->has & 1u)) bound += sqrt(k->norm2 * cd->norm2);
            if (!(x->has & 2u)) bound += sqrt(gc->norm2 * cd->norm2);
            double pairs_ = (double)(k->size + gc->size) * (double)cd->size;
            if (bound < o->threshold * pairs_ * (1.0 - 1e-9)) {
                x->has = 4u; /* certainly below the threshold */
                continue;
            }
        }
        if (x->has == 3u) continue;
        if (cd->s_len <= merged_len) {
            if (!scattered) {
                scatter(dense, bits, g->top, k);
                scatter(dense, bits, g->top, gc);
                scattered = 1;
            }
            x->wk = dot_dense(dense, bits, g->top, cd);
            x->wg = 0.0;
            continue;
        }
        if (!(x->has & 1u)) x->wk = dot(k, cd);
        if (!(x->has & 2u)) x->wg = dot(gc, cd);
    }
    if (scattered) {
        unscatter(dense, bits, g->top, k);
        unscatter(dense, bits, g->top, gc);
    }
    if (vec_add(k, gc)) return UINT32_MAX;
    k->size += gc->size;
    ver[keep] = k->size;
    ver[gone] = 0;
    k->tmin = span.tmin; /* the span computed above */
    k->tmax = span.tmax;
    free(gc->adj.a);
    if (gc->s_owned) free(gc->s);
    memset(gc, 0, sizeof *gc);
    g->state[gone] = ST_DONE;
    k->adj.n = 0;
    if (k->adj.cap > 4 * nsw + 16) { /* give back a list that has shrunk */
        free(k->adj.a);
        k->adj.a = NULL;
        k->adj.cap = 0;
    }
    if (adj_reserve(&k->adj, nsw)) return UINT32_MAX;
    for (size_t i = 0; i < nsw; i++) {
        uint32_t d = sw[i].nbr;
        if (i + NC_AHEAD < nsw) {
            const cl *f = &c[sw[i + NC_AHEAD].nbr];
            NC_PREFETCH(f->adj.a + f->adj.n);
        }
        if (sw[i].has == 4u) continue;           /* dropped above */
        double w = (float)(sw[i].wk + sw[i].wg); /* as the lists store it */
        /* Prune a neighbour now below the threshold.  By reducibility a
         * later merge can lift it above only through the other side's own
         * link to it, which that side's list carries: a big story no
         * longer drags every weak neighbour of every member along.
         * (Measured on uci-news-dev per day: same scores, 20% faster.) */
        double l = linkage(k, &c[d], w, o->linkage);
        if (l < o->threshold) continue;
        k->adj.a[k->adj.n++] = (link_ent){d, c[d].size, (float)w};
        if (adj_append(c, d, keep, (float)w, ver, g->lo, g->hi)) return UINT32_MAX;
        /* A finished neighbour may have a link above the threshold again:
         * W with the side it was never compared to (no candidate edge) is
         * exact now.  It is walked again.  (Inside the window: the others
         * were dropped above, against the merged span, which k now has.) */
        if (g->state[d] == ST_DONE && reopen(g, d)) return UINT32_MAX;
    }
    return keep;
}

/* Nearest-neighbour chain (Benzecri; Murtagh 1983) over the clusters
 * [g->lo, g->hi): walk from a cluster to its best neighbour, and on to that
 * one's, until two clusters are each other's best; merge them and go on from
 * the rest of the chain.  Average linkage is reducible (link(A, B u C) <=
 * max(link(A, B), link(A, C))), so merging a reciprocal pair early changes
 * nothing for the others: the merges are those of greedy best-first
 * agglomeration, in any order of the pairs.  Unlike a global heap of best
 * links, which jumps between stories all over the corpus, the walk stays
 * among the clusters of a few days (neighbours lie inside the window): its
 * memory stays in cache as the corpus grows.  Walks start at each cluster
 * in index (document) order.  In a block's walk, a chain that
 * reaches a cluster linked outside the block is left, whole, to the walk
 * over all clusters.  @return 0 or -1 (out of memory). */
static int walk(agg *g)
{
    cl *c = g->c;
    nc_uf *uf = g->uf;
    uint8_t *state = g->state;
    size_t next = g->lo;
    g->chain.n = 0;
    for (;;) {
        if (g->chain.n == 0) {
            uint32_t s;
            if (g->open.n)
                s = g->open.a[--g->open.n];
            else {
                while (next < g->hi &&
                       (uf->parent[next] != next || state[next] != ST_OPEN || c[next].adj.n == 0))
                    next++;
                if (next == g->hi) return 0;
                s = (uint32_t)next++;
            }
            if (uf->parent[s] != s || state[s] != ST_OPEN) continue;
            state[s] = ST_CHAIN;
            if (NC_VEC_PUSH(&g->chain, s)) return -1;
        }
        uint32_t x = g->chain.a[g->chain.n - 1];
        uint32_t prev = g->chain.n > 1 ? g->chain.a[g->chain.n - 2] : UINT32_MAX;
        uint32_t y = best_neighbour(g, x, prev);
        if (y == NC_EXTERIOR) { /* the chain waits for the walk over all clusters */
            while (g->chain.n)
                state[g->chain.a[--g->chain.n]] = ST_DEFER;
            continue;
        }
        if (y == UINT32_MAX) { /* finished unless a merge reopens it */
            g->chain.n--;
            state[x] = ST_DONE;
            continue;
        }
        if (state[y] != ST_CHAIN) {
            state[y] = ST_CHAIN;
            if (NC_VEC_PUSH(&g->chain, y)) return -1;
            continue;
        }
        /* y is on the chain: normally the previous cluster (a reciprocal
         * pair).  Further down only when a merge raised x's link to y (a
         * W that no candidate edge had listed); the clusters above y are
         * then walked again later. */
        g->chain.n--;
        while (g->chain.a[g->chain.n - 1] != y)
            if (reopen(g, g->chain.a[--g->chain.n])) return -1;
        g->chain.n--;
        uint32_t keep = merge(g, x, y);
        if (keep == UINT32_MAX || reopen(g, keep)) return -1;
    }
}

/* Block walks in parallel: each part walks the blocks of its own share in
 * order, then takes blocks left in the others' (blocks cost unevenly:
 * nc_shares), with scratch of its own (a dense vector, slots for a block).
 * Its own share holds the lists that the same part built (list_range()),
 * from its thread's malloc arena.  Blocks handed out in turn made each
 * thread realloc and free the other's lists, under the other arena's lock:
 * at 10M documents 660,000 voluntary context switches in the run, 45,000
 * with shares, and the walks' 1.6-1.8 cores back to 1.9.  Blocks touch
 * disjoint clusters, so what a block's walk does depends on nothing another
 * part does: the result is the same whichever part walks which block. */
typedef struct block_ctx {
    agg shared; /* c, ver, state, uf, o */
    size_t n, dense_len, block;
    size_t offset;  /* block b is [offset + b * block, offset + (b + 1) * block) */
    nc_shares todo; /* block numbers, each part's own run of blocks first */
} block_ctx;

static int block_part(void *arg, unsigned part)
{
    block_ctx *j = arg;
    agg g = j->shared;
    size_t block = j->block;
    int rc = walk_scratch(&g, block, j->dense_len);
    for (size_t b; rc == 0 && nc__shares_take(&j->todo, part, &b);) {
        g.lo = (uint32_t)(j->offset + b * block);
        g.hi = (uint32_t)(j->n - g.lo < block ? j->n : g.lo + block);
        rc = walk(&g);
    }
    walk_free(&g);
    return rc;
}

/* The cluster pairs of the candidate edges, in parallel (nc__cluster_agglomerate). */
typedef struct edge_ctx {
    unsigned char *buf;   /* the edges, overwritten by the kept keys */
    const uint32_t *root; /* each document's root (the union-find flattened) */
    const nc_cluster_opts *o;
    uint32_t max_tok[NC_MAX_THREADS];
    size_t lo[NC_MAX_THREADS], kept[NC_MAX_THREADS];
    uint64_t first[NC_MAX_THREADS], last[NC_MAX_THREADS];
    int in_order[NC_MAX_THREADS];
    nc_pairs moved[NC_MAX_THREADS];
} edge_ctx;

/* The highest token id of documents [lo, hi). */
static int max_tok_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    edge_ctx *j = arg;
    uint32_t m = 0;
    for (size_t d = lo; d < hi; d++)
        for (uint32_t t = 0; t < j->o->vec_len[d]; t++)
            if (j->o->vec[d][t].tok > m) m = j->o->vec[d][t].tok;
    j->max_tok[part] = m;
    return 0;
}

/* Edges [lo, hi) to the keys of the cluster pairs they join.  An edge whose
 * two documents are roots keeps its key; it is written over the part's own
 * edges, from byte 12 lo: its k-th key ends at 12 lo + 8k + 8, before edge
 * lo + k + 1 starts, and edge lo + k is read first, so nothing is written
 * over an edge not yet read, nor over another part's.  A key that grouping
 * changed goes to the part's list of moved keys, sorted here.
 * @return 0 or -1 (out of memory). */
static int edge_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    edge_ctx *j = arg;
    unsigned char *out = j->buf + lo * sizeof(nc_edge);
    nc_pairs *moved = &j->moved[part];
    size_t np = 0;
    int in_order = 1;
    uint64_t first = 0, last = 0;
    for (size_t i = lo; i < hi; i++) {
        nc_edge e;
        memcpy(&e, j->buf + i * sizeof e, sizeof e);
        uint32_t a = j->root[e.a], b = j->root[e.b];
        if (a == b) continue;
        uint64_t key = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
        if ((a != e.a || b != e.b) && (a != e.b || b != e.a)) { /* a new key */
            if (NC_VEC_PUSH(moved, key)) return -1;
            continue;
        }
        if (np && key <= last) in_order = 0;
        if (!np) first = key;
        last = key;
        memcpy(out + np++ * sizeof key, &key, sizeof key);
    }
    j->lo[part] = lo;
    j->kept[part] = np;
    j->first[part] = first;
    j->last[part] = last;
    j->in_order[part] = in_order;
    nc__pairs_unique(moved);
    return 0;
}

int nc__cluster_agglomerate(nc_uf *uf, nc_edge *edges, size_t n_edges, const nc_cluster_opts *o)
{
    size_t n = uf->n;
    int rc = -1;
    cl *c = aligned_alloc(NC_CL_ALIGN, (n ? n : 1) * sizeof *c);
    if (c) nc__huge_pages(c, (n ? n : 1) * sizeof *c); /* 64 MB at 1M: as nc__big_malloc */
    if (c) memset(c, 0, (n ? n : 1) * sizeof *c);
    uint32_t *ver = NULL; /* cluster -> its size (0: not a root), entry_valid() */
    uint64_t *pairs = NULL;
    float *wdots = NULL;
    uint8_t *state = nc__big_calloc(n ? n : 1, 1);
    agg g = {0};
    if (!c || !state) goto out;
    for (size_t i = 0; i < n; i++)
        c[i].tmin = c[i].tmax = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = nc__uf_find(uf, (uint32_t)i);
        c[r].size++;
        add_time(&c[r], o->time ? o->time[i] : INT64_MIN);
    }
    if (init_vectors(c, n, uf, o)) goto out;
    ver = nc__big_malloc((n ? n : 1) * sizeof *ver);
    if (!ver) goto out;
    for (size_t i = 0; i < n; i++)
        ver[i] = c[i].size;
    /* the walks' dense scratch vectors span the token ids */
    unsigned eparts = n_edges < 4096 ? 1 : (o->threads ? o->threads : 1);
    if (eparts > NC_MAX_THREADS) eparts = NC_MAX_THREADS;
    edge_ctx ectx = {.buf = (unsigned char *)edges, .root = uf->parent, .o = o};
    for (size_t i = 0; i < n; i++) /* flattened: a root is one read away, for the parts */
        uf->parent[i] = nc__uf_find(uf, (uint32_t)i);
    if (nc__parallel_ranges(n < 4096 ? 1 : eparts, n, max_tok_range, &ectx)) goto out;
    uint32_t max_tok = 0;
    for (unsigned t = 0; t < NC_MAX_THREADS; t++)
        if (ectx.max_tok[t] > max_tok) max_tok = ectx.max_tok[t];
    /* The distinct cluster pairs joined by a candidate edge, with exact W,
     * written over the edges they come from (edge_range()).  An edge between
     * two roots keeps its key, and the candidate edges come sorted: those
     * keys stay in order in place.  Only the edges of grouped documents
     * (duplicates, Google News lines) get new keys, sorted apart and merged
     * in: no sort scratch the size of all pairs at the peak. */
    unsigned char *buf = (unsigned char *)edges;
    edges = NULL; /* buf is freed on every path below */
    int failed = nc__parallel_ranges(eparts, n_edges, edge_range, &ectx);
    nc_pairs moved = ectx.moved[0];
    ectx.moved[0] = (nc_pairs){0};
    for (unsigned t = 1; t < eparts && !failed; t++) /* each sorted and unique */
        failed = nc__pairs_merge_unique(&moved, &ectx.moved[t]);
    for (unsigned t = 0; t < eparts; t++)
        free(ectx.moved[t].a);
    if (failed) {
        free(moved.a);
        free(buf);
        goto out;
    }
    /* the parts' kept keys moved together, in part order */
    size_t np = 0;
    int in_order = 1;
    uint64_t last = 0;
    for (unsigned t = 0; t < eparts; t++) {
        if (!ectx.kept[t]) continue;
        if (!ectx.in_order[t] || (np && ectx.first[t] <= last)) in_order = 0;
        last = ectx.last[t];
        memmove(buf + np * sizeof last, buf + ectx.lo[t] * sizeof(nc_edge),
                ectx.kept[t] * sizeof last);
        np += ectx.kept[t];
    }
    pairs = nc__big_realloc(buf, (np + moved.n + 1) * sizeof *pairs);
    if (!pairs) {
        free(buf);
        free(moved.a);
        goto out;
    }
    nc_pairs kept = {pairs, np, np + moved.n + 1};
    if (!in_order) nc__pairs_unique(&kept);             /* edges not sorted: sort here */
    int merged = nc__pairs_merge_unique(&kept, &moved); /* room reserved: cannot fail */
    free(moved.a);
    pairs = kept.a;
    if (merged) goto out;
    size_t nu = kept.n; /* sorted and unique */
    wdots = nc__big_malloc((nu + 1) * sizeof *wdots);
    dot_ctx dctx = {c, pairs, wdots, o, (size_t)max_tok + 1};
    unsigned parts = nu < 4096 ? 1 : o->threads;
    if (!wdots || nc__parallel_ranges(parts, nu, dot_range, &dctx)) goto out;
    /* Links already below the threshold are not listed: the same pruning as
     * after a merge (below), applied from the start.  Such a pair can still
     * be compared after either side merges, through the partner's own link,
     * and its W is then computed exactly.  (Measured on uci-news-dev per
     * day: the same scores; most initial links are weak.) */
    size_t nl = 0; /* listed: kept in place, the rest of both arrays given back */
    for (size_t i = 0; i < nu; i++) {
        if (wdots[i] < 0.0f) continue;
        pairs[nl] = pairs[i];
        wdots[nl++] = wdots[i];
    }
    nu = nl;
    if (o->listed) *o->listed = nl;
    void *shrunk = nc__big_realloc(pairs, (nu + 1) * sizeof *pairs);
    if (shrunk) pairs = shrunk;
    shrunk = nc__big_realloc(wdots, (nu + 1) * sizeof *wdots);
    if (shrunk) wdots = shrunk;
    list_ctx lctx = {c, ver, pairs, wdots, nu};
    if (nc__parallel_ranges(parts, n, list_range, &lctx)) goto out;
    free(pairs); /* the lists hold the links from here on */
    free(wdots);
    pairs = NULL;
    wdots = NULL;
    /* First each block of NC_BLOCK clusters (o->block in tests) alone, the
     * blocks in parallel (nothing to do with one block); then, the same way,
     * blocks shifted by half a block, whose middles are the first blocks'
     * edges, where the chains the first round left wait (this round was the
     * serial walk's: 18.3 of the 85 s of the cluster stage at 10M documents,
     * 0.6 s at 1M); then everything still left, serially.
     * The merges are those of one walk over all (reducibility: any order of
     * reciprocal pairs), up to the window's refusals and the links that only
     * a merge reveals; they do not depend on the thread count, as the blocks
     * are fixed by n. */
    size_t block = o->block, nblocks = (n + NC_BLOCK - 1) / NC_BLOCK;
    if (block)
        nblocks = (n + block - 1) / block;
    else if (nblocks) /* equal blocks of at most NC_BLOCK: even work for the threads */
        block = (n + nblocks - 1) / nblocks;
    g = (agg){.c = c, .ver = ver, .state = state, .uf = uf, .o = o, .lo = 0, .hi = (uint32_t)n};
    if (nblocks > 1) {
        unsigned nt = o->threads ? o->threads : 1;
        block_ctx bctx = {.shared = g, .n = n, .dense_len = (size_t)max_tok + 1, .block = block};
        for (int round = 0; round < 2; round++) {
            bctx.offset = round ? block / 2 : 0;
            size_t nb = (n - bctx.offset + block - 1) / block;
            unsigned walkers = nb < nt ? (unsigned)nb : nt;
            nc__shares_init(&bctx.todo, walkers, nb);
            if (nc__parallel_roles(walkers, walkers, block_part, &bctx)) goto out;
            for (size_t i = 0; i < n; i++)
                if (state[i] == ST_DEFER) state[i] = ST_OPEN;
        }
    }
    if (walk_scratch(&g, n, (size_t)max_tok + 1) || walk(&g)) goto out;
    rc = 0;
out:
    if (c)
        for (size_t i = 0; i < n; i++) {
            free(c[i].adj.a);
            if (c[i].s_owned) free(c[i].s);
        }
    free(c);
    free(ver);
    free(edges);
    free(pairs);
    free(wdots);
    free(state);
    walk_free(&g);
    return rc;
}
