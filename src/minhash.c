/*
 * minhash.c - MinHash (Broder 1997) with cheap permutations.
 *
 * Each feature is hashed once (XXH3, 64 bits, by the caller).  Permutation i
 * is the multiply-shift hash p_i(x) = (a_i * x + b_i) >> 32 with a random odd
 * 64-bit a_i and random b_i (Dietzfelbinger et al.): 2-universal on the
 * 64-bit input, far cheaper than k seeded hashes.  On x86-64 with AVX2 but
 * not AVX-512 a vector kernel computes eight permutations at a time from
 * 32-bit pieces (below); elsewhere a branch-free loop that the compiler
 * vectorises (with an AVX-512 clone).  a_i
 * and b_i come from splitmix64 of the seed: signatures are identical across
 * runs, machines and kernels.
 */
#include "minhash.h"

#include <stdlib.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define NC_MINHASH_AVX2 1 /* the vector kernel below, for x86-64 with AVX2 */
#include <immintrin.h>
#endif

/* Whether nc__minhash_sign is to use the AVX2 kernel (decided once, by
 * nc__minhash_init): AVX2, and not AVX-512 with 64-bit multiplies (the
 * x86-64-v4 set).  With AVX-512 the portable loop's own clone multiplies
 * 64-bit lanes in one instruction and stays in use: it ran the MinHash
 * kernel at 6.7 million documents/s where it was measured (README, the
 * first 2026-12-02 session), more than the AVX2 kernel's 3.7-5.6 million on
 * the AMD EPYC of the twentieth session, which has no AVX-512 to compare
 * them on. */
