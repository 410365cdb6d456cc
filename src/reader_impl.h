/*
 * reader_impl.h - the internal interface between reader.c (the nc_reader
 * object: input, format detection, field cleanup, document queue) and the
 * format modules reader_xml.c, reader_jsonl.c, reader_markdown.c and
 * reader_text.c (internal, not API).
 *
 * A module turns its input into "items": one raw record each (an RSS item, a
 * JSON line, a file).  reader.c cleans an item's fields (HTML, entities,
 * UTF-8), removes the outlet suffix from the title, picks the source, splits
 * Google News related-coverage lists, and queues the resulting documents.
 * The strings of an item belong to the module and must stay valid until the
 * module's next() is called again; reader.c only calls next() once every
 * document made from the previous item has been handed out.
 */
#ifndef NC_READER_IMPL_H
#define NC_READER_IMPL_H

#include "newsclust.h"

#include <stddef.h>
#include <stdint.h>

/** Longest JSON line, Markdown or text file read (bigger: NC_ERR_LIMIT). */
#define NC__READ_LIMIT ((size_t)64 << 20)

/** One raw record of a module.  Every string may be NULL; fields may hold
 *  HTML and entities unless @c plain is set. */
typedef struct nc__item {
    const char *id;             /**< id; modules always provide one */
    const char *title;          /**< headline, maybe with an outlet suffix */
    const char *summary;        /**< description / summary */
    const char *text;           /**< body / content */
    const char *source;         /**< explicit outlet; ignored when it is a URL */
    const char *creator;        /**< author field; used as source only if it
                                     looks like a publisher (dc:creator) */
    const char *default_source; /**< channel / feed title: last resort source */
    const char *link;           /**< URL */
    const char *gnews_html[3];  /**< HTML that may hold a Google News list, in
                                     the order to try (body first) */
    int64_t published;          /**< Unix seconds or NC_TIME_UNKNOWN */
    int plain;                  /**< fields are plain text: '<' is not markup */
} nc__item;

/** A format module.  next() fills @p it (strings owned by the module) and
 *  returns NC_OK, NC_DONE, or an error after nc__reader_fail() (the reader
 *  counts the skipped item; next() may be called again). */
typedef struct nc__module {
    nc_status (*next)(nc_reader *r, void *state, nc__item *it);
    void (*free)(void *state);
} nc__module;

/* Module constructors: set *state (NULL allowed if the module needs none). */
nc_status nc__xml_open(nc_reader *r, const nc__module **mod, void **state);
nc_status nc__jsonl_open(nc_reader *r, const nc__module **mod, void **state);
nc_status nc__markdown_open(nc_reader *r, const nc__module **mod, void **state);
nc_status nc__text_open(nc_reader *r, const nc__module **mod, void **state);

/* ---- input, implemented in reader.c */

/** Read up to @p n bytes (the peeked bytes first).  @return the count; 0 at
 *  the end or on a read error (then nc__in_error() is nonzero). */
size_t nc__in_read(nc_reader *r, void *buf, size_t n);
int nc__in_error(const nc_reader *r);
/** The first bytes of the input (up to 64 KiB, fewer if it is shorter),
 *  read ahead for format detection; nc__in_read() returns them again. */
const unsigned char *nc__in_peek(const nc_reader *r, size_t *len);
/** Read the rest of the input into a NUL-terminated malloc'd buffer as
 *  valid UTF-8 (input that is not valid UTF-8 is taken as Windows-1252).
 *  Fails with a message (nc__reader_fail) on NUL bytes, read errors and
 *  inputs over NC__READ_LIMIT. */
nc_status nc__in_slurp_text(nc_reader *r, char **out, size_t *len);

/* ---- reader services, implemented in reader.c */

/** The input's name for messages (the path as given, "<stdin>", ...). */
const char *nc__reader_name(const nc_reader *r);
/** The input's base name, used to make ids. */
const char *nc__reader_base(const nc_reader *r);
/** Record the format found while reading (RSS or Atom root). */
void nc__reader_set_format(nc_reader *r, nc_format f);
/** Set the error message: "NAME:LINE: msg" when line > 0, else "NAME: msg".
 *  @return st. */
nc_status nc__reader_fail(nc_reader *r, nc_status st, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** The input's line number of the first line the reader reads: 1, or a JSON
 *  Lines piece's first line (nc_reader_open_jsonl_piece). */
long nc__reader_first_line(const nc_reader *r);

/** Parse a date field (NULL-safe, leading space skipped) with
 *  nc_time_parse().  @return the time or NC_TIME_UNKNOWN. */
int64_t nc__parse_date(const char *s);

/** Turn a plain-text article into headline, lead paragraph and body with
 *  boilerplate lines removed (reader_text.c; also used by the Markdown
 *  reader for a file without front matter).  @p buf is valid UTF-8 and is
 *  modified.  The results are malloc'd (NULL when absent);
 *  *published is set when a date line is obvious. */
nc_status nc__text_article(char *buf, size_t len, char **title, char **summary, char **text,
                           int64_t *published);

#endif
