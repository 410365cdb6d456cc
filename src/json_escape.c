/*
 * json_escape.c - JSON string literal writer shared by every JSON output
 * (extract, cluster output, dedup).  Escapes quote, backslash and control
 * characters; bytes >= 0x80 are written as they are (input is valid UTF-8).
 */
#include "json_escape.h"

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
