/*
 * cluster.c - story clustering: agglomeration with average or centroid
 * linkage, computed exactly from centroid sums over a sparse candidate graph.
 *
 * Why not single linkage: connected components of similar pairs chain
 * unrelated stories through one ambiguous headline.  Average linkage asks a
 * document to be similar to the story as a whole.
 *
 * Why it is cheap: with unit vectors, the sum of all pairwise cosines
 * between clusters A and B equals S_A . S_B, where S is the sum of the
 * members' vectors.  So each cluster keeps only S (a sparse vector) and the
 * exact average linkage S_A . S_B / (|A| |B|) (or the centroid cosine
 * S_A . S_B / (||S_A|| ||S_B||)) is one sparse dot product, with no pair
 * list.  Which clusters are compared at all comes from the LSH candidate
 * edges: clusters with no candidate pair between them never merge.
 *
 * A max-heap holds (linkage, a, b, |a|, |b|); an entry is stale when a or b
 * has merged since (no longer a root, or its size changed) and is skipped,
 * since a linkage only changes when one of its clusters does.  Neighbour
 * lists may name clusters that have merged away; they are resolved to their
 * root when read.  Ties break on the cluster ids: deterministic.
 */
#include "cluster.h"

#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef NC_VEC(uint32_t) u32vec;

typedef struct heap_item {
    double link;
    uint32_t a, b;
    uint32_t sa, sb;
} heap_item;

typedef struct cl {
    u32vec nbr;   /* neighbour clusters (may be stale, resolved on read) */
    nc_vent *s;   /* S: sum of member unit vectors, sorted by tok */
    uint32_t s_len;
    uint32_t size;
    double norm2; /* ||S||^2 */
    int64_t tmin, tmax; /* INT64_MIN: no dated member */
} cl;

typedef struct heap {
    heap_item *a;
    size_t n, cap;
} heap;

static int better(const heap_item *x, const heap_item *y)
{
    if (x->link != y->link) return x->link > y->link;
    if (x->a != y->a) return x->a < y->a;
    return x->b < y->b;
}

static int heap_push(heap *h, heap_item it)
{
    if (h->n == h->cap) {
        size_t c = h->cap ? h->cap * 2 : 1024;
        heap_item *p = realloc(h->a, c * sizeof *p);
        if (!p) return -1;
        h->a = p;
        h->cap = c;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!better(&it, &h->a[up])) break;
        h->a[i] = h->a[up];
        i = up;
    }
    h->a[i] = it;
    return 0;
}

static heap_item heap_pop(heap *h)
{
    heap_item top = h->a[0];
    heap_item last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        const heap_item *bi = &last;
        if (l < h->n && better(&h->a[l], bi)) {
            best = l;
            bi = &h->a[l];
        }
        if (r < h->n && better(&h->a[r], bi)) best = r;
        if (best == i) break;
        h->a[i] = h->a[best];
        i = best;
    }
    if (h->n) h->a[i] = last;
    return top;
}

static double dot(const cl *x, const cl *y)
{
    const nc_vent *a = x->s, *b = y->s;
    uint32_t i = 0, j = 0, na = x->s_len, nb = y->s_len;
    double d = 0.0;
    while (i < na && j < nb) {
        if (a[i].tok == b[j].tok) d += (double)a[i++].w * (double)b[j++].w;
        else if (a[i].tok < b[j].tok) i++;
        else j++;
    }
    return d;
}

static double linkage(const cl *x, const cl *y, int kind)
{
    double d = dot(x, y);
    if (d <= 0.0) return 0.0;
    if (kind == NC_LINK_CENTROID) {
        double nn = sqrt(x->norm2 * y->norm2);
        return nn > 0.0 ? d / nn : 0.0;
    }
    return d / ((double)x->size * (double)y->size);
}

/* S_x += S_y (sorted merge); recomputes norm2.  @return 0 or -1. */
static int vec_add(cl *x, const cl *y)
{
    nc_vent *out = malloc(((size_t)x->s_len + y->s_len + 1) * sizeof *out);
    if (!out) return -1;
    uint32_t i = 0, j = 0, n = 0;
    while (i < x->s_len || j < y->s_len) {
        if (j == y->s_len || (i < x->s_len && x->s[i].tok < y->s[j].tok)) out[n++] = x->s[i++];
        else if (i == x->s_len || y->s[j].tok < x->s[i].tok) out[n++] = y->s[j++];
        else {
            out[n] = x->s[i++];
            out[n++].w += y->s[j++].w;
        }
    }
    double n2 = 0.0;
    for (uint32_t k = 0; k < n; k++) n2 += (double)out[k].w * (double)out[k].w;
    free(x->s);
    x->s = out;
    x->s_len = n;
    x->norm2 = n2;
    return 0;
}

