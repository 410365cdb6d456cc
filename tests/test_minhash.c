/*
 * test_minhash.c - MinHash signatures: pinned test vectors (identical across
 * runs and machines), identical sets give identical signatures, and the
 * estimate stays within 3 standard errors of the exact Jaccard similarity
 * over many random set pairs.
 */
#include "minhash.h"

#include <string.h>
#include "nc_test.h"

#include <math.h>
#include <stdlib.h>

static void test_vectors(void)
{
    nc_minhash m;
    CHECK(nc__minhash_init(&m, 128, 1) == 0);
    uint64_t h[3] = {1, 2, 0x0123456789ABCDEFull};
    uint32_t sig[128];
    nc__minhash_sign(&m, h, 3, sig);
    /* pinned: these change only if the permutation scheme changes */
    printf("vector: %08x %08x %08x %08x\n", sig[0], sig[1], sig[63], sig[127]);
    CHECK(sig[0] == 0x5bbcc5f5u && sig[1] == 0x89bd3ee7u && sig[63] == 0x28f5d02au &&
          sig[127] == 0x515470d0u);
    uint32_t empty[128];
    nc__minhash_sign(&m, NULL, 0, empty);
    CHECK(empty[0] == 0xFFFFFFFFu && empty[127] == 0xFFFFFFFFu);
    /* order of features does not matter */
    uint64_t h2[3] = {0x0123456789ABCDEFull, 2, 1};
    uint32_t sig2[128];
    nc__minhash_sign(&m, h2, 3, sig2);
    CHECK(nc__minhash_estimate(sig, sig2, 128) == 1.0);
    nc__minhash_free(&m);
}

static void test_estimates(void)
{
    enum { K = 128, TRIALS = 400 };
    nc_minhash m;
    CHECK(nc__minhash_init(&m, K, 7) == 0);
    uint64_t st = 42;
    int outside = 0;
    double sum_err = 0.0;
    uint64_t a[200], b[200];
    uint32_t sa[K], sb[K];
    for (int trial = 0; trial < TRIALS; trial++) {
        /* sets of 100 elements sharing `common` of them */
        size_t common = (size_t)(nc__splitmix64(&st) % 101);
        for (size_t i = 0; i < 100; i++) {
            a[i] = nc__splitmix64(&st);
            b[i] = i < common ? a[i] : nc__splitmix64(&st);
        }
        double j = (double)common / (double)(200 - common);
        nc__minhash_sign(&m, a, 100, sa);
        nc__minhash_sign(&m, b, 100, sb);
        double est = nc__minhash_estimate(sa, sb, K);
        double se = sqrt(j * (1.0 - j) / K);
        if (fabs(est - j) > 3.0 * se + 1e-9) outside++;
        sum_err += est - j;
    }
    /* 3 sigma: about 0.3% expected outside; allow a few, and no bias */
    printf("outside 3 SE: %d of %d, mean error %.4f\n", outside, TRIALS, sum_err / TRIALS);
    CHECK(outside <= 4);
    CHECK(fabs(sum_err / TRIALS) < 0.01);
    nc__minhash_free(&m);
}

static void test_prefix(void)
{
    /* the index signs with only the b * r values its bands read: those must
     * be the first values of the full signature, for any feature count */
    nc_minhash full, part;
    CHECK(nc__minhash_init(&full, 128, 42) == 0);
    CHECK(nc__minhash_init(&part, 102, 42) == 0);
    uint64_t h[37];
    uint64_t st = 5;
    for (int i = 0; i < 37; i++)
        h[i] = nc__splitmix64(&st);
    for (size_t n = 0; n <= 37; n += 6) {
        uint32_t a[128], b[128];
        nc__minhash_sign(&full, h, n, a);
        nc__minhash_sign(&part, h, n, b);
        CHECK(memcmp(a, b, 102 * sizeof *a) == 0);
    }
    nc__minhash_free(&full);
    nc__minhash_free(&part);
}

static void test_formula(void)
{
    /* every signature value is min over x of (a_i x + b_i) >> 32, whichever
     * kernel computes it, for k not a multiple of the vector's 8 lanes too */
    const uint32_t ks[] = {1, 7, 8, 9, 15, 16, 17, 102, 126, 128};
    uint64_t st = 99, h[70];
    for (int i = 0; i < 70; i++)
        h[i] = nc__splitmix64(&st);
    h[0] = 0;
    h[1] = ~0ull;
    int ok = 1;
    for (size_t c = 0; c < sizeof ks / sizeof ks[0]; c++) {
        nc_minhash m;
        CHECK(nc__minhash_init(&m, ks[c], 3 + c) == 0);
        const size_t ns[] = {0, 1, 2, 5, 31, 32, 33, 70};
        for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
            uint32_t got[128], port[128];
            memset(got, 0xAB, sizeof got);
            nc__minhash_sign(&m, h, ns[t], got);
            nc__minhash_sign_portable(&m, h, ns[t], port);
            for (uint32_t i = 0; i < ks[c]; i++) {
                uint32_t want = 0xFFFFFFFFu;
                for (size_t j = 0; j < ns[t]; j++) {
                    uint32_t v = (uint32_t)((m.a[i] * h[j] + m.b[i]) >> 32);
                    want = v < want ? v : want;
                }
                if (got[i] != want || port[i] != want) ok = 0;
            }
            for (uint32_t i = ks[c]; i < 128; i++) /* nothing written past k */
                if (got[i] != 0xABABABABu) ok = 0;
        }
        nc__minhash_free(&m);
    }
    CHECK(ok);
}

int main(void)
{
    test_formula();
    test_prefix();
    test_vectors();
    test_estimates();
    return nc_test_report("test_minhash");
}
