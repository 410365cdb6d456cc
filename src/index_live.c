/*
 * index_live.c - the live index: stable cluster ids, documents assigned to a
 * story as they are added, and queries.
 *
 * Stable ids.  nc_index_cluster recomputes every cluster from scratch; the
 * ids are then carried over from the documents' previous ids: each new
 * cluster keeps the old id that most of its members had, pairs taken
 * greedily by that count (then the older id, then the cluster's output
 * position), so a story that only grew keeps its id, a story that split
 * keeps it in its biggest part, and two stories that merged keep the id of
 * the bigger side.  Clusters left without an old id get fresh ids in output
 * order.  The first clustering of an index therefore numbers its clusters
 * 0, 1, 2... in output order, as before ids were stable.
 *
 * Assignment at add time.  After its first clustering, an index is live:
 * nc_index_add computes the new document's features at once and compares it
 * with every stored document by the same IDF-weighted cosine as the batch
 * (term lists: for each term, the documents holding it with their unit
 * weight, so a comparison costs the lists of the document's own terms).  The
 * document joins the cluster with the best average similarity to its
 * members (average linkage of one document, the batch's rule) when that
 * reaches the story threshold and the window allows, or the cluster of its
 * most similar document when that one is a near-copy; otherwise it opens a
 * new cluster with a fresh id.  The next nc_index_cluster recomputes and
 * keeps these ids as above.  Documents added since the term lists were built
 * are compared one by one; the lists are rebuilt once there are about
 * sqrt(n) of those, which balances the two costs.
 */
#include "index_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NC_NONE UINT32_MAX /* no document; no token (nc__index_token_lookup) */

typedef struct post_ent {
    uint32_t doc;
    float u; /* the term's weight in the document's unit vector */
} post_ent;

typedef struct id_stat {
    uint32_t size;
    int64_t tmin, tmax; /* NC_TIME_UNKNOWN: no dated member */
} id_stat;

typedef struct id_acc {
    double sum;     /* sum of cosines to the members */
    double best;    /* cosine of the most similar member */
    uint32_t near;  /* that member */
    uint32_t touch; /* 1 while in the touched list */
} id_acc;

typedef struct qterm {
    uint32_t tok;
    float u;
} qterm;

struct nc_live {
    size_t n_listed; /* documents [0, n_listed) are in the term lists */
    size_t n_terms;  /* terms with a list */
    size_t *off;     /* n_terms + 1 */
    post_ent *ent;
    NC_VEC(float) norm;     /* every document's story norm (0: no terms) */
    NC_VEC(double) idf_new; /* IDF of the terms new since the clustering */
    NC_VEC(id_stat) ids;    /* by cluster id, [0, next_id) */
    int counted;            /* ids holds the clusters' sizes and spans */
    NC_VEC(double) acc_doc;
    NC_VEC(uint32_t) touched_docs;
    NC_VEC(id_acc) acc_id;
    NC_VEC(uint32_t) touched_ids;
    NC_VEC(qterm) q;
};

/* ---------------------------------------------------------------- stable ids */

typedef struct id_vote {
    uint32_t count, cluster;
    int64_t old;
} id_vote;

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_vote(const void *x, const void *y)
{
    const id_vote *a = x, *b = y;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    if (a->old != b->old) return a->old < b->old ? -1 : 1;
    return a->cluster < b->cluster ? -1 : a->cluster > b->cluster;
}

