/*
 * test_huge_pages.c - the range nc__huge_pages() advises, and on Linux with
 * transparent huge pages that a large block from nc__big_malloc and
 * nc__big_realloc lies in one mapping flagged for huge pages (smaps "hg"),
 * with its bytes kept across the realloc.
 */
#include "huge_pages.h"
#include "nc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_range(void)
{
    size_t lo = 0, hi = 0, mb4 = NC_HUGE_PAGES_MIN;
    const char *p = (const char *)(uintptr_t)0x10010;
    CHECK(nc__huge_pages_range(p, mb4, 4096, &lo, &hi) == 1);
    CHECK(lo == 0x10000);                                         /* rounded down to its page */
    CHECK(hi == 0x10000 + mb4 + 4096);                            /* the end rounded up */
    CHECK(nc__huge_pages_range(p, mb4 - 1, 4096, &lo, &hi) == 0); /* small: left alone */
    CHECK(nc__huge_pages_range(NULL, mb4, 4096, &lo, &hi) == 0);
    CHECK(nc__huge_pages_range(p, mb4, 3000, &lo, &hi) == 0); /* not a power of two */
    CHECK(nc__huge_pages_range(p, mb4, 0, &lo, &hi) == 0);
    p = (const char *)(uintptr_t)0x20000; /* aligned both ends: unchanged */
    CHECK(nc__huge_pages_range(p, mb4, 4096, &lo, &hi) == 1);
    CHECK(lo == 0x20000 && hi == 0x20000 + mb4);
    CHECK(nc__huge_pages_range((const void *)(UINTPTR_MAX - 4095), mb4, 4096, &lo, &hi) == 0);
}

/* Whether the mapping of /proc/self/smaps holding [p, p + n) is one mapping
 * whose VmFlags hold "hg": 1 yes, 0 no, -1 smaps not readable. */
static int advised(const void *p, size_t n)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    char line[512];
    uintptr_t a = (uintptr_t)p;
    int inside = 0, found = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = lo <= a && a + n <= hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return found;
}

static void test_advice(void)
{
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!thp) {
        printf("test_huge_pages: no transparent huge pages here; advice not checked\n");
        return;
    }
    fclose(thp);
    size_t n = (size_t)8 << 20;
    unsigned char *p = nc__big_malloc(n);
    CHECK(p != NULL);
    if (!p) return;
    memset(p, 0xA5, n);
    int a = advised(p, n);
    if (a < 0) {
        printf("test_huge_pages: /proc/self/smaps not readable; advice not checked\n");
        free(p);
        return;
    }
    CHECK(a == 1);
    unsigned char *q = nc__big_realloc(p, 4 * n);
    CHECK(q != NULL);
    if (!q) {
        free(p);
        return;
    }
    CHECK(q[0] == 0xA5 && q[n - 1] == 0xA5); /* the bytes moved with the block */
    memset(q + n, 0x5A, 3 * n);
    CHECK(advised(q, 4 * n) == 1);
    free(q);
    unsigned char *small = nc__big_malloc(4096); /* below the minimum: plain malloc */
    CHECK(small != NULL);
    free(small);
    unsigned char *z = nc__big_calloc(n / 8, 8);
    CHECK(z != NULL && z[0] == 0 && z[n - 1] == 0);
    CHECK(z && advised(z, n) == 1);
    free(z);
}

int main(void)
{
    test_range();
    test_advice();
    return nc_test_report("test_huge_pages");
}
