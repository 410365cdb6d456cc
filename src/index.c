/*
 * index.c - the nc_index object: documents, their features, and the batch
 * clustering pipeline.
 *
 *   add:     copy the document into the arena, compute its features
 *            (features.c), map story tokens to dense ids and count their
 *            document frequency;
 *   cluster: MinHash-sign both levels (threads), LSH band tables propose
 *            candidate pairs (lsh.c), candidates are verified exactly
 *            (Jaccard of shingles for duplicates, IDF-weighted cosine of story
 *            tokens for stories), duplicates are grouped with union-find, the
 *            groups (and each Google News item with its lines) are merged into
 *            stories by sparse average linkage (cluster.c) inside the time
 *            window, then each story gets its representative (the member
 *            nearest the centroid), scores, keywords and a sorted member list.
 */
#include "index_impl.h"

#include "huge_pages.h"
#include "cluster.h"
#include "lsh.h"
#include "minhash.h"
#include "parallel.h"
#include "prefetch.h"
#include "radix_sort.h"
#include "unionfind.h"
#include "xxhash_inline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NC_EMPTY UINT32_MAX

/* Monotonic seconds, for the stage timings in nc_index_info. */
static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void nc_params_default(nc_params *p)
{
    if (!p) return;
    p->num_perm = 128;
    p->dup_threshold = NC_DEFAULT_DUP_THRESHOLD;
    p->story_threshold = NC_DEFAULT_STORY_THRESHOLD;
    p->window_hours = 72.0;
    p->seed = 1;
    p->threads = 0;
    p->background = 1;
}

static int params_valid(const nc_params *p)
{
    return p->num_perm >= 1 && p->num_perm <= 1024 && p->dup_threshold > 0.0 &&
           p->dup_threshold <= 1.0 && p->story_threshold > 0.0 && p->story_threshold <= 1.0 &&
           p->window_hours == p->window_hours && p->threads <= 1024 &&
           (p->background == 0 || p->background == 1);
}

nc_status nc_index_create(const nc_params *p, nc_index **out)
{
    if (!out) return NC_ERR_INVALID_ARG;
    *out = NULL;
    nc_params def;
    nc_params_default(&def);
    if (!p) p = &def;
    if (!params_valid(p)) return NC_ERR_INVALID_ARG;
    nc_index *ix = calloc(1, sizeof *ix);
    if (!ix) return NC_ERR_NOMEM;
    ix->p = *p;
    /* the LSH shapes depend only on the parameters: chosen once */
    nc__lsh_params(p->dup_threshold, p->num_perm, &ix->info.dup_bands, &ix->info.dup_rows);
    nc__lsh_params(NC_STORY_LSH_THRESHOLD, p->num_perm, &ix->info.story_bands,
                   &ix->info.story_rows);
    *out = ix;
    return NC_OK;
}

static void clear_results(nc_index *ix)
{
    free(ix->clusters);
    free(ix->members);
    free(ix->dup_of);
    free(ix->score);
    free(ix->keywords);
    ix->clusters = NULL;
    ix->members = NULL;
    ix->dup_of = NULL;
    ix->score = NULL;
    ix->keywords = NULL;
    ix->n_clusters = 0;
    ix->clustered = 0;
    nc__live_reset(ix); /* its term lists and cluster sizes are stale */
    free(ix->kept_pairs);
    ix->kept_pairs = NULL;
    ix->n_kept_pairs = 0;
}

void nc_index_free(nc_index *ix)
{
    if (!ix) return;
    clear_results(ix);
    for (size_t t = 0; t < NC_MAX_THREADS; t++)
        nc__featurizer_free(ix->fz[t]);
    nc__arena_free(&ix->arena);
    for (size_t t = 0; t < NC_MAX_THREADS; t++)
        nc__arena_free(&ix->feat_arena[t]);
    free(ix->docs.a);
    free(ix->idmap);
    free(ix->tokmap);
    free(ix->tok_df.a);
    free(ix->tok_surface.a);
    free(ix->tok_hash_v.a);
    free(ix->idf);
    free(ix->norm);
    free(ix->doc_cluster.a); /* the live cache went with clear_results() */
    free(ix);
}

nc_status nc_index_get_params(const nc_index *ix, nc_params *out)
{
    if (!ix || !out) return NC_ERR_INVALID_ARG;
    *out = ix->p;
    return NC_OK;
}

size_t nc_index_size(const nc_index *ix)
{
    return ix ? ix->docs.n : 0;
}

/* ---- open-addressing maps (keys are 64-bit hashes; values ordinals) */

/* Where the probe for hash @p h starts in a map of @p cap (a power of two)
 * slots; the store's prefetches (feat_round_role) ask for the same slot. */
static size_t map_home(size_t cap, uint64_t h)
{
    return (size_t)h & (cap - 1);
}

static uint32_t *map_slot(uint32_t *map, size_t cap, uint64_t h, const void *key,
                          int (*eq)(const nc_index *, uint32_t, const void *), const nc_index *ix)
{
    size_t mask = cap - 1, i = map_home(cap, h);
    while (map[i] != NC_EMPTY && !eq(ix, map[i], key))
        i = (i + 1) & mask;
    return &map[i];
}

static int tok_eq(const nc_index *ix, uint32_t tok, const void *key)
{
    return ix->tok_hash[tok] == *(const uint64_t *)key;
}

/* Put value @p v, known to be absent, at its hash's first free slot. */
static void map_put(uint32_t *map, size_t cap, uint64_t h, uint32_t v)
{
    size_t j = map_home(cap, h);
    while (map[j] != NC_EMPTY)
        j = (j + 1) & (cap - 1);
    map[j] = v;
}

