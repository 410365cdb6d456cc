/*
 * eval_files.c - nc_eval_files: score a newsclust output file against a
 * labels file.
 *
 * LABELS is JSON Lines, one object a line with "id" and a label field
 * (default "story"); each may be a string or a number (numbers are compared
 * as text: integers as "%lld", others as "%.17g", so the label 7 and the
 * label "7" are the same).  Blank lines are ignored; lines without a usable
 * id or label are skipped (they are not items); a repeated id keeps its
 * first label.
 *
 * OUTPUT is newsclust JSON, schema_version 1: either the envelope
 * {"schema_version":1, ..., "clusters":[{..,"members":[{"id":..},..]},..]}
 * or JSON Lines of cluster objects (--jsonl).  It is read as a stream and
 * never parsed whole: the first top-level object is walked key by key (so a
 * 100 MB envelope, pretty-printed or on one line, costs one cluster's cJSON
 * tree at a time); an object with "clusters" is the envelope, one with
 * "members" is the first line of JSON Lines, whose other lines are then
 * parsed one at a time.  Each cluster becomes one predicted label; output
 * ids that are not labelled are ignored, an id met again keeps its first
 * cluster, and labelled ids absent from the output become singletons
 * (counted in `missing`).  "-" reads standard input.
 *
 * Errors: NC_ERR_IO "PATH: cannot open: REASON"; NC_ERR_PARSE
 * "PATH:LINE: what" with the line of the bad JSON.
 */
#include "newsclust.h"
#include "vec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* ---------------------------------------------------------------- string table */

/* Interns strings to dense indices 0..n-1: an open-addressing hash table of
 * entry index + 1 (0 = empty) over entries kept in arrays, strings in one
 * growable buffer. */
typedef struct strtab {
    NC_VEC(char) chars;
    NC_VEC(size_t) off;
    NC_VEC(uint64_t) hash;
    uint32_t *slot;
    size_t mask; /* slot count - 1 (a power of two) */
} strtab;

static void strtab_free(strtab *t)
{
    free(t->chars.a);
    free(t->off.a);
    free(t->hash.a);
    free(t->slot);
}

static int strtab_grow(strtab *t)
{
    size_t cap = t->slot ? (t->mask + 1) * 2 : 1024;
    uint32_t *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t e = 0; e < t->hash.n; e++) {
        size_t i = (size_t)t->hash.a[e] & (cap - 1);
        while (s[i])
            i = (i + 1) & (cap - 1);
        s[i] = (uint32_t)(e + 1);
    }
    free(t->slot);
    t->slot = s;
    t->mask = cap - 1;
    return 0;
}

/** Find @p s (length @p len).  With @p add, insert it when absent.
 *  @return its index; UINT32_MAX when absent (not added); UINT32_MAX - 1 on
 *  out of memory or when the table is full. */
#define STR_ABSENT UINT32_MAX
#define STR_NOMEM (UINT32_MAX - 1)
static uint32_t strtab_get(strtab *t, const char *s, size_t len, int add)
{
    uint64_t h = XXH3_64bits(s, len);
    if (t->slot) {
        size_t i = (size_t)h & t->mask;
        for (; t->slot[i]; i = (i + 1) & t->mask) {
            size_t e = t->slot[i] - 1;
            if (t->hash.a[e] != h) continue;
            size_t lo = t->off.a[e], hi = t->off.a[e + 1];
            if (hi - lo == len && memcmp(t->chars.a + lo, s, len) == 0) return (uint32_t)e;
        }
    }
    if (!add) return STR_ABSENT;
    size_t e = t->hash.n;
    if (e >= STR_NOMEM - 1) return STR_NOMEM;
    /* Keep the load factor at most 1/2. */
    if ((!t->slot || 2 * (e + 1) > t->mask + 1) && strtab_grow(t)) return STR_NOMEM;
    if (t->off.n == 0 && NC_VEC_PUSH(&t->off, (size_t)0)) return STR_NOMEM;
    if (NC_VEC_RESERVE(&t->chars, t->chars.n + len) || NC_VEC_RESERVE(&t->off, t->off.n + 1) ||
        NC_VEC_RESERVE(&t->hash, t->hash.n + 1))
        return STR_NOMEM;
    if (len) memcpy(t->chars.a + t->chars.n, s, len);
    t->chars.n += len;
    t->off.a[t->off.n++] = t->chars.n;
    t->hash.a[t->hash.n++] = h;
    size_t i = (size_t)h & t->mask;
    while (t->slot[i])
        i = (i + 1) & t->mask;
    t->slot[i] = (uint32_t)(e + 1);
    return (uint32_t)e;
}