int nc__ids_plan(nc_index *ix, const ixcluster *clusters, size_t nc, const uint32_t *members,
                 int64_t *ids)
{
    size_t n = ix->docs.n;
    if (!ix->doc_cluster.a) { /* first clustering: no document had an id */
        if (NC_VEC_RESERVE(&ix->doc_cluster, n + 1)) return -1;
        for (size_t d = 0; d < n; d++)
            ix->doc_cluster.a[d] = -1;
        ix->doc_cluster.n = n;
    }
    for (size_t c = 0; c < nc; c++)
        ids[c] = -1;
    const int64_t *prior = ix->doc_cluster.a;
    size_t with = 0;
    for (size_t d = 0; d < n; d++)
        with += prior[d] >= 0;
    if (with > 0) {
        id_vote *votes = malloc((with + 1) * sizeof *votes);
        int64_t *tmp = malloc((n + 1) * sizeof *tmp);
        size_t tcap = 16;
        while (tcap < 2 * with)
            tcap *= 2;
        int64_t *taken = malloc(tcap * sizeof *taken); /* old ids given: a hash set */
        if (!votes || !tmp || !taken) {
            free(votes);
            free(tmp);
            free(taken);
            return -1;
        }
        for (size_t i = 0; i < tcap; i++)
            taken[i] = -1;
        size_t nv = 0;
        for (size_t c = 0; c < nc; c++) {
            size_t m = 0;
            for (uint32_t i = 0; i < clusters[c].size; i++) {
                int64_t o = prior[members[clusters[c].first + i]];
                if (o >= 0) tmp[m++] = o;
            }
            if (m > 1) qsort(tmp, m, sizeof *tmp, cmp_i64);
            for (size_t i = 0; i < m;) {
                size_t j = i + 1;
                while (j < m && tmp[j] == tmp[i])
                    j++;
                votes[nv++] = (id_vote){(uint32_t)(j - i), (uint32_t)c, tmp[i]};
                i = j;
            }
        }
        qsort(votes, nv, sizeof *votes, cmp_vote);
        for (size_t v = 0; v < nv; v++) {
            const id_vote *x = &votes[v];
            if (ids[x->cluster] >= 0 || x->old >= ix->next_id) continue;
            size_t h = (size_t)((uint64_t)x->old * 0x9E3779B97F4A7C15ull >> 20) & (tcap - 1);
            while (taken[h] >= 0 && taken[h] != x->old)
                h = (h + 1) & (tcap - 1);
            if (taken[h] == x->old) continue;
            ids[x->cluster] = x->old;
            taken[h] = x->old;
        }
        free(votes);
        free(tmp);
        free(taken);
    }
    int64_t next = ix->next_id;
    for (size_t c = 0; c < nc; c++)
        if (ids[c] < 0) ids[c] = next++;
    return 0;
}

void nc__ids_commit(nc_index *ix, ixcluster *clusters, size_t nc, const uint32_t *members,
                    const int64_t *ids)
{
    for (size_t c = 0; c < nc; c++) {
        clusters[c].id = ids[c];
        for (uint32_t i = 0; i < clusters[c].size; i++)
            ix->doc_cluster.a[members[clusters[c].first + i]] = ids[c];
        if (ids[c] >= ix->next_id) ix->next_id = ids[c] + 1;
    }
    ix->n_norm = ix->docs.n;
    ix->live = 1;
    nc__live_reset(ix);
}

/* ---------------------------------------------------------------- the cache */

void nc__live_reset(nc_index *ix)
{
    struct nc_live *lc = ix->lc;
    if (!lc) return;
    free(lc->off);
    free(lc->ent);
    free(lc->norm.a);
    free(lc->idf_new.a);
    free(lc->ids.a);
    free(lc->acc_doc.a);
    free(lc->touched_docs.a);
    free(lc->acc_id.a);
    free(lc->touched_ids.a);
    free(lc->q.a);
    free(lc);
    ix->lc = NULL;
}

/* IDF of term @p tok: the clustering's, or (a term new since) the cached
 * nc__index_idf, which looks the background up. */
static double idf_of(const nc_index *ix, const struct nc_live *lc, uint32_t tok)
{
    return tok < ix->n_idf ? ix->idf[tok] : lc->idf_new.a[tok - ix->n_idf];
}

