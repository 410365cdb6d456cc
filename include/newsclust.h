/*
 * newsclust.h - the one public header of the newsclust library.
 *
 * newsclust reads news feeds (RSS 2.0, Atom, JSON Lines, Markdown with YAML
 * front matter, plain text), normalises the documents, and groups them into
 * near-duplicate groups and story clusters with MinHash + LSH.
 *
 * If it is not in this header it is not API.  Conventions:
 *  - every name starts with nc_ / NC_;
 *  - handles are opaque, created by *_create / *_open_* and released by
 *    *_free, which accepts NULL;
 *  - functions return an nc_status; values are pinned and never renumbered;
 *    negative values are errors, nc_strerror() names them;
 *  - "borrowed" pointers belong to the library and stay valid only as long as
 *    stated; "copied" means the library made its own copy of what you passed.
 *  - the library never prints, aborts or exits; on error it leaves its objects
 *    valid (usable or freeable).
 */
#ifndef NEWSCLUST_H
#define NEWSCLUST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NC_VERSION_MAJOR 0
#define NC_VERSION_MINOR 1
#define NC_VERSION_PATCH 0
#define NC_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status */

/** Status codes.  Values are pinned: never reorder or renumber. */
typedef enum nc_status {
    NC_OK = 0,               /**< success */
    NC_DONE = 1,             /**< no more items (readers, iterators) */
    NC_ERR_NOMEM = -1,       /**< out of memory; the object is unchanged */
    NC_ERR_IO = -2,          /**< a file could not be opened, read or written */
    NC_ERR_PARSE = -3,       /**< malformed input (item skipped, see errmsg) */
    NC_ERR_ENCODING = -4,    /**< text is not in a usable encoding */
    NC_ERR_INVALID_ARG = -5, /**< a NULL or out-of-range argument */
    NC_ERR_FORMAT = -6,      /**< unknown or undetectable input format */
    NC_ERR_LIMIT = -7,       /**< an input exceeds a safety limit (size, nesting) */
    NC_ERR_STATE = -8,       /**< call not valid in the object's current state */
    NC_ERR_CORRUPT = -9      /**< a saved file is damaged or of another version */
} nc_status;

/** @return a static, human-readable name for @p s ("unknown status" if none). */
const char *nc_strerror(nc_status s);

/** @return the library version, e.g. "0.1.0" (static string). */
const char *nc_version(void);

/* ---------------------------------------------------------------- documents */

/** Input formats.  Values are pinned. */
typedef enum nc_format {
    NC_FORMAT_AUTO = 0,     /**< detect from content (and file name) */
    NC_FORMAT_RSS = 1,      /**< RSS 2.0 (also RSS 0.9x / RDF items) */
    NC_FORMAT_ATOM = 2,     /**< Atom 1.0 */
    NC_FORMAT_JSONL = 3,    /**< JSON Lines, one document object a line */
    NC_FORMAT_MARKDOWN = 4, /**< Markdown with YAML front matter, HTML body */
    NC_FORMAT_TEXT = 5      /**< a plain-text article, one document a file */
} nc_format;

/** Parse "auto", "rss", "atom", "jsonl", "markdown", "text".
 *  @return NC_OK, or NC_ERR_INVALID_ARG for an unknown name. */
nc_status nc_format_from_name(const char *name, nc_format *out);
/** @return the name of @p f (static string). */
const char *nc_format_name(nc_format f);

/** "No date" value of nc_doc.published. */
#define NC_TIME_UNKNOWN INT64_MIN

/**
 * A document.  All strings are UTF-8 and NUL-terminated; any may be NULL
 * (absent).  Documents handed to the library are borrowed for the duration
 * of the call; documents returned by a reader are borrowed from the reader
 * until its next nc_reader_next() or nc_reader_free().
 */
typedef struct nc_doc {
    const char *id;      /**< unique id within a run */
    const char *title;   /**< headline, outlet suffix removed */
    const char *summary; /**< description / lead paragraph, plain text */
    const char *text;    /**< body text (plain text), if any */
    const char *source;  /**< outlet name ("Reuters") */
    const char *link;    /**< URL */
    const char *parent;  /**< for a related-coverage line split off a Google
                              News item: the parent's id; else NULL */
    int64_t published;   /**< Unix seconds UTC, or NC_TIME_UNKNOWN */
} nc_doc;

/** Format a Unix time as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" into @p buf
 *  (at least 32 bytes). @return buf, or "" written when t is NC_TIME_UNKNOWN. */
char *nc_time_format(int64_t t, char buf[32]);

