/*
 * json_escape.h - writing JSON strings (internal).
 */
#ifndef NC_JSON_ESCAPE_H
#define NC_JSON_ESCAPE_H

#include <stdio.h>

/** Write @p s as a JSON string literal (with quotes) to @p f; NULL writes
 *  null.  Control characters are escaped as \uXXXX; UTF-8 passes through.
 *  @return 0, or -1 on a write error. */
int nc__json_put_string(FILE *f, const char *s);

#endif