/* Story norm of document @p d as the batch computes it (set_idf's IDF). */
static float doc_norm(const nc_index *ix, const struct nc_live *lc, size_t d)
{
    if (d < ix->n_norm) return ix->norm[d];
    const ixdoc *x = &ix->docs.a[d];
    double s = 0.0;
    for (uint32_t t = 0; x->tok && t < x->n_tok; t++) {
        double w = (double)x->tok[t].w * idf_of(ix, lc, x->tok[t].tok);
        s += w * w;
    }
    return (float)sqrt(s);
}

/* Norms of every document with features, scratch sized for the documents
 * and ids.  @return 0 or -1 (out of memory; the cache stays usable). */
static int cache_grow(nc_index *ix, struct nc_live *lc)
{
    size_t n = ix->docs.n;
    size_t ni = (size_t)ix->next_id;
    size_t nnew = ix->tok_df.n - ix->n_idf;
    if (NC_VEC_RESERVE(&lc->idf_new, nnew + 1)) return -1;
    for (size_t t = lc->idf_new.n; t < nnew; t++)
        lc->idf_new.a[t] = nc__index_idf(ix, (uint32_t)(ix->n_idf + t));
    lc->idf_new.n = nnew;
    if (NC_VEC_RESERVE(&lc->norm, n + 1) || NC_VEC_RESERVE(&lc->acc_doc, n + 1) ||
        NC_VEC_RESERVE(&lc->ids, ni + 1) || NC_VEC_RESERVE(&lc->acc_id, ni + 1))
        return -1;
    for (size_t d = lc->norm.n; d < n; d++)
        lc->norm.a[d] = ix->docs.a[d].tok ? doc_norm(ix, lc, d) : 0.0f;
    lc->norm.n = n;
    for (size_t d = lc->acc_doc.n; d < n; d++)
        lc->acc_doc.a[d] = 0.0;
    lc->acc_doc.n = n;
    for (size_t i = lc->ids.n; i < ni; i++)
        lc->ids.a[i] = (id_stat){0, NC_TIME_UNKNOWN, NC_TIME_UNKNOWN};
    lc->ids.n = ni;
    for (size_t i = lc->acc_id.n; i < ni; i++)
        lc->acc_id.a[i] = (id_acc){0.0, 0.0, NC_NONE, 0};
    lc->acc_id.n = ni;
    return 0;
}

static void stat_add(id_stat *s, int64_t t)
{
    s->size++;
    if (t == NC_TIME_UNKNOWN) return;
    if (s->tmin == NC_TIME_UNKNOWN || t < s->tmin) s->tmin = t;
    if (s->tmax == NC_TIME_UNKNOWN || t > s->tmax) s->tmax = t;
}

/* Term lists of documents [0, n): counted, then filled in document order,
 * so each list is sorted by document.  @return 0 or -1. */
static int build_lists(nc_index *ix, struct nc_live *lc)
{
    size_t n = ix->docs.n, nt = ix->tok_df.n, total = 0;
    size_t *off = calloc(nt + 2, sizeof *off);
    if (!off) return -1;
    for (size_t d = 0; d < n; d++) {
        const ixdoc *x = &ix->docs.a[d];
        if (!x->tok || lc->norm.a[d] <= 0.0f) continue;
        for (uint32_t t = 0; t < x->n_tok; t++)
            off[x->tok[t].tok + 2]++;
        total += x->n_tok;
    }
    post_ent *ent = malloc((total + 1) * sizeof *ent);
    if (!ent) {
        free(off);
        return -1;
    }
    for (size_t t = 0; t < nt; t++) /* off[t + 2] counts; off[t + 1] becomes the fill cursor */
        off[t + 2] += off[t + 1];
    for (size_t d = 0; d < n; d++) {
        const ixdoc *x = &ix->docs.a[d];
        float nd = lc->norm.a[d];
        if (!x->tok || nd <= 0.0f) continue;
        for (uint32_t t = 0; t < x->n_tok; t++) {
            uint32_t k = x->tok[t].tok;
            double u = (double)x->tok[t].w * idf_of(ix, lc, k) / (double)nd;
            ent[off[k + 1]++] = (post_ent){(uint32_t)d, (float)u};
        }
    }
    free(lc->off);
    free(lc->ent);
    lc->off = off; /* off[t] .. off[t + 1]: term t's list */
    lc->ent = ent;
    lc->n_terms = nt;
    lc->n_listed = n;
    return 0;
}

