/*
 * lsh.h - banded LSH over MinHash signatures (internal).
 */
#ifndef NC_LSH_H
#define NC_LSH_H

#include <stddef.h>
#include <stdint.h>

/** Choose bands @p b and rows @p r (b * r <= k) for Jaccard threshold @p t by
 *  minimising the false-positive area plus the false-negative area under the
 *  S-curve P(s) = 1 - (1 - s^r)^b, equal weights. */
void nc__lsh_params(double t, uint32_t k, uint32_t *b, uint32_t *r);

/** The search behind nc__lsh_params, without its memo or nc__lsh_defaults
 *  (for tests: the table must agree with it). */
void nc__lsh_search(double t, uint32_t k, uint32_t *b, uint32_t *r);

/** The search's answers for the default parameters (index_impl.h's
 *  thresholds at 128 permutations), which nc__lsh_params gives without
 *  searching; test_lsh checks them against the defaults and the search. */
typedef struct nc_lsh_choice {
    double t;
    uint32_t k, b, r;
} nc_lsh_choice;
#define NC_LSH_DEFAULTS 2
extern const nc_lsh_choice nc__lsh_defaults[NC_LSH_DEFAULTS];

/** Probability that a pair of similarity s becomes a candidate. */
double nc__lsh_prob(double s, uint32_t b, uint32_t r);

/** Candidate pairs, each packed as (uint64_t)lo << 32 | hi with lo < hi. */
typedef struct nc_pairs {
    uint64_t *a;
    size_t n, cap;
} nc_pairs;

/** Options of a candidate search. */
typedef struct nc_lsh_opts {
    uint32_t bands, rows;
    const int64_t *time; /**< per document, or NULL: no window */
    int64_t window;      /**< seconds; <= 0: no window */
    uint32_t bucket_cap; /**< a bucket larger than this pairs each member with
                              only its next bucket_cap members in time order */
    unsigned threads;    /**< the work is split over this many threads (0: 1) */
    size_t segment;      /**< documents a band table when the corpus is split in
                              time segments (0: nc__lsh_segment_size() picks;
                              tests set it small) */
} nc_lsh_opts;

/** The @p bands keys of signature @p sig (bands * rows values), band b's at
 *  keys[b * stride]: a 32-bit hash of each band's rows, never 0; all 0 for an
 *  empty feature set's signature (first value 0xFFFFFFFF), which is never a
 *  candidate. */
void nc__lsh_band_keys(const uint32_t *sig, uint32_t bands, uint32_t rows, uint32_t *keys,
                       size_t stride);

/**
 * Build the band tables of @p n documents' band keys (band-major: band b
 * of document d at keys[b * n + d], from nc__lsh_band_keys with stride n) and
 * add the candidate pairs to @p out, which is left sorted and unique.
 * *skipped counts pairs left out by the bucket cap.  @p keys may be used as
 * the tables' memory: it may be overwritten (each entry becomes a link to the
 * next member of its bucket), so a caller that needs the keys again keeps a
 * copy.  A long time-ordered corpus is banded in time segments
 * (nc__lsh_segment_size()), each a table of its own: the same pairs.
 * @return 0 or -1 (out of memory, or n of 2^31 or more: a link's top bit
 * is a flag).
 */
int nc__lsh_candidates_keys(uint32_t *keys, size_t n, const nc_lsh_opts *o, nc_pairs *out,
                            size_t *skipped);

/** Documents a time segment for @p n documents with options @p o, given in
 *  time order (@p in_order) or not, or 0 for one table: no segments unless
 *  in order, all dated and windowed, and then o->segment when set (and below
 *  n), else none up to 2^17 documents and above that equal segments, as
 *  many as a multiple of o->threads, of at most the least of 2^17, 2^18, ...
 *  (below n) that no window reaches more than a quarter segment past. */
size_t nc__lsh_segment_size(const nc_lsh_opts *o, size_t n, int in_order);

/** nc__lsh_candidates_keys over @p n signatures of @p k values (row-major). */
int nc__lsh_candidates(const uint32_t *sigs, size_t n, uint32_t k, const nc_lsh_opts *o,
                       nc_pairs *out, size_t *skipped);

/** Sort and deduplicate @p p in place. */
void nc__pairs_unique(nc_pairs *p);

/** Merge the sorted unique list @p b into the sorted unique list @p a (left
 *  sorted and unique) and free b's array (b is left empty).  a grows in
 *  place and is merged from the back: no third buffer, no re-sort.
 *  @return 0, or -1 when out of memory (both lists kept as they were). */
int nc__pairs_merge_unique(nc_pairs *a, nc_pairs *b);

#endif
