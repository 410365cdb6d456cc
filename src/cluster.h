/*
 * cluster.h - story clustering by agglomeration over the candidate graph
 * (internal).
 */
#ifndef NC_CLUSTER_H
#define NC_CLUSTER_H

#include "unionfind.h"
#include <stddef.h>
#include <stdint.h>

/** A candidate link between two documents (its similarity is not used to
 *  decide merges, only which clusters are compared: the merges come from
 *  the exact W of the linked clusters). */
typedef struct nc_edge {
    uint32_t a, b;
    float sim;
} nc_edge;

/** One entry of a document's unit-length sparse vector. */
typedef struct nc_vent {
    uint32_t tok;
    float w;
} nc_vent;

enum {
    NC_LINK_AVERAGE = 0, /**< mean pairwise cosine: S_A . S_B / (|A| |B|) */
    NC_LINK_CENTROID = 1 /**< cosine of the centroids: S_A . S_B / (||S_A|| ||S_B||) */
};

typedef struct nc_cluster_opts {
    double threshold;          /**< merge while the linkage is >= this */
    const int64_t *time;       /**< per document (INT64_MIN: undated) */
    int64_t window;            /**< seconds a story may span; <= 0: no limit */
    int linkage;               /**< NC_LINK_* */
    const nc_vent *const *vec; /**< per document: unit vector sorted by tok */
    const uint32_t *vec_len;
    unsigned threads; /**< threads for the initial dot products and the block
                       *   walks (0 or 1: one); the result is the same for any */
    size_t block;     /**< clusters a block walk takes (0: the default, 2^19) */
    size_t *listed;   /**< out, optional: the initial links at or above the
                       *   threshold (the story level's verified pairs) */
} nc_cluster_opts;

/**
 * Merge the groups of @p uf (documents known to share a story: duplicates,
 * a Google News item and its lines) into stories.  Two clusters are compared
 * when some candidate edge joins them; their linkage is computed exactly from
 * the sums S of their members' unit vectors; the best pair at or above the
 * threshold merges first.  On return @p uf holds the stories.
 * Takes ownership of @p edges (malloc'd; may be NULL when n_edges is 0) and
 * frees it, early, to lower the peak; o->vec must stay valid until return.
 * @return 0 or -1 (out of memory; uf then holds a valid partial result).
 */
int nc__cluster_agglomerate(nc_uf *uf, nc_edge *edges, size_t n_edges, const nc_cluster_opts *o);

#endif
