/*
 * huge_pages.h - nc__huge_pages(p, bytes): ask the kernel to back a large
 * array with transparent huge pages, and nc__big_malloc / nc__big_calloc /
 * nc__big_realloc, the allocations that do so (internal).
 */
#ifndef NC_HUGE_PAGES_H
#define NC_HUGE_PAGES_H

#include <stddef.h>
#include <stdlib.h>

/** Arrays smaller than this are left alone (4 MB: two huge pages). */
#define NC_HUGE_PAGES_MIN ((size_t)4 << 20)

/** Advise huge pages for the pages of [p, p + bytes), a block from malloc,
 *  calloc or realloc not yet (mostly) written, when bytes is at least
 *  NC_HUGE_PAGES_MIN.  Only a hint: p may be NULL, failure is ignored, and
 *  without MADV_HUGEPAGE it does nothing. */
void nc__huge_pages(void *p, size_t bytes);

/** The page-aligned range nc__huge_pages() advises for [p, p + bytes) with
 *  pages of @p page bytes (a power of two): *lo rounded down, *hi up.
 *  @return 0 when nothing is advised (p NULL, bytes below the minimum, page
 *  not a power of two, or the range would pass the end of the address
 *  space). */
int nc__huge_pages_range(const void *p, size_t bytes, size_t page, size_t *lo, size_t *hi);

/** malloc(@p bytes), advised huge pages when large (nc__huge_pages()).
 *  Freed with free(); NULL when out of memory. */
static inline void *nc__big_malloc(size_t bytes)
{
    void *p = malloc(bytes);
    nc__huge_pages(p, bytes);
    return p;
}

/** calloc(@p n, @p size), advised huge pages when large (a fresh mapping is
 *  not written by calloc, so the advice comes before the first touch).
 *  Freed with free(); NULL when out of memory or n * size overflows. */
static inline void *nc__big_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p) nc__huge_pages(p, n * size);
    return p;
}

/** realloc(@p p, @p bytes), the result advised huge pages when large.
 *  NULL when out of memory (p is then unchanged and still owned). */
static inline void *nc__big_realloc(void *p, size_t bytes)
{
    void *q = realloc(p, bytes);
    nc__huge_pages(q, bytes);
    return q;
}

#endif
