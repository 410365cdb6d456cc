/*
 * normalize.c - field clean-up and case folding: the white space / control
 * character tidier shared with html_text.c (optionally stripping tag-like
 * text), nc__clean_text built on it, and nc__fold (NFKC + Unicode case
 * folding with utf8proc, marks kept, quotes and dashes unified) with a fast
 * path for ASCII and Latin-1 text.  Plain bytes in, malloc'd UTF-8 out;
 * nothing here prints or keeps global state.
 */
#include "normalize.h"
#include "normalize_priv.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int is_alpha(unsigned c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

/* ---------------------------------------------------------------- tidy */

enum { CH_KEEP, CH_SPACE, CH_LINE, CH_DROP };

static int char_class(uint32_t c)
{
    if (c < 0x80) {
        if (c == ' ' || c == '\t') return CH_SPACE;
        if (c == '\n' || c == '\r' || c == '\v' || c == '\f') return CH_LINE;
        if (c < 0x20 || c == 0x7F) return CH_DROP;
        return CH_KEEP;
    }
    if (c < 0xA0) return c == 0x85 ? CH_LINE : CH_DROP; /* C1 controls */
    if (c == 0xA0) return CH_SPACE;
    if (c == 0xAD) return CH_DROP; /* soft hyphen */
    if (c < 0x1680) return CH_KEEP;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000)
        return CH_SPACE;
    if (c == 0x2028 || c == 0x2029) return CH_LINE;
    if (c == 0x180E || c == 0x200B || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
        (c >= 0xFFF9 && c <= 0xFFFB))
        return CH_DROP;
    return CH_KEEP;
}

/* Inline elements: their tags vanish without a space ("<b>x</b>y" -> "xy");
 * every other tag separates words. */
static int inline_tag(const char *name, size_t n)
{
    static const char *const names[] = {
        "a",      "abbr",   "b",   "bdi", "bdo",  "big",  "cite", "code", "del",  "dfn",   "em",
        "font",   "i",      "img", "ins", "kbd",  "mark", "q",    "s",    "samp", "small", "span",
        "strike", "strong", "sub", "sup", "time", "tt",   "u",    "var",  "wbr"};
    char low[8];
    if (n >= sizeof low) return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(name[i] | 0x20);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(low, names[i]) == 0) return 1;
    return 0;
}

/* If s[0] == '<' starts a tag, comment, doctype or processing instruction,
 * @return its length and whether it is an inline tag; else 0. */
static size_t tag_length(const char *s, size_t len, int *is_inline)
{
    const size_t limit = len < 4096 ? len : 4096;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 1;
    *is_inline = 0;
    if (len < 3) return 0;
    if (p[1] == '!' && len >= 4 && p[2] == '-' && p[3] == '-') {
        for (i = 4; i + 2 < limit; i++)
            if (p[i] == '-' && p[i + 1] == '-' && p[i + 2] == '>') return i + 3;
        return 0;
    }
    if (p[1] == '!' || p[1] == '?') {
        if (!is_alpha(p[2]) && p[1] == '!') return 0;
        for (i = 2; i < limit; i++) {
            if (p[i] == '>') return i + 1;
            if (p[i] == '<') return 0;
        }
        return 0;
    }
    if (p[1] == '/') i = 2;
    if (!is_alpha(p[i])) return 0;
    size_t name = i;
    while (i < limit && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == ':' || p[i] == '-'))
        i++;
    size_t name_len = i - name;
    if (i >= limit) return 0;
    if (p[i] != '>' && p[i] != '/' && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
        return 0;
    for (; i < limit; i++) {
        if (p[i] == '>') {
            *is_inline = inline_tag(s + name, name_len);
            return i + 1;
        }
        if (p[i] == '<') return 0;
        if (p[i] == '"' || p[i] == '\'') {
            const void *q = memchr(s + i + 1, p[i], limit - i - 1);
            if (!q) return 0;
            i = (size_t)((const char *)q - s);
        }
    }
    return 0;
}