/* Resolve neighbours to current roots, drop self and repeats. */
static void resolve_nbrs(u32vec *v, uint32_t self, nc_uf *uf, uint32_t *mark, uint32_t stamp)
{
    size_t m = 0;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t r = nc__uf_find(uf, v->a[i]);
        if (r == self || mark[r] == stamp) continue;
        mark[r] = stamp;
        v->a[m++] = r;
    }
    v->n = m;
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

/* Initial S of every root: its members' vectors added up. */
static int init_vectors(cl *c, size_t n, nc_uf *uf, const nc_cluster_opts *o)
{
    for (size_t d = 0; d < n; d++) {
        uint32_t r = nc__uf_find(uf, (uint32_t)d);
        cl one = {0};
        one.s = (nc_vent *)o->vec[d]; /* read only */
        one.s_len = o->vec_len[d];
        if (c[r].s == NULL && c[r].s_len == 0) {
            c[r].s = malloc(((size_t)one.s_len + 1) * sizeof *c[r].s);
            if (!c[r].s) return -1;
            memcpy(c[r].s, one.s, one.s_len * sizeof *one.s);
            c[r].s_len = one.s_len;
            double n2 = 0.0;
            for (uint32_t k = 0; k < one.s_len; k++) n2 += (double)one.s[k].w * one.s[k].w;
            c[r].norm2 = n2;
        } else if (vec_add(&c[r], &one)) {
            return -1;
        }
    }
    return 0;
}

int nc__cluster_agglomerate(nc_uf *uf, const nc_edge *edges, size_t n_edges,
                            const nc_cluster_opts *o)
{
    size_t n = uf->n;
    int rc = -1;
    cl *c = calloc(n ? n : 1, sizeof *c);
    uint32_t *mark = calloc(n ? n : 1, sizeof *mark);
    uint32_t stamp = 0;
    heap h = {0};
    if (!c || !mark) goto out;
    for (size_t i = 0; i < n; i++) c[i].tmin = c[i].tmax = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = nc__uf_find(uf, (uint32_t)i);
        c[r].size++;
        add_time(&c[r], o->time ? o->time[i] : INT64_MIN);
    }
    if (init_vectors(c, n, uf, o)) goto out;
    for (size_t i = 0; i < n_edges; i++) {
        uint32_t a = nc__uf_find(uf, edges[i].a), b = nc__uf_find(uf, edges[i].b);
        if (a == b) continue;
        if (NC_VEC_PUSH(&c[a].nbr, b) || NC_VEC_PUSH(&c[b].nbr, a)) goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!c[i].nbr.n) continue;
        resolve_nbrs(&c[i].nbr, (uint32_t)i, uf, mark, ++stamp);
        for (size_t j = 0; j < c[i].nbr.n; j++) {
            uint32_t d = c[i].nbr.a[j];
            if (d <= i) continue;
            double l = linkage(&c[i], &c[d], o->linkage);
            if (l < o->threshold) continue;
            if (heap_push(&h, (heap_item){l, (uint32_t)i, d, c[i].size, c[d].size})) goto out;
        }
    }
    while (h.n) {
        heap_item it = heap_pop(&h);
        if (nc__uf_find(uf, it.a) != it.a || nc__uf_find(uf, it.b) != it.b) continue;
        if (c[it.a].size != it.sa || c[it.b].size != it.sb) continue;
        if (!window_ok(&c[it.a], &c[it.b], o->window)) continue;
        uint32_t keep = nc__uf_union(uf, it.a, it.b);
        uint32_t gone = keep == it.a ? it.b : it.a;
        cl *k = &c[keep], *g = &c[gone];
        if (vec_add(k, g)) goto out;
        k->size += g->size;
        add_time(k, g->tmin);
        add_time(k, g->tmax);
        if (NC_VEC_RESERVE(&k->nbr, k->nbr.n + g->nbr.n)) goto out;
        memcpy(k->nbr.a + k->nbr.n, g->nbr.a, g->nbr.n * sizeof *g->nbr.a);
        k->nbr.n += g->nbr.n;
        free(g->nbr.a);
        free(g->s);
        memset(g, 0, sizeof *g);
        resolve_nbrs(&k->nbr, keep, uf, mark, ++stamp);
        for (size_t j = 0; j < k->nbr.n; j++) {
            uint32_t d = k->nbr.a[j];
            double l = linkage(k, &c[d], o->linkage);
            if (l < o->threshold) continue;
            uint32_t lo = keep < d ? keep : d, hi = keep < d ? d : keep;
            if (heap_push(&h, (heap_item){l, lo, hi, c[lo].size, c[hi].size})) goto out;
        }
    }
    rc = 0;
out:
    if (c)
        for (size_t i = 0; i < n; i++) {
            free(c[i].nbr.a);
            free(c[i].s);
        }
    free(c);
    free(mark);
    free(h.a);
    return rc;
}
