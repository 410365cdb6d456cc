/*
 * json_escape.h - writing JSON strings (internal).
 */
#ifndef NC_JSON_ESCAPE_H
#define NC_JSON_ESCAPE_H

#include "buf.h"

#include <stdio.h>

/** Write @p s as a JSON string literal (with quotes) to @p f; NULL writes
 *  null.  Control characters are escaped as \uXXXX; UTF-8 passes through.
 *  @return 0, or -1 on a write error. */
int nc__json_put_string(FILE *f, const char *s);

/** The same literal appended to @p b (b->oom set when out of memory). */
void nc__json_buf_string(nc_buf *b, const char *s);

/** @p x with at most 4 decimals, trailing zeros trimmed ("1.0", "0.9313"):
 *  the text of printf's "%.4f", trimmed, without printf for a float-valued
 *  @p x in [0, 1e9).  Writes at most 64 bytes with the NUL; @return the
 *  length. */
size_t nc__json_num_text(double x, char buf[64]);

#endif
