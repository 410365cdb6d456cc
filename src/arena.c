/*
 * arena.c - bump allocator: a chain of blocks of at least 1 MiB; a request
 * larger than a block gets a block of its own.
 */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct nc_arena_block {
    nc_arena_block *next;
    size_t size, used;
    /* data follows, 8-aligned */
};

#define NC_ARENA_BLOCK (1u << 20)
#define NC_ARENA_HDR ((sizeof(nc_arena_block) + 7u) & ~(size_t)7u)

void *nc__arena_alloc(nc_arena *a, size_t n)
{
    if (n > (size_t)-1 - 7u - NC_ARENA_HDR) return NULL; /* the sizes below would wrap */
    n = (n + 7u) & ~(size_t)7u;
    nc_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > NC_ARENA_BLOCK ? n : NC_ARENA_BLOCK;
        b = malloc(NC_ARENA_HDR + size);
        if (!b) return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b + NC_ARENA_HDR + b->used;
    b->used += n;
    a->used_total += n;
    return p;
}

char *nc__arena_strdup(nc_arena *a, const char *s, int *ok)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = nc__arena_alloc(a, n);
    if (!p) {
        *ok = 0;
        return NULL;
    }
    memcpy(p, s, n);
    return p;
}

void nc__arena_free(nc_arena *a)
{
    nc_arena_block *b = a->head;
    while (b) {
        nc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}