/* Grow a map to keep its load under 1/2; @p rehash gives each value's hash. */
static int map_grow(uint32_t **map, size_t *cap, size_t count,
                    uint64_t (*rehash)(const nc_index *, uint32_t), const nc_index *ix)
{
    if (count * 2 < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    uint32_t *m = nc__big_malloc(nc * sizeof *m);
    if (!m) return -1;
    memset(m, 0xFF, nc * sizeof *m);
    for (size_t i = 0; i < *cap; i++)
        if ((*map)[i] != NC_EMPTY) map_put(m, nc, rehash(ix, (*map)[i]), (*map)[i]);
    free(*map);
    *map = m;
    *cap = nc;
    return 0;
}

/* The id map: 64-bit slots of (the id hash's high 32 bits << 32 | ordinal),
 * UINT64_MAX when empty.  The probe starts at those 32 bits (masked), and a
 * string is compared only when they match: a probe that passes other ids
 * costs no look at their strings (each a cache miss in a big batch). */
#define NC_ID_EMPTY UINT64_MAX

static uint64_t *id_slot(uint64_t *map, size_t cap, const nc_index *ix, uint64_t h, const char *id)
{
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = cap - 1, i = tag & mask;
    for (;; i = (i + 1) & mask) {
        uint64_t v = map[i];
        if (v == NC_ID_EMPTY) return &map[i];
        if ((uint32_t)(v >> 32) == tag && strcmp(ix->docs.a[(uint32_t)v].d.id, id) == 0)
            return &map[i];
    }
}

/* Room for one more id at a load under 1/2.  @return 0 or -1. */
static int id_map_grow(nc_index *ix)
{
    if ((ix->docs.n + 1) * 2 < ix->idmap_cap) return 0;
    size_t nc = ix->idmap_cap ? ix->idmap_cap * 2 : 1024;
    uint64_t *m = nc__big_malloc(nc * sizeof *m);
    if (!m) return -1;
    memset(m, 0xFF, nc * sizeof *m);
    for (size_t i = 0; i < ix->idmap_cap; i++) {
        uint64_t v = ix->idmap[i];
        if (v == NC_ID_EMPTY) continue;
        size_t j = (uint32_t)(v >> 32) & (nc - 1);
        while (m[j] != NC_ID_EMPTY)
            j = (j + 1) & (nc - 1);
        m[j] = v;
    }
    free(ix->idmap);
    ix->idmap = m;
    ix->idmap_cap = nc;
    return 0;
}

static uint64_t tok_rehash(const nc_index *ix, uint32_t tok)
{
    return ix->tok_hash[tok];
}

int64_t nc__index_find_id(const nc_index *ix, const char *id)
{
    if (!ix->idmap || !id) return -1;
    uint64_t v = *id_slot(ix->idmap, ix->idmap_cap, ix, XXH3_64bits(id, strlen(id)), id);
    return v == NC_ID_EMPTY ? -1 : (int64_t)(uint32_t)v;
}

/* Dense id of a story token, created with df 0 when new; NC_EMPTY on OOM. */
static uint32_t token_id(nc_index *ix, uint64_t h, const char *surface)
{
    if (map_grow(&ix->tokmap, &ix->tokmap_cap, ix->tok_df.n, tok_rehash, ix)) return NC_EMPTY;
    uint32_t *s = map_slot(ix->tokmap, ix->tokmap_cap, h, &h, tok_eq, ix);
    if (*s != NC_EMPTY) return *s;
    int ok = 1;
    const char *surf = nc__arena_strdup(&ix->arena, surface, &ok);
    if (!ok) return NC_EMPTY;
    if (NC_VEC_RESERVE(&ix->tok_df, ix->tok_df.n + 1) ||
        NC_VEC_RESERVE(&ix->tok_surface, ix->tok_df.n + 1) ||
        NC_VEC_RESERVE(&ix->tok_hash_v, ix->tok_df.n + 1))
        return NC_EMPTY;
    uint32_t id = (uint32_t)ix->tok_df.n;
    ix->tok_df.a[ix->tok_df.n++] = 0;
    ix->tok_surface.a[ix->tok_surface.n++] = surf;
    ix->tok_hash_v.a[ix->tok_hash_v.n++] = h;
    ix->tok_hash = ix->tok_hash_v.a;
    *s = id;
    return id;
}

static int cmp_tokw(const void *x, const void *y)
{
    const nc_tokw *a = x, *b = y;
    return a->tok < b->tok ? -1 : a->tok > b->tok;
}

nc_status nc_index_add(nc_index *ix, const nc_doc *d, nc_assignment *out)
{
    if (!ix || !d || !d->id || !*d->id) return NC_ERR_INVALID_ARG;
    if (ix->docs.n >= UINT32_MAX - 1) return NC_ERR_LIMIT;
    if (id_map_grow(ix) || NC_VEC_RESERVE(&ix->docs, ix->docs.n + 1)) return NC_ERR_NOMEM;
    uint64_t h = XXH3_64bits(d->id, strlen(d->id));
    uint64_t *slot = id_slot(ix->idmap, ix->idmap_cap, ix, h, d->id);
    if (*slot != NC_ID_EMPTY) return NC_ERR_INVALID_ARG;
    ixdoc x;
    memset(&x, 0, sizeof x); /* x.tok == NULL: features pending */
    int ok = 1;
    x.d.id = nc__arena_strdup(&ix->arena, d->id, &ok);
    x.d.title = nc__arena_strdup(&ix->arena, d->title, &ok);
    x.d.summary = nc__arena_strdup(&ix->arena, d->summary, &ok);
    x.d.source = nc__arena_strdup(&ix->arena, d->source, &ok);
    x.d.link = nc__arena_strdup(&ix->arena, d->link, &ok);
    x.d.parent = nc__arena_strdup(&ix->arena, d->parent, &ok);
    x.d.text = NULL; /* never compared, never written: not kept */
    x.d.published = d->published;
    if (!ok) return NC_ERR_NOMEM;

    uint32_t ord = (uint32_t)ix->docs.n;
    /* a clustered index records every document's cluster id */
    if (ix->doc_cluster.a && NC_VEC_RESERVE(&ix->doc_cluster, ord + 1)) return NC_ERR_NOMEM;
    ix->docs.a[ix->docs.n++] = x;
    *slot = (h >> 32) << 32 | ord;
    ix->clustered = 0;
    if (ix->doc_cluster.a) ix->doc_cluster.a[ix->doc_cluster.n++] = -1;
    if (out) {
        out->doc = ord;
        out->cluster = -1;
        out->duplicate = -1;
    }
    /* A live index (clustered before) assigns the document at once: it is
     * added even when that fails (it waits for nc_index_cluster). */
    if (ix->live) return nc__live_assign(ix, ord, out);
    return NC_OK;
}

/* ------------------------------------------------------------ clustering */

/* Size of the intersection of two sorted unique hash arrays; the merge
 * stops once even matching all the rest of the shorter side could not reach
 * @p need, returning a count below it.  Each step advances the side(s)
 * holding the smaller hash by the comparisons' 0 or 1, with no branch on
 * them: which side is behind is a coin toss (cachegrind at 100,000
 * documents: 4.1 million mispredicted branches in nc__dup_is_copy). */
static size_t intersection(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, double need)
{
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        size_t left = na - i < nb - j ? na - i : nb - j;
        if ((double)(inter + left) < need) break;
        uint64_t x = a[i], y = b[j];
        inter += x == y;
        i += x <= y;
        j += y <= x;
    }
    return inter;
}

/* Jaccard similarity of two sorted unique hash arrays. */
static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (!na && !nb) return 0.0;
    size_t inter = intersection(a, na, b, nb, 0.0);
    return (double)inter / (double)(na + nb - inter);
}

/* Whether jaccard(a, b) >= t, found sooner: a size filter first
 * (J <= min/max), then an intersection that stops once J >= t is out of
 * reach.  Most candidate pairs of the story level are far from copies. */
static int jaccard_at_least(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, double t)
{
    if (!na && !nb) return 0.0 >= t;
    size_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;
    if ((double)lo < t * (double)hi * (1.0 - 1e-9)) return 0;
    /* J = I / (na + nb - I) >= t  <=>  I >= t (na + nb) / (1 + t); a count
     * cut short is below that, so its J is below t */
    size_t inter = intersection(a, na, b, nb, t * (double)(na + nb) / (1.0 + t) * (1.0 - 1e-9));
    return (double)inter / (double)(na + nb - inter) >= t;
}

/* The shingle sets two documents are compared on: headline + summary, or
 * the headlines only when either is a bare headline. */
typedef struct dup_sets {
    const uint64_t *a, *b;
    size_t na, nb;
} dup_sets;

static dup_sets dup_sets_of(const nc_index *ix, uint32_t a, uint32_t b)
{
    const ixdoc *x = &ix->docs.a[a], *y = &ix->docs.a[b];
    if (x->dup_full != x->dup_title && y->dup_full != y->dup_title)
        return (dup_sets){x->dup_full, y->dup_full, x->n_dup_full, y->n_dup_full};
    return (dup_sets){x->dup_title, y->dup_title, x->n_dup_title, y->n_dup_title};
}

int nc__dup_is_copy(const nc_index *ix, uint32_t a, uint32_t b)
{
    dup_sets d = dup_sets_of(ix, a, b);
    return jaccard_at_least(d.a, d.na, d.b, d.nb, ix->p.dup_threshold);
}

double nc__dup_similarity(const nc_index *ix, uint32_t a, uint32_t b)
{
    dup_sets d = dup_sets_of(ix, a, b);
    return jaccard(d.a, d.na, d.b, d.nb);
}

/* IDF-weighted cosine of the story token vectors (weights w * idf, norms
 * precomputed in ix->norm). */
double nc__story_similarity(const nc_index *ix, uint32_t a, uint32_t b)
{
    const ixdoc *x = &ix->docs.a[a], *y = &ix->docs.a[b];
    if (!x->n_tok || !y->n_tok || ix->norm[a] == 0.0f || ix->norm[b] == 0.0f) return 0.0;
    size_t i = 0, j = 0;
    double dot = 0.0;
    while (i < x->n_tok && j < y->n_tok) {
        uint32_t ti = x->tok[i].tok, tj = y->tok[j].tok;
        if (ti == tj) {
            double idf = ix->idf[ti];
            dot += (double)x->tok[i].w * (double)y->tok[j].w * idf * idf;
            i++;
            j++;
        } else if (ti < tj) {
            i++;
        } else {
            j++;
        }
    }
    return dot / ((double)ix->norm[a] * (double)ix->norm[b]);
}

/* ---- the parallel stages: each item's result goes to its own slot, so the
 * outcome does not depend on the thread count (parallel.h). */

typedef struct stage_ctx {
    nc_index *ix;
    const nc_minhash *mh_dup, *mh_story;
    const nc_pairs *pairs;
    nc_edge *edges; /* verify: one per pair */
    uint8_t *is_dup;
} stage_ctx;

/* MinHash signatures of documents [lo, hi), both levels. */
static int sign_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    stage_ctx *j = arg;
    nc_index *ix = j->ix;
    uint32_t k = ix->p.num_perm;
    uint32_t bd = ix->info.dup_bands, bs = ix->info.story_bands;
    uint64_t *scratch = NULL;
    size_t scap = 0;
    uint32_t *sig = malloc(k * sizeof *sig); /* one signature at a time */
    if (!sig) return -1;
    for (size_t d = lo; d < hi; d++) {
        const ixdoc *x = &ix->docs.a[d];
        nc__minhash_sign(j->mh_dup, x->dup_title, x->n_dup_title, sig);
        nc__lsh_band_keys(sig, bd, ix->info.dup_rows, ix->keys_dup + d, ix->docs.n);
        if (x->n_tok > scap) {
            free(scratch);
            scap = x->n_tok * 2;
            scratch = nc__big_malloc(scap * sizeof *scratch);
            if (!scratch) {
                free(sig);
                return -1;
            }
        }
        for (size_t t = 0; t < x->n_tok; t++)
            scratch[t] = ix->tok_hash[x->tok[t].tok];
        nc__minhash_sign(j->mh_story, scratch, x->n_tok, sig);
        nc__lsh_band_keys(sig, bs, ix->info.story_rows, ix->keys_story + d, ix->docs.n);
    }
    free(scratch);
    free(sig);
    return 0;
}