/* The cache, made or brought up to date.  @return it, or NULL (out of memory). */
static struct nc_live *live_cache(nc_index *ix)
{
    struct nc_live *lc = ix->lc;
    if (!lc) {
        lc = calloc(1, sizeof *lc);
        if (!lc) return NULL;
        ix->lc = lc;
    }
    if (cache_grow(ix, lc)) return NULL;
    if (!lc->counted) { /* once, also when a first try ran out of memory */
        for (size_t d = 0; d < ix->docs.n; d++)
            if (ix->doc_cluster.a[d] >= 0)
                stat_add(&lc->ids.a[ix->doc_cluster.a[d]], ix->docs.a[d].d.published);
        lc->counted = 1;
    }
    /* documents not in the lists are compared one by one: rebuilding after
     * about sqrt(n) of them balances that against the rebuild's cost */
    size_t recent = ix->docs.n - lc->n_listed;
    if (!lc->ent || recent > 64 + 2 * (size_t)sqrt((double)lc->n_listed)) {
        if (build_lists(ix, lc)) return NULL;
    }
    return lc;
}

/* ---------------------------------------------------------------- scoring */

/* Whether a document published at @p t may join a cluster of stats @p s
 * (the batch's rule: a story spans at most the window). */
static int window_allows(const nc_index *ix, const id_stat *s, int64_t t)
{
    int64_t w = nc__index_window(ix);
    if (w == 0 || t == NC_TIME_UNKNOWN || s->tmin == NC_TIME_UNKNOWN) return 1;
    int64_t lo = t < s->tmin ? t : s->tmin, hi = t > s->tmax ? t : s->tmax;
    return hi - lo <= w;
}

/* Add @p v to document @p d's cosine (weights are positive: a document
 * with a sum is in the touched list); out of memory leaves it untouched. */
static void touch_doc(struct nc_live *lc, uint32_t d, double v, int *oom)
{
    if (v == 0.0) return;
    if (lc->acc_doc.a[d] == 0.0 && NC_VEC_PUSH(&lc->touched_docs, d)) {
        *oom = 1;
        return;
    }
    lc->acc_doc.a[d] += v;
}

/* Cosines of the query (unit terms lc->q, sorted by token) to every stored
 * document but @p self, folded by cluster id into lc->acc_id (touched ids
 * listed).  @return 0 or -1 (out of memory; the scratch is left clean). */
