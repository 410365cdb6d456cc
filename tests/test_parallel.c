/*
 * test_parallel.c - the fork-join helpers: contiguous ranges as documented,
 * roles, the chunk queue (every item handed out exactly once, whatever
 * the number of parts and the chunk size) and the shares (the same, each
 * part's own share first and in order, the rest taken from the back).
 */
#include "nc_test.h"
#include "parallel.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct range_seen {
    size_t total;
    unsigned parts;
    size_t lo[NC_MAX_THREADS], hi[NC_MAX_THREADS];
    int called[NC_MAX_THREADS];
} range_seen;

static int record_range(void *ctx, unsigned part, size_t lo, size_t hi)
{
    range_seen *s = ctx;
    s->lo[part] = lo;
    s->hi[part] = hi;
    s->called[part]++;
    return 0;
}

static int fail_part_one(void *ctx, unsigned part, size_t lo, size_t hi)
{
    (void)ctx;
    (void)lo;
    (void)hi;
    return part == 1 ? -1 : 0;
}

/* Chunk queue: each part takes chunks until none is left and counts each
 * item it was given. */
typedef struct chunk_job {
    nc_chunks q;
    atomic_uint *hits;  /* per item */
    atomic_uint takers; /* parts that took at least one chunk */
    size_t chunk;
    atomic_int bad; /* a chunk longer than asked, or empty */
} chunk_job;

static int take_chunks(void *ctx, unsigned part, size_t lo_, size_t hi_)
{
    (void)part;
    (void)lo_;
    (void)hi_;
    chunk_job *j = ctx;
    int took = 0;
    for (size_t lo, hi; nc__chunks_take(&j->q, &lo, &hi);) {
        if (hi <= lo || hi - lo > j->chunk) atomic_store(&j->bad, 1);
        for (size_t i = lo; i < hi; i++)
            atomic_fetch_add(&j->hits[i], 1u);
        took = 1;
    }
    if (took) atomic_fetch_add(&j->takers, 1u);
    return 0;
}

static void test_ranges(void)
{
    const size_t totals[] = {0, 1, 5, 1000, 1001};
    const unsigned parts[] = {1, 2, 3, 7};
    for (size_t ti = 0; ti < sizeof totals / sizeof *totals; ti++)
        for (size_t pi = 0; pi < sizeof parts / sizeof *parts; pi++) {
            range_seen s = {.total = totals[ti], .parts = parts[pi]};
            CHECK(nc__parallel_ranges(parts[pi], totals[ti], record_range, &s) == 0);
            size_t at = 0;
            for (unsigned t = 0; t < parts[pi]; t++) {
                CHECK(s.called[t] == 1);
                CHECK(s.lo[t] == totals[ti] * t / parts[pi]); /* as parallel.h says */
                CHECK(s.lo[t] == at);
                at = s.hi[t];
            }
            CHECK(at == totals[ti]);
        }
    range_seen s = {0};
    CHECK(nc__parallel_ranges(0, 10, record_range, &s) == 0); /* 0 parts: one */
    CHECK(s.called[0] == 1 && s.lo[0] == 0 && s.hi[0] == 10);
    CHECK(nc__parallel_ranges(3, 9, fail_part_one, NULL) == -1);
}

static void test_chunks(void)
{
    const size_t totals[] = {0, 1, 63, 64, 65, 10007};
    const size_t chunks[] = {0, 1, 7, 64, 100000};
    const unsigned parts[] = {1, 2, 4};
    for (size_t ti = 0; ti < sizeof totals / sizeof *totals; ti++)
        for (size_t ci = 0; ci < sizeof chunks / sizeof *chunks; ci++)
            for (size_t pi = 0; pi < sizeof parts / sizeof *parts; pi++) {
                size_t total = totals[ti];
                chunk_job j = {.chunk = chunks[ci] ? chunks[ci] : 1};
                j.hits = calloc(total + 1, sizeof *j.hits);
                CHECK(j.hits != NULL);
                if (!j.hits) return;
                atomic_init(&j.takers, 0u);
                atomic_init(&j.bad, 0);
                nc__chunks_init(&j.q, total, chunks[ci]);
                CHECK(nc__parallel_ranges(parts[pi], parts[pi], take_chunks, &j) == 0);
                size_t once = 0;
                for (size_t i = 0; i < total; i++)
                    once += atomic_load(&j.hits[i]) == 1u;
                CHECK(once == total);
                CHECK(atomic_load(&j.bad) == 0);
                CHECK(atomic_load(&j.takers) <= parts[pi]);
                CHECK(total == 0 || atomic_load(&j.takers) >= 1u);
                /* drained: a late part finds nothing, and asking again is harmless */
                size_t lo = 123, hi = 456;
                CHECK(nc__chunks_take(&j.q, &lo, &hi) == 0);
                CHECK(nc__chunks_take(&j.q, &lo, &hi) == 0);
                CHECK(lo == 123 && hi == 456);
                free(j.hits);
            }
    /* in order on one thread: [0,3) [3,6) [6,7) */
    nc_chunks q;
    nc__chunks_init(&q, 7, 3);
    size_t lo, hi;
    CHECK(nc__chunks_take(&q, &lo, &hi) == 1 && lo == 0 && hi == 3);
    CHECK(nc__chunks_take(&q, &lo, &hi) == 1 && lo == 3 && hi == 6);
    CHECK(nc__chunks_take(&q, &lo, &hi) == 1 && lo == 6 && hi == 7);
    CHECK(nc__chunks_take(&q, &lo, &hi) == 0);
}

