/*
 * parallel.h - running a range of independent work items on threads
 * (internal).  The one mechanism behind signing, verification, band tables
 * and the initial story linkages.
 */
#ifndef NC_PARALLEL_H
#define NC_PARALLEL_H

#include <stdatomic.h>
#include <stddef.h>

#define NC_MAX_THREADS 64

/** Work on items [lo, hi) as part @p part of the split; @return 0 or -1. */
typedef int (*nc_range_fn)(void *ctx, unsigned part, size_t lo, size_t hi);

/**
 * Split [0, total) into @p parts contiguous ranges (part t is
 * [total*t/parts, total*(t+1)/parts), a function of total and parts only)
 * and run @p fn on each, part 0 on the calling thread, the others on new
 * threads (a part whose thread cannot start runs on the caller).  Callers
 * write results per item or per part, so the outcome does not depend on
 * scheduling.  @p parts is clamped to 1..NC_MAX_THREADS.
 * @return 0, or -1 when any part returned -1.
 */
int nc__parallel_ranges(unsigned parts, size_t total, nc_range_fn fn, void *ctx);

/**
 * Chunks of [0, total) handed out in turn to whichever part asks first
 * (dynamic scheduling, for items of uneven cost, such as clusters sorted by
 * size).  Which part does which chunk depends on timing: callers must write
 * results per item.  Init before the parts start; take from any thread.
 */
typedef struct nc_chunks {
    atomic_size_t next; /* the first item not yet handed out */
    size_t total, chunk;
} nc_chunks;

/** Start handing out [0, @p total) in chunks of @p chunk items (0: 1). */
void nc__chunks_init(nc_chunks *q, size_t total, size_t chunk);

/** Take the next chunk [*lo, *hi).  @return 1, or 0 when all are taken. */
int nc__chunks_take(nc_chunks *q, size_t *lo, size_t *hi);

/**
 * Items [0, total) in contiguous shares, one a part (part t's share is
 * [total*t/parts, total*(t+1)/parts), as nc__parallel_ranges() splits), each
 * part taking its own share's items from the front, in order; a part whose
 * share is used up takes the last item of the share with the most left.
 * Uneven costs are balanced as with nc_chunks, while a part stays on a run
 * of neighbouring items: memory that the same part of an earlier split
 * allocated, from its thread's malloc arena.  (Items handed out in turn
 * made the two threads of the cluster stage's block walks realloc and free
 * each other's lists.)  Which part does which item depends on timing:
 * callers must write results per item.  @p total must be below 2^32.
 */
typedef struct nc_shares {
    _Atomic unsigned long long share[NC_MAX_THREADS]; /* next << 32 | end */
    unsigned parts;
} nc_shares;

/** Split [0, @p total) into @p parts shares (clamped to 1..NC_MAX_THREADS). */
void nc__shares_init(nc_shares *q, unsigned parts, size_t total);

/** Take an item for part @p part: its own share's next, else another
 *  share's last.  @return 1 with *@p item set, or 0 when all are taken. */
int nc__shares_take(nc_shares *q, unsigned part, size_t *item);

/** Work as role @p role of a fixed set of roles; @return 0 or -1. */
typedef int (*nc_role_fn)(void *ctx, unsigned role);

/**
 * Run roles 0..@p roles-1 (different jobs, such as "compute the next chunk"
 * beside "store the last one"), each on a thread of its own when @p threads
 * is more than 1, else one after the other on the caller (so that one
 * thread asked for is one thread used).  The roles must not depend on each
 * other's progress.  @return 0, or -1 when any role returned -1.
 */
int nc__parallel_roles(unsigned threads, unsigned roles, nc_role_fn fn, void *ctx);

/** Worker threads for a requested count (nc_params.threads): @p requested,
 *  or all online cores when 0; clamped to 1..NC_MAX_THREADS. */
unsigned nc__thread_count(unsigned requested);

#endif