/** Parse ISO 8601, RFC 822/1123 (with any zone), or Unix seconds /
 *  milliseconds (all digits).  @return NC_OK or NC_ERR_PARSE. */
nc_status nc_time_parse(const char *s, int64_t *out);

/* ---------------------------------------------------------------- readers */

typedef struct nc_reader nc_reader; /**< a streaming source of documents */

/**
 * Open @p path ("-" reads standard input) as format @p f (NC_FORMAT_AUTO
 * detects it from the content).  Directories are not readers: the caller
 * lists them.  @p out is set to NULL on error.
 * @return NC_OK, NC_ERR_IO (cannot open), NC_ERR_FORMAT (cannot detect),
 *         NC_ERR_NOMEM.
 */
nc_status nc_reader_open_file(const char *path, nc_format f, nc_reader **out);

/** Like nc_reader_open_file on an in-memory buffer (copied).  @p name is used
 *  in messages and to make ids (may be NULL: "<memory>"). */
nc_status nc_reader_open_memory(const void *data, size_t len, const char *name, nc_format f,
                                nc_reader **out);

/**
 * A reader of JSON Lines text that is a piece of a larger input, so that
 * the pieces of one file can be read at once on threads of the caller's.
 * @p data (copied) holds whole lines of the input called @p name, the first
 * of them its line @p first_line (1-based).  Messages and the ids made up
 * for documents without one ("<base name>:<line>") count lines from there:
 * the pieces of a file, cut after newlines and read in order, give the
 * documents, messages and skipped counts of one reader over the file.  The
 * format is not detected: the caller has seen the whole input read as JSON
 * Lines (by nc_reader_open_file, say).
 * @return NC_OK, NC_ERR_INVALID_ARG (no @p out, @p first_line < 1, or
 *         @p data NULL with @p len > 0), NC_ERR_NOMEM.
 */
nc_status nc_reader_open_jsonl_piece(const void *data, size_t len, const char *name,
                                     long first_line, nc_reader **out);

/**
 * Read the next document into @p d (borrowed until the next call).
 * @return NC_OK (a document), NC_DONE (end of input), or a negative status
 * when an item or the rest of the input could not be read: the message with
 * file and line/offset is in nc_reader_errmsg(); the bad item is counted in
 * nc_reader_skipped(), and the caller may call again to go on with the next
 * item (the reader returns NC_DONE once nothing more can be read).
 */
nc_status nc_reader_next(nc_reader *r, nc_doc *d);

/** @return the last error message ("" if none); borrowed until the next call. */
const char *nc_reader_errmsg(const nc_reader *r);
/** @return how many items were skipped as unreadable so far. */
size_t nc_reader_skipped(const nc_reader *r);
/** @return the format being read (resolved after auto-detection). */
nc_format nc_reader_format(const nc_reader *r);
/** Release the reader and everything it lent.  Accepts NULL. */
void nc_reader_free(nc_reader *r);

/** Write @p d as one JSON object line (fields id, title, summary, source,
 *  link, published (ISO 8601 or null), parent) to @p f.
 *  @return NC_OK or NC_ERR_IO / NC_ERR_NOMEM. */
nc_status nc_doc_write_jsonl(const nc_doc *d, FILE *f);

/* ---------------------------------------------------------------- index */

/** Clustering parameters.  Fill with nc_params_default() and then change. */
typedef struct nc_params {
    uint32_t num_perm;      /**< MinHash values per signature (default 128) */
    double dup_threshold;   /**< near-duplicate similarity (default in README) */
    double story_threshold; /**< story similarity (default in README) */
    double window_hours;    /**< only documents this close in time join one
                                 story (default 72; <= 0: no window) */
    uint64_t seed;          /**< hashing seed (default 1) */
    unsigned threads;       /**< worker threads (0: all cores) */
    int background;         /**< 1 (default): blend the built-in background
                                 term frequencies of English news into IDF
                                 when they cover the batch (README); 0: IDF
                                 from the documents of the index alone */
} nc_params;

/** Fill @p p with the defaults. */
void nc_params_default(nc_params *p);

typedef struct nc_index nc_index; /**< documents, signatures, bands, clusters */

/** Create an empty index.  @p p may be NULL for defaults; it is copied.
 *  @return NC_OK, NC_ERR_INVALID_ARG (a parameter out of range), NC_ERR_NOMEM. */
nc_status nc_index_create(const nc_params *p, nc_index **out);
/** Release the index.  Accepts NULL. */
void nc_index_free(nc_index *ix);
/** Copy the index's parameters (defaults filled in) to @p out. */
nc_status nc_index_get_params(const nc_index *ix, nc_params *out);

