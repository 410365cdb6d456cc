/*
 * radix_sort.c - least-significant-digit radix sorts.  A 64-bit sort takes
 * digits of at most 11 bits over the bits the keys actually use, each
 * 32-bit half apart (a packed document pair (a << 32 | b) of a million
 * documents has 20 bits in each half: 4 passes, where bytes took 6); the
 * high-half sort takes 3 passes of 11 bits.  Linear time and stable,
 * against qsort's n log n comparisons through a function pointer: sorting
 * the candidate pairs and band keys was most of the clustering time.
 */
#include "radix_sort.h"

#include "huge_pages.h"

#include <stdlib.h>
#include <string.h>

#define RADIX_MIN 64 /* below this, insertion sort */

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* One digit of a sort: @p bits bits from bit @p shift. */
typedef struct digit {
    unsigned shift, bits;
} digit;

#define MAX_DIGITS 8
#define MAX_BITS 11

/* LSD radix sort of @p a on the digits of @p plan, least significant first
 * (stable; a pass is skipped when every key has the same digit there).
 * Below RADIX_MIN, and with qsort when the scratch buffer cannot be
 * allocated, the whole 64-bit value is compared: the same order whenever the
 * bits the plan leaves out already ascend within equal digits (true when it
 * covers every varying bit, and the precondition of the high-32-bit sort). */
static int lsd_sort(uint64_t *a, size_t n, const digit *plan, unsigned passes)
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
    const size_t buckets = (size_t)1 << MAX_BITS;
    /* the scratch array and the digit counts in one allocation */
    uint64_t *tmp = nc__big_malloc(n * sizeof *tmp + passes * buckets * sizeof(size_t));
    if (!tmp) {
        qsort(a, n, sizeof *a, cmp_u64);
        return -1;
    }
    size_t *count = (size_t *)(void *)(tmp + n);
    memset(count, 0, passes * buckets * sizeof *count);
    uint64_t mask[MAX_DIGITS];
    for (unsigned b = 0; b < passes; b++)
        mask[b] = ((uint64_t)1 << plan[b].bits) - 1;
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < passes; b++)
            count[b * buckets + ((a[i] >> plan[b].shift) & mask[b])]++;
    uint64_t *src = a, *dst = tmp;
    for (unsigned b = 0; b < passes; b++) {
        unsigned shift = plan[b].shift;
        uint64_t m = mask[b];
        size_t *cnt = count + b * buckets;
        if (cnt[(a[0] >> shift) & m] == n) continue; /* one digit: no-op */
        size_t pos = 0;
        for (size_t v = 0; v <= m; v++) {
            size_t c = cnt[v];
            cnt[v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & m]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return 0;
}

/* Digits of equal width, at most MAX_BITS bits each, over the @p used low
 * bits of the half that starts at bit @p base; appended to @p plan. */
static unsigned plan_half(digit *plan, unsigned np, unsigned base, unsigned used)
{
    if (used == 0) return np;
    unsigned passes = (used + MAX_BITS - 1) / MAX_BITS;
    unsigned width = (used + passes - 1) / passes;
    for (unsigned p = 0; p < passes; p++)
        plan[np++] = (digit){base + p * width, width};
    return np;
}

static unsigned bit_length(uint32_t x)
{
    unsigned n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
}

int nc__radix_sort_u64(uint64_t *a, size_t n)
{
    /* a few keys (a document's shingles): insertion sort, with no plan */
    if (n < RADIX_MIN) return lsd_sort(a, n, NULL, 0);
    uint64_t any = 0; /* every bit that some key has */
    for (size_t i = 0; i < n; i++)
        any |= a[i];
    digit plan[MAX_DIGITS];
    unsigned np = plan_half(plan, 0, 0, bit_length((uint32_t)any));
    np = plan_half(plan, np, 32, bit_length((uint32_t)(any >> 32)));
    return np ? lsd_sort(a, n, plan, np) : 0;
}

int nc__radix_sort_u64_hi32(uint64_t *a, size_t n)
{
    static const digit plan[3] = {{32, 11}, {43, 11}, {54, 10}};
    return lsd_sort(a, n, plan, 3);
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
    nc_keyed *tmp = nc__big_malloc(n * sizeof *tmp);
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
