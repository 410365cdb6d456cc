/*
 * normalize_priv.h - helpers shared by the normalisation files only
 * (utf8.c: UTF-8, cp1252; html_entities.c: character references;
 * normalize.c: the white space / control character tidier; used by
 * html_text.c).  The interface for the rest of the library is normalize.h.
 */
#ifndef NC_NORMALIZE_PRIV_H
#define NC_NORMALIZE_PRIV_H

#include "buf.h"

#include "newsclust.h"
#include <stddef.h>
#include <stdint.h>

/** The code point of Windows-1252 byte @p byte (0x80-0x9F mapped, the five
 *  undefined ones to their C1 code points; other values unchanged). */
uint32_t nc__cp1252_char(unsigned byte);

/** Decode one UTF-8 sequence at s[0..len), len >= 1.  Invalid input
 *  (overlong, surrogate, > U+10FFFF, truncated, stray continuation) gives
 *  *cp = U+FFFD and consumes the maximal invalid subpart (at least 1 byte).
 *  @return the number of bytes consumed. */
size_t nc__utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/** Append s[0..len) to @p b with every invalid UTF-8 sequence replaced by
 *  U+FFFD and NUL bytes dropped. */
void nc__buf_put_repaired(nc_buf *b, const char *s, size_t len);

/** Append s[0..len) to @p b with HTML character references decoded (named:
 *  the common HTML 4/5 names; numeric: decimal and hex, C1 values mapped as
 *  Windows-1252, invalid values to U+FFFD).  Bytes are copied otherwise
 *  untouched (no UTF-8 repair). */
void nc__buf_put_decoded(nc_buf *b, const char *s, size_t len);

/** Flags of nc__tidy. */
enum {
    NC_TIDY_LINES = 1u, /**< keep line breaks: one '\n' between non-empty lines */
    NC_TIDY_TAGS = 2u   /**< remove things that look like tags / comments */
};

/** Repair UTF-8, drop control and invisible format characters, collapse
 *  white space (incl. U+00A0 and the other Unicode spaces) to one space,
 *  trim; with NC_TIDY_LINES lines are kept (each trimmed, empty ones
 *  dropped), else line breaks are spaces too.  Appends to @p b. */
void nc__tidy(nc_buf *b, const char *s, size_t len, unsigned flags);

#endif
