/*
 * reader.c - the nc_reader object: opening a file, standard input or a
 * memory buffer; detecting the format from the first bytes; the input
 * abstraction the format modules read through; and the item -> document
 * step shared by every format: field cleanup (HTML, entities, UTF-8), outlet
 * suffix removal, choice of the source, and the Google News split, which
 * turns each related-coverage <li> of an item into a document of its own.
 *
 * Documents are handed out from a small queue.  Their strings are either the
 * module's own (valid until the module is asked for the next item) or live
 * in a per-batch arena; both are released only when the queue is empty and
 * the caller asks for the next document, which gives the "borrowed until
 * the next call" contract of nc_reader_next().
 */
#define _POSIX_C_SOURCE 200809L

#include "reader_impl.h"

#include "normalize.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PEEK_MAX ((size_t)64 * 1024)
#define ARENA_BLOCK ((size_t)64 * 1024)

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    char data[];
} arena_block;

struct nc_reader {
    char *name; /* for messages */
    char *base; /* for ids */
    nc_format format;

    /* input: a FILE or a private copy of a memory buffer, plus peeked bytes */
    FILE *fp;
    int own_fp;
    unsigned char *mem;
    size_t mem_len, mem_pos;
    unsigned char *peek;
    size_t peek_len, peek_pos;
    int in_err;

    /* the format module */
    const nc__module *mod;
    void *mod_state;
    int done;
    nc_status deferred; /* an error found at open time, reported by next() */

    /* the current batch: documents made from one item */
    arena_block *arena;
    char **owned;
    size_t n_owned, cap_owned;
    nc_doc *queue;
    size_t q_len, q_pos, q_cap;

    char errmsg[512];
    size_t skipped;
    long first_line; /* a JSON Lines piece: the input's line number of its first line; else 0 */
};

/* ------------------------------------------------------------------ arena */

