/*
 * doc_features.h - from a document's text to the two feature sets the engine
 * compares (internal).
 *
 *  - duplicate level: word 2-shingles (bigrams, stop words kept) of the
 *    folded headline, and separately of headline + summary; each shingle one
 *    XXH3 hash;
 *  - story level: folded, stop-word-free, Snowball-stemmed word unigrams
 *    of headline + lead (+ the link's headline slug), with entity tokens (acronyms, numbers,
 * capitalised words inside a sentence-case headline) flagged so they can be weighted up.
 *
 * A featurizer holds a stemmer and scratch buffers: one per thread.
 */
#ifndef NC_FEATURES_H
#define NC_FEATURES_H

#include "newsclust.h"
#include <stddef.h>
#include <stdint.h>

/** A story-level token of one document. */
typedef struct nc_story_tok {
    uint64_t hash;    /**< XXH3 of the stem */
    float weight;     /**< term weight before IDF: position/entity factors */
    uint32_t surface; /**< offset of the folded surface word in the surface buffer */
} nc_story_tok;

typedef struct nc_features {
    uint64_t *dup_title; /**< sorted unique shingle hashes of the headline */
    size_t n_dup_title;
    uint64_t *dup_full; /**< of headline + summary (== dup_title when no summary) */
    size_t n_dup_full;
    nc_story_tok *story; /**< sorted by hash, unique */
    size_t n_story;
    const char *surface; /**< NUL-separated folded surface words, for keywords */
    size_t surface_len;
} nc_features;

typedef struct nc_featurizer nc_featurizer;

/** @return NC_OK or NC_ERR_NOMEM. */
nc_status nc__featurizer_create(nc_featurizer **out);
void nc__featurizer_free(nc_featurizer *fz);

/** For tests: @p on nonzero makes @p fz split every word by the general
 *  (code point) path, without the ASCII fast path; the features must be the
 *  same either way. */
void nc__featurizer_general_path(nc_featurizer *fz, int on);

/** Compute the features of (@p title, @p summary, @p link) (any may be NULL;
 *  the link contributes its headline slug, link_slug.h, to the story terms).
 *  The arrays in @p out are borrowed from the featurizer until its next call.
 *  @return NC_OK or NC_ERR_NOMEM. */
nc_status nc__features_compute(nc_featurizer *fz, const char *title, const char *summary,
                               const char *link, nc_features *out);

/** @return 1 if the folded ASCII word @p w (length n) is an English stop word. */
int nc__is_stopword(const char *w, size_t n);

#endif