/* Exact verification of candidate pairs [lo, hi) at the duplicate level.
 * The story level's verification is the agglomeration's own: it computes
 * the exact W (for two documents, their cosine) of every linked pair and
 * lists only links at or above the story threshold (cluster.c), so the
 * cosine is not computed here as well. */
static int verify_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    stage_ctx *j = arg;
    nc_index *ix = j->ix;
    const uint64_t *pr = j->pairs->a;
    enum { AHEAD = 8 };
    for (size_t i = lo; i < hi; i++) {
        /* Pairs come sorted by their first document: the second one is the
         * miss.  Its record is asked for 2 AHEAD pairs on, its shingle sets
         * (whose addresses the record holds) AHEAD on. */
        if (i + 2 * AHEAD < hi) NC_PREFETCH(&ix->docs.a[(uint32_t)pr[i + 2 * AHEAD]]);
        if (i + AHEAD < hi) {
            const ixdoc *y = &ix->docs.a[(uint32_t)pr[i + AHEAD]];
            NC_PREFETCH(y->dup_title);
            NC_PREFETCH(y->dup_full);
        }
        uint32_t a = (uint32_t)(pr[i] >> 32), b = (uint32_t)pr[i];
        j->is_dup[i] = (uint8_t)nc__dup_is_copy(ix, a, b);
        j->edges[i] = (nc_edge){a, b, j->is_dup[i] ? 1.0f : 0.0f};
    }
    return 0;
}

/* Worker threads: the parameter, or all online cores; 1 to NC_MAX_THREADS. */
static unsigned thread_count(const nc_index *ix)
{
    return nc__thread_count(ix->p.threads);
}

/* Threads for @p total items: one when there is too little work to share. */
static unsigned parts_for(const nc_index *ix, size_t total)
{
    return total < 1024 ? 1 : thread_count(ix);
}

/* Join two duplicate groups unless the joined group would span more than
 * the window (a headline repeated a week later is a new item, not a copy).
 * lo/hi hold each root's earliest and latest date (INT64_MIN: undated). */
static void dup_union(nc_uf *uf, int64_t *lo, int64_t *hi, uint32_t a, uint32_t b, int64_t window)
{
    uint32_t ra = nc__uf_find(uf, a), rb = nc__uf_find(uf, b);
    if (ra == rb) return;
    int64_t l = lo[ra], h = hi[ra];
    if (lo[rb] != INT64_MIN) {
        if (l == INT64_MIN || lo[rb] < l) l = lo[rb];
        if (h == INT64_MIN || hi[rb] > h) h = hi[rb];
    }
    if (window > 0 && l != INT64_MIN && h - l > window) return;
    uint32_t r = nc__uf_union(uf, ra, rb);
    lo[r] = l;
    hi[r] = h;
}

/* the index being sorted, for the qsort comparators (per thread: two indexes
 * may be clustered at once on different threads) */
static _Thread_local const nc_index *sort_ix;

/* members by published time (undated last), then id */
static int cmp_member(const void *x, const void *y)
{
    const ixdoc *a = &sort_ix->docs.a[*(const uint32_t *)x];
    const ixdoc *b = &sort_ix->docs.a[*(const uint32_t *)y];
    if (a->d.published != b->d.published) {
        if (a->d.published == NC_TIME_UNKNOWN) return 1;
        if (b->d.published == NC_TIME_UNKNOWN) return -1;
        return a->d.published < b->d.published ? -1 : 1;
    }
    return strcmp(a->d.id, b->d.id);
}

static int cmp_cluster(const void *x, const void *y)
{
    const ixcluster *a = x, *b = y;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return strcmp(sort_ix->docs.a[sort_ix->members[a->first]].d.id,
                  sort_ix->docs.a[sort_ix->members[b->first]].d.id);
}

/* The first 8 bytes of @p id, big-endian, zero-padded: keys in strcmp()'s
 * order of the ids (unsigned bytes), equal only when the ids agree on their
 * first 8 bytes. */
static uint64_t id_prefix(const char *id)
{
    uint64_t k = 0;
    size_t i = 0;
    for (; i < 8 && id[i]; i++)
        k = k << 8 | (unsigned char)id[i];
    return i ? k << (8 * (8 - i)) : 0;
}

/* Clusters in cmp_cluster()'s order (size descending, then the first
 * member's id), by two stable LSD radix sorts of (key, cluster) pairs
 * instead of qsort over the records: by id prefix, then by size; a run of
 * clusters that tie on both (ids that share 8 bytes) is then put in order by
 * strcmp.  The ids are unique, so the order is cmp_cluster()'s exactly.
 * With millions of clusters, qsort's comparisons each reached two random
 * documents and their ids.  The records hold only first and size here; they
 * are rewritten in the new order.  Out of memory: qsort, the same order. */
static void sort_clusters(ixcluster *clusters, size_t nc)
{
    nc_keyed *k = nc__big_malloc((nc + 1) * sizeof *k);
    uint64_t *pre = nc__big_malloc((nc + 1) * sizeof *pre);   /* cluster -> its id prefix */
    uint32_t *fs = nc__big_malloc((2 * nc + 1) * sizeof *fs); /* (first, size) in the new order */
    int by_radix = k && pre && fs;
    if (!by_radix) goto out;
    for (size_t c = 0; c < nc; c++) {
        pre[c] = id_prefix(sort_ix->docs.a[sort_ix->members[clusters[c].first]].d.id);
        k[c] = (nc_keyed){pre[c], (uint32_t)c, 0};
    }
    int failed = nc__radix_sort_keyed(k, nc);
    for (size_t i = 0; i < nc; i++)
        k[i].key = UINT32_MAX - clusters[k[i].val].size;
    /* stable: the prefix order kept within a size (its qsort fallback, on
     * running out of memory, is not: then the records are sorted by qsort) */
    by_radix = !failed && nc__radix_sort_keyed(k, nc) == 0;
    if (!by_radix) goto out;
    for (size_t i = 0; i < nc; i++) {
        fs[2 * i] = clusters[k[i].val].first;
        fs[2 * i + 1] = clusters[k[i].val].size;
    }
    for (size_t i = 0; i < nc; i++) {
        clusters[i].first = fs[2 * i];
        clusters[i].size = fs[2 * i + 1];
    }
    for (size_t i = 0; i < nc;) { /* runs tied on size and prefix */
        size_t j = i + 1;
        while (j < nc && clusters[j].size == clusters[i].size && pre[k[j].val] == pre[k[i].val])
            j++;
        if (j - i > 1) qsort(clusters + i, j - i, sizeof *clusters, cmp_cluster);
        i = j;
    }
out:
    free(k);
    free(pre);
    free(fs);
    if (!by_radix) qsort(clusters, nc, sizeof *clusters, cmp_cluster);
}

/* Representative (member nearest the centroid of the normalised vectors),
 * scores, keywords of one cluster.  @p cen is a zeroed scratch vector over
 * tokens; it is left zeroed. */