void nc__tidy(nc_buf *b, const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    const size_t start = b->len;
    int pend_space = 0, pend_line = 0;
    size_t i = 0;
    if (!nc__buf_reserve(b, len + 8)) return;
    while (i < len) {
        if (b->cap - b->len < 8 && !nc__buf_reserve(b, 8)) return;
        unsigned c = p[i];
        uint32_t cp;
        size_t n;
        if (c == ' ') {
            pend_space = 1;
            i++;
            continue;
        }
        if (c >= 0x21 && c < 0x7F && c != '<') { /* the common case */
            if (b->len > start && (pend_space | pend_line)) b->p[b->len++] = pend_line ? '\n' : ' ';
            pend_space = pend_line = 0;
            b->p[b->len++] = (char)c;
            i++;
            continue;
        }
        if (c == '<' && (flags & NC_TIDY_TAGS)) {
            int inl;
            size_t t = tag_length(s + i, len - i, &inl);
            if (t) {
                if (!inl) pend_space = 1;
                i += t;
                continue;
            }
        }
        n = nc__utf8_next(p + i, len - i, &cp);
        switch (char_class(cp)) {
        case CH_SPACE:
            pend_space = 1;
            break;
        case CH_LINE:
            if (flags & NC_TIDY_LINES)
                pend_line = 1;
            else
                pend_space = 1;
            break;
        case CH_DROP:
            break;
        default:
            if (b->len > start && (pend_space | pend_line)) b->p[b->len++] = pend_line ? '\n' : ' ';
            pend_space = pend_line = 0;
            b->len += nc__utf8_encode(cp, b->p + b->len);
        }
        i += n;
    }
    b->p[b->len] = '\0';
}

/* Printable ASCII with single inner spaces and no '&' or '<': already clean. */
static int clean_ascii(const char *s, size_t len)
{
    if (len && (s[0] == ' ' || s[len - 1] == ' ')) return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ') {
            if (s[i + 1] == ' ') return 0; /* s[len - 1] is not a space */
        } else if (c - 0x21u > 0x7Eu - 0x21u || c == '&' || c == '<') {
            return 0;
        }
    }
    return 1;
}

nc_status nc__clean_text(const char *s, size_t len, char **out)
{
    if (!out || (!s && len)) return NC_ERR_INVALID_ARG;
    if (clean_ascii(s, len)) { /* the common case for headlines */
        char *d = malloc(len + 1);
        if (!d) return NC_ERR_NOMEM;
        if (len) memcpy(d, s, len);
        d[len] = '\0';
        *out = d;
        return NC_OK;
    }
    nc_buf b = {0};
    if (len && memchr(s, '&', len)) {
        nc_buf dec = {0};
        nc__buf_put_decoded(&dec, s, len);
        if (dec.oom) {
            free(dec.p);
            *out = NULL;
            return NC_ERR_NOMEM;
        }
        nc__tidy(&b, dec.p, dec.len, NC_TIDY_TAGS);
        free(dec.p);
    } else {
        nc__tidy(&b, s, len, NC_TIDY_TAGS);
    }
    return nc__buf_finish(&b, out);
}

/* ---------------------------------------------------------------- fold */

/* Applied by utf8proc to each code point before decomposition. */
static utf8proc_int32_t fold_punct(utf8proc_int32_t c, void *data)
{
    (void)data;
    switch (c) {
    case 0x0060: /* ` */
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
    case 0x2032: /* ′ */
    case 0x2035: /* ‵ */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
        return '\'';
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ */
    case 0x201F: /* ‟ */
    case 0x2033: /* ″ */
    case 0x2036: /* ‶ */
    case 0x301D: /* 〝 */
    case 0x301E: /* 〞 */
        return '"';
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* ‒ */
    case 0x2013: /* – */
    case 0x2014: /* — */
    case 0x2015: /* ― */
    case 0x2212: /* − */
    case 0xFE31: /* vertical em dash (NFKC: —) */
    case 0xFE32: /* vertical en dash (NFKC: –) */
    case 0xFE58: /* small em dash (NFKC: —) */
        return '-';
    default:
        return c;
    }
}

/* Is s[0..len) ASCII without NUL?  Eight bytes at a time. */
static int ascii_no_nul(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* high bit set, or a zero byte */
        if ((w | ((w - 0x0101010101010101ull) & ~w)) & 0x8080808080808080ull) return 0;
    }
    for (; i < len; i++)
        if ((unsigned char)(s[i] - 1) >= 0x7F) return 0;
    return 1;
}

/* Latin-1 U+00A0..U+00FF in the fast path: 0 = not handled, 1 = itself,
 * 2 = lowercase (+0x20); others are spelled out in fold_simple. */