/** Where a document went. */
typedef struct nc_assignment {
    size_t doc;        /**< ordinal of the document in the index (0-based) */
    int64_t cluster;   /**< story cluster id, or -1 until clustered */
    int64_t duplicate; /**< ordinal of the document it duplicates, or -1 */
} nc_assignment;

/**
 * Add a document (copied).  Its id must be unique in the index.
 * Before the index's first nc_index_cluster() (batch use) only the copy is
 * made: features are computed by nc_index_cluster(), on all threads at once,
 * and out->cluster is -1.  After it (a live index, also one loaded by
 * nc_index_load()) the document is assigned at once: it joins the story it
 * is most similar to (the batch's average similarity and time window) or
 * opens a new cluster with a fresh id; out->cluster is that id and
 * out->duplicate the document it near-copies, if any.  Either way the
 * results of nc_index_cluster_get() wait for the next nc_index_cluster(),
 * which recomputes all clusters and keeps their ids.
 * @p out (may be NULL) receives the document's ordinal and assignment.
 * @return NC_OK, NC_ERR_INVALID_ARG (NULL doc, no id, or an id already in the
 * index), NC_ERR_LIMIT, NC_ERR_NOMEM.  When the assignment of a live index
 * fails (NC_ERR_NOMEM), the document is kept, with out->cluster -1, and the
 * next nc_index_cluster() clusters it.
 */
nc_status nc_index_add(nc_index *ix, const nc_doc *d, nc_assignment *out);

/** @return the number of documents added. */
size_t nc_index_size(const nc_index *ix);

/**
 * Cluster every document added so far (batch): duplicate groups and stories.
 * May be called again after more adds; it recomputes.  Deterministic: the same
 * documents and parameters give the same clusters for any thread count.
 * Cluster ids are stable: the first clustering numbers clusters 0, 1, ... in
 * output order; later ones give each cluster the previous id most of its
 * members had (a story that grew keeps its id; of a split, the biggest part
 * keeps it; of a merge, the bigger side's) and new clusters fresh ids.
 * @return NC_OK or NC_ERR_NOMEM: the previous clusters are dropped
 * (nc_index_cluster_count() is 0), the documents and their cluster ids are
 * kept, adds wait unassigned, and a later call tries again.
 */
nc_status nc_index_cluster(nc_index *ix);

/** A story cluster, borrowed from the index until it changes or is freed. */
typedef struct nc_cluster {
    int64_t id;              /**< cluster id */
    size_t size;             /**< number of members */
    const char *headline;    /**< the representative's title */
    int64_t first_published; /**< NC_TIME_UNKNOWN if no member has a date */
    int64_t last_published;
    const char *const *keywords; /**< n_keywords most characteristic terms */
    size_t n_keywords;
} nc_cluster;

/** A member of a cluster, borrowed like nc_cluster. */
typedef struct nc_member {
    nc_doc doc;               /**< the document as added */
    const char *duplicate_of; /**< id of the document it near-copies, or NULL */
    double score;             /**< similarity to the cluster representative */
} nc_member;

/** A cluster that a document would join (nc_index_query). */
typedef struct nc_match {
    int64_t cluster;      /**< stable cluster id */
    double score;         /**< average story similarity to the cluster's members */
    size_t size;          /**< members */
    size_t nearest;       /**< ordinal of the member most similar to the document */
    double nearest_score; /**< that member's story similarity */
    int joins;            /**< 1 if score reaches story_threshold and the time
                               window allows: nc_index_add would join it */
} nc_match;

/**
 * The clusters most similar to @p d (borrowed; not added), best first (score,
 * then id), at most @p cap into @p out; *n receives how many.  Clusters with no
 * term in common with @p d are not listed.  The index must be live (clustered
 * once, or loaded); documents added since count with their assigned ids.
 * Uses the index's scratch: not concurrently with other calls on the index.
 * @return NC_OK, NC_ERR_INVALID_ARG, NC_ERR_STATE (never clustered),
 * NC_ERR_NOMEM.
 */
nc_status nc_index_query(const nc_index *ix, const nc_doc *d, nc_match *out, size_t cap, size_t *n);

/**
 * Save the index's documents, parameters (not threads) and cluster ids to
 * @p path (JSON Lines, README), written to a temporary name and renamed.
 * @return NC_OK, NC_ERR_INVALID_ARG, NC_ERR_IO (the file is left as it was).
 */
