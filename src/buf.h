/*
 * buf.h - nc_buf, a growable NUL-terminated byte buffer (used by the
 * normalisation files and the readers), with the UTF-8 encoder it needs.
 */
#ifndef NC_BUF_H
#define NC_BUF_H

#include "newsclust.h"
#include <stddef.h>
#include <stdint.h>

/** A growable byte buffer; after an allocation failure oom is set and
 *  further appends are ignored.  p is always NUL-terminated when non-NULL. */
typedef struct nc_buf {
    char *p;
    size_t len, cap;
    int oom;
} nc_buf;

int nc__buf_reserve(nc_buf *b, size_t extra);
void nc__buf_put(nc_buf *b, const char *s, size_t n);
void nc__buf_putc(nc_buf *b, char c);
/** Append the UTF-8 encoding of scalar value @p cp. */
void nc__buf_put_cp(nc_buf *b, uint32_t cp);
/** Hand the buffer's string to *out (an empty string if nothing was
 *  appended); frees it and returns NC_ERR_NOMEM if oom was set. */
nc_status nc__buf_finish(nc_buf *b, char **out);

/** Write the UTF-8 encoding of @p cp (<= U+10FFFF) at @p d (4 bytes of
 *  room); @return the bytes written. */
size_t nc__utf8_encode(uint32_t cp, char *d);

#endif
