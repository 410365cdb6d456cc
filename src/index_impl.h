/*
 * index_impl.h - the inside of nc_index (internal): shared by index.c and
 * the writers (json_out.c).
 */
#ifndef NC_INDEX_IMPL_H
#define NC_INDEX_IMPL_H

#include "newsclust.h"

#include "arena.h"
#include "background.h"
#include "cluster.h"
#include "doc_features.h"
#include "parallel.h"
#include "vec.h"

#include <stdint.h>

/* Defaults (documented in README). */
#define NC_DEFAULT_DUP_THRESHOLD 0.6
#define NC_DEFAULT_STORY_THRESHOLD 0.045
/* Jaccard threshold of the story-level LSH: low, so that paraphrased
 * headlines sharing a few rare words are still proposed. */
#define NC_STORY_LSH_THRESHOLD 0.15
/* A bucket with more members pairs each with its next NC_BUCKET_CAP only. */
#define NC_BUCKET_CAP 3
#define NC_MAX_KEYWORDS 5
/* The background enters IDF when it knows at least this share of the batch's
 * term occurrences (English news: 0.6 to 0.8; other languages: below 0.1). */
#define NC_BACKGROUND_MIN_COVERAGE 0.3
/* story linkage (cluster.h) */
#define NC_LINKAGE NC_LINK_AVERAGE

/** A story token of a document: dense token id and its term weight.  The
 *  same type as the clustering's vector entry: nc_index_cluster turns a
 *  document's terms into its unit vector in place, and back after. */
typedef nc_vent nc_tokw;

/** A document as stored: copied strings and feature arrays (in the arena). */
typedef struct ixdoc {
    nc_doc d;
    uint64_t *dup_title, *dup_full; /* dup_full == dup_title: no summary */
    nc_tokw *tok;                   /* sorted by tok */
    uint32_t n_dup_title, n_dup_full, n_tok;
} ixdoc;

typedef struct ixcluster {
    int64_t id;
    uint32_t first, size; /* members[first .. first + size) */
    uint32_t rep;         /* representative document */
    int64_t tmin, tmax;
    uint32_t n_keywords;
    uint32_t kw_tok[NC_MAX_KEYWORDS];
    double kw_w[NC_MAX_KEYWORDS];
} ixcluster;

struct nc_index {
    nc_params p;
    nc_arena arena;
    nc_featurizer *fz[NC_MAX_THREADS]; /* one a feature thread, made on first use */
    size_t n_featured; /* documents [0, n_featured) have features; the rest are pending */
    NC_VEC(ixdoc) docs;
    size_t tok_total; /* story tokens over all documents */
    uint64_t *idmap;  /* open addressing: id -> ordinal (index.c, id_slot) */
    size_t idmap_cap;
    /* story token dictionary */
    uint32_t *tokmap;
    size_t tokmap_cap;
    NC_VEC(uint32_t) tok_df;
    NC_VEC(const char *) tok_surface;
    NC_VEC(uint64_t) tok_hash_v;
    const uint64_t *tok_hash;
    /* clustering state */
    double *idf;
    float *norm;
    uint32_t *keys_dup, *keys_story; /* LSH band keys, band-major (lsh.h) */
    nc_index_info info;
    int clustered;
    /* set by bench/candidates: keep the candidate pairs (lo << 32 | hi, by
     * ordinal, sorted) of the last nc_index_cluster */
    int keep_pairs;
    uint64_t *kept_pairs;
    size_t n_kept_pairs;
    ixcluster *clusters;
    size_t n_clusters;
    uint32_t *members;
    uint32_t *dup_of;
    float *score;
    const char **keywords;
};

/** Ordinal of the document with this id, or -1. */
int64_t nc__index_find_id(const nc_index *ix, const char *id);
/** Duplicate-level Jaccard of two documents (headlines only when either has
 *  no summary). */
double nc__dup_similarity(const nc_index *ix, uint32_t a, uint32_t b);
/* Whether documents a and b are copies: the same answer as
 * nc__dup_similarity(a, b) >= dup_threshold, with early exits. */
int nc__dup_is_copy(const nc_index *ix, uint32_t a, uint32_t b);
/** Story-level IDF-weighted cosine (valid during and after clustering). */
double nc__story_similarity(const nc_index *ix, uint32_t a, uint32_t b);

#endif