/* ---------------------------------------------------------------- reading */

/* A buffered byte reader that counts lines. */
typedef struct reader {
    FILE *f;
    const char *path;
    size_t pos, len;
    size_t line; /* 1-based line of the next byte */
    int err;     /* errno of a read error, or 0 */
    unsigned char buf[1 << 16];
} reader;

typedef NC_VEC(char) bytes;

/* The evaluation under way. */
typedef struct ctx {
    strtab ids;             /* labelled item ids -> item index */
    strtab labels;          /* label values -> dense true label */
    NC_VEC(uint32_t) truth; /* true label of each item */
    uint32_t *pred;         /* predicted cluster of each item, or UINT32_MAX */
    uint32_t nclusters;     /* clusters read so far */
    bytes tmp;              /* the JSON text being parsed */
    char *errbuf;
    size_t errlen;
} ctx;

static nc_status fail(ctx *c, nc_status st, const char *fmt, ...)
{
    if (c->errbuf && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->errbuf, c->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

static nc_status nomem(ctx *c)
{
    return fail(c, NC_ERR_NOMEM, "out of memory");
}

static int rd_fill(reader *r)
{
    r->len = fread(r->buf, 1, sizeof r->buf, r->f);
    r->pos = 0;
    if (r->len == 0 && ferror(r->f)) r->err = errno ? errno : EIO;
    return r->len ? 0 : -1;
}

/** @return the next byte, or -1 at the end of input (or a read error). */
static inline int rd_get(reader *r)
{
    if (r->pos == r->len && rd_fill(r)) return -1;
    int ch = r->buf[r->pos++];
    if (ch == '\n') r->line++;
    return ch;
}

/** Put back the byte just read by rd_get (not -1). */
static inline void rd_unget(reader *r)
{
    if (r->buf[--r->pos] == '\n') r->line--;
}

static int is_ws(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/** Skip JSON white space.  @return the next byte (not consumed) or -1. */
static int rd_skip_ws(reader *r)
{
    int ch;
    while ((ch = rd_get(r)) != -1 && is_ws(ch)) {
    }
    if (ch != -1) rd_unget(r);
    return ch;
}

static nc_status io_error(ctx *c, const reader *r)
{
    return fail(c, NC_ERR_IO, "%s: read error: %s", r->path, strerror(r->err));
}

static int push(bytes *b, int ch)
{
    return NC_VEC_PUSH(b, (char)ch);
}

/** Read one line (without "\n") into @p b, NUL-terminated.
 *  @return 1 a line, 0 end of input, -1 out of memory. */
static int rd_line(reader *r, bytes *b)
{
    b->n = 0;
    int ch = rd_get(r);
    if (ch == -1) return 0;
    for (; ch != -1 && ch != '\n'; ch = rd_get(r)) {
        /* Copy the rest of the buffered line at once. */
        const unsigned char *s = r->buf + r->pos - 1, *e = r->buf + r->len;
        const unsigned char *nl = memchr(s, '\n', (size_t)(e - s));
        size_t k = (size_t)((nl ? nl : e) - s);
        if (NC_VEC_RESERVE(b, b->n + k + 1)) return -1;
        memcpy(b->a + b->n, s, k);
        b->n += k;
        r->pos += k - 1;
    }
    if (NC_VEC_RESERVE(b, b->n + 1)) return -1;
    b->a[b->n] = '\0';
    return 1;
}

/** Parse b[0..n) as one JSON value whose text starts on line @p line.
 *  @return the tree, or NULL with the error in c (NC_ERR_PARSE). */
static cJSON *parse(ctx *c, const reader *r, const bytes *b, size_t line, nc_status *st)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(b->a, b->n, &end, 0);
    const char *stop = v ? end : NULL;
    if (v) {
        while (stop < b->a + b->n && is_ws((unsigned char)*stop))
            stop++;
        if (stop == b->a + b->n) return v;
        cJSON_Delete(v);
        end = stop;
    }
    if (!end || end < b->a || end > b->a + b->n) end = b->a;
    for (const char *p = b->a; p < end; p++)
        line += *p == '\n';
    *st = fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON%s", r->path, line,
               stop ? " (unexpected data after the value)" : "");
    return NULL;
}

/** Is the line b only white space? */
static int blank(const bytes *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (!is_ws((unsigned char)b->a[i])) return 0;
    return 1;
}

/** The text of an id or label: a string as it is, a number as "%lld" when
 *  integral (and exact in a double) else "%.17g".  @return 0, or -1 when
 *  @p v is neither. */
static int key_of(const cJSON *v, char tmp[48], const char **s, size_t *len)
{
    if (cJSON_IsString(v) && v->valuestring) {
        *s = v->valuestring;
    } else if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        double d = v->valuedouble;
        if (d == floor(d) && fabs(d) <= 9007199254740992.0)
            snprintf(tmp, 48, "%lld", (long long)d);
        else
            snprintf(tmp, 48, "%.17g", d);
        *s = tmp;
    } else {
        return -1;
    }
    *len = strlen(*s);
    return 0;
}

