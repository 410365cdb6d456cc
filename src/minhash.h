/*
 * minhash.h - MinHash signatures from one 64-bit hash per feature (internal).
 */
#ifndef NC_MINHASH_H
#define NC_MINHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct nc_minhash {
    uint32_t k;          /**< values per signature */
    uint64_t *a;         /**< odd multipliers, one per permutation */
    uint64_t *b;         /**< addends */
    uint32_t *alo, *ahi; /**< a's low and high 32 bits (the vector kernel's) */
    uint64_t *b8;        /**< b by blocks of 8: the even ones, then the odd ones */
    int vector_kernel;   /**< 1: nc__minhash_sign uses the AVX2 kernel (set by init) */
} nc_minhash;

/** Draw @p k permutations from @p seed (splitmix64).  @return 0 or -1 (no memory). */
int nc__minhash_init(nc_minhash *m, uint32_t k, uint64_t seed);
void nc__minhash_free(nc_minhash *m);

/** Signature of the set {h[0..n)} into sig[0..k): sig[i] = min over x of
 *  perm_i(x).  An empty set gives all 0xFFFFFFFF. */
void nc__minhash_sign(const nc_minhash *m, const uint64_t *h, size_t n, uint32_t *sig);

/** nc__minhash_sign without the vector kernel (which it picks on x86-64
 *  with AVX2): the same values; for tests. */
void nc__minhash_sign_portable(const nc_minhash *m, const uint64_t *h, size_t n, uint32_t *sig);

/** Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
double nc__minhash_estimate(const uint32_t *s1, const uint32_t *s2, uint32_t k);

/** splitmix64 step, the project's seeded generator. */
uint64_t nc__splitmix64(uint64_t *state);

#endif