static int finish_cluster(nc_index *ix, ixcluster *c, double *cen)
{
    const uint32_t *m = ix->members + c->first;
    for (uint32_t i = 0; i < c->size; i++) {
        const ixdoc *x = &ix->docs.a[m[i]];
        double nrm = ix->norm[m[i]];
        if (nrm == 0.0) continue;
        for (uint32_t t = 0; t < x->n_tok; t++)
            cen[x->tok[t].tok] += (double)x->tok[t].w * ix->idf[x->tok[t].tok] / nrm;
    }
    double best = -1.0;
    uint32_t rep = m[0];
    for (uint32_t i = 0; i < c->size; i++) {
        const ixdoc *x = &ix->docs.a[m[i]];
        double nrm = ix->norm[m[i]], dot = 0.0;
        if (nrm == 0.0) continue;
        for (uint32_t t = 0; t < x->n_tok; t++)
            dot += (double)x->tok[t].w * ix->idf[x->tok[t].tok] / nrm * cen[x->tok[t].tok];
        if (dot > best + 1e-12) {
            best = dot;
            rep = m[i];
        }
    }
    c->rep = rep;
    /* keywords: the heaviest centroid terms, ties by token id */
    c->n_keywords = 0;
    for (uint32_t i = 0; i < c->size; i++) {
        const ixdoc *x = &ix->docs.a[m[i]];
        for (uint32_t t = 0; t < x->n_tok; t++) {
            uint32_t tok = x->tok[t].tok;
            double w = cen[tok];
            if (w == 0.0) continue; /* already considered */
            cen[tok] = 0.0;
            /* its place in the top list; a term that would not enter is not
             * looked at further (its surface is a cache miss) */
            uint32_t pos = c->n_keywords;
            while (pos > 0) {
                uint32_t o = c->kw_tok[pos - 1];
                double ow = c->kw_w[pos - 1];
                if (ow > w || (ow == w && o < tok)) break;
                pos--;
            }
            if (pos >= NC_MAX_KEYWORDS) continue;
            /* keywords are words: bigrams ("htc one") and repeats are skipped */
            const char *surf = ix->tok_surface.a[tok];
            int skip = strchr(surf, ' ') != NULL;
            for (uint32_t q = 0; q < c->n_keywords && !skip; q++)
                skip = strcmp(ix->tok_surface.a[c->kw_tok[q]], surf) == 0;
            if (skip) continue;
            /* insert into the top list */
            uint32_t last = c->n_keywords < NC_MAX_KEYWORDS ? c->n_keywords : NC_MAX_KEYWORDS - 1;
            for (uint32_t q = last; q > pos; q--) {
                c->kw_tok[q] = c->kw_tok[q - 1];
                c->kw_w[q] = c->kw_w[q - 1];
            }
            c->kw_tok[pos] = tok;
            c->kw_w[pos] = w;
            if (c->n_keywords < NC_MAX_KEYWORDS) c->n_keywords++;
        }
    }
    for (uint32_t i = 0; i < c->size; i++)
        ix->score[m[i]] = (float)nc__story_similarity(ix, m[i], rep);
    ix->score[rep] = 1.0f;
    return 0;
}

/* Clusters finished in parallel ranges: each part has its own dense centroid
 * scratch and writes only its clusters and their members' scores. */
typedef struct finish_ctx {
    nc_index *ix;
    ixcluster *clusters;
    nc_chunks todo; /* clusters come sorted by size: taken in chunks, not split in halves */
} finish_ctx;

/* The first NC_FINISH_AHEAD members of cluster @p c: their document
 * records, or their term arrays, asked for ahead (finish_part()). */
#define NC_FINISH_AHEAD 8

static void prefetch_records(const nc_index *ix, const ixcluster *c)
{
    const uint32_t *m = ix->members + c->first;
    for (uint32_t i = 0; i < c->size && i < NC_FINISH_AHEAD; i++) {
        NC_PREFETCH(&ix->docs.a[m[i]].d.published);
        NC_PREFETCH(&ix->docs.a[m[i]].tok);
    }
}

static void prefetch_terms_of(const nc_index *ix, const ixcluster *c)
{
    const uint32_t *m = ix->members + c->first;
    for (uint32_t i = 0; i < c->size && i < NC_FINISH_AHEAD; i++)
        NC_PREFETCH(ix->docs.a[m[i]].tok);
}

static int finish_part(void *arg, unsigned part)
{
    finish_ctx *j = arg;
    nc_index *ix = j->ix;
    (void)part;
    double *cen = nc__big_calloc(ix->tok_df.n + 1, sizeof *cen);
    if (!cen) return -1;
    for (size_t lo, hi; nc__chunks_take(&j->todo, &lo, &hi);)
        for (size_t c = lo; c < hi; c++) {
            ixcluster *cl = &j->clusters[c];
            /* members are read at random places: the records of the
             * cluster 2 on are asked for, then the term arrays of the
             * one next (whose records are in cache by then) */
            if (c + 2 < hi) prefetch_records(ix, &j->clusters[c + 2]);
            if (c + 1 < hi) prefetch_terms_of(ix, &j->clusters[c + 1]);
            int64_t tlo = INT64_MAX, thi = INT64_MIN;
            for (uint32_t i = 0; i < cl->size; i++) {
                int64_t t = ix->docs.a[ix->members[cl->first + i]].d.published;
                if (t == NC_TIME_UNKNOWN) continue;
                if (t < tlo) tlo = t;
                if (t > thi) thi = t;
            }
            cl->tmin = thi == INT64_MIN ? NC_TIME_UNKNOWN : tlo;
            cl->tmax = thi == INT64_MIN ? NC_TIME_UNKNOWN : thi;
            finish_cluster(ix, cl, cen);
        }
    free(cen);
    return 0;
}

/* The IDF's passes and the documents' norms, over ranges in parallel. */
typedef struct idf_ctx {
    nc_index *ix;
    const nc_bg *bg;
    double all[NC_MAX_THREADS], known[NC_MAX_THREADS]; /* per part: sums of df */
    double N;
    int used;
    int64_t *times; /* norms: the documents' dates, gathered on the way */
} idf_ctx;

/* idf[t] = term t's background df for now; per part, the sums of the batch
 * df over all terms and over the terms the background knows. */
static int idf_lookup_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    idf_ctx *j = arg;
    nc_index *ix = j->ix;
    double all = 0.0, known = 0.0;
    for (size_t t = lo; t < hi; t++) {
        ix->idf[t] = j->bg ? (double)nc__bg_df(j->bg, ix->tok_hash[t]) : 0.0;
        all += ix->tok_df.a[t];
        if (ix->idf[t] > 0.0) known += ix->tok_df.a[t];
    }
    j->all[part] = all;
    j->known[part] = known;
    return 0;
}

static int idf_formula_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    idf_ctx *j = arg;
    nc_index *ix = j->ix;
    for (size_t t = lo; t < hi; t++) {
        double df = (double)ix->tok_df.a[t] + 1.0 + (j->used ? ix->idf[t] : 0.0);
        ix->idf[t] = log(j->N / df) + 1.0;
    }
    return 0;
}

/* IDF, smoothed as scikit-learn's: idf = ln((N + 1) / (df + 1)) + 1.  With
 * the background on and covering the batch, N and df are the sums of the
 * batch's and the background's counts, so the words of today's big story
 * keep the weight their rarity in news in general gives them.  A batch in
 * another language is hardly covered: its IDF comes from the batch alone.
 * Both passes run over ranges of terms in parallel; the coverage's sums are
 * of whole numbers far below 2^53, exact in any order, so they do not
 * depend on the thread count.  @return 0, or -1 (out of memory). */
static int set_idf(nc_index *ix, size_t n)
{
    size_t ntok = ix->tok_df.n;
    const nc_bg *bg = NULL;
    if (ix->p.background && !(bg = nc__bg_builtin())) return -1;
    idf_ctx j = {.ix = ix, .bg = bg};
    /* idf[t] holds term t's background df until the formula below: one
     * lookup a term serves both the coverage and the blend */
    unsigned parts = parts_for(ix, ntok);
    if (nc__parallel_ranges(parts, ntok, idf_lookup_range, &j)) return -1;
    double known = 0.0, all = 0.0;
    for (unsigned t = 0; t < parts; t++) {
        all += j.all[t];
        known += j.known[t];
    }
    ix->info.background_coverage = bg && all > 0.0 ? known / all : 0.0;
    ix->info.background_used = bg && ix->info.background_coverage >= NC_BACKGROUND_MIN_COVERAGE;
    j.used = ix->info.background_used;
    j.N = (double)n + 1.0 + (j.used ? bg->docs : 0.0);
    ix->idf_docs = j.N;
    ix->n_idf = ntok;
    return nc__parallel_ranges(parts, ntok, idf_formula_range, &j);
}

/* Each document's norm under the IDF, and its date into times. */
static int norm_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    idf_ctx *j = arg;
    nc_index *ix = j->ix;
    for (size_t d = lo; d < hi; d++) {
        const ixdoc *x = &ix->docs.a[d];
        double s = 0.0;
        for (uint32_t t = 0; t < x->n_tok; t++) {
            double w = (double)x->tok[t].w * ix->idf[x->tok[t].tok];
            s += w * w;
        }
        ix->norm[d] = (float)sqrt(s);
        j->times[d] = x->d.published;
    }
    return 0;
}

/* ------------------------------------------------------------ features */

/* Features are computed when the index is clustered, for the documents
 * added since: normalising, stemming and hashing in parallel (one featurizer
 * per thread), in chunks; then, on one thread and in document order, the
 * chunk's terms get their dense ids (so the ids, and everything after, do
 * not depend on the thread count) while the next chunk is computed. */
#define NC_FEATURE_CHUNK 4096 /* documents a thread works on at a time */

/* A computed term, for the store to give its id (its weight is in the
 * document's own term array already: feat_doc.tok). */
