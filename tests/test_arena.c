/*
 * test_arena.c - the bump allocator: 8-byte alignment, copies that survive
 * later allocations (blocks are chained, never moved), requests larger than
 * a block, and an arena reusable after nc__arena_free.
 */
#include "arena.h"
#include "nc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    nc_arena a = {0};
    enum { N = 200000 };
    static char *s[N];
    int ok = 1, aligned = 1, printed = 1;
    for (int i = 0; i < N; i++) { /* about 30 MB: many blocks */
        char tmp[400];
        int len = snprintf(tmp, sizeof tmp, "%d:%0*d", i, 1 + i % 300, 0);
        s[i] = nc__arena_strdup(&a, tmp, &ok);
        printed &= len > 0;
        aligned &= ((uintptr_t)s[i] & 7u) == 0;
    }
    CHECK(printed);
    CHECK(ok);
    CHECK(aligned);
    int same = 1;
    for (int i = 0; i < N; i++) {
        char tmp[400];
        snprintf(tmp, sizeof tmp, "%d:%0*d", i, 1 + i % 300, 0);
        same &= s[i] && strcmp(s[i], tmp) == 0;
    }
    CHECK(same);
    size_t big = (size_t)4 << 20; /* larger than a block: a block of its own */
    unsigned char *b = nc__arena_alloc(&a, big);
    CHECK(b != NULL);
    if (b) {
        memset(b, 0xAB, big);
        CHECK(b[0] == 0xAB && b[big - 1] == 0xAB);
    }
    CHECK(strcmp(s[N - 1], "199999:") > 0); /* still intact after the big block */
    CHECK(a.used_total >= big);
    CHECK(nc__arena_strdup(&a, NULL, &ok) == NULL && ok);
    nc__arena_free(&a);
    CHECK(a.head == NULL && a.used_total == 0);
    char *again = nc__arena_strdup(&a, "again", &ok);
    CHECK(again && strcmp(again, "again") == 0);
    CHECK(nc__arena_alloc(&a, (size_t)-1) == NULL); /* too large: an error, not a wrap */
    CHECK(nc__arena_alloc(&a, (size_t)-1 - 7) == NULL);
    again = nc__arena_strdup(&a, "still", &ok); /* the arena stays usable */
    CHECK(again && strcmp(again, "still") == 0 && ok);
    nc__arena_free(&a);
    return nc_test_report("test_arena");
}
