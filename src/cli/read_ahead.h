/*
 * read_ahead.h - an nc_reader read on a thread of its own, a batch of
 * documents ahead of the caller, so that parsing and cleaning the input
 * overlap adding it to the index (CLI only; public API only).
 */
#ifndef NC_CLI_READ_AHEAD_H
#define NC_CLI_READ_AHEAD_H

#include "newsclust.h"

#include <stddef.h>
#include <stdint.h>

/** One thing the reader produced, in input order. */
typedef struct ra_item {
    nc_status st;    /**< NC_OK: a document in @c doc; < 0: an error */
    nc_doc doc;      /**< borrowed until the next ra_next() */
    const char *msg; /**< for an error: nc_reader_errmsg() at the time */
} ra_item;

typedef struct read_ahead read_ahead;

/**
 * Read @p rd (which must outlive ra_close()) ahead on a new thread when
 * @p threaded is set and a thread can be started; otherwise ra_next() reads
 * it directly, with the same items.  @return the handle, or NULL when out of
 * memory.
 */
read_ahead *ra_open(nc_reader *rd, int threaded);

/**
 * The next item, exactly what nc_reader_next() and nc_reader_errmsg() would
 * have given in turn; after NC_ERR_NOMEM nothing more is read.
 * @return 1 with @p it filled, 0 at the end of the input.
 */
int ra_next(read_ahead *ra, ra_item *it);

/** No string: ra_put_text()'s offset for NULL. */
#define RA_NONE SIZE_MAX

/**
 * Append @p s with its NUL to a growing text buffer (@p text, its @p len
 * and @p cap; the buffers of read_ahead.c and read_pieces.c).
 * @return the offset of the copy, RA_NONE for NULL, RA_NONE - 1 when out of
 *         memory (the buffer unchanged).
 */
size_t ra_put_text(char **text, size_t *len, size_t *cap, const char *s);

/** Stop reading (the reader is left where the thread stopped), join the
 *  thread and free the handle.  Accepts NULL. */
void ra_close(read_ahead *ra);

#endif
