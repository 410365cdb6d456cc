/*
 * arena.h - a bump allocator for the index's strings and feature arrays
 * (internal).  Memory is released all at once by nc__arena_free; no
 * per-object frees, no per-document small mallocs on the hot path.
 */
#ifndef NC_ARENA_H
#define NC_ARENA_H

#include <stddef.h>

typedef struct nc_arena_block nc_arena_block;
typedef struct nc_arena {
    nc_arena_block *head;
    size_t used_total; /**< bytes handed out, for statistics */
} nc_arena;

/** @return @p n bytes aligned to 8, or NULL when out of memory. */
void *nc__arena_alloc(nc_arena *a, size_t n);
/** Copy @p s (NULL gives NULL; *ok set to 0 on out-of-memory). */
char *nc__arena_strdup(nc_arena *a, const char *s, int *ok);
/** Release every block.  The arena is empty and reusable afterwards. */
void nc__arena_free(nc_arena *a);

#endif
