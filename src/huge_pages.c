/*
 * huge_pages.c - transparent huge pages for the engine's large arrays.
 *
 * Why: a 1M-document run first-touches about 2 GB of fresh memory (its
 * arrays are freed and others allocated, stage by stage), and on a virtual
 * machine each 4 KB page fault cost about 7 us: 3-5 s of system time in a
 * 14 s run.  With madvise(MADV_HUGEPAGE) on the arrays of 4 MB and more
 * the kernel backs them with 2 MB pages where it can: half the page faults
 * and less system time, with the same peak memory (README, "Huge
 * pages").  The whole of glibc's mapping is advised (the block's pages,
 * rounded out), so that a later realloc can still move it with one mremap;
 * the kernel uses huge pages only on the 2 MB-aligned part.  With THP set to
 * "never" the advice does nothing; with "always" it is redundant.  The
 * advice does not make a fresh array's first touch cheap (0.5-1.1 GB/s on
 * this VM, README "Huge pages"): where one stage's array dies as the next
 * one's is born, the engine hands the memory on by realloc instead.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "huge_pages.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int nc__huge_pages_range(const void *p, size_t bytes, size_t page, size_t *lo, size_t *hi)
{
    if (!p || bytes < NC_HUGE_PAGES_MIN || !page || (page & (page - 1))) return 0;
    uintptr_t a = (uintptr_t)p;
    if (a > UINTPTR_MAX - page || bytes > UINTPTR_MAX - page - a) return 0; /* wraps */
    *lo = (size_t)(a & ~(uintptr_t)(page - 1));
    *hi = (size_t)((a + bytes + page - 1) & ~(uintptr_t)(page - 1));
    return 1;
}

void nc__huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes < NC_HUGE_PAGES_MIN) return;
    long ps = sysconf(_SC_PAGESIZE); /* a cached value in glibc */
    size_t lo, hi;
    if (nc__huge_pages_range(p, bytes, ps > 0 ? (size_t)ps : 4096, &lo, &hi))
        (void)madvise((void *)(uintptr_t)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
