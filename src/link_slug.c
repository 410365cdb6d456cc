/*
 * link_slug.c - the headline slug of a news URL.
 *
 * Most news sites put the article's headline into its URL
 * ("https://site/business/gm-recalls-more-cars-20140310.html"), often the
 * outlet's own, longer wording, written before editors shortened the title.
 * Those words are extra evidence of what the story is about (features.c adds
 * them as story terms at summary weight).  Only one segment of the path is
 * taken, the one with the most plain words, so that section names, dates,
 * numeric ids and encoded redirects (news.google.com/rss/articles/CBMi...)
 * stay out: a run containing a digit, longer than NC_SLUG_MAX_WORD, or with
 * a capital after a small letter (base64) is not a word, and a segment
 * whose runs are mostly not words is not a slug.
 */
#include "link_slug.h"

#include <string.h>

/* The class of each byte: a small letter, a capital, a digit, or 0 (a
 * separator, and every byte of a multi-byte character).  One load a byte
 * and no branch on which class, where a chain of range tests with && and
 * || branched on each (this file had 5.7% of the run's mispredicted
 * branches under cachegrind). */
enum { C_LOWER = 1, C_UPPER = 2, C_DIGIT = 4 };
#define CLS(c)                                                                                     \
    ((unsigned)((c) - 'a') < 26u   ? C_LOWER                                                       \
     : (unsigned)((c) - 'A') < 26u ? C_UPPER                                                       \
     : (unsigned)((c) - '0') < 10u ? C_DIGIT                                                       \
                                   : 0)
#define CLS4(c) CLS(c), CLS((c) + 1), CLS((c) + 2), CLS((c) + 3)
#define CLS16(c) CLS4(c), CLS4((c) + 4), CLS4((c) + 8), CLS4((c) + 12)
#define CLS64(c) CLS16(c), CLS16((c) + 16), CLS16((c) + 32), CLS16((c) + 48)
static const unsigned char byte_class[256] = {CLS64(0), CLS64(64), CLS64(128), CLS64(192)};

/* Count the runs and the plain words of segment s[0..n); if @p out, write
 * the words there (space-separated, within cap).  A run is a plain word
 * unless it has a digit, a capital right after a small letter (base64), or
 * more than NC_SLUG_MAX_WORD characters; the first two are gathered while
 * the run is read. */
static size_t scan(const char *s, size_t n, size_t *runs, char *out, size_t cap)
{
    size_t words = 0, len = 0;
    *runs = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !byte_class[(unsigned char)s[i]])
            i++;
        size_t st = i;
        unsigned bad = 0, prev = 0;
        while (i < n) {
            unsigned c = byte_class[(unsigned char)s[i]];
            if (!c) break;
            /* a digit, or a capital right after a small letter */
            bad |= (c & C_DIGIT) | ((c >> 1) & prev & C_LOWER);
            prev = c;
            i++;
        }
        if (i == st) break;
        (*runs)++;
        if (bad || i - st > NC_SLUG_MAX_WORD) continue;
        if (out) {
            size_t need = (len ? 1 : 0) + (i - st);
            if (len + need + 1 > cap) break;
            if (len) out[len++] = ' ';
            memcpy(out + len, s + st, i - st);
            len += i - st;
            out[len] = 0;
        }
        words++;
    }
    return words;
}

size_t nc__link_slug(const char *link, char *out, size_t cap)
{
    if (!out || !cap) return 0;
    out[0] = 0;
    if (!link) return 0;
    const char *p = strstr(link, "://");
    p = p ? p + 3 : link;
    p = strchr(p, '/'); /* the path starts after the host */
    if (!p) return 0;
    size_t plen = strcspn(p, "?#");
    const char *best = NULL;
    size_t best_len = 0, best_words = 0;
    for (size_t i = 0; i < plen;) {
        while (i < plen && p[i] == '/')
            i++;
        size_t st = i;
        while (i < plen && p[i] != '/')
            i++;
        size_t n = i - st;
        /* a file extension (".html", ".php") is not part of the slug */
        for (size_t k = n; k > 0 && n - k <= 5; k--)
            if (p[st + k - 1] == '.') {
                n = k - 1;
                break;
            }
        size_t runs, words = scan(p + st, n, &runs, NULL, 0);
        if (words >= 2 && words * 2 >= runs && words > best_words) {
            best = p + st;
            best_len = n;
            best_words = words;
        }
    }
    if (!best) return 0;
    size_t runs;
    return scan(best, best_len, &runs, out, cap);
}