static int score_all(nc_index *ix, struct nc_live *lc, size_t self)
{
    int oom = 0;
    const qterm *q = lc->q.a;
    size_t nq = lc->q.n;
    for (size_t i = 0; i < nq; i++) {
        if (q[i].tok >= lc->n_terms) continue;
        for (size_t e = lc->off[q[i].tok]; e < lc->off[q[i].tok + 1]; e++)
            if (lc->ent[e].doc != self)
                touch_doc(lc, lc->ent[e].doc, (double)q[i].u * lc->ent[e].u, &oom);
    }
    for (size_t d = lc->n_listed; d < ix->docs.n; d++) { /* not yet in the lists */
        const ixdoc *x = &ix->docs.a[d];
        float nd = lc->norm.a[d];
        if (d == self || !x->tok || nd <= 0.0f) continue;
        double s = 0.0;
        for (size_t i = 0, j = 0; i < nq && j < x->n_tok;) {
            if (q[i].tok < x->tok[j].tok) {
                i++;
            } else if (q[i].tok > x->tok[j].tok) {
                j++;
            } else {
                uint32_t k = q[i].tok;
                s += (double)q[i].u * x->tok[j].w * idf_of(ix, lc, k) / (double)nd;
                i++;
                j++;
            }
        }
        touch_doc(lc, (uint32_t)d, s, &oom);
    }
    for (size_t i = 0; i < lc->touched_docs.n; i++) {
        uint32_t d = lc->touched_docs.a[i];
        double v = lc->acc_doc.a[d];
        lc->acc_doc.a[d] = 0.0;
        int64_t id = ix->doc_cluster.a[d];
        if (id < 0 || oom) continue;
        id_acc *a = &lc->acc_id.a[id];
        if (!a->touch) {
            if (NC_VEC_PUSH(&lc->touched_ids, (uint32_t)id)) {
                oom = 1;
                continue;
            }
            a->touch = 1;
        }
        a->sum += v;
        if (a->near == NC_NONE || v > a->best || (v == a->best && d < a->near)) {
            a->best = v;
            a->near = d;
        }
    }
    lc->touched_docs.n = 0;
    return oom ? -1 : 0;
}

static void clear_ids(struct nc_live *lc)
{
    for (size_t i = 0; i < lc->touched_ids.n; i++)
        lc->acc_id.a[lc->touched_ids.a[i]] = (id_acc){0.0, 0.0, NC_NONE, 0};
    lc->touched_ids.n = 0;
}

static int cmp_qterm(const void *x, const void *y)
{
    const qterm *a = x, *b = y;
    return a->tok < b->tok ? -1 : a->tok > b->tok;
}

/* One match of the touched cluster @p id for a document published at @p t. */
static nc_match match_of(const nc_index *ix, const struct nc_live *lc, uint32_t id, int64_t t)
{
    const id_acc *a = &lc->acc_id.a[id];
    const id_stat *s = &lc->ids.a[id];
    nc_match m;
    m.cluster = id;
    m.size = s->size;
    m.score = s->size ? a->sum / s->size : 0.0;
    m.nearest = a->near;
    m.nearest_score = a->best;
    m.joins = m.score >= ix->p.story_threshold && window_allows(ix, s, t);
    return m;
}

static int better(const nc_match *a, const nc_match *b)
{
    if (a->score != b->score) return a->score > b->score;
    return a->cluster < b->cluster;
}

nc_status nc__live_assign(nc_index *ix, size_t ord, nc_assignment *out)
{
    nc_status st = nc__index_features_now(ix);
    if (st != NC_OK) return st;
    struct nc_live *lc = live_cache(ix);
    if (!lc) return NC_ERR_NOMEM;
    const ixdoc *x = &ix->docs.a[ord];
    float nd = lc->norm.a[ord];
    lc->q.n = 0;
    if (NC_VEC_RESERVE(&lc->q, (size_t)x->n_tok + 1)) return NC_ERR_NOMEM;
    for (uint32_t t = 0; nd > 0.0f && t < x->n_tok; t++) /* x->tok is sorted by token */
        lc->q.a[lc->q.n++] =
            (qterm){x->tok[t].tok,
                    (float)((double)x->tok[t].w * idf_of(ix, lc, x->tok[t].tok) / (double)nd)};
    if (score_all(ix, lc, ord)) {
        clear_ids(lc);
        return NC_ERR_NOMEM;
    }
    int64_t t = x->d.published;
    /* a near-copy of its most similar document goes where that one is */
    nc_match best = {.cluster = -1}, copy = {.cluster = -1};
    double top = 0.0;
    uint32_t top_doc = NC_NONE;
    for (size_t i = 0; i < lc->touched_ids.n; i++) {
        nc_match m = match_of(ix, lc, lc->touched_ids.a[i], t);
        if (m.nearest_score > top || (m.nearest_score == top && m.nearest < top_doc)) {
            top = m.nearest_score;
            top_doc = (uint32_t)m.nearest;
            copy = m;
        }
        if (m.joins && (best.cluster < 0 || better(&m, &best))) best = m;
    }
    clear_ids(lc);
    int64_t id = -1, dup = -1;
    if (top_doc != NC_NONE && window_allows(ix, &lc->ids.a[copy.cluster], t) &&
        nc__dup_is_copy(ix, top_doc, (uint32_t)ord)) {
        id = copy.cluster;
        dup = top_doc;
    } else if (best.cluster >= 0) {
        id = best.cluster;
    }
    if (id < 0) { /* a new story */
        if (NC_VEC_RESERVE(&lc->ids, (size_t)ix->next_id + 1) ||
            NC_VEC_RESERVE(&lc->acc_id, (size_t)ix->next_id + 1))
            return NC_ERR_NOMEM;
        id = ix->next_id++;
        lc->ids.a[lc->ids.n++] = (id_stat){0, NC_TIME_UNKNOWN, NC_TIME_UNKNOWN};
        lc->acc_id.a[lc->acc_id.n++] = (id_acc){0.0, 0.0, NC_NONE, 0};
    }
    stat_add(&lc->ids.a[id], t);
    ix->doc_cluster.a[ord] = id;
    if (out) {
        out->cluster = id;
        out->duplicate = dup;
    }
    return NC_OK;
}

