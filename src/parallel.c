/*
 * parallel.c - fork-join over contiguous ranges with POSIX threads (see
 * parallel.h).  No pool: the library's parallel stages are few and long.
 */
#include "parallel.h"

#include <pthread.h>
#include <unistd.h>

typedef struct part_job {
    nc_range_fn fn;
    void *ctx;
    unsigned part;
    size_t lo, hi;
    int rc;
} part_job;

static void *run_part(void *arg)
{
    part_job *j = arg;
    j->rc = j->fn(j->ctx, j->part, j->lo, j->hi);
    return NULL;
}

int nc__parallel_ranges(unsigned parts, size_t total, nc_range_fn fn, void *ctx)
{
    if (parts < 1) parts = 1;
    if (parts > NC_MAX_THREADS) parts = NC_MAX_THREADS;
    part_job jobs[NC_MAX_THREADS];
    pthread_t th[NC_MAX_THREADS];
    int started[NC_MAX_THREADS] = {0};
    for (unsigned t = 0; t < parts; t++) {
        jobs[t] = (part_job){fn, ctx, t, total * t / parts, total * (t + 1) / parts, 0};
        if (t > 0 && pthread_create(&th[t], NULL, run_part, &jobs[t]) == 0) started[t] = 1;
    }
    run_part(&jobs[0]);
    int rc = jobs[0].rc;
    for (unsigned t = 1; t < parts; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            run_part(&jobs[t]); /* no thread could be started: run it here */
        if (jobs[t].rc) rc = -1;
    }
    return rc ? -1 : 0;
}

unsigned nc__thread_count(unsigned requested)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nt = requested ? requested : (cores > 0 ? (unsigned)cores : 1u);
    return nt < 1 ? 1 : nt > NC_MAX_THREADS ? NC_MAX_THREADS : nt;
}

void nc__chunks_init(nc_chunks *q, size_t total, size_t chunk)
{
    atomic_init(&q->next, 0);
    q->total = total;
    q->chunk = chunk ? chunk : 1;
}

int nc__chunks_take(nc_chunks *q, size_t *lo, size_t *hi)
{
    size_t a = atomic_fetch_add_explicit(&q->next, q->chunk, memory_order_relaxed);
    if (a >= q->total) return 0;
    *lo = a;
    *hi = q->total - a < q->chunk ? q->total : a + q->chunk;
    return 1;
}

void nc__shares_init(nc_shares *q, unsigned parts, size_t total)
{
    if (parts < 1) parts = 1;
    if (parts > NC_MAX_THREADS) parts = NC_MAX_THREADS;
    q->parts = parts;
    for (unsigned t = 0; t < parts; t++) {
        unsigned long long lo = total * t / parts, hi = total * (t + 1) / parts;
        atomic_init(&q->share[t], lo << 32 | hi);
    }
}

/* A share is one 64-bit word (next, end), changed by compare-and-swap only:
 * its owner moves next up, a thief moves end down, and an item is handed
 * out by the one swap that takes it, so never twice. */
int nc__shares_take(nc_shares *q, unsigned part, size_t *item)
{
    _Atomic unsigned long long *own = &q->share[part < q->parts ? part : 0];
    unsigned long long v = atomic_load_explicit(own, memory_order_relaxed);
    while ((v >> 32) < (v & 0xffffffffu))
        if (atomic_compare_exchange_weak_explicit(own, &v, v + (1ull << 32), memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *item = (size_t)(v >> 32);
            return 1;
        }
    for (;;) { /* steal from the share with the most left */
        unsigned victim = 0;
        unsigned long long best = 0, bv = 0;
        for (unsigned t = 0; t < q->parts; t++) {
            unsigned long long w = atomic_load_explicit(&q->share[t], memory_order_relaxed);
            unsigned long long left = (w & 0xffffffffu) - (w >> 32); /* next <= end always */
            if (left > best) {
                best = left;
                bv = w;
                victim = t;
            }
        }
        if (!best) return 0;
        if (atomic_compare_exchange_weak_explicit(&q->share[victim], &bv, bv - 1,
                                                  memory_order_relaxed, memory_order_relaxed)) {
            *item = (size_t)(bv & 0xffffffffu) - 1;
            return 1;
        }
    }
}

typedef struct roles_job {
    nc_role_fn fn;
    void *ctx;
} roles_job;

static int run_roles(void *arg, unsigned part, size_t lo, size_t hi)
{
    (void)part;
    const roles_job *j = arg;
    int rc = 0;
    for (size_t r = lo; r < hi; r++)
        if (j->fn(j->ctx, (unsigned)r)) rc = -1;
    return rc;
}

int nc__parallel_roles(unsigned threads, unsigned roles, nc_role_fn fn, void *ctx)
{
    roles_job j = {fn, ctx};
    return nc__parallel_ranges(threads > 1 ? roles : 1, roles, run_roles, &j);
}
