/*
 * unionfind.c - union-find (disjoint-set forest) with union by size and path
 * halving: near-constant amortised time per operation.  Used to group
 * verified near-duplicate pairs and the members of a Google News item.
 */
#include "unionfind.h"

#include <stdlib.h>

int nc__uf_init(nc_uf *uf, size_t n)
{
    uf->parent = malloc((n ? n : 1) * sizeof *uf->parent);
    uf->size = malloc((n ? n : 1) * sizeof *uf->size);
    if (!uf->parent || !uf->size) {
        free(uf->parent);
        free(uf->size);
        uf->parent = uf->size = NULL;
        uf->n = 0;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uf->parent[i] = (uint32_t)i;
        uf->size[i] = 1;
    }
    uf->n = n;
    return 0;
}

void nc__uf_free(nc_uf *uf)
{
    free(uf->parent);
    free(uf->size);
    uf->parent = uf->size = NULL;
    uf->n = 0;
}

uint32_t nc__uf_find(nc_uf *uf, uint32_t x)
{
    while (uf->parent[x] != x) {
        uf->parent[x] = uf->parent[uf->parent[x]];
        x = uf->parent[x];
    }
    return x;
}

uint32_t nc__uf_union(nc_uf *uf, uint32_t a, uint32_t b)
{
    a = nc__uf_find(uf, a);
    b = nc__uf_find(uf, b);
    if (a == b) return a;
    if (uf->size[a] < uf->size[b] || (uf->size[a] == uf->size[b] && b < a)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uf->parent[b] = a;
    uf->size[a] += uf->size[b];
    return a;
}

int nc__uf_validate(nc_uf *uf)
{
    uint32_t *count = calloc(uf->n ? uf->n : 1, sizeof *count);
    if (!count) return 0;
    int ok = 1;
    for (size_t i = 0; i < uf->n; i++) {
        uint32_t x = (uint32_t)i;
        size_t steps = 0;
        while (uf->parent[x] != x && steps++ <= uf->n)
            x = uf->parent[x];
        if (uf->parent[x] != x)
            ok = 0;
        else
            count[x]++;
    }
    for (size_t i = 0; ok && i < uf->n; i++)
        if (uf->parent[i] == i && count[i] != uf->size[i]) ok = 0;
    free(count);
    return ok;
}
