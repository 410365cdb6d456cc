/*
 * doc_jsonl.c - nc_doc_write_jsonl(): one document as one JSON object line,
 * keys in a fixed order: id, title, summary, source, link, published (ISO
 * 8601 UTC, or null when unknown), parent (null when absent).  The body text
 * is not written.  Absent strings are written as null.
 */
#include "newsclust.h"

#include "json_escape.h"

nc_status nc_doc_write_jsonl(const nc_doc *d, FILE *f)
{
    if (!d || !f) return NC_ERR_INVALID_ARG;
    static const char *const keys[] = {
        "{\"id\":", ",\"title\":", ",\"summary\":", ",\"source\":", ",\"link\":"};
    const char *vals[] = {d->id, d->title, d->summary, d->source, d->link};
    int bad = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        bad |= fputs(keys[i], f) < 0;
        bad |= nc__json_put_string(f, vals[i]) != 0;
    }
    bad |= fputs(",\"published\":", f) < 0;
    if (d->published == NC_TIME_UNKNOWN) {
        bad |= fputs("null", f) < 0;
    } else {
        char tb[32];
        bad |= nc__json_put_string(f, nc_time_format(d->published, tb)) != 0;
    }
    bad |= fputs(",\"parent\":", f) < 0;
    bad |= nc__json_put_string(f, d->parent) != 0;
    bad |= fputs("}\n", f) < 0;
    return bad || ferror(f) ? NC_ERR_IO : NC_OK;
}