/* ---------------------------------------------------------------- labels */

/** The next non-blank line of @p r parsed as one JSON value; its line
 *  number in *line.  @return the tree, or NULL: at the end of input (*st
 *  NC_OK; r->err tells a read error) or on an error (*st set, the message in
 *  c). */
static cJSON *next_line_value(ctx *c, reader *r, size_t *line, nc_status *st)
{
    *st = NC_OK;
    for (;;) {
        *line = r->line;
        int got = rd_line(r, &c->tmp);
        if (got < 0) {
            *st = nomem(c);
            return NULL;
        }
        if (got == 0) return NULL;
        if (!blank(&c->tmp)) return parse(c, r, &c->tmp, *line, st);
    }
}

static nc_status read_labels(ctx *c, reader *r, const char *field)
{
    nc_status st = NC_OK;
    size_t line;
    cJSON *o;
    while ((o = next_line_value(c, r, &line, &st)) != NULL) {
        if (!cJSON_IsObject(o)) {
            cJSON_Delete(o);
            return fail(c, NC_ERR_PARSE, "%s:%zu: expected a JSON object", r->path, line);
        }
        char ib[48], lb[48];
        const char *id, *lab;
        size_t idlen, lablen;
        if (key_of(cJSON_GetObjectItemCaseSensitive(o, "id"), ib, &id, &idlen) == 0 &&
            key_of(cJSON_GetObjectItemCaseSensitive(o, field), lb, &lab, &lablen) == 0) {
            size_t before = c->ids.hash.n;
            uint32_t item = strtab_get(&c->ids, id, idlen, 1), label = 0;
            int fresh = c->ids.hash.n > before; /* a repeated id keeps its first label */
            if (fresh && item < STR_NOMEM) label = strtab_get(&c->labels, lab, lablen, 1);
            if (item >= STR_NOMEM || label >= STR_NOMEM ||
                (fresh && NC_VEC_PUSH(&c->truth, label))) {
                cJSON_Delete(o);
                return nomem(c);
            }
        }
        cJSON_Delete(o);
    }
    if (st) return st;
    if (r->err) return io_error(c, r);
    return NC_OK;
}

/* ---------------------------------------------------------------- output */

