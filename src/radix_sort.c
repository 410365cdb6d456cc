/*
 * radix_sort.c - least-significant-digit radix sort, 8 passes of 8 bits,
 * skipping a pass when every key has the same byte there (common for the
 * high bytes of packed document pairs).  Linear time and stable, against
 * qsort's n log n comparisons through a function pointer: sorting the
 * candidate pairs and band keys was most of the clustering time.
 */
#include "radix_sort.h"

#include <stdlib.h>
#include <string.h>

#define RADIX_MIN 64 /* below this, insertion sort */

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

int nc__radix_sort_u64(uint64_t *a, size_t n)
{
    if (n < RADIX_MIN) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return 0;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_u64);
        return -1;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][(a[i] >> (8 * b)) & 0xFF]++;
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        if (count[b][(a[0] >> (8 * b)) & 0xFF] == n) continue; /* one value: no-op */
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[b][v];
            count[b][v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> (8 * b)) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return 0;
}

int nc__radix_sort_u64_hi32(uint64_t *a, size_t n)
{
    if (n < RADIX_MIN) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] >> 32 > v >> 32) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return 0;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_u64); /* the same order, given the precondition */
        return -1;
    }
    enum { BITS = 11, BUCKETS = 1 << BITS };
    size_t count[3][BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = (uint32_t)(a[i] >> 32);
        count[0][k & (BUCKETS - 1)]++;
        count[1][(k >> BITS) & (BUCKETS - 1)]++;
        count[2][k >> (2 * BITS)]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 3; b++) {
        unsigned shift = 32u + (unsigned)b * BITS;
        if (count[b][(a[0] >> shift) & (BUCKETS - 1)] == n) continue; /* one value */
        size_t pos = 0;
        for (int v = 0; v < BUCKETS; v++) {
            size_t c = count[b][v];
            count[b][v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> shift) & (BUCKETS - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return 0;
}

static int cmp_keyed(const void *x, const void *y)
{
    const nc_keyed *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->val < b->val ? -1 : a->val > b->val;
}

int nc__radix_sort_keyed(nc_keyed *a, size_t n)
{
    if (n < RADIX_MIN) {
        for (size_t i = 1; i < n; i++) {
            nc_keyed v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1].key > v.key) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return 0;
    }
    nc_keyed *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_keyed); /* same order: the vals are distinct */
        return -1;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][(a[i].key >> (8 * b)) & 0xFF]++;
    nc_keyed *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        if (count[b][(a[0].key >> (8 * b)) & 0xFF] == n) continue;
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[b][v];
            count[b][v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i].key >> (8 * b)) & 0xFF]++] = src[i];
        nc_keyed *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return 0;
}
