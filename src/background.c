/*
 * background.c - the built-in background term table, hashed for lookup.
 *
 * The table (background_en_table.c) lists terms as text stems so that it
 * survives changes of the hash function; here each is hashed exactly as
 * features.c hashes a story term (XXH3 of the stem; a bigram is XXH3 of the
 * two stem hashes) into a sorted array searched by bisection.  Building it
 * takes about a millisecond, once per process (nc__bg_builtin).
 */
#include "background.h"

#include "radix_sort.h"
#include "xxhash_inline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

uint64_t nc__bg_term_hash(const char *stems)
{
    const char *sp = strchr(stems, ' ');
    if (!sp) return XXH3_64bits(stems, strlen(stems));
    uint64_t pair[2] = {XXH3_64bits(stems, (size_t)(sp - stems)),
                        XXH3_64bits(sp + 1, strlen(sp + 1))};
    return XXH3_64bits(pair, sizeof pair);
}

int nc__bg_init_builtin(nc_bg *bg)
{
    memset(bg, 0, sizeof *bg);
    size_t n = nc__bg_en_count;
    nc_keyed *t = malloc((n + 1) * sizeof *t);
    bg->hash = malloc((n + 1) * sizeof *bg->hash);
    bg->df = malloc((n + 1) * sizeof *bg->df);
    if (!t || !bg->hash || !bg->df) {
        free(t);
        nc__bg_free(bg);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        t[i] = (nc_keyed){nc__bg_term_hash(nc__bg_en_terms[i].stems), nc__bg_en_terms[i].df, 0};
    /* by hash; a radix sort (qsort's merge sort was 6 of the 11 million
     * instructions of a one-document run; on failure it falls back to qsort) */
    (void)nc__radix_sort_keyed(t, n);
    for (size_t i = 0; i < n; i++) {
        bg->hash[i] = t[i].key;
        bg->df[i] = t[i].val;
    }
    free(t);
    bg->n = n;
    bg->docs = (double)nc__bg_en_docs;
    return 0;
}

/* The built-in table, hashed once per process on first use (an index per
 * day, or many indexes in one aggregator, share it); read-only after. */
static nc_bg builtin;
static pthread_mutex_t builtin_lock = PTHREAD_MUTEX_INITIALIZER;

const nc_bg *nc__bg_builtin(void)
{
    pthread_mutex_lock(&builtin_lock);
    if (!builtin.hash) (void)nc__bg_init_builtin(&builtin); /* on failure: empty, retried */
    const nc_bg *bg = builtin.hash ? &builtin : NULL;
    pthread_mutex_unlock(&builtin_lock);
    return bg;
}

void nc__bg_free(nc_bg *bg)
{
    free(bg->hash);
    free(bg->df);
    memset(bg, 0, sizeof *bg);
}

/* Binary search without a branch on the data: the base moves by the step
 * masked with the comparison, so the steps depend only on the table's
 * length (whether a vocabulary term is in the table is a coin toss for the
 * branch predictor: at 1M documents the 2.2 million lookups of the IDF took
 * 0.20 s with the branches). */
uint32_t nc__bg_df(const nc_bg *bg, uint64_t hash)
{
    if (bg->n == 0) return 0;
    const uint64_t *base = bg->hash;
    size_t len = bg->n;
    while (len > 1) { /* the first entry >= hash is in [base, base + len] */
        size_t half = len / 2;
        base += half & (0 - (size_t)(base[half - 1] < hash));
        len -= half;
    }
    /* the first entry >= hash is *base or the end: a present hash is *base */
    return *base == hash ? bg->df[base - bg->hash] : 0;
}