static char *arena_alloc(nc_reader *r, size_t n)
{
    arena_block *b = r->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->cap = cap;
        nb->used = 0;
        /* a big one-off block goes behind the current one so that the
           current block keeps being filled */
        if (b && cap > ARENA_BLOCK) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            r->arena = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

static char *arena_strndup(nc_reader *r, const char *s, size_t n)
{
    char *p = arena_alloc(r, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Take ownership of a malloc'd string until the end of the batch; on failure
   the string is freed.  @return 0 or -1. */
static int adopt(nc_reader *r, char *p)
{
    if (!p) return 0;
    if (r->n_owned == r->cap_owned) {
        size_t cap = r->cap_owned ? r->cap_owned * 2 : 16;
        char **o = realloc(r->owned, cap * sizeof *o);
        if (!o) {
            free(p);
            return -1;
        }
        r->owned = o;
        r->cap_owned = cap;
    }
    r->owned[r->n_owned++] = p;
    return 0;
}

/* Release the previous batch: owned strings, big arena blocks; keep one
   ordinary block for reuse. */
static void batch_reset(nc_reader *r)
{
    for (size_t i = 0; i < r->n_owned; i++)
        free(r->owned[i]);
    r->n_owned = 0;
    arena_block *keep = NULL, *b = r->arena;
    while (b) {
        arena_block *next = b->next;
        if (!keep && b->cap == ARENA_BLOCK) {
            keep = b;
            keep->used = 0;
            keep->next = NULL;
        } else {
            free(b);
        }
        b = next;
    }
    r->arena = keep;
    r->q_len = r->q_pos = 0;
}

static nc_status push_doc(nc_reader *r, const nc_doc *d)
{
    if (r->q_len == r->q_cap) {
        size_t cap = r->q_cap ? r->q_cap * 2 : 8;
        nc_doc *q = realloc(r->queue, cap * sizeof *q);
        if (!q) return NC_ERR_NOMEM;
        r->queue = q;
        r->q_cap = cap;
    }
    r->queue[r->q_len++] = *d;
    return NC_OK;
}

/* ------------------------------------------------------------------ input */

static size_t raw_read(nc_reader *r, void *buf, size_t n)
{
    if (r->mem) {
        size_t avail = r->mem_len - r->mem_pos;
        if (n > avail) n = avail;
        memcpy(buf, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        return n;
    }
    if (!r->fp || r->in_err) return 0;
    size_t got = fread(buf, 1, n, r->fp);
    if (got < n && ferror(r->fp)) r->in_err = 1;
    return got;
}

size_t nc__in_read(nc_reader *r, void *buf, size_t n)
{
    size_t done = 0;
    if (r->peek_pos < r->peek_len) {
        done = r->peek_len - r->peek_pos;
        if (done > n) done = n;
        memcpy(buf, r->peek + r->peek_pos, done);
        r->peek_pos += done;
        if (done == n) return done;
    }
    return done + raw_read(r, (char *)buf + done, n - done);
}

int nc__in_error(const nc_reader *r)
{
    return r->in_err;
}

const unsigned char *nc__in_peek(const nc_reader *r, size_t *len)
{
    *len = r->peek_len;
    return r->peek;
}

nc_status nc__in_slurp_text(nc_reader *r, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t cap = r->peek_len + 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) return nc__reader_fail(r, NC_ERR_NOMEM, 0, "out of memory");
    for (;;) {
        if (cap - n < 4096) {
            if (cap > NC__READ_LIMIT) {
                free(buf);
                return nc__reader_fail(r, NC_ERR_LIMIT, 0, "file larger than %zu MiB",
                                       NC__READ_LIMIT >> 20);
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return nc__reader_fail(r, NC_ERR_NOMEM, 0, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = nc__in_read(r, buf + n, cap - n - 1);
        if (got == 0) break;
        n += got;
    }
    if (nc__in_error(r)) {
        free(buf);
        return nc__reader_fail(r, NC_ERR_IO, 0, "read error: %s", strerror(errno));
    }
    buf[n] = '\0';
    const char *nul = memchr(buf, '\0', n);
    if (nul) {
        size_t at = (size_t)(nul - buf);
        free(buf);
        return nc__reader_fail(r, NC_ERR_ENCODING, 0,
                               "offset %zu: binary data (NUL byte), not a text document", at);
    }
    size_t skip = (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    if (!nc__utf8_valid(buf + skip, n - skip)) {
        /* not UTF-8: the usual legacy encoding of Western text */
        char *u = NULL;
        nc_status st = nc__cp1252_to_utf8(buf, n, &u);
        free(buf);
        if (st != NC_OK) return nc__reader_fail(r, st, 0, "out of memory");
        buf = u;
        n = strlen(u);
        skip = 0;
    }
    if (skip) memmove(buf, buf + skip, n - skip + 1);
    *out = buf;
    *len = n - skip;
    return NC_OK;
}

/* ------------------------------------------------------------------ detection */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int starts_ci(const unsigned char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++) {
        unsigned char a = p[i], b = (unsigned char)lit[i];
        if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
        if (a != b) return 0;
    }
    return 1;
}

static const unsigned char *find_lit(const unsigned char *p, const unsigned char *end,
                                     const char *lit)
{
    size_t k = strlen(lit);
    for (; (size_t)(end - p) >= k; p++)
        if (memcmp(p, lit, k) == 0) return p;
    return NULL;
}

enum { XML_ROOT_UNKNOWN = 0, XML_ROOT_RSS, XML_ROOT_ATOM, XML_ROOT_OTHER };

/* Find the root element of an XML document in its first bytes, skipping the
   XML declaration, processing instructions, comments and a DOCTYPE (with its
   internal subset).  @return XML_ROOT_UNKNOWN if the prolog does not end
   inside the bytes given. */
static int xml_root(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p != '<') return p >= end ? XML_ROOT_UNKNOWN : XML_ROOT_OTHER;
        size_t left = (size_t)(end - p);
        if (left >= 2 && p[1] == '?') {
            p = find_lit(p + 2, end, "?>");
            if (!p) return XML_ROOT_UNKNOWN;
            p += 2;
        } else if (left >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = find_lit(p + 4, end, "-->");
            if (!p) return XML_ROOT_UNKNOWN;
            p += 3;
        } else if (starts_ci(p, left, "<!doctype")) {
            int depth = 0;
            unsigned char quote = 0;
            for (p += 9; p < end; p++) {
                if (quote) {
                    if (*p == quote) quote = 0;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '[') {
                    depth++;
                } else if (*p == ']') {
                    depth--;
                } else if (*p == '>' && depth <= 0) {
                    break;
                }
            }
            if (p >= end) return XML_ROOT_UNKNOWN;
            p++;
        } else {
            const unsigned char *s = ++p, *colon = NULL;
            while (p < end && !is_space(*p) && *p != '>' && *p != '/') {
                if (*p == ':') colon = p;
                p++;
            }
            if (p >= end) return XML_ROOT_UNKNOWN;
            if (colon) s = colon + 1;
            size_t k = (size_t)(p - s);
            if ((k == 3 && memcmp(s, "rss", 3) == 0) || (k == 3 && memcmp(s, "RDF", 3) == 0) ||
                (k == 7 && memcmp(s, "channel", 7) == 0))
                return XML_ROOT_RSS;
            if (k == 4 && memcmp(s, "feed", 4) == 0) return XML_ROOT_ATOM;
            return XML_ROOT_OTHER;
        }
    }
}

static const char *extension(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash + 1 : name, '.');
    return dot ? dot + 1 : "";
}

/* Is @p ext (any case) one of the space-separated lower-case @p list? */
static int ext_is(const char *ext, const char *list)
{
    size_t k = strlen(ext);
    if (k == 0) return 0;
    for (const char *p = list; *p;) {
        size_t m = strcspn(p, " ");
        if (m == k) {
            size_t i = 0;
            while (i < k && (ext[i] >= 'A' && ext[i] <= 'Z' ? ext[i] + 32 : ext[i]) == p[i])
                i++;
            if (i == k) return 1;
        }
        p += m;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* Decide the format of the input from the peeked bytes (and the file name as
   a tie-breaker), or find that it is empty or binary.  Sets r->deferred and
   the message for binary input; r->done for empty input. */
static nc_format detect(nc_reader *r, nc_format want)
{
    const unsigned char *p = r->peek, *end = r->peek + r->peek_len;
    const char *ext = extension(r->name);
    int whole = r->peek_len < PEEK_MAX; /* the peek holds all of the input */
    unsigned char proj[1024];

    /* UTF-16 (a byte order mark, or XML's "<" as "<\0" / "\0<"): only XML
       can be read that way */
    int bom16 =
        r->peek_len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
    int lt16 = r->peek_len >= 4 && ((p[0] == '<' && p[1] == 0 && p[2] && !p[3]) ||
                                    (p[0] == 0 && p[1] == '<' && !p[2] && p[3]));
    if (bom16 || lt16) {
        size_t k = 0, lo = bom16 ? (p[0] == 0xFF ? 0 : 1) : (p[0] == '<' ? 0 : 1);
        for (size_t i = bom16 ? 2 : 0; i + 1 < r->peek_len && k < sizeof proj; i += 2)
            proj[k++] = p[i + 1 - lo] ? '?' : p[i + lo];
        size_t j = 0;
        while (j < k && is_space(proj[j]))
            j++;
        if (j < k && proj[j] == '<' &&
            (want == NC_FORMAT_AUTO || want == NC_FORMAT_RSS || want == NC_FORMAT_ATOM)) {
            if (want != NC_FORMAT_AUTO) return want;
            return xml_root(proj + j, k - j) == XML_ROOT_ATOM ? NC_FORMAT_ATOM : NC_FORMAT_RSS;
        }
        r->deferred =
            nc__reader_fail(r, NC_ERR_ENCODING, 0, "UTF-16 text is only supported in XML feeds");
        return want == NC_FORMAT_AUTO ? NC_FORMAT_TEXT : want;
    }

    /* binary data: a known magic number, or more than 1% NUL and control
       bytes (a stray NUL in a text file costs only its line or item) */
    static const struct {
        const char *magic, *what;
        size_t len;
    } magics[] = {{"\x1F\x8B", "gzip-compressed data: decompress it first", 2},
                  {"PK\x03\x04", "a zip archive, not a text document", 4},
                  {"%PDF-", "a PDF document, not a text document", 5},
                  {"\x89PNG", "a PNG image, not a text document", 4},
                  {"\xFF\xD8\xFF", "a JPEG image, not a text document", 3}};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (r->peek_len >= magics[i].len && memcmp(p, magics[i].magic, magics[i].len) == 0) {
            r->deferred = nc__reader_fail(r, NC_ERR_ENCODING, 0, "%s", magics[i].what);
            return want == NC_FORMAT_AUTO ? NC_FORMAT_TEXT : want;
        }
    size_t odd = 0, first_nul = r->peek_len;
    for (const unsigned char *q = p; q < end; q++) {
        if (*q == 0 && first_nul == r->peek_len) first_nul = (size_t)(q - p);
        if ((*q < 0x20 && !is_space(*q) && *q != 0x1B) || *q == 0x7F) odd++;
    }
    if (odd * 100 > r->peek_len) {
        if (first_nul < r->peek_len)
            r->deferred = nc__reader_fail(r, NC_ERR_ENCODING, 0,
                                          "offset %zu: binary data (NUL byte), not a text document",
                                          first_nul);
        else
            r->deferred = nc__reader_fail(r, NC_ERR_ENCODING, 0,
                                          "binary data (control characters), not a text document");
        return want == NC_FORMAT_AUTO ? NC_FORMAT_TEXT : want;
    }

    if (r->peek_len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end && is_space(*p))
        p++;
    if (p == end && whole) {
        r->done = 1; /* empty input: no documents, no error */
        if (want != NC_FORMAT_AUTO) return want;
        if (ext_is(ext, "rss xml rdf")) return NC_FORMAT_RSS;
        if (ext_is(ext, "atom")) return NC_FORMAT_ATOM;
        if (ext_is(ext, "jsonl ndjson json")) return NC_FORMAT_JSONL;
        if (ext_is(ext, "md markdown")) return NC_FORMAT_MARKDOWN;
        return NC_FORMAT_TEXT;
    }
    if (want != NC_FORMAT_AUTO) return want;

    size_t left = (size_t)(end - p);
    if (*p == '<') {
        switch (xml_root(p, left)) {
        case XML_ROOT_RSS:
            return NC_FORMAT_RSS;
        case XML_ROOT_ATOM:
            return NC_FORMAT_ATOM;
        case XML_ROOT_UNKNOWN: /* a prolog longer than the peek: XML all the same */
            return ext_is(ext, "atom") ? NC_FORMAT_ATOM : NC_FORMAT_RSS;
        default:
            /* some other XML or HTML: an XML name decides, else a page of text */
            if (ext_is(ext, "rss xml rdf")) return NC_FORMAT_RSS;
            if (ext_is(ext, "atom")) return NC_FORMAT_ATOM;
            return NC_FORMAT_TEXT;
        }
    }
    if (*p == '{') return NC_FORMAT_JSONL;
    if (left >= 3 && memcmp(p, "---", 3) == 0) {
        const unsigned char *q = p + 3;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < end && *q == '\n') return NC_FORMAT_MARKDOWN;
    }
    if (ext_is(ext, "md markdown")) return NC_FORMAT_MARKDOWN;
    return NC_FORMAT_TEXT;
}

/* ------------------------------------------------------------------ open / free */

static nc_status finish_open(nc_reader *r, nc_format f, nc_reader **out)
{
    r->peek = malloc(PEEK_MAX);
    if (!r->peek) {
        nc_reader_free(r);
        return NC_ERR_NOMEM;
    }
    while (r->peek_len < PEEK_MAX) {
        size_t got = raw_read(r, r->peek + r->peek_len, PEEK_MAX - r->peek_len);
        if (got == 0) break;
        r->peek_len += got;
    }
    if (r->in_err) {
        nc_reader_free(r);
        return NC_ERR_IO;
    }
    r->format = detect(r, f);
    if (!r->done && !r->deferred) {
        nc_status st;
        switch (r->format) {
        case NC_FORMAT_RSS:
        case NC_FORMAT_ATOM:
            st = nc__xml_open(r, &r->mod, &r->mod_state);
            break;
        case NC_FORMAT_JSONL:
            st = nc__jsonl_open(r, &r->mod, &r->mod_state);
            break;
        case NC_FORMAT_MARKDOWN:
            st = nc__markdown_open(r, &r->mod, &r->mod_state);
            break;
        default:
            st = nc__text_open(r, &r->mod, &r->mod_state);
            break;
        }
        if (st != NC_OK) {
            nc_reader_free(r);
            return st;
        }
    }
    *out = r;
    return NC_OK;
}

static nc_status set_names(nc_reader *r, const char *name)
{
    r->name = strdup(name);
    if (!r->name) return NC_ERR_NOMEM;
    const char *slash = strrchr(name, '/');
    r->base = strdup(slash && slash[1] ? slash + 1 : name);
    return r->base ? NC_OK : NC_ERR_NOMEM;
}

nc_status nc_reader_open_file(const char *path, nc_format f, nc_reader **out)
{
    if (!out) return NC_ERR_INVALID_ARG;
    *out = NULL;
    if (!path || !*path || (unsigned)f > NC_FORMAT_TEXT) return NC_ERR_INVALID_ARG;
    nc_reader *r = calloc(1, sizeof *r);
    if (!r) return NC_ERR_NOMEM;
    int is_stdin = strcmp(path, "-") == 0;
    if (set_names(r, is_stdin ? "<stdin>" : path) != NC_OK) {
        nc_reader_free(r);
        return NC_ERR_NOMEM;
    }
    if (is_stdin) {
        r->fp = stdin;
    } else {
        r->fp = fopen(path, "rb");
        if (!r->fp) {
            nc_reader_free(r);
            return NC_ERR_IO;
        }
        r->own_fp = 1;
        struct stat sb;
        if (fstat(fileno(r->fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            nc_reader_free(r);
            return NC_ERR_IO; /* directories are listed by the caller */
        }
    }
    return finish_open(r, f, out);
}

/* A reader of a private copy of @p data, named @p name (NULL or "":
 * "<memory>"), with no format module yet.  @return it, or NULL when out of
 * memory. */
static nc_reader *memory_reader(const void *data, size_t len, const char *name)
{
    nc_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (set_names(r, name && *name ? name : "<memory>") != NC_OK ||
        !(r->mem = malloc(len ? len : 1))) {
        nc_reader_free(r);
        return NULL;
    }
    if (len) memcpy(r->mem, data, len);
    r->mem_len = len;
    return r;
}

nc_status nc_reader_open_memory(const void *data, size_t len, const char *name, nc_format f,
                                nc_reader **out)
{
    if (!out) return NC_ERR_INVALID_ARG;
    *out = NULL;
    if ((!data && len) || (unsigned)f > NC_FORMAT_TEXT) return NC_ERR_INVALID_ARG;
    nc_reader *r = memory_reader(data, len, name);
    return r ? finish_open(r, f, out) : NC_ERR_NOMEM;
}

nc_status nc_reader_open_jsonl_piece(const void *data, size_t len, const char *name,
                                     long first_line, nc_reader **out)
{
    if (!out) return NC_ERR_INVALID_ARG;
    *out = NULL;
    if ((!data && len) || first_line < 1) return NC_ERR_INVALID_ARG;
    nc_reader *r = memory_reader(data, len, name);
    if (!r) return NC_ERR_NOMEM;
    r->first_line = first_line;
    r->format = NC_FORMAT_JSONL; /* the whole input was detected as such: no detection here */
    nc_status st = nc__jsonl_open(r, &r->mod, &r->mod_state);
    if (st != NC_OK) {
        nc_reader_free(r);
        return st;
    }
    *out = r;
    return NC_OK;
}

long nc__reader_first_line(const nc_reader *r)
{
    return r->first_line > 0 ? r->first_line : 1;
}

void nc_reader_free(nc_reader *r)
{
    if (!r) return;
    if (r->mod && r->mod->free) r->mod->free(r->mod_state);
    batch_reset(r);
    free(r->arena);
    free(r->owned);
    free(r->queue);
    if (r->own_fp && r->fp) fclose(r->fp);
    free(r->mem);
    free(r->peek);
    free(r->name);
    free(r->base);
    free(r);
}

/* ------------------------------------------------------------------ accessors */

const char *nc_reader_errmsg(const nc_reader *r)
{
    return r ? r->errmsg : "";
}

size_t nc_reader_skipped(const nc_reader *r)
{
    return r ? r->skipped : 0;
}

nc_format nc_reader_format(const nc_reader *r)
{
    return r ? r->format : NC_FORMAT_AUTO;
}

const char *nc__reader_name(const nc_reader *r)
{
    return r->name;
}

const char *nc__reader_base(const nc_reader *r)
{
    return r->base;
}

void nc__reader_set_format(nc_reader *r, nc_format f)
{
    r->format = f;
}

nc_status nc__reader_fail(nc_reader *r, nc_status st, long line, const char *fmt, ...)
{
    int k = line > 0 ? snprintf(r->errmsg, sizeof r->errmsg, "%s:%ld: ", r->name, line)
                     : snprintf(r->errmsg, sizeof r->errmsg, "%s: ", r->name);
    if (k < 0) k = 0;
    if ((size_t)k < sizeof r->errmsg) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->errmsg + k, sizeof r->errmsg - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* ------------------------------------------------------------------ dates */

static int is_alpha_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int64_t nc__parse_date(const char *s)
{
    int64_t t;
    if (!s) return NC_TIME_UNKNOWN;
    while (is_space((unsigned char)*s))
        s++;
    if (!*s || nc_time_parse(s, &t) != NC_OK) return NC_TIME_UNKNOWN;
    return t;
}

/* ------------------------------------------------------------------ field cleanup */

enum field_kind { K_LINE, K_PARA, K_BODY, K_URL };

typedef struct scan_info {
    int lt, amp, entity, ctrl, nl, high, nbsp, edge_ws, dbl_ws;
} scan_info;

/* Byte classes for scan(): 0 = ordinary (most bytes, one lookup each). */
enum { B_PLAIN, B_END, B_HIGH, B_LT, B_AMP, B_NL, B_CTRL, B_SPACE };

/* (E end, H >= 0x80, L '<', A '&', N tab / line break, C control, S space) */
#define E B_END
#define H B_HIGH
#define L B_LT
#define A B_AMP
#define N B_NL
#define C B_CTRL
#define S B_SPACE
static const unsigned char byte_class[256] = {
    E, C, C, C, C, C, C, C, C, N, N, C, C, N, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
    S, 0, 0, 0, 0, 0, A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, L, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef E
#undef H
#undef L
#undef A
#undef N
#undef C
#undef S

/* What the byte at @p p (not of class B_PLAIN) tells about the field. */
static void classify(const unsigned char *p, scan_info *si)
{
    switch (byte_class[*p]) {
    case B_HIGH:
        si->high = 1;
        if (*p == 0xC2 && p[1] == 0xA0) si->nbsp = 1;
        break;
    case B_LT:
        si->lt = 1;
        break;
    case B_AMP: {
        si->amp = 1;
        /* an entity: &name; or &#123; or &#x1F; */
        const unsigned char *q = p + 1;
        if (*q == '#') q++;
        const unsigned char *b = q;
        while (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9'))
            q++;
        if (q > b && *q == ';') si->entity = 1;
        break;
    }
    case B_NL:
        si->nl = 1;
        break;
    case B_CTRL:
        si->ctrl = 1;
        break;
    case B_SPACE:
        if (p[1] == ' ') si->dbl_ws = 1;
        break;
    default: /* B_PLAIN; B_END is not inside the field */
        break;
    }
}

/* SWAR (SIMD within a register) tests on 8 bytes at once, after Mycroft's
 * "has a zero byte": 0x80 in each byte of the result that is equal to /
 * below @p c, and possibly in a byte just above a true one (a borrow).  So a
 * word with a true match is never missed, and a word flagged by mistake is
 * only looked at byte by byte: the result is exact.  bytes_below needs
 * c <= 0x7F so that a borrow cannot clear a true match's bit. */
#define NC_ONES ((uint64_t)0x0101010101010101u)
#define NC_HIGHS (NC_ONES * 0x80u)

static uint64_t bytes_eq(uint64_t v, unsigned char c)
{
    uint64_t x = v ^ (NC_ONES * c);
    return (x - NC_ONES) & ~x & NC_HIGHS;
}

static uint64_t bytes_below(uint64_t v, unsigned char c)
{
    return (v - NC_ONES * c) & ~v & NC_HIGHS;
}

/* One pass over a field: what kind of cleanup does it need?  Most fields
 * are plain ASCII words with single spaces: 8 bytes are tested at a time
 * for anything that is not (a byte >= 0x80, a control byte, '<', '&', DEL,
 * two spaces in a row, a space last in the word, whose successor is in the
 * next), and only a word that has one is classified byte by byte, as the
 * whole field once was (the same flags: the words skipped hold only bytes
 * that set none). */
static size_t scan(const char *s, scan_info *si)
{
    const unsigned char *p = (const unsigned char *)s;
    memset(si, 0, sizeof *si);
    size_t len = strlen(s), i = 0;
    if (len == 0) return 0;
    if (is_space(*p)) si->edge_ws = 1;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, sizeof v);
        uint64_t sp = bytes_eq(v, ' ');
        uint64_t odd = (v & NC_HIGHS) | bytes_below(v, 0x20) | bytes_eq(v, '<') | bytes_eq(v, '&') |
                       bytes_eq(v, 0x7F) | (sp & (sp >> 8));
        if (!odd && p[i + 7] != ' ') continue;
        for (size_t k = i; k < i + 8; k++)
            if (byte_class[p[k]] != B_PLAIN) classify(p + k, si);
    }
    for (; i < len; i++)
        if (byte_class[p[i]] != B_PLAIN) classify(p + i, si);
    if (is_space(p[len - 1])) si->edge_ws = 1;
    return len;
}

/* Clean a field.  *out is @p raw itself when it needs nothing, else a cleaned
   copy owned by the batch (*owned = 1, writable); NULL when empty.  The fast
   path leaves plain strings alone (no malloc). */
static nc_status clean_field(nc_reader *r, const char *raw, enum field_kind k, int plain,
                             const char **out, int *owned)
{
    *out = NULL;
    if (owned) *owned = 0;
    if (!raw) return NC_OK;
    scan_info si;
    size_t len = scan(raw, &si);
    if (len == 0) return NC_OK;
    int bad = si.high && !nc__utf8_valid(raw, len);
    int ent = plain ? si.entity : si.amp;
    char *res = NULL, *tmp = NULL;
    nc_status st = NC_OK;
    switch (k) {
    case K_URL:
        if (si.entity || bad || si.ctrl || si.nl || si.edge_ws || si.nbsp)
            st = nc__clean_text(raw, len, &res);
        break;
    case K_BODY:
        if ((si.lt && !plain) || ent || bad || si.ctrl) st = nc__html_to_text(raw, len, &res);
        break;
    default:
        if (si.lt && !plain) {
            st = nc__html_to_text(raw, len, &tmp);
            if (st == NC_OK) st = nc__clean_text(tmp, strlen(tmp), &res);
            free(tmp);
        } else if (ent || bad || si.ctrl || si.nl || si.edge_ws || si.dbl_ws || si.nbsp) {
            st = nc__clean_text(raw, len, &res);
        }
        break;
    }
    if (st != NC_OK) {
        free(res);
        return st;
    }
    if (res) {
        if (adopt(r, res) != 0) return NC_ERR_NOMEM;
        if (owned) *owned = 1;
        *out = res;
    } else {
        *out = raw;
    }
    if (!**out) *out = NULL;
    return NC_OK;
}

/* A URL: a scheme ("http://", "feed://"), "//" or "www." first.  ("://"
 * is looked for only in a string with a ':' at all, which outlet names
 * rarely have.) */
static int is_url(const char *s)
{
    if (!s) return 0;
    if (s[0] == '/' && s[1] == '/') return 1;
    if ((s[0] | 0x20) == 'w' && strncmp(s, "www.", 4) == 0) return 1;
    const char *colon = strchr(s, ':');
    return colon && strstr(colon, "://") != NULL;
}

static int has_word_ci(const char *s, const char *w)
{
    size_t k = strlen(w);
    for (const char *p = s; *p; p++) {
        if ((p == s || !is_alpha_byte((unsigned char)p[-1])) &&
            starts_ci((const unsigned char *)p, strlen(p), w) &&
            !is_alpha_byte((unsigned char)p[k]))
            return 1;
    }
    return 0;
}

/* Does an author field (dc:creator) name a publisher rather than a person?
   A domain ("KSL.com") or a name with a news-organisation word, but not a
   byline ("Guardian staff and agencies", "By Jane Doe"). */
static int looks_like_publisher(const char *s)
{
    if (!s || strlen(s) > 60 || is_url(s)) return 0;
    if (has_word_ci(s, "staff") || has_word_ci(s, "and") || has_word_ci(s, "by")) return 0;
    if (!strchr(s, ' ') && strchr(s, '.') && s[0] != '.') return 1;
    static const char *const cues[] = {
        "news",     "press",  "agency", "agence",  "reuters",    "associated",
        "media",    "times",  "post",   "journal", "tribune",    "herald",
        "gazette",  "wire",   "radio",  "tv",      "television", "broadcasting",
        "magazine", "online", "daily",  "network"};
    for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++)
        if (has_word_ci(s, cues[i])) return 1;
    return 0;
}

/* ------------------------------------------------------------------ Google News split */

static int has_li_tag(const char *s)
{
    for (const char *p = s; (p = strchr(p, '<')) != NULL; p++)
        if ((p[1] | 0x20) == 'l' && (p[2] | 0x20) == 'i' &&
            (p[3] == '>' || p[3] == ' ' || p[3] == '\t' || p[3] == '\n'))
            return 1;
    return 0;
}

static int eq_ci(const char *a, const char *b)
{
    if (!a || !b) return 0;
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0;
    }
    return *a == *b;
}

static int prefix_ci(const char *s, const char *pre)
{
    for (; *pre; s++, pre++) {
        unsigned char x = (unsigned char)*s, y = (unsigned char)*pre;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0; /* also at the end of s */
    }
    return 1;
}

/* Is @p s only the related-coverage list flattened to text ("T1  S1T2  S2...")?
   It is when it starts with the first line's title or holds most titles. */
static int is_flattened_list(const char *s, const nc_related *items, size_t n)
{
    if (!s || n == 0) return 0;
    if (items[0].title && *items[0].title && prefix_ci(s, items[0].title)) return 1;
    size_t hits = 0, titled = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i].title || !*items[i].title) continue;
        titled++;
        if (strstr(s, items[i].title)) hits++;
    }
    return titled && hits * 2 >= titled && hits >= (titled > 1 ? 2u : 1u);
}

/* Does @p s look like an outlet name: at most 6 words, starting with a
   capital, a digit or a non-ASCII letter, or a domain ("mlive.com")? */
static int outlet_shaped(const char *s)
{
    size_t len = strlen(s), words = 1;
    if (len == 0 || len > 80) return 0;
    for (const char *p = s; *p; p++)
        words += *p == ' ';
    if (words > 6) return 0;
    unsigned char c = (unsigned char)s[0];
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) return 1;
    return words == 1 && strchr(s, '.') && c >= 'a' && c <= 'z';
}

/* Is the list that nc__gnews_split() found really related coverage?  Every
   line must be a link with a title and an outlet name: ordinary lists of
   links in a description ("Key events", "Sign up here to ...") stay. */
static int is_related_coverage(const nc_related *items, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!items[i].title || !*items[i].title || !items[i].link || !*items[i].link ||
            !items[i].source || !outlet_shaped(items[i].source))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ item -> documents */

static nc_status oom(nc_reader *r)
{
    return nc__reader_fail(r, NC_ERR_NOMEM, 0, "out of memory");
}

/* A writable copy of a cleaned title with its outlet suffix cut off. */
static nc_status title_and_outlet(nc_reader *r, const char *title, int owned, char **out_title,
                                  const char **outlet)
{
    *out_title = NULL;
    *outlet = NULL;
    if (!title) return NC_OK;
    char *t = owned ? (char *)title : arena_strndup(r, title, strlen(title));
    if (!t) return NC_ERR_NOMEM;
    char *o = NULL;
    if (nc__strip_outlet_suffix(t, &o) != NC_OK) return NC_ERR_NOMEM;
    if (o && adopt(r, o) != 0) return NC_ERR_NOMEM;
    if (o && !*o) o = NULL;
    *outlet = o;
    *out_title = *t ? t : NULL;
    return NC_OK;
}

static nc_status build_docs(nc_reader *r, const nc__item *it)
{
    const char *id, *title, *summary, *text, *source, *link, *creator, *defsrc, *outlet;
    int towned;
    char *t;
    int pl = it->plain;
    if (clean_field(r, it->id, K_URL, pl, &id, NULL) ||
        clean_field(r, it->title, K_LINE, pl, &title, &towned) ||
        clean_field(r, it->summary, K_PARA, pl, &summary, NULL) ||
        clean_field(r, it->text, K_BODY, pl, &text, NULL) ||
        clean_field(r, it->source, K_LINE, pl, &source, NULL) ||
        clean_field(r, it->link, K_URL, pl, &link, NULL) ||
        clean_field(r, it->creator, K_LINE, pl, &creator, NULL) ||
        clean_field(r, it->default_source, K_LINE, pl, &defsrc, NULL) ||
        title_and_outlet(r, title, towned, &t, &outlet))
        return oom(r);

    if (is_url(source)) source = NULL; /* a feed URL is not an outlet */
    if (!source) source = outlet;
    if (!source && looks_like_publisher(creator)) source = creator;
    if (!source && defsrc && !is_url(defsrc)) source = defsrc;
    if (!id) id = link ? link : r->base;

    nc_doc d = {id, t, summary, text, source, link, NULL, it->published};

    /* Google News: the body first, then the description / summary */
    nc_related *rel = NULL;
    size_t n = 0;
    for (size_t i = 0; i < 3 && n == 0; i++) {
        const char *h = it->gnews_html[i];
        if (!h || !has_li_tag(h)) continue;
        if (nc__gnews_split(h, strlen(h), &rel, &n) != NC_OK) return oom(r);
        if (!is_related_coverage(rel, n)) {
            nc__related_free(rel, n);
            rel = NULL;
            n = 0;
        }
    }
    if (n == 0) return push_doc(r, &d) == NC_OK ? NC_OK : oom(r);

    /* Which line is the item itself?  The one with the same link, else the
       one with the same title. */
    size_t self = n;
    for (size_t i = 0; i < n && self == n; i++)
        if (d.link && rel[i].link && strcmp(d.link, rel[i].link) == 0) self = i;
    for (size_t i = 0; i < n && self == n; i++)
        if (d.title && eq_ci(d.title, rel[i].title)) self = i;
    nc_status st = NC_OK;
    if (self < n) {
        if (!d.title && rel[self].title && *rel[self].title) {
            if (adopt(r, rel[self].title) != 0) st = NC_ERR_NOMEM;
            d.title = rel[self].title;
            rel[self].title = NULL;
        }
        if (!d.source && rel[self].source && *rel[self].source) {
            if (adopt(r, rel[self].source) != 0) st = NC_ERR_NOMEM;
            d.source = rel[self].source;
            rel[self].source = NULL;
        }
    }
    /* the list flattened into the description is not a summary */
    if (is_flattened_list(d.summary, rel, n)) d.summary = NULL;
    if (is_flattened_list(d.text, rel, n)) d.text = NULL;
    if (st == NC_OK) st = push_doc(r, &d);

    size_t idlen = strlen(d.id);
    for (size_t i = 0; i < n && st == NC_OK; i++) {
        if (i == self || !rel[i].title || !*rel[i].title) continue;
        nc_doc c = {NULL, NULL, NULL, NULL, NULL, NULL, d.id, d.published};
        char *cid = arena_alloc(r, idlen + 24);
        if (!cid) {
            st = NC_ERR_NOMEM;
            break;
        }
        snprintf(cid, idlen + 24, "%s#%zu", d.id, i + 1);
        c.id = cid;
        char *ct;
        const char *co = NULL;
        /* the strings become the batch's: adopt them before anything can fail */
        if (adopt(r, rel[i].title) != 0) st = NC_ERR_NOMEM;
        ct = rel[i].title;
        rel[i].title = NULL;
        if (st == NC_OK && title_and_outlet(r, ct, 1, &ct, &co) != NC_OK) st = NC_ERR_NOMEM;
        c.title = ct;
        if (rel[i].source && *rel[i].source) {
            if (adopt(r, rel[i].source) != 0) st = NC_ERR_NOMEM;
            c.source = rel[i].source;
        } else {
            free(rel[i].source);
            c.source = co;
        }
        rel[i].source = NULL;
        if (rel[i].link && *rel[i].link) {
            if (adopt(r, rel[i].link) != 0) st = NC_ERR_NOMEM;
            c.link = rel[i].link;
        } else {
            free(rel[i].link);
        }
        rel[i].link = NULL;
        if (st == NC_OK) st = push_doc(r, &c);
    }
    nc__related_free(rel, n);
    return st == NC_OK ? NC_OK : oom(r);
}

/* ------------------------------------------------------------------ next */

nc_status nc_reader_next(nc_reader *r, nc_doc *d)
{
    if (!r || !d) return NC_ERR_INVALID_ARG;
    memset(d, 0, sizeof *d);
    d->published = NC_TIME_UNKNOWN;
    if (r->q_pos < r->q_len) {
        *d = r->queue[r->q_pos++];
        return NC_OK;
    }
    batch_reset(r);
    if (r->deferred) {
        nc_status st = r->deferred;
        r->deferred = NC_OK;
        r->done = 1;
        r->skipped++;
        return st;
    }
    if (r->done || !r->mod) return NC_DONE;
    nc__item it;
    memset(&it, 0, sizeof it);
    it.published = NC_TIME_UNKNOWN;
    nc_status st = r->mod->next(r, r->mod_state, &it);
    if (st == NC_DONE) {
        r->done = 1;
        return NC_DONE;
    }
    if (st == NC_OK) st = build_docs(r, &it);
    if (st != NC_OK) {
        batch_reset(r);
        r->skipped++;
        return st < 0 ? st : NC_ERR_PARSE;
    }
    *d = r->queue[r->q_pos++];
    return NC_OK;
}