typedef struct feat_term {
    uint64_t hash;
    uint32_t surface; /* offset in the part's surface buffer */
} feat_term;

typedef struct feat_doc {
    uint64_t *title, *full; /* the shingles, in the part's arena (full == title: no summary) */
    nc_tokw *tok;           /* the terms' weights, in the part's arena; the store adds the ids */
    size_t term_off;        /* in the part's buffers */
    uint32_t n_title, n_full, n_terms;
    unsigned part;
    int same; /* dup_full is dup_title */
} feat_doc;

typedef struct feat_part {
    NC_VEC(feat_term) terms;
    NC_VEC(char) surface;
} feat_part;

typedef struct feat_ctx {
    nc_index *ix;
    size_t base;
    feat_doc *docs;
    feat_part *parts;
    nc_status st[NC_MAX_THREADS];
} feat_ctx;

static int feat_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    feat_ctx *j = arg;
    nc_featurizer *fz = j->ix->fz[part];
    feat_part *pp = &j->parts[part]; /* appended to: emptied at the start of a round */
    for (size_t i = lo; i < hi; i++) {
        const nc_doc *d = &j->ix->docs.a[j->base + i].d;
        nc_features f;
        nc_status st = nc__features_compute(fz, d->title, d->summary, d->link, &f);
        feat_doc *fd = &j->docs[i];
        fd->part = part;
        fd->term_off = pp->terms.n;
        fd->n_title = (uint32_t)f.n_dup_title;
        fd->same = f.dup_full == f.dup_title;
        fd->n_full = fd->same ? fd->n_title : (uint32_t)f.n_dup_full;
        fd->n_terms = (uint32_t)f.n_story;
        if (st != NC_OK || NC_VEC_RESERVE(&pp->terms, pp->terms.n + f.n_story + 1)) {
            j->st[part] = st != NC_OK ? st : NC_ERR_NOMEM;
            return -1;
        }
        /* The document's own arrays are made here, in parallel, not by the
         * store: their first touch (about 240 bytes a document, 2.4 GB at
         * 10M, about 2 s a GB on this kind of virtual machine: Design notes)
         * was the store's, on the one thread everything waits for. */
        nc_arena *ar = &j->ix->feat_arena[part];
        fd->title = nc__arena_alloc(ar, ((size_t)fd->n_title + 1) * sizeof *fd->title);
        fd->full =
            fd->same ? fd->title : nc__arena_alloc(ar, ((size_t)fd->n_full + 1) * sizeof *fd->full);
        fd->tok = nc__arena_alloc(ar, ((size_t)fd->n_terms + 1) * sizeof *fd->tok);
        if (!fd->title || !fd->full || !fd->tok) {
            j->st[part] = NC_ERR_NOMEM;
            return -1;
        }
        if (f.n_dup_title) memcpy(fd->title, f.dup_title, f.n_dup_title * sizeof *fd->title);
        if (!fd->same && f.n_dup_full)
            memcpy(fd->full, f.dup_full, f.n_dup_full * sizeof *fd->full);
        /* the document's surface strings, copied in one block (with those of
         * the tokens that deduplication dropped): each term keeps its offset */
        if (NC_VEC_RESERVE(&pp->surface, pp->surface.n + f.surface_len + 1)) {
            j->st[part] = NC_ERR_NOMEM;
            return -1;
        }
        if (f.surface_len) memcpy(pp->surface.a + pp->surface.n, f.surface, f.surface_len);
        for (size_t t = 0; t < f.n_story; t++) {
            fd->tok[t].w = f.story[t].weight;
            pp->terms.a[pp->terms.n++] =
                (feat_term){f.story[t].hash, (uint32_t)(pp->surface.n + f.story[t].surface)};
        }
        pp->surface.n += f.surface_len;
    }
    return 0;
}

/* Store one computed document: its terms by dense id (in the array its
 * part made), sorted, counted in df.  x->tok is set last: until then the
 * document stays pending.  @return NC_OK or NC_ERR_NOMEM. */
static nc_status feat_store(nc_index *ix, ixdoc *x, const feat_doc *fd, const feat_part *pp)
{
    nc_tokw *tok = fd->tok;
    const feat_term *ft = pp->terms.a + fd->term_off;
    for (uint32_t i = 0; i < fd->n_terms; i++) {
        uint32_t t = token_id(ix, ft[i].hash, pp->surface.a + ft[i].surface);
        if (t == NC_EMPTY) return NC_ERR_NOMEM;
        tok[i].tok = t;
    }
    uint32_t n = fd->n_terms;
    if (n <= 48) { /* a headline's few terms: insertion sort by token id */
        for (uint32_t i = 1; i < n; i++) {
            nc_tokw v = tok[i];
            uint32_t k = i;
            while (k > 0 && tok[k - 1].tok > v.tok) {
                tok[k] = tok[k - 1];
                k--;
            }
            tok[k] = v;
        }
    } else {
        qsort(tok, n, sizeof *tok, cmp_tokw);
    }
    for (uint32_t i = 0; i < n; i++)
        ix->tok_df.a[tok[i].tok]++;
    x->dup_title = fd->title;
    x->dup_full = fd->full;
    x->n_dup_title = fd->n_title;
    x->n_dup_full = fd->n_full;
    x->n_tok = n;
    x->tok = tok;
    ix->tok_total += n;
    return NC_OK;
}

/* The term dictionary's hash map is only needed to give new terms their
 * ids: nc_index_cluster frees it once the features are done (it is not
 * needed at the peaks of memory that follow) and this puts it back, from
 * the terms' hashes, before the next documents' terms are looked up.
 * @return 0, or -1 when out of memory (the map stays absent). */
static int tokmap_rebuild(nc_index *ix)
{
    if (ix->tokmap || ix->tok_df.n == 0) return 0;
    size_t cap = 1024;
    while (ix->tok_df.n * 2 >= cap)
        cap *= 2;
    uint32_t *m = nc__big_malloc(cap * sizeof *m);
    if (!m) return -1;
    memset(m, 0xFF, cap * sizeof *m);
    for (size_t t = 0; t < ix->tok_df.n; t++)
        map_put(m, cap, ix->tok_hash[t], (uint32_t)t);
    ix->tokmap = m;
    ix->tokmap_cap = cap;
    return 0;
}

/* One round of features_pending(): roles 0..np-1 compute a chunk (ctx),
 * role np meanwhile stores the chunk computed in the round before (from the
 * other set of buffers), so the serial store overlaps the next chunk's
 * computation, and then computes too.  The documents to compute are taken
 * NC_FEATURE_TAKE at a time from a shared counter, so no role waits at the
 * end of the round for another's fixed share (which part computes which
 * document changes nothing: the store goes in document order).  The store
 * writes only its own chunk's documents and the dictionary; the computing
 * parts read only their chunk's documents and write only their own buffers
 * and arena (nc_index.feat_arena). */
#define NC_FEATURE_TAKE 256

typedef struct feat_round {
    feat_ctx ctx; /* the chunk computed: documents [ctx.base, ctx.base + len) */
    size_t len;
    nc_chunks todo; /* of [0, len) */
    unsigned np;
    const feat_doc *sdocs; /* the chunk stored: documents [sbase, sbase + slen) */
    const feat_part *sparts;
    size_t sbase, slen;
    nc_status sst;
} feat_round;

/* The store looks each term up in the dictionary: a miss into the hash map,
 * then one into the term's hash (the map holds ids) and its df.  Both are
 * asked for ahead, in two steps: the map slots of the document 2
 * NC_STORE_AHEAD on, then, from those slots (in cache by then), the terms'
 * hash and df of the document NC_STORE_AHEAD on.  The map may grow in
 * between: a stale slot is only a wasted prefetch. */
#define NC_STORE_AHEAD 4

static void prefetch_slots(const nc_index *ix, const feat_doc *fd, const feat_part *pp)
{
    const feat_term *ft = pp->terms.a + fd->term_off;
    for (uint32_t i = 0; i < fd->n_terms; i++)
        NC_PREFETCH(&ix->tokmap[map_home(ix->tokmap_cap, ft[i].hash)]);
}

static void prefetch_terms(const nc_index *ix, const feat_doc *fd, const feat_part *pp)
{
    const feat_term *ft = pp->terms.a + fd->term_off;
    for (uint32_t i = 0; i < fd->n_terms; i++) {
        uint32_t t = ix->tokmap[map_home(ix->tokmap_cap, ft[i].hash)];
        if (t == NC_EMPTY) continue;
        NC_PREFETCH(&ix->tok_hash[t]);
        NC_PREFETCH(&ix->tok_df.a[t]);
    }
}

