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

/** Stable sort of @p a[0..n) by the high 32 bits only (3 passes of 11 bits
 *  instead of up to 8): ascending order when the low halves already ascend
 *  within each high value, as in (band key << 32 | document) built in
 *  document order.  @return as nc__radix_sort_u64. */
int nc__radix_sort_u64_hi32(uint64_t *a, size_t n);

/** A 64-bit key with a 32-bit payload. */
typedef struct nc_keyed {
    uint64_t key;
    uint32_t val;
    uint32_t pad;
} nc_keyed;

/** Stable sort of @p a[0..n) by key (equal keys keep their input order). */
int nc__radix_sort_keyed(nc_keyed *a, size_t n);

#endif