static const unsigned char latin1_kind[96] = {
    /* A0 */ 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0,
    /* B0 */ 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1,
    /* C0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    /* D0 */ 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 0,
    /* E0 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* F0 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* Fold s[0..len) into d if it only holds characters of the fast path;
 * @return the output length, or SIZE_MAX (d is then garbage). */
static size_t fold_simple(const char *s, size_t len, char *d)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c - 1u < 0x7Fu) { /* ASCII except NUL */
            if (c - 'A' < 26u)
                c |= 0x20;
            else if (c == '`')
                c = '\'';
            d[o++] = (char)c;
            i++;
            continue;
        }
        if ((c == 0xC2 || c == 0xC3) && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
            if (cp < 0xA0) return SIZE_MAX; /* C1 controls */
            switch (cp) {
            case 0xA0:
                d[o++] = ' ';
                break; /* NBSP (NFKC) */
            case 0xAB:
            case 0xBB:
                d[o++] = '"';
                break; /* « » */
            case 0xAD:
                break; /* soft hyphen: ignorable */
            case 0xDF:
                d[o++] = 's';
                d[o++] = 's';
                break;
            default:
                switch (latin1_kind[cp - 0xA0]) {
                case 1:
                    d[o++] = (char)c;
                    d[o++] = (char)p[i + 1];
                    break;
                case 2:
                    d[o++] = (char)0xC3;
                    d[o++] = (char)(p[i + 1] + 0x20);
                    break;
                default:
                    return SIZE_MAX;
                }
            }
            i += 2;
            continue;
        }
        if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
            unsigned cp = 0x2000 | (p[i + 2] & 0x3F);
            if (cp >= 0x2010 && cp <= 0x2015)
                d[o++] = '-';
            else if ((cp >= 0x2018 && cp <= 0x201B) || cp == 0x2032 || cp == 0x2039 || cp == 0x203A)
                d[o++] = '\'';
            else if ((cp >= 0x201C && cp <= 0x201F) || cp == 0x2033)
                d[o++] = '"';
            else if (cp == 0x2026) {
                d[o++] = '.';
                d[o++] = '.';
                d[o++] = '.';
            } else
                return SIZE_MAX;
            i += 3;
            continue;
        }
        return SIZE_MAX;
    }
    return o;
}

nc_status nc__fold(const char *s, size_t len, char **out)
{
    if (!out || (!s && len)) return NC_ERR_INVALID_ARG;
    *out = NULL;
    /* Fast path: ASCII, Latin-1 and typographic punctuation, whose NFKC +
     * case folding is known and context-free (none of them composes with a
     * neighbour); anything else, NUL or invalid UTF-8 takes the general path.
     * The output is never longer than the input. */
    char *d = malloc(len + 1);
    if (!d) return NC_ERR_NOMEM;
    if (ascii_no_nul(s, len)) { /* the common case, a loop without exits */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            c = (unsigned char)(c + ((unsigned char)(c - 'A') < 26u ? 0x20 : 0));
            d[i] = (char)(c == '`' ? '\'' : c);
        }
        d[len] = '\0';
        *out = d;
        return NC_OK;
    }
    size_t n = fold_simple(s, len, d);
    if (n != SIZE_MAX) {
        d[n] = '\0';
        *out = d;
        return NC_OK;
    }
    free(d);

    /* General path: repair, then NFKC + case folding without default
     * ignorables.  Marks are kept (no UTF8PROC_STRIPMARK): "é" stays "é",
     * so Portuguese or French words keep their identity. */
    nc_buf rep = {0};
    const char *src = s;
    size_t srclen = len;
    if (memchr(s, 0, len) || !nc__utf8_valid(s, len)) {
        nc__buf_put_repaired(&rep, s, len);
        if (rep.oom) {
            free(rep.p);
            return NC_ERR_NOMEM;
        }
        src = rep.p ? rep.p : "";
        srclen = rep.len;
    }
    if (srclen > (size_t)(SIZE_MAX / 8 / sizeof(utf8proc_int32_t))) {
        free(rep.p);
        return NC_ERR_LIMIT;
    }
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t r = utf8proc_map_custom(
        (const utf8proc_uint8_t *)src, (utf8proc_ssize_t)srclen, &res,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
        fold_punct, NULL);
    free(rep.p);
    if (r < 0) {
        free(res);
        return r == UTF8PROC_ERROR_NOMEM      ? NC_ERR_NOMEM
               : r == UTF8PROC_ERROR_OVERFLOW ? NC_ERR_LIMIT
                                              : NC_ERR_ENCODING;
    }
    *out = (char *)res;
    return NC_OK;
}
