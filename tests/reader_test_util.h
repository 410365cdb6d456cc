/*
 * reader_test_util.h - helpers shared by the test_reader_*.c tests: read a
 * whole input into owned copies of its documents and errors, and check that
 * a string holds no HTML tag or entity.
 */
#ifndef READER_TEST_UTIL_H
#define READER_TEST_UTIL_H

#include "newsclust.h"

#include <stdlib.h>
#include <string.h>

typedef struct tdoc {
    char *id, *title, *summary, *text, *source, *link, *parent;
    int64_t published;
} tdoc;

typedef struct tres {
    nc_status open_status;
    nc_format format;
    tdoc *docs;
    size_t n;
    char *errs[64];         /* messages of the errors, in order */
    nc_status codes[64];    /* their statuses */
    size_t docs_before[64]; /* documents returned before each error */
    size_t nerr;
    size_t skipped;
    int ended; /* NC_DONE was seen (and returned again by one more call) */
} tres;

static inline char *t_dup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* Read everything from @p r (which is freed) into @p t. */
static inline void t_collect(nc_reader *r, tres *t)
{
    size_t cap = 0;
    for (size_t guard = 0; guard < 10000000; guard++) {
        nc_doc d;
        nc_status st = nc_reader_next(r, &d);
        if (st == NC_DONE) {
            t->ended = nc_reader_next(r, &d) == NC_DONE; /* stays done */
            break;
        }
        if (st < 0) {
            if (t->nerr < 64) {
                t->errs[t->nerr] = t_dup(nc_reader_errmsg(r));
                t->codes[t->nerr] = st;
                t->docs_before[t->nerr] = t->n;
            }
            t->nerr++;
            continue;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 64;
            t->docs = realloc(t->docs, cap * sizeof *t->docs);
        }
        tdoc *c = &t->docs[t->n++];
        c->id = t_dup(d.id);
        c->title = t_dup(d.title);
        c->summary = t_dup(d.summary);
        c->text = t_dup(d.text);
        c->source = t_dup(d.source);
        c->link = t_dup(d.link);
        c->parent = t_dup(d.parent);
        c->published = d.published;
    }
    t->skipped = nc_reader_skipped(r);
    t->format = nc_reader_format(r);
    nc_reader_free(r);
}

static inline void t_read_file(const char *path, nc_format f, tres *t)
{
    memset(t, 0, sizeof *t);
    nc_reader *r = NULL;
    t->open_status = nc_reader_open_file(path, f, &r);
    if (t->open_status == NC_OK) t_collect(r, t);
}

static inline void t_read_mem(const void *data, size_t len, const char *name, nc_format f, tres *t)
{
    memset(t, 0, sizeof *t);
    nc_reader *r = NULL;
    t->open_status = nc_reader_open_memory(data, len, name, f, &r);
    if (t->open_status == NC_OK) t_collect(r, t);
}

static inline void t_free(tres *t)
{
    for (size_t i = 0; i < t->n; i++) {
        tdoc *c = &t->docs[i];
        free(c->id);
        free(c->title);
        free(c->summary);
        free(c->text);
        free(c->source);
        free(c->link);
        free(c->parent);
    }
    free(t->docs);
    for (size_t i = 0; i < t->nerr && i < 64; i++)
        free(t->errs[i]);
    memset(t, 0, sizeof *t);
}

/* An HTML tag ("<p", "</a", "<br/>") or entity ("&amp;", "&#39;", "&nbsp;")? */
static inline int t_has_markup(const char *s)
{
    if (!s) return 0;
    for (const char *p = s; *p; p++) {
        if (*p == '<' &&
            (p[1] == '/' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
             p[1] == '!') &&
            strchr(p, '>'))
            return 1;
        if (*p == '&') {
            const char *q = p + 1;
            if (*q == '#') q++;
            const char *b = q;
            while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))
                q++;
            if (q > b && *q == ';') return 1;
        }
    }
    return 0;
}

static inline int t_doc_has_markup(const tdoc *d)
{
    return t_has_markup(d->id) || t_has_markup(d->title) || t_has_markup(d->summary) ||
           t_has_markup(d->text) || t_has_markup(d->source) || t_has_markup(d->link) ||
           t_has_markup(d->parent);
}

static inline const tdoc *t_find(const tres *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->docs[i].id && strcmp(t->docs[i].id, id) == 0) return &t->docs[i];
    return NULL;
}

#endif
