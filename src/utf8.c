/*
 * utf8.c - bytes and characters: UTF-8 decoding, validation and repair
 * (invalid sequences become U+FFFD, one per maximal invalid subpart as
 * Unicode recommends), and Windows-1252 to UTF-8.  The buffer and the UTF-8
 * encoder are in buf.c.
 */
#include "normalize.h"
#include "normalize_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- UTF-8 */

size_t nc__utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len) break;
        unsigned t = s[i];
        if (i == 1 ? (t < lo || t > hi) : (t & 0xC0) != 0x80) break;
        v = (v << 6) | (t & 0x3F);
    }
    if (i <= need) { /* truncated or bad continuation: maximal subpart */
        *cp = 0xFFFD;
        return i;
    }
    *cp = v;
    return need + 1;
}

int nc__utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (!s) return len == 0;
    while (i < len) {
        /* skip ASCII 8 bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = nc__utf8_next(p + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD))
            return 0;
        i += n;
    }
    return 1;
}

void nc__buf_put_repaired(nc_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: start of the pending valid stretch */
    if (!nc__buf_reserve(b, len)) return;
    while (i < len) {
        if (p[i] != 0 && p[i] < 0x80) {
            i++;
            continue;
        }
        if (p[i] == 0) {
            nc__buf_put(b, s + run, i - run);
            run = ++i;
            continue;
        }
        uint32_t cp;
        size_t n = nc__utf8_next(p + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && p[i] == 0xEF)) {
            nc__buf_put(b, s + run, i - run);
            nc__buf_put(b, "\xEF\xBF\xBD", 3);
            run = i + n;
        }
        i += n;
    }
    nc__buf_put(b, s + run, len - run);
}

/* ---------------------------------------------------------------- cp1252 */

/* Windows-1252 0x80-0x9F; the five undefined bytes map to their C1 code
 * points, as the WHATWG Encoding Standard's decoder does. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

uint32_t nc__cp1252_char(unsigned byte)
{
    return byte >= 0x80 && byte < 0xA0 ? cp1252_c1[byte - 0x80] : byte;
}

nc_status nc__cp1252_to_utf8(const char *s, size_t len, char **out)
{
    if (!out || (!s && len)) return NC_ERR_INVALID_ARG;
    *out = NULL;
    if (len > (SIZE_MAX - 1) / 3) return NC_ERR_NOMEM;
    char *d = malloc(len * 3 + 1);
    if (!d) return NC_ERR_NOMEM;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        if (c == 0) continue;
        if (c < 0x80)
            d[o++] = (char)c;
        else
            o += nc__utf8_encode(c < 0xA0 ? nc__cp1252_char(c) : c, d + o);
    }
    d[o] = '\0';
    *out = d;
    return NC_OK;
}
