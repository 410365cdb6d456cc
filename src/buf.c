/*
 * buf.c - nc_buf, the growable NUL-terminated byte buffer (see buf.h).
 */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

int nc__buf_reserve(nc_buf *b, size_t extra)
{
    if (b->oom) return 0;
    if (b->cap - b->len > extra) return 1; /* room for extra + NUL */
    size_t need = b->len + extra + 1;
    if (need < b->len) {
        b->oom = 1;
        return 0;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void nc__buf_put(nc_buf *b, const char *s, size_t n)
{
    if (!nc__buf_reserve(b, n)) return;
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void nc__buf_putc(nc_buf *b, char c)
{
    if (!nc__buf_reserve(b, 1)) return;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

size_t nc__utf8_encode(uint32_t cp, char *d)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void nc__buf_put_cp(nc_buf *b, uint32_t cp)
{
    if (!nc__buf_reserve(b, 4)) return;
    b->len += nc__utf8_encode(cp, b->p + b->len);
    b->p[b->len] = '\0';
}

nc_status nc__buf_finish(nc_buf *b, char **out)
{
    if (!b->oom && !b->p) nc__buf_reserve(b, 0);
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        b->len = b->cap = 0;
        *out = NULL;
        return NC_ERR_NOMEM;
    }
    *out = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return NC_OK;
}