/* Compute documents taken from the round's counter into part @p part's
 * buffers.  @return 0 or -1 (feat_range's error in ctx.st[part]). */
static int feat_compute(feat_round *j, unsigned part)
{
    feat_part *pp = &j->ctx.parts[part];
    pp->terms.n = pp->surface.n = 0;
    for (size_t lo, hi; nc__chunks_take(&j->todo, &lo, &hi);)
        if (feat_range(&j->ctx, part, lo, hi)) return -1;
    return 0;
}

static int feat_round_role(void *arg, unsigned role)
{
    feat_round *j = arg;
    if (role < j->np) return feat_compute(j, role);
    nc_index *ix = j->ctx.ix;
    nc_status st = NC_OK;
    for (size_t i = 0; i < j->slen && st == NC_OK; i++) {
        const feat_doc *fd = &j->sdocs[i];
        if (ix->tokmap) {
            if (i + 2 * NC_STORE_AHEAD < j->slen) {
                const feat_doc *f2 = &j->sdocs[i + 2 * NC_STORE_AHEAD];
                prefetch_slots(ix, f2, &j->sparts[f2->part]);
            }
            if (i + NC_STORE_AHEAD < j->slen) {
                const feat_doc *f1 = &j->sdocs[i + NC_STORE_AHEAD];
                prefetch_terms(ix, f1, &j->sparts[f1->part]);
            }
        }
        st = feat_store(ix, &ix->docs.a[j->sbase + i], fd, &j->sparts[fd->part]);
        if (st == NC_OK) ix->n_featured++;
    }
    j->sst = st;
    if (st != NC_OK) return -1;
    return j->np ? feat_compute(j, j->np) : 0; /* the store's part: np */
}

/* Compute the features of the pending documents [n_featured, n).  On error
 * the rest stay pending (a later call tries them again).
 * @return NC_OK, NC_ERR_NOMEM, or a status of nc__features_compute. */
static nc_status features_pending(nc_index *ix, unsigned threads)
{
    size_t n = ix->docs.n;
    if (ix->n_featured >= n) return NC_OK;
    if (tokmap_rebuild(ix)) return NC_ERR_NOMEM;
    double t0 = now_sec();
    nc_status st = NC_OK;
    if (threads > NC_MAX_THREADS - 1) threads = NC_MAX_THREADS - 1; /* one more stores */
    for (unsigned t = 0; t <= threads; t++) /* the store computes too, as part `threads` */
        if (!ix->fz[t] && nc__featurizer_create(&ix->fz[t]) != NC_OK) return NC_ERR_NOMEM;
    size_t chunk = (size_t)NC_FEATURE_CHUNK * threads;
    if (chunk > n - ix->n_featured) chunk = n - ix->n_featured; /* a live add: one */
    feat_part parts[2][NC_MAX_THREADS]; /* two sets: computed into, stored from */
    memset(parts, 0, sizeof parts);
    feat_doc *docs[2] = {nc__big_malloc(chunk * sizeof(feat_doc)),
                         nc__big_malloc(chunk * sizeof(feat_doc))};
    size_t next = ix->n_featured, sbase = 0, slen = 0;
    for (unsigned r = 0; docs[0] && docs[1]; r++) {
        size_t len = n - next < chunk ? n - next : chunk;
        if (len == 0 && slen == 0) break;
        feat_round j = {.ctx = {.ix = ix, .base = next, .docs = docs[r % 2], .parts = parts[r % 2]},
                        .len = len,
                        .np = len == 0     ? 0
                              : len < 1024 ? 1
                                           : threads,
                        .sdocs = docs[(r + 1) % 2],
                        .sparts = parts[(r + 1) % 2],
                        .sbase = sbase,
                        .slen = slen};
        nc__chunks_init(&j.todo, len, NC_FEATURE_TAKE);
        if (nc__parallel_roles(threads, j.np + 1, feat_round_role, &j)) {
            st = j.sst != NC_OK ? j.sst : NC_ERR_NOMEM;
            for (unsigned t = 0; t <= j.np && j.sst == NC_OK; t++)
                if (j.ctx.st[t] != NC_OK) st = j.ctx.st[t];
            break; /* what was not stored stays pending */
        }
        sbase = next;
        slen = len;
        next += len;
    }
    if (!docs[0] || !docs[1]) st = NC_ERR_NOMEM;
    for (int set = 0; set < 2; set++) {
        for (unsigned t = 0; t <= threads; t++) {
            free(parts[set][t].terms.a);
            free(parts[set][t].surface.a);
        }
        free(docs[set]);
    }
    ix->info.sec_features += now_sec() - t0;
    return st;
}

int64_t nc__index_window(const nc_index *ix)
{
    return ix->p.window_hours > 0 ? (int64_t)(ix->p.window_hours * 3600.0) : 0;
}

nc_status nc__index_features_now(nc_index *ix)
{
    return features_pending(ix, 1);
}

int nc__index_token_lookup(nc_index *ix, uint64_t h, uint32_t *tok)
{
    *tok = NC_EMPTY;
    if (ix->tok_df.n == 0) return 0;
    if (tokmap_rebuild(ix)) return -1;
    *tok = *map_slot(ix->tokmap, ix->tokmap_cap, h, &h, tok_eq, ix);
    return 0;
}

nc_status nc__index_doc_terms(nc_index *ix, const nc_doc *d, const nc_story_tok **terms, size_t *n)
{
    if (!ix->fz[0] && nc__featurizer_create(&ix->fz[0]) != NC_OK) return NC_ERR_NOMEM;
    nc_features f;
    nc_status st = nc__features_compute(ix->fz[0], d->title, d->summary, d->link, &f);
    if (st != NC_OK) return st;
    *terms = f.story;
    *n = f.n_story;
    return NC_OK;
}

double nc__index_idf_unseen(const nc_index *ix, uint64_t hash)
{
    /* set_idf's formula for a term in one document of the batch */
    double df = 2.0;
    if (ix->info.background_used) {
        const nc_bg *bg = nc__bg_builtin();
        if (bg) df += (double)nc__bg_df(bg, hash);
    }
    return log(ix->idf_docs / df) + 1.0;
}

double nc__index_idf(const nc_index *ix, uint32_t tok)
{
    return tok < ix->n_idf ? ix->idf[tok] : nc__index_idf_unseen(ix, ix->tok_hash[tok]);
}

/* The story level's unit vectors are written over the documents' own term
 * weights, whose raw values wait in raw (each document's at the sum of the
 * n_tok before it), and put back after the agglomeration; both over ranges
 * of documents in parallel, each part's offset in raw from a first pass. */
typedef struct unit_ctx {
    nc_index *ix;
    float *raw;
    const nc_vent **vptr; /* out (to unit vectors): each document's vector */
    uint32_t *vlen;       /* and its length (0: a zero vector) */
    size_t off[NC_MAX_THREADS];
} unit_ctx;

static int tok_count_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    unit_ctx *j = arg;
    size_t k = 0;
    for (size_t d = lo; d < hi; d++)
        k += j->ix->docs.a[d].n_tok;
    j->off[part] = k;
    return 0;
}

/* off[part]: the terms before each part's first document. */
static void tok_offsets(unit_ctx *j, unsigned parts)
{
    nc__parallel_ranges(parts, j->ix->docs.n, tok_count_range, j); /* cannot fail */
    size_t at = 0;
    for (unsigned t = 0; t < parts; t++) {
        size_t k = j->off[t];
        j->off[t] = at;
        at += k;
    }
}

static int to_unit_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    unit_ctx *j = arg;
    nc_index *ix = j->ix;
    size_t vo = j->off[part];
    for (size_t d = lo; d < hi; d++) {
        nc_tokw *tok = ix->docs.a[d].tok;
        uint32_t nt = ix->docs.a[d].n_tok;
        j->vptr[d] = tok;
        j->vlen[d] = ix->norm[d] > 0.0f ? nt : 0;
        for (uint32_t t = 0; t < nt; t++) {
            j->raw[vo + t] = tok[t].w;
            if (j->vlen[d])
                tok[t].w = (float)((double)tok[t].w * ix->idf[tok[t].tok] / (double)ix->norm[d]);
        }
        vo += nt;
    }
    return 0;
}

static int restore_range(void *arg, unsigned part, size_t lo, size_t hi)
{
    unit_ctx *j = arg;
    size_t vo = j->off[part];
    for (size_t d = lo; d < hi; d++) {
        ixdoc *x = &j->ix->docs.a[d];
        for (uint32_t t = 0; t < x->n_tok; t++)
            x->tok[t].w = j->raw[vo + t];
        vo += x->n_tok;
    }
    return 0;
}

/* Put the raw weights back (the same ranges as to_unit_range: the offsets
 * hold).  Cannot fail: a part whose thread does not start runs here. */
