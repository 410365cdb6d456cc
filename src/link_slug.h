/*
 * link_slug.h - the headline words that news URLs carry in their path
 * (internal).
 */
#ifndef NC_LINK_SLUG_H
#define NC_LINK_SLUG_H

#include <stddef.h>

/** Longest slug word kept; longer runs are ids or encoded data. */
#define NC_SLUG_MAX_WORD 20

/**
 * Write the words of @p link's headline slug ("/2014/03/10/gm-recalls-
 * more-cars.html" gives "gm recalls more cars") into @p out (capacity
 * @p cap, at least 1), space-separated and NUL-terminated; truncated to fit.
 * The slug is the path segment with the most words (letters only, at most
 * NC_SLUG_MAX_WORD long, not camel-cased like base64), if it has at least
 * two and they are at least half of its runs of letters and digits.  Host,
 * query and fragment are never used.
 * @return the number of words written (0: no slug; @p out is "").
 */
size_t nc__link_slug(const char *link, char *out, size_t cap);

#endif