/* Shares: each part takes items until none is left, counts each one and
 * checks that the items of its own share came first, in order. */
typedef struct share_job {
    nc_shares q;
    size_t total;
    unsigned parts;
    atomic_uint *hits;
    atomic_int bad; /* an own item out of order, or after a stolen one */
} share_job;

static int take_shares(void *ctx, unsigned part, size_t lo_, size_t hi_)
{
    (void)lo_;
    (void)hi_;
    share_job *j = ctx;
    size_t lo = j->total * part / j->parts, hi = j->total * (part + 1) / j->parts;
    size_t want = lo; /* the next item of the own share (the others may take its last ones) */
    int stole = 0;
    for (size_t item; nc__shares_take(&j->q, part, &item);) {
        if (item >= j->total) {
            atomic_store(&j->bad, 1);
            continue;
        }
        atomic_fetch_add(&j->hits[item], 1u);
        if (item >= lo && item < hi) {
            if (stole || item != want) atomic_store(&j->bad, 1);
            want++;
        } else {
            stole = 1;
        }
    }
    return 0;
}

static void test_shares(void)
{
    const size_t totals[] = {0, 1, 2, 3, 64, 10007, 200000};
    const unsigned parts[] = {1, 2, 3, 4};
    for (size_t ti = 0; ti < sizeof totals / sizeof *totals; ti++)
        for (size_t pi = 0; pi < sizeof parts / sizeof *parts; pi++) {
            share_job j = {.total = totals[ti], .parts = parts[pi]};
            j.hits = calloc(j.total + 1, sizeof *j.hits);
            CHECK(j.hits != NULL);
            if (!j.hits) return;
            atomic_init(&j.bad, 0);
            nc__shares_init(&j.q, j.parts, j.total);
            CHECK(nc__parallel_ranges(j.parts, j.parts, take_shares, &j) == 0);
            size_t once = 0;
            for (size_t i = 0; i < j.total; i++)
                once += atomic_load(&j.hits[i]) == 1u;
            CHECK(once == j.total);
            CHECK(atomic_load(&j.bad) == 0);
            size_t item = 99;
            CHECK(nc__shares_take(&j.q, 0, &item) == 0 && item == 99);
            free(j.hits);
        }
    /* on one thread, part 0 of 2 over 7 items: its share [0, 3) in order,
     * then the other's [3, 7) from the back */
    nc_shares q;
    nc__shares_init(&q, 2, 7);
    size_t got[8], n = 0;
    for (size_t item; n < 8 && nc__shares_take(&q, 0, &item);)
        got[n++] = item;
    const size_t want[] = {0, 1, 2, 6, 5, 4, 3};
    CHECK(n == 7);
    for (size_t i = 0; i < n && i < 7; i++)
        CHECK(got[i] == want[i]);
    /* a steal goes to the share with most left: part 2 of 3 over 9, its own
     * [6, 9) done, takes 5 (share 1, 3 left) before share 0's */
    nc__shares_init(&q, 3, 9);
    size_t item = 0;
    CHECK(nc__shares_take(&q, 0, &item) == 1 && item == 0);
    for (int i = 0; i < 3; i++)
        CHECK(nc__shares_take(&q, 2, &item) == 1 && item == (size_t)(6 + i));
    CHECK(nc__shares_take(&q, 2, &item) == 1 && item == 5);
    CHECK(nc__shares_take(&q, 2, &item) == 1 && item == 2); /* 2 left each: the first */
}

typedef struct roles_seen {
    atomic_uint mask;
} roles_seen;

static int record_role(void *ctx, unsigned role)
{
    roles_seen *s = ctx;
    atomic_fetch_or(&s->mask, 1u << role);
    return 0;
}

static void test_roles(void)
{
    for (unsigned threads = 1; threads <= 3; threads++) {
        roles_seen s;
        atomic_init(&s.mask, 0u);
        CHECK(nc__parallel_roles(threads, 5, record_role, &s) == 0);
        CHECK(atomic_load(&s.mask) == 0x1Fu);
    }
    CHECK(nc__thread_count(3) == 3);
    CHECK(nc__thread_count(100000) == NC_MAX_THREADS);
    CHECK(nc__thread_count(0) >= 1);
}

int main(void)
{
    test_ranges();
    test_chunks();
    test_shares();
    test_roles();
    return nc_test_report("test_parallel");
}