/** Record the members (a cJSON array) of one more predicted cluster. */
static nc_status add_members(ctx *c, const reader *r, const cJSON *members, size_t line)
{
    if (!cJSON_IsArray(members))
        return fail(c, NC_ERR_PARSE, "%s:%zu: a cluster without a \"members\" array", r->path,
                    line);
    if (c->nclusters >= UINT32_MAX - 1 - c->truth.n)
        return fail(c, NC_ERR_LIMIT, "%s:%zu: too many clusters", r->path, line);
    uint32_t k = c->nclusters++;
    const cJSON *m;
    cJSON_ArrayForEach(m, members)
    {
        char tmp[48];
        const char *id;
        size_t len;
        const cJSON *v = cJSON_IsObject(m) ? cJSON_GetObjectItemCaseSensitive(m, "id") : m;
        if (key_of(v, tmp, &id, &len))
            return fail(c, NC_ERR_PARSE, "%s:%zu: a member without an id", r->path, line);
        uint32_t item = strtab_get(&c->ids, id, len, 0);
        if (item != STR_ABSENT && c->pred[item] == UINT32_MAX) c->pred[item] = k;
    }
    return NC_OK;
}

static nc_status add_cluster(ctx *c, const reader *r, const cJSON *cl, size_t line)
{
    if (!cJSON_IsObject(cl))
        return fail(c, NC_ERR_PARSE, "%s:%zu: a cluster is not a JSON object", r->path, line);
    return add_members(c, r, cJSON_GetObjectItemCaseSensitive(cl, "members"), line);
}

static nc_status eof_error(ctx *c, const reader *r)
{
    if (r->err) return io_error(c, r);
    return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (unexpected end of file)", r->path, r->line);
}

/** Append the rest of a string or container to c->tmp: scan the buffered
 *  bytes in place (tracking string, escape and bracket depth) and copy each
 *  scanned span at once, until the value closes. */
static nc_status capture_rest(ctx *c, reader *r, int in_str, size_t depth)
{
    bytes *b = &c->tmp;
    int esc = 0, done = 0;
    while (!done) {
        if (r->pos == r->len && rd_fill(r)) return eof_error(c, r);
        const unsigned char *s = r->buf + r->pos, *e = r->buf + r->len, *p = s;
        for (; p < e && !done; p++) {
            unsigned ch = *p;
            if (ch == '\n') r->line++;
            if (in_str) {
                if (esc)
                    esc = 0;
                else if (ch == '\\')
                    esc = 1;
                else if (ch == '"')
                    in_str = 0, done = depth == 0;
            } else if (ch == '"') {
                in_str = 1;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                done = --depth == 0;
            }
        }
        size_t k = (size_t)(p - s);
        if (NC_VEC_RESERVE(b, b->n + k + 1)) return nomem(c);
        memcpy(b->a + b->n, s, k);
        b->n += k;
        r->pos += k;
    }
    return NC_OK;
}

/** Copy the JSON value that starts at the reader's position into c->tmp
 *  (NUL-terminated), finding its end by bracket depth outside strings; the
 *  text is validated by parsing it afterwards. */
static nc_status capture(ctx *c, reader *r)
{
    bytes *b = &c->tmp;
    b->n = 0;
    int ch = rd_get(r);
    if (ch == -1) return eof_error(c, r);
    if (ch == '{' || ch == '[' || ch == '"') {
        if (push(b, ch)) return nomem(c);
        nc_status st = capture_rest(c, r, ch == '"', ch == '"' ? 0 : 1);
        if (st) return st;
    } else {
        /* A scalar: up to white space or a delimiter. */
        while (ch != -1 && !is_ws(ch) && ch != ',' && ch != '}' && ch != ']') {
            if (push(b, ch)) return nomem(c);
            ch = rd_get(r);
        }
        if (ch != -1) rd_unget(r);
        if (b->n == 0) return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON", r->path, r->line);
    }
    if (push(b, 0)) return nomem(c);
    b->n--;
    return NC_OK;
}