nc_status nc_index_save(const nc_index *ix, const char *path);

/**
 * Load an index saved by nc_index_save() into a new index (*out, free with
 * nc_index_free).  A saved index that was live is clustered again on load (on
 * all cores): the same clusters under the same ids, ready for more adds.
 * @return NC_OK, NC_ERR_INVALID_ARG, NC_ERR_IO, NC_ERR_CORRUPT (not such a file,
 * another version, a damaged line), NC_ERR_NOMEM; *out is NULL on error.
 */
nc_status nc_index_load(const char *path, nc_index **out);

/** @return the number of clusters (0 before nc_index_cluster()). */
size_t nc_index_cluster_count(const nc_index *ix);
/** Get cluster @p i in output order (size desc, then first member id).
 *  @return NC_OK, NC_ERR_INVALID_ARG (i out of range), NC_ERR_STATE. */
nc_status nc_index_cluster_get(const nc_index *ix, size_t i, nc_cluster *out);
/** Get member @p j of cluster @p i in output order (published, then id). */
nc_status nc_index_member_get(const nc_index *ix, size_t i, size_t j, nc_member *out);

/** Output flags. */
#define NC_OUT_JSONL 1u /**< one cluster a line, no envelope */

/** Write the clusters as schema_version 1 JSON (streamed) to @p f.
 *  @p skipped is reported in stats.skipped.  @return NC_OK, NC_ERR_IO, NC_ERR_STATE. */
nc_status nc_index_write_json(const nc_index *ix, FILE *f, unsigned flags, size_t skipped);

/** Write JSON Lines of the documents that survive deduplication (the first of
 *  each duplicate group), each with a "duplicates" array of the dropped ids. */
nc_status nc_index_write_dedup(const nc_index *ix, FILE *f);

/** Describe the parameters actually used (bands and rows chosen). */
typedef struct nc_index_info {
    uint32_t dup_bands, dup_rows;     /**< LSH shape for the duplicate level */
    uint32_t story_bands, story_rows; /**< LSH shape for the story level */
    size_t candidate_pairs;           /**< pairs proposed by LSH */
    size_t verified_pairs;            /**< pairs that passed verification: copies
                                           at the duplicate level, plus links
                                           between duplicate groups whose exact
                                           story similarity reaches the threshold */
    size_t duplicate_groups;          /**< groups of size >= 2 */
    size_t skipped_pairs;             /**< pairs left out by the bucket cap */
    double sec_features;              /**< features of the documents added since the
                                           last clustering: computed by nc_index_cluster,
                                           in parallel; a total over calls */
    double sec_sign;                  /**< last nc_index_cluster: MinHash signing */
    double sec_band;                  /**< LSH band tables and candidate pairs */
    double sec_verify;                /**< exact verification of candidates */
    double sec_cluster;               /**< duplicate groups, stories, output order */
    size_t memory_bytes;              /**< bytes held by the index (approximate) */
    double background_coverage;       /**< share of the batch's term occurrences
                                           that the background table knows */
    int background_used;              /**< 1 if the background entered IDF */
} nc_index_info;
nc_status nc_index_get_info(const nc_index *ix, nc_index_info *out);

/* ---------------------------------------------------------------- evaluation */

/** Clustering quality against labels (see README for the definitions). */
typedef struct nc_eval_result {
    double pair_p, pair_r, pair_f1;
    double bcubed_p, bcubed_r, bcubed_f1;
    double ari, nmi;
    size_t items, true_clusters, pred_clusters, missing;
} nc_eval_result;

/**
 * Score a clustering: @p labels_path is JSON Lines with "id" and
 * @p label_field (NULL: "story"); @p output_path is newsclust JSON output
 * (envelope or --jsonl).  Labelled items missing from the output count as
 * singletons.  On error a message naming file and line is written to
 * @p errbuf (may be NULL).
 * @return NC_OK, NC_ERR_IO, NC_ERR_PARSE, NC_ERR_NOMEM.
 */
nc_status nc_eval_files(const char *labels_path, const char *output_path, const char *label_field,
                        nc_eval_result *out, char *errbuf, size_t errlen);

/** Score two labelings of the same n items given as dense integer labels
 *  (truth[i], pred[i] >= 0).  @return NC_OK, NC_ERR_INVALID_ARG, NC_ERR_NOMEM. */
nc_status nc_eval_labels(const uint32_t *truth, const uint32_t *pred, size_t n,
                         nc_eval_result *out);

#ifdef __cplusplus
}
#endif
#endif /* NEWSCLUST_H */
