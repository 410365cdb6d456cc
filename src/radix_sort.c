/*
 * radix_sort.c - least-significant-digit radix sort, 8 passes of 8 bits
 * (or 3 passes of 11 bits over the high half only), skipping a pass when
 * every key has the same digit there (common for the
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

/* LSD radix sort of @p a on @p passes digits of @p bits bits from bit
 * @p shift0 up (stable; a pass is skipped when every key has the same digit
 * there).  Below RADIX_MIN, and with qsort when the scratch buffer cannot be
 * allocated, the whole 64-bit value is compared: the same order whenever the
 * bits below shift0 already ascend within equal digits (true for shift0 0,
 * and the precondition of the high-32-bit sort). */
static int lsd_sort(uint64_t *a, size_t n, unsigned shift0, unsigned bits, unsigned passes)
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
    size_t buckets = (size_t)1 << bits, mask = buckets - 1;
    /* the scratch array and the digit counts in one allocation */
    uint64_t *tmp = malloc(n * sizeof *tmp + passes * buckets * sizeof(size_t));
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_u64);
        return -1;
    }
    size_t *count = (size_t *)(void *)(tmp + n);
    memset(count, 0, passes * buckets * sizeof *count);
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < passes; b++)
            count[b * buckets + ((a[i] >> (shift0 + b * bits)) & mask)]++;
    uint64_t *src = a, *dst = tmp;
    for (unsigned b = 0; b < passes; b++) {
        unsigned shift = shift0 + b * bits;
        size_t *cnt = count + b * buckets;
        if (cnt[(a[0] >> shift) & mask] == n) continue; /* one digit: no-op */
        size_t pos = 0;
        for (size_t v = 0; v < buckets; v++) {
            size_t c = cnt[v];
            cnt[v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & mask]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return 0;
}

int nc__radix_sort_u64(uint64_t *a, size_t n)
{
    return lsd_sort(a, n, 0, 8, 8);
}

int nc__radix_sort_u64_hi32(uint64_t *a, size_t n)
{
    return lsd_sort(a, n, 32, 11, 3); /* 33 bits: the top digit has 10 */
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