static void restore_weights(unit_ctx *j, unsigned parts)
{
    nc__parallel_ranges(parts, j->ix->docs.n, restore_range, j);
}

nc_status nc_index_cluster(nc_index *ix)
{
    if (!ix) return NC_ERR_INVALID_ARG;
    size_t n = ix->docs.n;
    nc_status st = NC_ERR_NOMEM;
    nc_minhash mh_dup = {0}, mh_story = {0};
    nc_pairs pairs = {0};
    nc_edge *edges = NULL;
    uint8_t *is_dup = NULL;
    int64_t *times = NULL;
    nc_uf uf = {0}, dup_uf = {0};
    ixcluster *clusters = NULL;
    uint32_t *members = NULL, *dup_of = NULL, *root_slot = NULL, *earliest = NULL;
    float *score = NULL;
    int64_t *span_lo = NULL, *span_hi = NULL;
    float *raw_w = NULL; /* the terms' raw weights while they hold unit vectors */
    int64_t *new_ids = NULL;
    const nc_vent **vptr = NULL;
    uint32_t *vlen = NULL;

    st = features_pending(ix, thread_count(ix));
    if (st != NC_OK) return st;
    free(ix->tokmap); /* tokmap_rebuild() puts it back when terms come */
    ix->tokmap = NULL;
    ix->tokmap_cap = 0;
    st = NC_ERR_NOMEM;
    clear_results(ix);
    /* IDF and norms are remade below: until this clustering succeeds, adds
     * are not assigned (a failure leaves them pending, the ids kept) */
    ix->live = 0;
    double t0 = now_sec(), t1;
    free(ix->idf);
    free(ix->norm);
    ix->idf = nc__big_malloc((ix->tok_df.n + 1) * sizeof *ix->idf);
    ix->norm = nc__big_malloc((n + 1) * sizeof *ix->norm);
    ix->keys_dup = nc__big_malloc((n * ix->info.dup_bands + 1) * sizeof *ix->keys_dup);
    ix->keys_story = nc__big_malloc((n * ix->info.story_bands + 1) * sizeof *ix->keys_story);
    times = nc__big_malloc((n + 1) * sizeof *times);
    if (!ix->idf || !ix->norm || !ix->keys_dup || !ix->keys_story || !times) goto out;

    if (set_idf(ix, n)) goto out;
    idf_ctx nctx = {.ix = ix, .times = times};
    if (nc__parallel_ranges(parts_for(ix, n), n, norm_range, &nctx)) goto out;

    /* MinHash signatures of both levels. */
    /* Only the values the bands read are computed (b * r of the k: 126 and
     * 102 of 128 by default); the permutations come in order from the seed,
     * so these are the first b * r values of the k-value signatures. */
    if (nc__minhash_init(&mh_dup, ix->info.dup_bands * ix->info.dup_rows, ix->p.seed) ||
        nc__minhash_init(&mh_story, ix->info.story_bands * ix->info.story_rows,
                         ix->p.seed * 0x9E3779B97F4A7C15ull + 7))
        goto out;
    stage_ctx sctx = {.ix = ix, .mh_dup = &mh_dup, .mh_story = &mh_story};
    if (nc__parallel_ranges(parts_for(ix, n), n, sign_range, &sctx)) goto out;
    t1 = now_sec();
    ix->info.sec_sign = t1 - t0;
    t0 = t1;

    /* Candidates: duplicate level at the duplicate threshold, story level at
     * a lower Jaccard so that paraphrased headlines are proposed too.  Both
     * pair only inside the window: neither a duplicate group nor a story may
     * span more, so a pair further apart could never join anything (and a
     * headline repeated all year would link clusters weeks apart). */

    int64_t window = nc__index_window(ix);
    size_t skipped = 0;
    nc_lsh_opts od = {ix->info.dup_bands, ix->info.dup_rows, times, window,
                      NC_BUCKET_CAP,      thread_count(ix),  0};
    nc_lsh_opts os = {ix->info.story_bands, ix->info.story_rows, times, window,
                      NC_BUCKET_CAP,        thread_count(ix),    0};
    if (nc__lsh_candidates_keys(ix->keys_dup, n, &od, &pairs, &skipped)) goto out;
    free(ix->keys_dup); /* done: freed before the story level's tables */
    ix->keys_dup = NULL;
    if (nc__lsh_candidates_keys(ix->keys_story, n, &os, &pairs, &skipped)) goto out;
    /* a Google News item and its lines are compared too.  The band pairs
     * come sorted and unique: only these few are sorted, then merged in
     * (sorting all 16 M pairs of a million documents again cost a 128 MB
     * scratch and four passes, for nothing when there are none). */
    nc_pairs parent_pairs = {0};
    for (size_t d = 0; d < n; d++) {
        const ixdoc *x = &ix->docs.a[d];
        if (!x->d.parent) continue;
        int64_t p = nc__index_find_id(ix, x->d.parent);
        if (p < 0 || (size_t)p == d) continue;
        uint64_t lo = (uint64_t)p < d ? (uint64_t)p : d, hi = (uint64_t)p < d ? d : (uint64_t)p;
        if (NC_VEC_PUSH(&parent_pairs, lo << 32 | hi)) {
            free(parent_pairs.a);
            goto out;
        }
    }
    nc__pairs_unique(&parent_pairs);
    if (nc__pairs_merge_unique(&pairs, &parent_pairs)) {
        free(parent_pairs.a);
        goto out;
    }
    ix->info.candidate_pairs = pairs.n;
    if (ix->keep_pairs) { /* for bench/candidates */
        ix->kept_pairs = nc__big_malloc((pairs.n + 1) * sizeof *ix->kept_pairs);
        if (!ix->kept_pairs) goto out;
        memcpy(ix->kept_pairs, pairs.a, pairs.n * sizeof *pairs.a);
        ix->n_kept_pairs = pairs.n;
    }
    /* The band keys have done their work: freed before the peak, and the
     * story level's memory becomes the edges (realloc: its pages are
     * resident already, where a fresh array's first touch is slow on this
     * kind of virtual machine, about 1 GB/s; the edges at 1M documents are
     * 193 MB, the keys 204 MB).  When realloc fails, the keys are freed and
     * the edges allocated anew. */
    free(ix->keys_dup);
    ix->keys_dup = NULL;
    edges = nc__big_realloc(ix->keys_story, (pairs.n + 1) * sizeof *edges);
    if (!edges) free(ix->keys_story); /* realloc failed: the keys are still ours */
    ix->keys_story = NULL;
    ix->info.skipped_pairs = skipped;
    t1 = now_sec();
    ix->info.sec_band = t1 - t0;
    t0 = t1;

    /* Exact verification of every candidate. */
    if (!edges) edges = nc__big_malloc((pairs.n + 1) * sizeof *edges);
    is_dup = nc__big_malloc(pairs.n + 1);
    if (!edges || !is_dup) goto out;
    stage_ctx vctx = {.ix = ix, .pairs = &pairs, .edges = edges, .is_dup = is_dup};
    if (nc__parallel_ranges(parts_for(ix, pairs.n), pairs.n, verify_range, &vctx)) goto out;
    t1 = now_sec();
    ix->info.sec_verify = t1 - t0;
    t0 = t1;

    /* Duplicate groups; stories start from them and from Google News items. */
    if (nc__uf_init(&dup_uf, n) || nc__uf_init(&uf, n)) goto out;
    span_lo = nc__big_malloc((n + 1) * sizeof *span_lo);
    span_hi = nc__big_malloc((n + 1) * sizeof *span_hi);
    if (!span_lo || !span_hi) goto out;
    for (size_t d = 0; d < n; d++)
        span_lo[d] = span_hi[d] = times[d];
    size_t verified = 0;
    for (size_t i = 0; i < pairs.n; i++) {
        if (is_dup[i]) dup_union(&dup_uf, span_lo, span_hi, edges[i].a, edges[i].b, window);
        if (is_dup[i]) verified++;
    }
    free(is_dup);
    is_dup = NULL;
    size_t n_pairs = pairs.n;
    free(pairs.a); /* the edges hold the pairs from here on */
    pairs.a = NULL;
    pairs.n = pairs.cap = 0;
    for (size_t d = 0; d < n; d++) {
        nc__uf_union(&uf, (uint32_t)d, nc__uf_find(&dup_uf, (uint32_t)d));
        const ixdoc *x = &ix->docs.a[d];
        if (x->d.parent) {
            int64_t p = nc__index_find_id(ix, x->d.parent);
            if (p >= 0) nc__uf_union(&uf, (uint32_t)d, (uint32_t)p);
        }
    }
    /* Unit vectors of the story level, for the centroid sums: written over
     * the documents' own term arrays (same type), whose raw weights wait in
     * raw_w (4 bytes a term instead of a second 8-byte copy of every
     * vector) and are put back right after the agglomeration. */
    raw_w = nc__big_malloc((ix->tok_total + 1) * sizeof *raw_w);
    vptr = nc__big_malloc((n + 1) * sizeof *vptr);
    vlen = nc__big_malloc((n + 1) * sizeof *vlen);
    if (!raw_w || !vptr || !vlen) goto out;
    unit_ctx uctx = {.ix = ix, .raw = raw_w, .vptr = vptr, .vlen = vlen};
    unsigned uparts = parts_for(ix, n);
    tok_offsets(&uctx, uparts);
    nc__parallel_ranges(uparts, n, to_unit_range, &uctx); /* cannot fail */
    size_t listed = 0;
    nc_cluster_opts co = {ix->p.story_threshold, times, window, NC_LINKAGE, vptr, vlen,
                          thread_count(ix),      0,     &listed};
    nc_edge *owned = edges; /* the agglomeration frees the edges */
    edges = NULL;
    int agg = nc__cluster_agglomerate(&uf, owned, n_pairs, &co);
    ix->info.verified_pairs = verified + listed; /* copies, then story links */
    restore_weights(&uctx, uparts);              /* nothing fails between the two */
    free(raw_w);
    raw_w = NULL;
    if (agg) goto out;

    /* Members grouped by story, sorted; clusters sorted. */
    root_slot = nc__big_malloc((n + 1) * sizeof *root_slot);
    members = nc__big_malloc((n + 1) * sizeof *members);
    dup_of = nc__big_malloc((n + 1) * sizeof *dup_of);
    earliest = nc__big_malloc((n + 1) * sizeof *earliest);
    score = nc__big_calloc(n + 1, sizeof *score);
    clusters = nc__big_calloc(n + 1, sizeof *clusters);
    if (!root_slot || !members || !dup_of || !earliest || !score || !clusters) goto out;
    size_t nc = 0;
    for (size_t d = 0; d < n; d++)
        root_slot[d] = NC_EMPTY;
    for (size_t d = 0; d < n; d++) {
        uint32_t r = nc__uf_find(&uf, (uint32_t)d);
        if (root_slot[r] == NC_EMPTY) root_slot[r] = (uint32_t)nc++;
        clusters[root_slot[r]].size++;
    }
    uint32_t off = 0;
    for (size_t c = 0; c < nc; c++) {
        clusters[c].first = off;
        off += clusters[c].size;
        clusters[c].size = 0;
    }
    for (size_t d = 0; d < n; d++) {
        ixcluster *c = &clusters[root_slot[nc__uf_find(&uf, (uint32_t)d)]];
        members[c->first + c->size++] = (uint32_t)d;
    }
    sort_ix = ix;
    ix->members = members;
    for (size_t c = 0; c < nc; c++) { /* documents given in time order come sorted */
        uint32_t *m = members + clusters[c].first, len = clusters[c].size, i = 1;
        while (i < len && cmp_member(&m[i - 1], &m[i]) <= 0)
            i++;
        if (i < len) qsort(m, len, sizeof *m, cmp_member);
    }
    sort_clusters(clusters, nc);
    /* stable ids: planned now (it may fail), given once nothing else can */
    new_ids = nc__big_malloc((nc + 1) * sizeof *new_ids);
    if (!new_ids || nc__ids_plan(ix, clusters, nc, members, new_ids)) goto out;

    /* duplicate_of: the earliest member of each duplicate group. */
    for (size_t d = 0; d < n; d++)
        earliest[d] = NC_EMPTY;
    for (size_t c = 0; c < nc; c++) {
        for (uint32_t i = 0; i < clusters[c].size; i++) {
            uint32_t d = members[clusters[c].first + i]; /* in member order */
            uint32_t r = nc__uf_find(&dup_uf, d);
            if (earliest[r] == NC_EMPTY) earliest[r] = d;
            dup_of[d] = earliest[r] == d ? NC_EMPTY : earliest[r];
        }
    }
    size_t groups = 0;
    for (size_t d = 0; d < n; d++)
        if (nc__uf_find(&dup_uf, (uint32_t)d) == d && dup_uf.size[d] > 1) groups++;
    ix->info.duplicate_groups = groups;

    ix->score = score;
    ix->dup_of = dup_of;
    ix->clusters = clusters;
    ix->n_clusters = nc;
    finish_ctx fctx = {.ix = ix, .clusters = clusters};
    nc__chunks_init(&fctx.todo, nc, 64);
    unsigned fparts = parts_for(ix, nc);
    int finished = nc__parallel_roles(fparts, fparts, finish_part, &fctx) == 0;
    ix->keywords =
        finished ? nc__big_malloc((nc * NC_MAX_KEYWORDS + 1) * sizeof *ix->keywords) : NULL;
    if (!ix->keywords) { /* nothing half-made is left visible */
        ix->clusters = NULL;
        ix->members = NULL;
        ix->dup_of = NULL;
        ix->score = NULL;
        ix->n_clusters = 0;
        goto out;
    }
    for (size_t c = 0; c < nc; c++)
        for (uint32_t q = 0; q < clusters[c].n_keywords; q++)
            ix->keywords[c * NC_MAX_KEYWORDS + q] = ix->tok_surface.a[clusters[c].kw_tok[q]];
    clusters = NULL;
    members = NULL;
    dup_of = NULL;
    score = NULL;
    ix->clustered = 1;
    nc__ids_commit(ix, ix->clusters, nc, ix->members, new_ids);
    ix->info.sec_cluster = now_sec() - t0;
    size_t feat_bytes = 0;
    for (size_t t = 0; t < NC_MAX_THREADS; t++)
        feat_bytes += ix->feat_arena[t].used_total;
    ix->info.memory_bytes = ix->arena.used_total + feat_bytes + ix->docs.cap * sizeof(ixdoc) +
                            ix->idmap_cap * sizeof(uint64_t) + ix->tokmap_cap * sizeof(uint32_t) +
                            ix->tok_df.cap * (sizeof(uint32_t) + sizeof(char *) + 8) +
                            n * (sizeof(ixcluster) + 3 * sizeof(uint32_t) + 2 * sizeof(float)) +
                            ix->doc_cluster.cap * sizeof(int64_t);
    st = NC_OK;
out:
    if (st != NC_OK) ix->members = NULL;
    nc__minhash_free(&mh_dup);
    nc__minhash_free(&mh_story);
    free(pairs.a);
    free(edges);
    free(is_dup);
    free(times);
    free(ix->keys_dup);
    free(ix->keys_story);
    ix->keys_dup = ix->keys_story = NULL;
    nc__uf_free(&uf);
    nc__uf_free(&dup_uf);
    free(clusters);
    free(members);
    free(dup_of);
    free(root_slot);
    free(earliest);
    free(score);
    free(raw_w);
    free(vptr);
    free(vlen);
    free(span_lo);
    free(span_hi);
    free(new_ids);
    return st;
}

