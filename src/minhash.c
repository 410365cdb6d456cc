/*
 * minhash.c - MinHash (Broder 1997) with cheap permutations.
 *
 * Each feature is hashed once (XXH3, 64 bits, by the caller).  Permutation i
 * is the multiply-shift hash p_i(x) = (a_i * x + b_i) >> 32 with a random odd
 * 64-bit a_i and random b_i (Dietzfelbinger et al.): 2-universal on the
 * 64-bit input, far cheaper than k seeded hashes.  The min loop runs over the
 * k permutations for one feature at a time, with no branches, so the compiler
 * vectorises it.  a_i and b_i come from splitmix64 of the seed: signatures are
 * identical across runs and machines.
 */
#include "minhash.h"

#include <stdlib.h>
#include <string.h>

uint64_t nc__splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int nc__minhash_init(nc_minhash *m, uint32_t k, uint64_t seed)
{
    m->k = k;
    m->a = malloc((k ? k : 1) * sizeof *m->a);
    m->b = malloc((k ? k : 1) * sizeof *m->b);
    if (!m->a || !m->b) {
        nc__minhash_free(m);
        return -1;
    }
    uint64_t st = seed ^ 0x6E657773636C7573ull; /* "newsclus" */
    for (uint32_t i = 0; i < k; i++) {
        m->a[i] = nc__splitmix64(&st) | 1u;
        m->b[i] = nc__splitmix64(&st);
    }
    return 0;
}

void nc__minhash_free(nc_minhash *m)
{
    free(m->a);
    free(m->b);
    m->a = m->b = NULL;
    m->k = 0;
}

/* On x86-64 with GCC, a clone of the min loop for the best vector unit the
 * processor has is chosen at run time (the baseline build only assumes
 * SSE2): AVX-512 (x86-64-v4) multiplies 64-bit lanes in one instruction,
 * where AVX2 builds each product from three 32-bit ones. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&                             \
    !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
void nc__minhash_sign(const nc_minhash *m, const uint64_t *h, size_t n, uint32_t *restrict sig)
{
    const uint32_t k = m->k;
    const uint64_t *restrict a = m->a;
    const uint64_t *restrict b = m->b;
    for (uint32_t i = 0; i < k; i++)
        sig[i] = 0xFFFFFFFFu;
    for (size_t j = 0; j < n; j++) {
        const uint64_t x = h[j];
        for (uint32_t i = 0; i < k; i++) {
            uint32_t v = (uint32_t)((a[i] * x + b[i]) >> 32);
            sig[i] = v < sig[i] ? v : sig[i];
        }
    }
}

double nc__minhash_estimate(const uint32_t *s1, const uint32_t *s2, uint32_t k)
{
    uint32_t eq = 0;
    for (uint32_t i = 0; i < k; i++)
        eq += s1[i] == s2[i];
    return k ? (double)eq / (double)k : 0.0;
}
