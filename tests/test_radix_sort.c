/*
 * test_radix_sort.c - the radix sorts against qsort: full 64-bit keys at
 * sizes around the insertion-sort cut-off, keys with constant bytes (skipped
 * passes), the high-32-bit sort of (key << 32 | position) keeping positions
 * in order within a key, and the keyed sort's stability.
 */
#include "nc_test.h"
#include "radix_sort.h"

#include <stdint.h>
#include <stdlib.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void) /* xorshift64 */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int sorted_equal(const uint64_t *a, uint64_t *ref, size_t n)
{
    qsort(ref, n, sizeof *ref, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (a[i] != ref[i]) return 0;
    return 1;
}

static void test_u64(void)
{
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        uint64_t *a = malloc((n + 1) * sizeof *a), *ref = malloc((n + 1) * sizeof *ref);
        for (int mode = 0; mode < 3; mode++) {
            for (size_t i = 0; i < n; i++) {
                uint64_t v = next();
                if (mode == 1) v &= 0x00FF00000000FFFFull; /* constant bytes: passes skipped */
                if (mode == 2) v %= 7;                     /* many equal keys */
                a[i] = ref[i] = v;
            }
            CHECK(nc__radix_sort_u64(a, n) == 0);
            CHECK(sorted_equal(a, ref, n));
        }
        free(a);
        free(ref);
    }
}

static void test_hi32(void)
{
    static const size_t sizes[] = {0, 1, 50, 64, 5000, 200000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        uint64_t *a = malloc((n + 1) * sizeof *a), *ref = malloc((n + 1) * sizeof *ref);
        for (int mode = 0; mode < 2; mode++) {
            for (size_t i = 0; i < n; i++) { /* positions ascend, as in the band tables */
                uint64_t key = mode ? next() % 100 : (uint32_t)next();
                a[i] = ref[i] = key << 32 | (uint32_t)i;
            }
            CHECK(nc__radix_sort_u64_hi32(a, n) == 0);
            CHECK(sorted_equal(a, ref, n)); /* same as a full sort, given the order */
        }
        free(a);
        free(ref);
    }
}

static void test_keyed_stable(void)
{
    size_t n = 50000;
    nc_keyed *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = (nc_keyed){next() % 1000, (uint32_t)i, 0};
    CHECK(nc__radix_sort_keyed(a, n) == 0);
    int ok = 1;
    for (size_t i = 1; i < n; i++)
        if (a[i - 1].key > a[i].key || (a[i - 1].key == a[i].key && a[i - 1].val > a[i].val))
            ok = 0;
    CHECK(ok);
    free(a);
}

int main(void)
{
    test_u64();
    test_hi32();
    test_keyed_stable();
    return nc_test_report("radix_sort");
}
