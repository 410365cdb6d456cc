/*
 * unionfind.h - disjoint sets over 0..n-1 (internal).
 */
#ifndef NC_UNIONFIND_H
#define NC_UNIONFIND_H

#include <stddef.h>
#include <stdint.h>

typedef struct nc_uf {
    uint32_t *parent;
    uint32_t *size;
    size_t n;
} nc_uf;

/** @return 0, or -1 when out of memory (uf left empty). */
int nc__uf_init(nc_uf *uf, size_t n);
void nc__uf_free(nc_uf *uf);
/** Root of @p x (path halving). */
uint32_t nc__uf_find(nc_uf *uf, uint32_t x);
/** Join the sets of a and b; the smaller root goes under the larger set; ties:
 *  the lower root index stays root, so the result does not depend on the
 *  order of equal-size unions' arguments.  @return the new root. */
uint32_t nc__uf_union(nc_uf *uf, uint32_t a, uint32_t b);
/** Invariant check for tests: every parent chain ends at a root whose size
 *  equals the number of elements reaching it.  @return 1 if valid. */
int nc__uf_validate(nc_uf *uf);

#endif
