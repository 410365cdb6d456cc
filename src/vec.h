/*
 * vec.h - a growable array of any element type (internal).
 *
 *   NC_VEC(uint32_t) v = {0};
 *   if (NC_VEC_PUSH(&v, 42) != 0) return NC_ERR_NOMEM;
 *   free(v.a);
 *
 * Capacity doubles; NC_VEC_PUSH returns 0 or -1 (out of memory, vector unchanged).
 * A vector of 4 MB and more is advised huge pages (huge_pages.h).
 */
#ifndef NC_VEC_H
#define NC_VEC_H

#include "huge_pages.h"

#include <stdlib.h>

#define NC_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *a;                                                                                      \
        size_t n, cap;                                                                             \
    }

/** Make room for @p need elements in total.  @return 0 or -1. */
static inline int nc__vec_reserve(void **a, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    if (c > ((size_t)-1) / elem) return -1;
    void *p = nc__big_realloc(*a, c * elem);
    if (!p) return -1;
    *a = p;
    *cap = c;
    return 0;
}

#define NC_VEC_RESERVE(v, need) nc__vec_reserve((void **)&(v)->a, &(v)->cap, (need), sizeof *(v)->a)
#define NC_VEC_PUSH(v, x) (NC_VEC_RESERVE((v), (v)->n + 1) ? -1 : ((v)->a[(v)->n++] = (x), 0))

#endif
