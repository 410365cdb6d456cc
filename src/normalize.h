/*
 * normalize.h - text normalisation shared by the readers and the features
 * (internal, not API).  Every function allocates its result with malloc;
 * the caller frees it.  None prints or aborts; out-of-memory is NC_ERR_NOMEM.
 */
#ifndef NC_NORMALIZE_H
#define NC_NORMALIZE_H

#include "newsclust.h"
#include <stddef.h>

/** HTML fragment -> plain text with libxml2's HTML parser (no network):
 *  tags removed (block elements and <br> become line breaks, inline ones
 *  nothing), entities decoded (&nbsp; becomes a space), script/style dropped,
 *  runs of spaces collapsed, lines trimmed, invalid UTF-8 repaired.
 *  Plain text without tags passes through with entities decoded. */
nc_status nc__html_to_text(const char *html, size_t len, char **out);

/** Plain text cleanup for a field (title, source): entities decoded, invalid
 *  UTF-8 repaired (U+FFFD), control characters removed, all white space
 *  (including U+00A0) collapsed to single spaces, trimmed. */
nc_status nc__clean_text(const char *s, size_t len, char **out);

/** One related-coverage line of a Google News item. */
typedef struct nc_related {
    char *title;  /**< cleaned plain text */
    char *source; /**< outlet (the <font> text), may be NULL */
    char *link;   /**< href, may be NULL */
} nc_related;

/** Find the Google News related-coverage list in @p html:
 *  <ol><li><a href="L">T</a>&nbsp;&nbsp;<font>S</font></li>...</ol>.
 *  @return NC_OK with *n == 0 (and *items NULL) when there is none. */
nc_status nc__gnews_split(const char *html, size_t len, nc_related **items, size_t *n);
void nc__related_free(nc_related *items, size_t n);

/** If @p title ends in an outlet suffix (" - The Guardian", " | Reuters",
 *  " - KSL.com", " — BBC News"), cut it off in place (trailing space removed)
 *  and return a malloc'd copy of the outlet in *outlet; else *outlet = NULL.
 *  Conservative: the tail must look like a name (short, few words, capitalised
 *  or a domain), so "Brexit - what happens next" keeps its tail.
 *  @return NC_OK or NC_ERR_NOMEM. */
nc_status nc__strip_outlet_suffix(char *title, char **outlet);

/** Features text: NFKC + Unicode case folding (utf8proc), curly quotes and
 *  apostrophes to ' and ", dashes to -, invalid UTF-8 repaired. */
nc_status nc__fold(const char *s, size_t len, char **out);

/** @return 1 if @p s[0..len) is valid UTF-8, else 0. */
int nc__utf8_valid(const char *s, size_t len);

/** Windows-1252 (a superset of ISO-8859-1's printable range) -> UTF-8. */
nc_status nc__cp1252_to_utf8(const char *s, size_t len, char **out);

#endif