/** Capture and parse the next value; @p line receives its first line. */
static cJSON *next_value(ctx *c, reader *r, size_t *line, nc_status *st)
{
    *line = r->line;
    *st = capture(c, r);
    return *st ? NULL : parse(c, r, &c->tmp, *line, st);
}

/** Expect @p a or @p b after white space.  @return the one found or -1. */
static int expect(reader *r, int a, int b)
{
    int ch = rd_skip_ws(r);
    if (ch == a || ch == b) {
        rd_get(r);
        return ch;
    }
    return -1;
}

/** The envelope's "clusters" array, one element at a time. */
static nc_status read_clusters(ctx *c, reader *r)
{
    nc_status st = NC_OK;
    if (expect(r, '[', '[') < 0)
        return fail(c, NC_ERR_PARSE, "%s:%zu: \"clusters\" is not an array", r->path, r->line);
    if (rd_skip_ws(r) == ']') {
        rd_get(r);
        return NC_OK;
    }
    for (;;) {
        size_t line;
        rd_skip_ws(r);
        cJSON *cl = next_value(c, r, &line, &st);
        if (!cl) return st;
        st = add_cluster(c, r, cl, line);
        cJSON_Delete(cl);
        if (st) return st;
        int ch = expect(r, ',', ']');
        if (ch == ']') return NC_OK;
        if (ch < 0) {
            if (rd_skip_ws(r) == -1) return eof_error(c, r);
            return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (expected ',' or ']')", r->path,
                        r->line);
        }
    }
}

/** Walk the first top-level object key by key.  *kind becomes 'e' for the
 *  envelope ("clusters"), 'c' for a cluster ("members"), 0 for neither. */
static nc_status read_top_object(ctx *c, reader *r, int *kind)
{
    nc_status st = NC_OK;
    *kind = 0;
    rd_get(r); /* '{' */
    if (rd_skip_ws(r) == '}') {
        rd_get(r);
        return NC_OK;
    }
    for (;;) {
        size_t line;
        if (rd_skip_ws(r) != '"')
            return rd_skip_ws(r) == -1
                       ? eof_error(c, r)
                       : fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (expected a key)", r->path,
                              r->line);
        cJSON *key = next_value(c, r, &line, &st);
        if (!key) return st;
        int is_clusters = strcmp(key->valuestring, "clusters") == 0;
        int is_members = strcmp(key->valuestring, "members") == 0;
        int is_version = strcmp(key->valuestring, "schema_version") == 0;
        cJSON_Delete(key);
        if (expect(r, ':', ':') < 0)
            return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (expected ':')", r->path, r->line);
        if (is_clusters) {
            *kind = 'e';
            st = read_clusters(c, r);
            if (st) return st;
        } else {
            rd_skip_ws(r);
            cJSON *v = next_value(c, r, &line, &st);
            if (!v) return st;
            if (is_members) {
                if (*kind != 'e') *kind = 'c';
                st = add_members(c, r, v, line);
            } else if (is_version && !(cJSON_IsNumber(v) && v->valuedouble == 1.0)) {
                st = fail(c, NC_ERR_PARSE, "%s:%zu: unsupported schema_version (expected 1)",
                          r->path, line);
            }
            cJSON_Delete(v);
            if (st) return st;
        }
        int ch = expect(r, ',', '}');
        if (ch == '}') return NC_OK;
        if (ch < 0) {
            if (rd_skip_ws(r) == -1) return eof_error(c, r);
            return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (expected ',' or '}')", r->path,
                        r->line);
        }
    }
}

/** JSON Lines after the first line: one cluster object a line. */
static nc_status read_cluster_lines(ctx *c, reader *r)
{
    nc_status st = NC_OK;
    /* The rest of the first line must be empty. */
    int ch;
    while ((ch = rd_get(r)) != -1 && ch != '\n') {
        if (!is_ws(ch))
            return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (unexpected data after the value)",
                        r->path, r->line);
    }
    size_t line;
    cJSON *cl;
    while ((cl = next_line_value(c, r, &line, &st)) != NULL) {
        st = add_cluster(c, r, cl, line);
        cJSON_Delete(cl);
        if (st) return st;
    }
    if (st) return st;
    return r->err ? io_error(c, r) : NC_OK;
}

