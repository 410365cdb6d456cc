/*
 * read_ahead.c - the input read on its own thread (see read_ahead.h).
 *
 * Parsing JSON or XML and cleaning the fields is most of the read stage,
 * and nc_index_add (copying into the index) the rest; both are sequential.
 * With a producer thread they overlap: the reader thread fills batches of
 * RA_BATCH items (each document's strings copied into the batch's own
 * buffer, since the reader lends them only until its next call), a ring of
 * RA_SLOTS batches hands them over, and the caller takes them in order.
 * The items, and so the run's output and messages, are the same as those of
 * a direct loop over nc_reader_next().
 */
#include "read_ahead.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RA_BATCH 1024 /* items a batch */
#define RA_SLOTS 3    /* batches in the ring */
#define RA_FIELDS 8   /* id title summary text source link parent msg */

typedef struct ra_rec {
    nc_status st;
    int64_t published;
    size_t off[RA_FIELDS]; /* in the batch's text; RA_NONE: NULL */
} ra_rec;

typedef struct batch {
    ra_rec rec[RA_BATCH];
    size_t n;
    char *text;
    size_t len, cap;
    int full; /* handed to the caller, not yet given back */
    int last; /* the end of the input: no batch follows */
} batch;

struct read_ahead {
    nc_reader *rd;
    int threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;  /* ra_close: the thread ends */
    int ended; /* the caller has seen the end */
    batch b[RA_SLOTS];
    unsigned head; /* the batch the caller reads */
    size_t pos;    /* its next item */
    int holding;   /* the caller holds batch head */
};

size_t ra_put_text(char **text, size_t *len, size_t *cap, const char *s)
{
    if (!s) return RA_NONE;
    size_t n = strlen(s) + 1;
    if (*cap - *len < n) {
        size_t c = *cap ? *cap : 65536;
        while (c - *len < n)
            c *= 2;
        char *p = realloc(*text, c);
        if (!p) return RA_NONE - 1;
        *text = p;
        *cap = c;
    }
    memcpy(*text + *len, s, n);
    *len += n;
    return *len - n;
}

/* One item of the reader into the batch.  @return 0, or -1 when it was the
 * last (end of input, or out of memory). */
static int fill_one(read_ahead *ra, batch *bt)
{
    nc_doc d;
    nc_status st = nc_reader_next(ra->rd, &d);
    if (st == NC_DONE) return -1;
    ra_rec *r = &bt->rec[bt->n++];
    r->st = st;
    r->published = st >= 0 ? d.published : NC_TIME_UNKNOWN;
    const char *f[RA_FIELDS] = {NULL};
    if (st >= 0) {
        const char *v[RA_FIELDS] = {d.id,     d.title, d.summary, d.text,
                                    d.source, d.link,  d.parent,  NULL};
        memcpy(f, v, sizeof f);
    } else {
        f[RA_FIELDS - 1] = nc_reader_errmsg(ra->rd);
    }
    for (int k = 0; k < RA_FIELDS; k++) {
        r->off[k] = ra_put_text(&bt->text, &bt->len, &bt->cap, f[k]);
        if (r->off[k] == RA_NONE - 1) { /* the batch's buffer: out of memory */
            *r = (ra_rec){.st = NC_ERR_NOMEM};
            for (int q = 0; q < RA_FIELDS; q++)
                r->off[q] = RA_NONE;
            return -1;
        }
    }
    return st == NC_ERR_NOMEM ? -1 : 0;
}

static void *producer(void *arg)
{
    read_ahead *ra = arg;
    for (unsigned slot = 0;; slot = (slot + 1) % RA_SLOTS) {
        batch *bt = &ra->b[slot];
        pthread_mutex_lock(&ra->mu);
        while (bt->full && !ra->stop)
            pthread_cond_wait(&ra->cv, &ra->mu);
        int stop = ra->stop;
        pthread_mutex_unlock(&ra->mu);
        if (stop) break;
        bt->n = bt->len = 0;
        bt->last = 0;
        while (bt->n < RA_BATCH && !bt->last)
            if (fill_one(ra, bt)) bt->last = 1;
        pthread_mutex_lock(&ra->mu);
        bt->full = 1;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        if (bt->last) break;
    }
    return NULL;
}

read_ahead *ra_open(nc_reader *rd, int threaded)
{
    read_ahead *ra = calloc(1, sizeof *ra);
    if (!ra) return NULL;
    ra->rd = rd;
    if (threaded && pthread_mutex_init(&ra->mu, NULL) == 0) {
        if (pthread_cond_init(&ra->cv, NULL) == 0) {
            if (pthread_create(&ra->th, NULL, producer, ra) == 0) {
                ra->threaded = 1;
                return ra;
            }
            pthread_cond_destroy(&ra->cv);
        }
        pthread_mutex_destroy(&ra->mu);
    }
    return ra; /* read directly */
}

static const char *at(const batch *bt, size_t off)
{
    return off == RA_NONE ? NULL : bt->text + off;
}

int ra_next(read_ahead *ra, ra_item *it)
{
    if (ra->ended) return 0;
    if (!ra->threaded) {
        nc_status st = nc_reader_next(ra->rd, &it->doc);
        if (st == NC_DONE) {
            ra->ended = 1;
            return 0;
        }
        it->st = st;
        it->msg = st < 0 ? nc_reader_errmsg(ra->rd) : NULL;
        if (st == NC_ERR_NOMEM) ra->ended = 1; /* nothing more after it */
        return 1;
    }
    for (;;) {
        batch *bt = &ra->b[ra->head];
        if (!ra->holding) {
            pthread_mutex_lock(&ra->mu);
            while (!bt->full)
                pthread_cond_wait(&ra->cv, &ra->mu);
            pthread_mutex_unlock(&ra->mu);
            ra->holding = 1;
            ra->pos = 0;
        }
        if (ra->pos < bt->n) {
            const ra_rec *r = &bt->rec[ra->pos++];
            it->st = r->st;
            it->doc =
                (nc_doc){at(bt, r->off[0]), at(bt, r->off[1]), at(bt, r->off[2]), at(bt, r->off[3]),
                         at(bt, r->off[4]), at(bt, r->off[5]), at(bt, r->off[6]), r->published};
            it->msg = at(bt, r->off[RA_FIELDS - 1]);
            return 1;
        }
        int last = bt->last; /* the batch is done: give it back */
        pthread_mutex_lock(&ra->mu);
        bt->full = 0;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        ra->holding = 0;
        if (last) {
            ra->ended = 1;
            return 0;
        }
        ra->head = (ra->head + 1) % RA_SLOTS;
    }
}

void ra_close(read_ahead *ra)
{
    if (!ra) return;
    if (ra->threaded) {
        pthread_mutex_lock(&ra->mu);
        ra->stop = 1;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        pthread_join(ra->th, NULL);
        pthread_cond_destroy(&ra->cv);
        pthread_mutex_destroy(&ra->mu);
    }
    for (int i = 0; i < RA_SLOTS; i++)
        free(ra->b[i].text);
    free(ra);
}