nc_status nc_index_query(const nc_index *cix, const nc_doc *d, nc_match *out, size_t cap, size_t *n)
{
    if (n) *n = 0;
    if (!cix || !d || !n || (cap && !out)) return NC_ERR_INVALID_ARG;
    if (!cix->live) return NC_ERR_STATE;
    nc_index *ix = (nc_index *)cix;            /* only the cache and the featurizer change */
    nc_status st = nc__index_features_now(ix); /* documents whose add failed */
    if (st != NC_OK) return st;
    struct nc_live *lc = live_cache(ix);
    if (!lc) return NC_ERR_NOMEM;
    const nc_story_tok *terms;
    size_t nt;
    st = nc__index_doc_terms(ix, d, &terms, &nt);
    if (st != NC_OK) return st;
    lc->q.n = 0;
    if (NC_VEC_RESERVE(&lc->q, nt + 1)) return NC_ERR_NOMEM;
    double s2 = 0.0;
    for (size_t i = 0; i < nt; i++) {
        uint32_t tok;
        if (nc__index_token_lookup(ix, terms[i].hash, &tok)) return NC_ERR_NOMEM;
        double idf =
            tok == UINT32_MAX ? nc__index_idf_unseen(ix, terms[i].hash) : idf_of(ix, lc, tok);
        double w = (double)terms[i].weight * idf;
        s2 += w * w;
        if (tok != NC_NONE) lc->q.a[lc->q.n++] = (qterm){tok, (float)w};
    }
    double norm = sqrt(s2);
    for (size_t i = 0; i < lc->q.n; i++)
        lc->q.a[i].u = norm > 0.0 ? (float)(lc->q.a[i].u / norm) : 0.0f;
    if (norm <= 0.0) lc->q.n = 0;
    qsort(lc->q.a, lc->q.n, sizeof *lc->q.a, cmp_qterm);
    if (score_all(ix, lc, SIZE_MAX)) {
        clear_ids(lc);
        return NC_ERR_NOMEM;
    }
    /* the best cap by (score desc, id asc): insertion into the short output */
    size_t k = 0;
    for (size_t i = 0; i < lc->touched_ids.n && cap; i++) {
        nc_match m = match_of(ix, lc, lc->touched_ids.a[i], d->published);
        if (k == cap && !better(&m, &out[k - 1])) continue;
        size_t j = k < cap ? k++ : k - 1;
        while (j > 0 && better(&m, &out[j - 1])) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = m;
    }
    clear_ids(lc);
    *n = k;
    return NC_OK;
}
