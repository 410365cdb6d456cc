/*
 * test_unionfind.c - union-find: unions, finds, sizes, the invariant checker
 * and independence from the order of unions.
 */
#include "nc_test.h"
#include "unionfind.h"

#include "minhash.h"

int main(void)
{
    nc_uf uf;
    CHECK(nc__uf_init(&uf, 10) == 0);
    CHECK(nc__uf_validate(&uf));
    nc__uf_union(&uf, 1, 2);
    nc__uf_union(&uf, 3, 4);
    nc__uf_union(&uf, 2, 4);
    CHECK(nc__uf_find(&uf, 1) == nc__uf_find(&uf, 3));
    CHECK(nc__uf_find(&uf, 0) != nc__uf_find(&uf, 1));
    CHECK(uf.size[nc__uf_find(&uf, 4)] == 4);
    CHECK(nc__uf_union(&uf, 5, 5) == 5);
    CHECK(nc__uf_validate(&uf));
    /* equal sizes: the lower index stays root whatever the argument order */
    CHECK(nc__uf_union(&uf, 7, 6) == 6);
    CHECK(nc__uf_union(&uf, 8, 9) == 8);
    nc__uf_free(&uf);

    /* random unions: the partition is the same in any order */
    enum { N = 1000, M = 700 };
    uint32_t pa[M], pb[M];
    uint64_t st = 3;
    for (int i = 0; i < M; i++) {
        pa[i] = (uint32_t)(nc__splitmix64(&st) % N);
        pb[i] = (uint32_t)(nc__splitmix64(&st) % N);
    }
    nc_uf u1, u2;
    CHECK(nc__uf_init(&u1, N) == 0 && nc__uf_init(&u2, N) == 0);
    for (int i = 0; i < M; i++)
        nc__uf_union(&u1, pa[i], pb[i]);
    for (int i = M - 1; i >= 0; i--)
        nc__uf_union(&u2, pb[i], pa[i]);
    int same = 1;
    for (uint32_t x = 0; x < N; x++)
        for (uint32_t y = x + 1; y < N; y += 37)
            if ((nc__uf_find(&u1, x) == nc__uf_find(&u1, y)) !=
                (nc__uf_find(&u2, x) == nc__uf_find(&u2, y)))
                same = 0;
    CHECK(same);
    CHECK(nc__uf_validate(&u1) && nc__uf_validate(&u2));
    nc__uf_free(&u1);
    nc__uf_free(&u2);
    return nc_test_report("test_unionfind");
}
