/*
 * read_pieces.h - a JSON Lines file parsed on several threads at once, its
 * items handed to the caller in file order (CLI only; public API only).
 */
#ifndef NC_CLI_READ_PIECES_H
#define NC_CLI_READ_PIECES_H

#include "read_ahead.h"

#include <stdio.h>

typedef struct read_pieces read_pieces;

/**
 * Read the JSON Lines file @p path (named @p path in messages and ids, as
 * nc_reader_open_file names it) on @p threads producer threads (at least 2).
 * @p fp is the file opened for reading, at its start; it is read from the
 * threads and must stay open until rp_close().  @p piece_bytes is the
 * size the file is cut into (at newlines; 0: the default, 1 MiB).
 * @return the handle, or NULL when out of memory or no thread could start
 *         (the caller then reads the file with one reader).
 */
read_pieces *rp_open(FILE *fp, const char *path, unsigned threads, size_t piece_bytes);

/**
 * The next item, exactly what one nc_reader over the whole file would have
 * given in turn (documents, and errors with their messages); after
 * NC_ERR_NOMEM nothing more is read.  @return 1 with @p it filled (borrowed
 * until the next call), 0 at the end of the file.
 */
int rp_next(read_pieces *rp, ra_item *it);

/** Items skipped as unreadable so far (as nc_reader_skipped()). */
size_t rp_skipped(const read_pieces *rp);

/** Stop the threads, join them and free the handle (not @p fp).  Accepts NULL. */
void rp_close(read_pieces *rp);

#endif
