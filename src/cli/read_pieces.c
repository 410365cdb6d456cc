/*
 * read_pieces.c - a JSON Lines file parsed on several threads (see
 * read_pieces.h).
 *
 * One reader is sequential, and at a million documents its thread (cJSON's
 * parse, the fields' clean-up) needs about 1.4 s of CPU against 0.6 s for
 * the adds that follow: the read stage waits on it.  Here the file is cut
 * after newlines into pieces of about piece_bytes.  Each producer thread
 * takes the next piece under a lock (the cut, and the count of its lines,
 * which gives the next piece its first line number), reads it with a reader
 * of its own (nc_reader_open_jsonl_piece, which numbers lines from there),
 * copies its items into the batch of a ring slot, and marks the batch full.
 * The caller takes batch after batch in piece order.  Piece k goes to slot
 * k mod slots once the caller is done with piece k - slots, so a producer
 * never overwrites a batch still being read.  Documents, messages, made-up
 * ids and skipped counts are those of one reader over the file, because a
 * JSON Lines reader keeps no state from one line to the next but the line
 * number.  (A line longer than a piece is held whole, however long, where
 * one reader drops what is beyond its limit as it goes.)
 */
#include "read_pieces.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RP_PIECE ((size_t)1 << 20) /* bytes a piece, by default */
#define RP_MAX_THREADS 16
#define RP_FIELDS 8 /* id title summary text source link parent msg */
#define RP_NONE RA_NONE

typedef struct rp_rec {
    nc_status st;
    int64_t published;
    size_t off[RP_FIELDS]; /* in the batch's text; RP_NONE: NULL */
} rp_rec;

typedef struct rp_batch {
    rp_rec *rec;
    size_t n, cap;
    char *text;
    size_t len, tcap;
    size_t skipped; /* the piece's reader's count */
    size_t seq;     /* the piece it holds */
    int full;       /* filled, not yet given back by the caller */
    int last;       /* no piece follows */
} rp_batch;

struct read_pieces {
    FILE *fp;
    char *name;
    size_t piece;

    /* cutting, under cut_mu */
    pthread_mutex_t cut_mu;
    char *carry; /* the partial line after the last cut */
    size_t carry_len, carry_cap;
    long next_line;  /* the first line of the next piece */
    size_t next_seq; /* its number */
    int cut_done;    /* the end of the file (or a failure): no more pieces */

    /* hand-over, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rp_batch *slot;
    size_t nslots;
    size_t consumed; /* pieces the caller is done with */
    int stop;

    /* the caller's side */
    size_t head, pos;
    int holding, ended;
    size_t skipped;

    unsigned nth;
    pthread_t th[RP_MAX_THREADS];
};

/* Append an item: a document (@p d) or an error (@p msg).  A batch keeps
 * one record spare (rp_open gives each some to start with), so that when
 * memory runs out an NC_ERR_NOMEM record can still be put in.  @return 0,
 * or -1 when out of memory (that record is then the last). */
static int put_item(rp_batch *b, nc_status st, const nc_doc *d, const char *msg)
{
    if (b->n + 1 >= b->cap) {
        rp_rec *p = realloc(b->rec, 2 * b->cap * sizeof *p);
        if (!p) {
            rp_rec *r = &b->rec[b->n++]; /* the spare */
            *r = (rp_rec){.st = NC_ERR_NOMEM};
            for (int q = 0; q < RP_FIELDS; q++)
                r->off[q] = RP_NONE;
            return -1;
        }
        b->rec = p;
        b->cap *= 2;
    }
    rp_rec *r = &b->rec[b->n++];
    r->st = st;
    r->published = d ? d->published : NC_TIME_UNKNOWN;
    const char *f[RP_FIELDS] = {NULL};
    if (d) {
        const char *v[RP_FIELDS] = {d->id,     d->title, d->summary, d->text,
                                    d->source, d->link,  d->parent,  NULL};
        memcpy(f, v, sizeof f);
    }
    f[RP_FIELDS - 1] = msg;
    for (int k = 0; k < RP_FIELDS; k++) {
        r->off[k] = ra_put_text(&b->text, &b->len, &b->tcap, f[k]);
        if (r->off[k] == RP_NONE - 1) {
            *r = (rp_rec){.st = NC_ERR_NOMEM};
            for (int q = 0; q < RP_FIELDS; q++)
                r->off[q] = RP_NONE;
            return -1;
        }
    }
    return 0;
}

/* An out-of-memory record with a message of its own (the reader may not
 * have one to give). */
static void put_nomem(read_pieces *rp, rp_batch *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", rp->name, nc_strerror(NC_ERR_NOMEM));
    put_item(b, NC_ERR_NOMEM, NULL, msg);
}

/* The last newline in b[from, n), or NULL. */
static const char *last_newline(const char *b, size_t from, size_t n)
{
    for (size_t i = n; i > from; i--)
        if (b[i - 1] == '\n') return b + i - 1;
    return NULL;
}