/* ------------------------------------------------------------ results */

size_t nc_index_cluster_count(const nc_index *ix)
{
    return ix && ix->clustered ? ix->n_clusters : 0;
}

nc_status nc_index_cluster_get(const nc_index *ix, size_t i, nc_cluster *out)
{
    if (!ix || !out) return NC_ERR_INVALID_ARG;
    if (!ix->clustered) return NC_ERR_STATE;
    if (i >= ix->n_clusters) return NC_ERR_INVALID_ARG;
    const ixcluster *c = &ix->clusters[i];
    out->id = c->id;
    out->size = c->size;
    out->headline = ix->docs.a[c->rep].d.title;
    out->first_published = c->tmin;
    out->last_published = c->tmax;
    out->keywords = ix->keywords + i * NC_MAX_KEYWORDS;
    out->n_keywords = c->n_keywords;
    return NC_OK;
}

nc_status nc_index_member_get(const nc_index *ix, size_t i, size_t j, nc_member *out)
{
    if (!ix || !out) return NC_ERR_INVALID_ARG;
    if (!ix->clustered) return NC_ERR_STATE;
    if (i >= ix->n_clusters || j >= ix->clusters[i].size) return NC_ERR_INVALID_ARG;
    uint32_t d = ix->members[ix->clusters[i].first + j];
    out->doc = ix->docs.a[d].d;
    out->duplicate_of = ix->dup_of[d] == NC_EMPTY ? NULL : ix->docs.a[ix->dup_of[d]].d.id;
    out->score = ix->score[d];
    return NC_OK;
}

nc_status nc_index_get_info(const nc_index *ix, nc_index_info *out)
{
    if (!ix || !out) return NC_ERR_INVALID_ARG;
    *out = ix->info;
    return NC_OK;
}