static nc_status read_output(ctx *c, reader *r)
{
    int ch = rd_skip_ws(r);
    if (ch == -1) return r->err ? io_error(c, r) : NC_OK; /* no clusters */
    if (ch != '{') return fail(c, NC_ERR_PARSE, "%s:%zu: expected a JSON object", r->path, r->line);
    int kind;
    size_t line = r->line;
    nc_status st = read_top_object(c, r, &kind);
    if (st) return st;
    if (kind == 'c') return read_cluster_lines(c, r);
    if (kind == 0)
        return fail(c, NC_ERR_PARSE,
                    "%s:%zu: not newsclust output (no \"clusters\" or \"members\")", r->path, line);
    if (rd_skip_ws(r) != -1)
        return fail(c, NC_ERR_PARSE, "%s:%zu: invalid JSON (unexpected data after the value)",
                    r->path, r->line);
    return r->err ? io_error(c, r) : NC_OK;
}

/* ---------------------------------------------------------------- entry */

static nc_status open_reader(ctx *c, const char *path, reader **out)
{
    reader *r = malloc(sizeof *r);
    if (!r) return nomem(c);
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!r->f) {
        int e = errno;
        free(r);
        return fail(c, NC_ERR_IO, "%s: cannot open: %s", path, strerror(e));
    }
    r->path = r->f == stdin ? "<stdin>" : path;
    r->pos = r->len = 0;
    r->line = 1;
    r->err = 0;
    /* Skip a UTF-8 byte order mark. */
    if (rd_fill(r) == 0 && r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    *out = r;
    return NC_OK;
}

static void close_reader(reader *r)
{
    if (r && r->f != stdin) fclose(r->f);
    free(r);
}

nc_status nc_eval_files(const char *labels_path, const char *output_path, const char *label_field,
                        nc_eval_result *out, char *errbuf, size_t errlen)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.errbuf = errbuf;
    c.errlen = errlen;
    if (errbuf && errlen) errbuf[0] = '\0';
    if (out) memset(out, 0, sizeof *out);
    if (!labels_path || !output_path || !out)
        return fail(&c, NC_ERR_INVALID_ARG, "nc_eval_files: NULL argument");
    if (strcmp(labels_path, "-") == 0 && strcmp(output_path, "-") == 0)
        return fail(&c, NC_ERR_INVALID_ARG, "only one of labels and output can be \"-\"");
    if (!label_field) label_field = "story";

    reader *r = NULL;
    nc_status st = open_reader(&c, labels_path, &r);
    if (!st) st = read_labels(&c, r, label_field);
    close_reader(r);
    r = NULL;
    size_t n = c.truth.n;
    if (!st) {
        c.pred = malloc((n ? n : 1) * sizeof *c.pred);
        if (!c.pred) st = nomem(&c);
    }
    if (!st) {
        for (size_t i = 0; i < n; i++)
            c.pred[i] = UINT32_MAX;
        st = open_reader(&c, output_path, &r);
    }
    if (!st) st = read_output(&c, r);
    close_reader(r);
    if (!st) {
        /* Labelled items the output does not mention: one singleton each. */
        size_t missing = 0;
        for (size_t i = 0; i < n; i++)
            if (c.pred[i] == UINT32_MAX) c.pred[i] = c.nclusters + (uint32_t)missing++;
        st = nc_eval_labels(c.truth.a, c.pred, n, out);
        if (st == NC_ERR_NOMEM)
            st = nomem(&c);
        else if (st)
            st = fail(&c, st, "%s: too many labelled items", labels_path);
        else
            out->missing = missing;
    }
    strtab_free(&c.ids);
    strtab_free(&c.labels);
    free(c.truth.a);
    free(c.pred);
    free(c.tmp.a);
    return st;
}