/* Cut the next piece (under cut_mu): the carried partial line, then bytes
 * read up to the last newline of about rp->piece more, or to the end of
 * the file; a line longer than that is read on until its newline.
 * @return the piece (malloc'd; its length in *len), or NULL when out of
 * memory.  *last: the end of the file (or a read error, *io_error). */
static char *cut(read_pieces *rp, size_t *len, long *first, int *last, int *io_error)
{
    size_t n = rp->carry_len, cap = rp->carry_len + rp->piece, from = 0;
    char *b = malloc(cap + 1);
    if (!b) return NULL;
    if (rp->carry_len) memcpy(b, rp->carry, rp->carry_len);
    rp->carry_len = 0;
    size_t keep = 0; /* where the piece ends */
    for (;;) {
        size_t want = cap - n, got = fread(b + n, 1, want, rp->fp);
        n += got;
        if (got < want) { /* the end of the file, or an error */
            *last = 1;
            if (ferror(rp->fp)) { /* one reader drops the partial line and stops */
                *io_error = 1;
                const char *nl = last_newline(b, 0, n);
                n = nl ? (size_t)(nl - b) + 1 : 0;
            }
            keep = n;
            break;
        }
        const char *nl = last_newline(b, from, n);
        if (nl) {
            keep = (size_t)(nl - b) + 1;
            break;
        }
        from = n; /* a long line: read on */
        char *g = realloc(b, cap * 2 + 1);
        if (!g) {
            free(b);
            return NULL;
        }
        b = g;
        cap *= 2;
    }
    size_t rest = n - keep;
    if (rest > rp->carry_cap) {
        char *c = realloc(rp->carry, rest);
        if (!c) {
            free(b);
            return NULL;
        }
        rp->carry = c;
        rp->carry_cap = rest;
    }
    if (rest) memcpy(rp->carry, b + keep, rest);
    rp->carry_len = rest;
    long lines = 0;
    for (const char *p = b, *end = b + keep; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        lines++;
    *first = rp->next_line;
    rp->next_line += lines;
    *len = keep;
    return b;
}

/* Read a piece into batch @p b.  @return 0, or -1 when out of memory (the
 * batch then ends with an NC_ERR_NOMEM record). */
static int fill(read_pieces *rp, rp_batch *b, const char *piece, size_t len, long first,
                int io_error)
{
    b->n = b->len = 0;
    b->skipped = 0;
    nc_reader *rd = NULL;
    if (!piece || nc_reader_open_jsonl_piece(piece, len, rp->name, first, &rd) != NC_OK) {
        put_nomem(rp, b);
        return -1;
    }
    int rc = 0;
    for (;;) {
        nc_doc d;
        nc_status st = nc_reader_next(rd, &d);
        if (st == NC_DONE) break;
        if (put_item(b, st, st >= 0 ? &d : NULL, st < 0 ? nc_reader_errmsg(rd) : NULL) ||
            st == NC_ERR_NOMEM) {
            rc = -1;
            break;
        }
    }
    b->skipped = nc_reader_skipped(rd);
    nc_reader_free(rd);
    if (rc == 0 && io_error) { /* as one reader says it, at the line it could not read */
        long line = first;
        for (const char *p = piece; (p = memchr(p, '\n', (size_t)(piece + len - p))) != NULL; p++)
            line++;
        char msg[512];
        snprintf(msg, sizeof msg, "%s:%ld: read error", rp->name, line);
        put_item(b, NC_ERR_IO, NULL, msg);
    }
    return rc;
}

static void *producer(void *arg)
{
    read_pieces *rp = arg;
    for (;;) {
        pthread_mutex_lock(&rp->cut_mu);
        if (rp->cut_done) {
            pthread_mutex_unlock(&rp->cut_mu);
            break;
        }
        size_t seq = rp->next_seq++, len = 0;
        long first = 0;
        int last = 0, io_error = 0;
        char *piece = cut(rp, &len, &first, &last, &io_error);
        if (!piece) last = 1; /* out of memory: this piece says so, and is the last */
        if (last) rp->cut_done = 1;
        pthread_mutex_unlock(&rp->cut_mu);

        rp_batch *b = &rp->slot[seq % rp->nslots];
        pthread_mutex_lock(&rp->mu);
        while (!rp->stop && seq >= rp->consumed + rp->nslots)
            pthread_cond_wait(&rp->cv, &rp->mu);
        int stop = rp->stop;
        pthread_mutex_unlock(&rp->mu);
        if (stop) {
            free(piece);
            break;
        }
        if (fill(rp, b, piece, len, first, io_error)) {
            last = 1; /* nothing is read after an out-of-memory */
            pthread_mutex_lock(&rp->cut_mu);
            rp->cut_done = 1;
            pthread_mutex_unlock(&rp->cut_mu);
        }
        free(piece);
        pthread_mutex_lock(&rp->mu);
        b->seq = seq;
        b->last = last;
        b->full = 1;
        pthread_cond_broadcast(&rp->cv);
        pthread_mutex_unlock(&rp->mu);
        if (last) break;
    }
    return NULL;
}

static void rp_free(read_pieces *rp)
{
    for (size_t i = 0; rp->slot && i < rp->nslots; i++) {
        free(rp->slot[i].rec);
        free(rp->slot[i].text);
    }
    free(rp->slot);
    free(rp->carry);
    free(rp->name);
    free(rp);
}

read_pieces *rp_open(FILE *fp, const char *path, unsigned threads, size_t piece_bytes)
{
    if (threads < 2) threads = 2;
    if (threads > RP_MAX_THREADS) threads = RP_MAX_THREADS;
    read_pieces *rp = calloc(1, sizeof *rp);
    if (!rp) return NULL;
    rp->fp = fp;
    rp->piece = piece_bytes ? piece_bytes : RP_PIECE;
    rp->next_line = 1;
    rp->nslots = 2 * (size_t)threads + 2;
    rp->name = strdup(path);
    rp->slot = calloc(rp->nslots, sizeof *rp->slot);
    if (!rp->name || !rp->slot) {
        rp_free(rp);
        return NULL;
    }
    for (size_t i = 0; i < rp->nslots; i++) {
        rp->slot[i].cap = 1024;
        rp->slot[i].rec = malloc(rp->slot[i].cap * sizeof *rp->slot[i].rec);
        if (!rp->slot[i].rec) {
            rp_free(rp);
            return NULL;
        }
    }
    if (pthread_mutex_init(&rp->cut_mu, NULL)) {
        rp_free(rp);
        return NULL;
    }
    if (pthread_mutex_init(&rp->mu, NULL)) {
        pthread_mutex_destroy(&rp->cut_mu);
        rp_free(rp);
        return NULL;
    }
    if (pthread_cond_init(&rp->cv, NULL)) {
        pthread_mutex_destroy(&rp->mu);
        pthread_mutex_destroy(&rp->cut_mu);
        rp_free(rp);
        return NULL;
    }
    for (unsigned t = 0; t < threads; t++)
        if (pthread_create(&rp->th[rp->nth], NULL, producer, rp) == 0) rp->nth++;
    if (rp->nth == 0) { /* nothing read yet: the caller reads the file itself */
        rp_close(rp);
        return NULL;
    }
    return rp;
}

static const char *at(const rp_batch *b, size_t off)
{
    return off == RP_NONE ? NULL : b->text + off;
}

int rp_next(read_pieces *rp, ra_item *it)
{
    if (rp->ended) return 0;
    for (;;) {
        rp_batch *b = &rp->slot[rp->head % rp->nslots];
        if (!rp->holding) {
            pthread_mutex_lock(&rp->mu);
            while (!(b->full && b->seq == rp->head))
                pthread_cond_wait(&rp->cv, &rp->mu);
            pthread_mutex_unlock(&rp->mu);
            rp->holding = 1;
            rp->pos = 0;
            rp->skipped += b->skipped;
        }
        if (rp->pos < b->n) {
            const rp_rec *r = &b->rec[rp->pos++];
            it->st = r->st;
            it->doc =
                (nc_doc){at(b, r->off[0]), at(b, r->off[1]), at(b, r->off[2]), at(b, r->off[3]),
                         at(b, r->off[4]), at(b, r->off[5]), at(b, r->off[6]), r->published};
            it->msg = at(b, r->off[RP_FIELDS - 1]);
            if (r->st == NC_ERR_NOMEM) rp->ended = 1; /* nothing more after it */
            return 1;
        }
        int last = b->last; /* the batch is done: give it back */
        pthread_mutex_lock(&rp->mu);
        b->full = 0;
        rp->consumed = rp->head + 1;
        pthread_cond_broadcast(&rp->cv);
        pthread_mutex_unlock(&rp->mu);
        rp->holding = 0;
        rp->head++;
        if (last) {
            rp->ended = 1;
            return 0;
        }
    }
}

size_t rp_skipped(const read_pieces *rp)
{
    return rp ? rp->skipped : 0;
}

void rp_close(read_pieces *rp)
{
    if (!rp) return;
    pthread_mutex_lock(&rp->mu);
    rp->stop = 1;
    pthread_cond_broadcast(&rp->cv);
    pthread_mutex_unlock(&rp->mu);
    for (unsigned t = 0; t < rp->nth; t++)
        pthread_join(rp->th[t], NULL);
    pthread_cond_destroy(&rp->cv);
    pthread_mutex_destroy(&rp->mu);
    pthread_mutex_destroy(&rp->cut_mu);
    rp_free(rp);
}
