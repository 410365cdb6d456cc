/*
 * json_escape.c - JSON string literal writer shared by every JSON output
 * (extract, cluster output, dedup).  Escapes quote, backslash and control
 * characters; bytes >= 0x80 are written as they are (input is valid UTF-8).
 * Numbers: nc__json_num_text, the fixed 4-decimal format.  String sinks:
 * a FILE, and an nc_buf (the cluster output renders into
 * buffers on several threads and writes them in order).
 */
#include "json_escape.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int nc__json_put_string(FILE *f, const char *s)
{
    if (!s) return fputs("null", f) < 0 ? -1 : 0;
    if (putc('"', f) == EOF) return -1;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;
    for (;; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        if (p > run && fwrite(run, 1, (size_t)(p - run), f) != (size_t)(p - run)) return -1;
        if (c == 0) break;
        switch (c) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            fprintf(f, "\\u%04x", c);
            break;
        }
        run = p + 1;
    }
    return putc('"', f) == EOF ? -1 : 0;
}

/* Byte @p c as it stands in a JSON string, at @p d; @return the end. */
static char *put_char(char *d, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c != '"' && c != '\\') {
        *d++ = (char)c;
        return d;
    }
    *d++ = '\\';
    switch (c) {
    case '"':
        *d++ = '"';
        break;
    case '\\':
        *d++ = '\\';
        break;
    case '\n':
        *d++ = 'n';
        break;
    case '\t':
        *d++ = 't';
        break;
    case '\r':
        *d++ = 'r';
        break;
    default:
        memcpy(d, "u00", 3);
        d[3] = hex[c >> 4];
        d[4] = hex[c & 15];
        d += 5;
        break;
    }
    return d;
}

#define NC_ONES8 ((uint64_t)0x0101010101010101u)
#define NC_HIGHS8 ((uint64_t)0x8080808080808080u)

/* Nonzero when some byte of @p w needs escaping: below 0x20, '"' or '\\'.
 * The "has a byte less than n" and "has a zero byte" tests (for a byte
 * equal to v: zero in w ^ v * ones) on all 8 bytes at once; a byte's borrow
 * may mark a neighbour as well, but when no byte qualifies the result is
 * 0, which is all the caller relies on. */
static uint64_t needs_escape(uint64_t w)
{
    uint64_t q = w ^ (NC_ONES8 * '"'), bs = w ^ (NC_ONES8 * '\\');
    uint64_t below = (w - NC_ONES8 * 0x20) & ~w;
    return (below | ((q - NC_ONES8) & ~q) | ((bs - NC_ONES8) & ~bs)) & NC_HIGHS8;
}

void nc__json_buf_string(nc_buf *b, const char *s)
{
    if (!s) {
        nc__buf_put(b, "null", 4);
        return;
    }
    size_t n = strlen(s);
    if (!nc__buf_reserve(b, 6 * n + 2)) return; /* the worst case: all \u00XX */
    char *d = b->p + b->len;
    *d++ = '"';
    /* 8 bytes at a time: copied as they are when none needs escaping (news
     * text seldom has one), else byte by byte */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        if (!needs_escape(w)) {
            memcpy(d, &w, sizeof w);
            d += 8;
            continue;
        }
        for (size_t k = 0; k < 8; k++)
            d = put_char(d, (unsigned char)s[i + k]);
    }
    for (; i < n; i++)
        d = put_char(d, (unsigned char)s[i]);
    *d++ = '"';
    *d = '\0';
    b->len = (size_t)(d - b->p);
}

size_t nc__json_num_text(double x, char buf[64])
{
    size_t n;
    float f = (float)x;
    if ((double)f == x && x >= 0.0 && x < 1e9) {
        /* A float times 10^4 is exact in a double (24 + 14 bits), so the
         * rounding below is printf's own: to nearest, ties to even. */
        double y = x * 10000.0, fl = floor(y);
        uint64_t v = (uint64_t)fl;
        if (y - fl > 0.5 || (y - fl == 0.5 && (v & 1))) v++;
        char tmp[32];
        size_t k = 0;
        for (int i = 0; i < 4; i++, v /= 10)
            tmp[k++] = (char)('0' + v % 10);
        tmp[k++] = '.';
        do {
            tmp[k++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        for (n = 0; n < k; n++)
            buf[n] = tmp[k - 1 - n];
        buf[n] = '\0';
    } else {
        snprintf(buf, 64, "%.4f", x);
        n = strlen(buf);
    }
    while (n > 1 && buf[n - 1] == '0' && buf[n - 2] != '.')
        buf[--n] = 0;
    return n;
}
