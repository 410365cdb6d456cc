/*
 * radix_sort.h - LSD radix sorts for the engine's large arrays (internal).
 */
#ifndef NC_RADIX_SORT_H
#define NC_RADIX_SORT_H

#include <stddef.h>
#include <stdint.h>

/** Sort @p a[0..n) ascending.  @return 0, or -1 when the scratch buffer
 *  cannot be allocated (then @p a is sorted with qsort instead). */
int nc__radix_sort_u64(uint64_t *a, size_t n);

/** A 64-bit key with a 32-bit payload. */
typedef struct nc_keyed {
    uint64_t key;
    uint32_t val;
    uint32_t pad;
} nc_keyed;

/** Stable sort of @p a[0..n) by key (equal keys keep their input order). */
int nc__radix_sort_keyed(nc_keyed *a, size_t n);

#endif