static int use_vector_kernel(void)
{
#ifdef NC_MINHASH_AVX2
    int avx512_mul = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                     __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
    return !avx512_mul && __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

uint64_t nc__splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int nc__minhash_init(nc_minhash *m, uint32_t k, uint64_t seed)
{
    size_t slots = ((size_t)k + 7) & ~(size_t)7; /* the vector kernel's blocks of 8 */
    if (!slots) slots = 8;
    m->k = k;
    m->a = malloc(slots * sizeof *m->a);
    m->b = malloc(slots * sizeof *m->b);
    m->alo = malloc(2 * slots * sizeof *m->alo);
    m->b8 = malloc(slots * sizeof *m->b8);
    if (!m->a || !m->b || !m->alo || !m->b8) {
        nc__minhash_free(m);
        return -1;
    }
    m->ahi = m->alo + slots;
    m->vector_kernel = use_vector_kernel();
    uint64_t st = seed ^ 0x6E657773636C7573ull; /* "newsclus" */
    for (uint32_t i = 0; i < k; i++) {
        m->a[i] = nc__splitmix64(&st) | 1u;
        m->b[i] = nc__splitmix64(&st);
        m->alo[i] = (uint32_t)m->a[i];
        m->ahi[i] = (uint32_t)(m->a[i] >> 32);
    }
    for (size_t i = k; i < slots; i++) { /* padding: computed, never kept */
        m->a[i] = 1;
        m->b[i] = 0;
        m->alo[i] = 1;
        m->ahi[i] = 0;
    }
    for (size_t q = 0; q < slots; q += 8) /* block q: b[q], b[q+2], .., b[q+1], b[q+3], .. */
        for (size_t j = 0; j < 4; j++) {
            m->b8[q + j] = m->b[q + 2 * j];
            m->b8[q + 4 + j] = m->b[q + 2 * j + 1];
        }
    return 0;
}

void nc__minhash_free(nc_minhash *m)
{
    free(m->a);
    free(m->b);
    free(m->alo);
    free(m->b8);
    m->a = m->b = m->b8 = NULL;
    m->alo = m->ahi = NULL;
    m->k = 0;
    m->vector_kernel = 0;
}

/* The vector kernel (x86-64 with AVX2 but not AVX-512, chosen at run time:
 * the baseline build only assumes SSE2).  AVX2 has no 64-bit multiply, but only the
 * high 32 bits of a x + b are kept, and they need only 32-bit pieces: with
 * a = ah 2^32 + al and x = xh 2^32 + xl,
 *   (a x + b) >> 32 = ((al xl + b) >> 32) + ah xl + al xh   (mod 2^32),
 * since ah xh 2^64 vanishes and the low half of al xl + b carries nothing
 * into the rest.  Eight permutations at a time: the widening al xl + b of
 * the even and of the odd ones (four 64-bit lanes each), their high halves
 * blended into eight 32-bit lanes, plus two 32-bit multiplies of eight
 * lanes.  That is 15 instructions a feature for eight permutations, where
 * the compiler's vectorised a x + b, built from three widening multiplies
 * a product and shuffled back into 32-bit lanes, took about 30: the same
 * values (test_minhash checks them against the formula), and 100k
 * documents' signing from 0.98 to 0.63 G instructions (the sign stage at
 * 300k documents, one thread: 0.44-0.46 to 0.30-0.33 s).  Each feature's
 * halves are spread over the lanes once for all the blocks (a chunk of
 * NC_SIGN_CHUNK features at a time: made inside the block's loop, the
 * broadcasts went through a general register, six instructions more), and
 * a block keeps its minima in a register over the chunk.  The arrays are
 * padded to a multiple of 8 permutations; the padding's values are
 * computed and dropped. */
#ifdef NC_MINHASH_AVX2
#define NC_SIGN_CHUNK 32 /* features whose broadcasts are made at once */

__attribute__((target("avx2"))) static void sign_avx2(const nc_minhash *m, const uint64_t *h,
                                                      size_t n, uint32_t *sig)
{
    const uint32_t k = m->k, k8 = (k + 7u) & ~7u; /* the arrays are padded to k8 */
    __m256i xl[NC_SIGN_CHUNK], xh[NC_SIGN_CHUNK];
    uint32_t last[8];
    for (uint32_t q = 0; q < k8; q += 8)
        _mm256_storeu_si256((__m256i *)(q + 8 <= k ? sig + q : last), _mm256_set1_epi32(-1));
    for (size_t j0 = 0; j0 < n; j0 += NC_SIGN_CHUNK) {
        size_t c = n - j0 < NC_SIGN_CHUNK ? n - j0 : NC_SIGN_CHUNK;
        for (size_t j = 0; j < c; j++) { /* each feature's halves in all eight lanes */
            xl[j] = _mm256_set1_epi32((int)(uint32_t)h[j0 + j]);
            xh[j] = _mm256_set1_epi32((int)(uint32_t)(h[j0 + j] >> 32));
        }
        for (uint32_t q = 0; q < k8; q += 8) {
            uint32_t *out = q + 8 <= k ? sig + q : last;
            const __m256i al = _mm256_loadu_si256((const __m256i *)(m->alo + q));
            const __m256i ah = _mm256_loadu_si256((const __m256i *)(m->ahi + q));
            const __m256i al_odd = _mm256_srli_epi64(al, 32);
            const __m256i b_even = _mm256_loadu_si256((const __m256i *)(m->b8 + q));
            const __m256i b_odd = _mm256_loadu_si256((const __m256i *)(m->b8 + q + 4));
            __m256i lo = _mm256_loadu_si256((const __m256i *)out);
            for (size_t j = 0; j < c; j++) {
                __m256i pe = _mm256_add_epi64(_mm256_mul_epu32(al, xl[j]), b_even);
                __m256i po = _mm256_add_epi64(_mm256_mul_epu32(al_odd, xl[j]), b_odd);
                __m256i hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
                __m256i cross =
                    _mm256_add_epi32(_mm256_mullo_epi32(ah, xl[j]), _mm256_mullo_epi32(al, xh[j]));
                lo = _mm256_min_epu32(lo, _mm256_add_epi32(hi, cross));
            }
            _mm256_storeu_si256((__m256i *)out, lo);
        }
    }
    if (k % 8) memcpy(sig + (k & ~7u), last, (k % 8) * sizeof *sig);
}
#endif

void nc__minhash_sign(const nc_minhash *m, const uint64_t *h, size_t n, uint32_t *sig)
{
#ifdef NC_MINHASH_AVX2
    if (m->vector_kernel) {
        sign_avx2(m, h, n, sig);
        return;
    }
#endif
    nc__minhash_sign_portable(m, h, n, sig);
}

/* The k permutations of one feature at a time, with no branches, so that
 * the compiler vectorises it.  On x86-64 with GCC a clone for AVX-512
 * (x86-64-v4) is chosen at run time when the processor has it. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&                             \
    !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("arch=x86-64-v4", "default")))
#endif
void nc__minhash_sign_portable(const nc_minhash *m, const uint64_t *h, size_t n,
                               uint32_t *restrict sig)
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
