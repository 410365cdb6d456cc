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
    nc_arena feat_arena[NC_MAX_THREADS]; /* feature part t's documents' shingles and terms */
    nc_featurizer *fz[NC_MAX_THREADS];   /* one a feature thread, made on first use */
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
    /* stable cluster ids and the live index (index_live.c); doc_cluster:
     * each document's cluster id (-1 none), NULL until the first clustering */
    NC_VEC(int64_t) doc_cluster;
    int64_t next_id;    /* the id a new cluster gets */
    int live;           /* clustered once: adds are assigned at once */
    double idf_docs;    /* N of set_idf's formula at the last clustering */
    size_t n_idf;       /* terms with an idf[] entry */
    size_t n_norm;      /* documents with a norm[] entry */
    struct nc_live *lc; /* query cache (index_live.c), NULL until used */
};

/** The time window in seconds (0: none), as the batch and the live index use it. */
int64_t nc__index_window(const nc_index *ix);
/** Token id of the term with hash @p h, or UINT32_MAX when the index has
 *  none.  @return 0, or -1 when out of memory (the term map is rebuilt). */
int nc__index_token_lookup(nc_index *ix, uint64_t h, uint32_t *tok);
/** Compute the features of the pending documents on the caller's thread
 *  (nc_index_add of a live index).  @return NC_OK, NC_ERR_NOMEM, or a
 *  status of the featurizer; on error the documents stay pending. */
nc_status nc__index_features_now(nc_index *ix);
/** Story terms of a document that is not stored (nc_index_query): hashes
 *  and raw weights, borrowed from the index's featurizer until its next
 *  use.  @return NC_OK, NC_ERR_NOMEM, or a status of the featurizer. */
nc_status nc__index_doc_terms(nc_index *ix, const nc_doc *d, const nc_story_tok **terms, size_t *n);
/** IDF of term @p tok (dense id), also for terms new since the last
 *  clustering (weighted as seen in one document). */
double nc__index_idf(const nc_index *ix, uint32_t tok);
/** IDF of a term the index has never seen, by its hash. */
double nc__index_idf_unseen(const nc_index *ix, uint64_t hash);

/* index_live.c */
/** New ids of the @p nc clusters in output order into @p ids (caller
 *  allocates nc): each keeps the old id most of its members had (greedy by
 *  count); the others get fresh ids.  Reserves doc_cluster: after this, only
 *  nc__ids_commit, which cannot fail.  @return 0 or -1 (out of memory). */
int nc__ids_plan(nc_index *ix, const ixcluster *clusters, size_t nc, const uint32_t *members,
                 int64_t *ids);
/** Give the clusters their planned ids, record each document's cluster. */
void nc__ids_commit(nc_index *ix, ixcluster *clusters, size_t nc, const uint32_t *members,
                    const int64_t *ids);
/** Assign the newly added document @p ord of a live index (nc_index_add). */
nc_status nc__live_assign(nc_index *ix, size_t ord, nc_assignment *out);
/** Drop the query cache (stale after clustering); accepts an index without. */
void nc__live_reset(nc_index *ix);

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
