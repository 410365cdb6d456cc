/*
 * reader_jsonl.c - JSON Lines: one document object a line, parsed with cJSON.
 *
 * Lines are read through a growing buffer, so a line of any length up to
 * NC__READ_LIMIT works (a longer one is skipped with NC_ERR_LIMIT without
 * being held in memory).  Blank lines are skipped silently; a line that is
 * not a JSON object is skipped with "FILE:LINE: invalid JSON ..." and the
 * next line is read.
 *
 * Fields (aliases in brackets, the first name wins): id (string or number;
 * missing: "<file>:<line>"), title [headline], summary [description], text
 * [body, content], source [publisher, outlet] (also {"name": ...}), link
 * [url], published [date, pubDate] (a date string, or Unix seconds, or
 * milliseconds when above 1e11).  Unknown fields are ignored.  The strings
 * handed to reader.c point into the cJSON tree of the line, which lives
 * until the next line is parsed: no copies for plain fields.
 */
#include "reader_impl.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)256 * 1024)

enum { F_ID, F_TITLE, F_SUMMARY, F_TEXT, F_SOURCE, F_LINK, F_PUBLISHED, F_COUNT };

static const struct {
    const char *key;
    int field, prio;
} keys[] = {
    {"id", F_ID, 0},
    {"title", F_TITLE, 0},
    {"headline", F_TITLE, 1},
    {"summary", F_SUMMARY, 0},
    {"description", F_SUMMARY, 1},
    {"text", F_TEXT, 0},
    {"body", F_TEXT, 1},
    {"content", F_TEXT, 2},
    {"source", F_SOURCE, 0},
    {"publisher", F_SOURCE, 1},
    {"outlet", F_SOURCE, 2},
    {"link", F_LINK, 0},
    {"url", F_LINK, 1},
    {"published", F_PUBLISHED, 0},
    {"date", F_PUBLISHED, 1},
    {"pubDate", F_PUBLISHED, 2},
};

typedef struct jsonl_state {
    char *buf;
    size_t cap, start, end, scan;
    int eof, discarding;
    long line;
    cJSON *root;
    char *idbuf; /* "<base>:<line>" or a number */
    size_t idcap;
} jsonl_state;

/* ASCII case-insensitive equality of a key with a lower/camel-case name. */
static int key_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0;
    }
    return *a == *b;
}

/* Next line (without its newline).  @return 1 a line, 0 end of input,
   -1 read error, -2 a line over the limit (skipped). */
static int get_line(nc_reader *r, jsonl_state *s, char **line, size_t *len)
{
    for (;;) {
        char *nl = s->scan < s->end ? memchr(s->buf + s->scan, '\n', s->end - s->scan) : NULL;
        if (nl) {
            size_t at = (size_t)(nl - s->buf);
            *line = s->buf + s->start;
            *len = at - s->start;
            s->start = s->scan = at + 1;
            s->line++;
            if (s->discarding) {
                s->discarding = 0;
                return -2;
            }
            return 1;
        }
        s->scan = s->end;
        if (s->eof) {
            if (s->start < s->end || s->discarding) {
                *line = s->buf + s->start;
                *len = s->end - s->start;
                s->start = s->scan = s->end;
                s->line++;
                if (s->discarding) {
                    s->discarding = 0;
                    return -2;
                }
                return 1;
            }
            return 0;
        }
        /* need more bytes: move the partial line to the front, grow if full */
        if (s->start > 0) {
            memmove(s->buf, s->buf + s->start, s->end - s->start);
            s->end -= s->start;
            s->scan -= s->start;
            s->start = 0;
        }
        if (s->end - s->start > NC__READ_LIMIT) {
            /* too long: drop what we have and look for the end of the line */
            s->discarding = 1;
            s->start = s->end = s->scan = 0;
        }
        if (s->cap - s->end < CHUNK) {
            /* never more than one line at the limit plus two chunks */
            size_t cap = s->cap ? s->cap * 2 : CHUNK * 2;
            if (cap > NC__READ_LIMIT + 2 * CHUNK) cap = NC__READ_LIMIT + 2 * CHUNK;
            char *b = realloc(s->buf, cap);
            if (!b) return -3;
            s->buf = b;
            s->cap = cap;
        }
        size_t got = nc__in_read(r, s->buf + s->end, s->cap - s->end);
        if (got == 0) {
            if (nc__in_error(r)) return -1;
            s->eof = 1;
        }
        s->end += got;
    }
}

static const char *str_of(const cJSON *v)
{
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring) return v->valuestring;
    return NULL;
}

static nc_status reserve_id(jsonl_state *s, size_t need)
{
    if (s->idcap < need) {
        char *b = realloc(s->idbuf, need);
        if (!b) return NC_ERR_NOMEM;
        s->idbuf = b;
        s->idcap = need;
    }
    return NC_OK;
}

static nc_status jsonl_next(nc_reader *r, void *state, nc__item *it)
{
    jsonl_state *s = state;
    cJSON_Delete(s->root);
    s->root = NULL;
    for (;;) {
        char *p;
        size_t n;
        int rc = get_line(r, s, &p, &n);
        if (rc == 0) return NC_DONE;
        if (rc == -1) {
            s->eof = 1;
            s->start = s->end;
            return nc__reader_fail(r, NC_ERR_IO, s->line + 1, "read error");
        }
        if (rc == -3) return nc__reader_fail(r, NC_ERR_NOMEM, s->line + 1, "out of memory");
        if (rc == -2)
            return nc__reader_fail(r, NC_ERR_LIMIT, s->line, "line longer than %zu MiB, skipped",
                                   NC__READ_LIMIT >> 20);
        /* blank lines (and a byte order mark at the start of the input) are
         * skipped silently */
        if (s->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            n -= 3;
        }
        while (n && (*p == ' ' || *p == '\t' || *p == '\r')) {
            p++;
            n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            n--;
        if (n == 0) continue;
        if (memchr(p, '\0', n))
            return nc__reader_fail(r, NC_ERR_PARSE, s->line,
                                   "invalid JSON: NUL byte (binary data?), line skipped");
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
        if (!root) {
            size_t col = end && end >= p && end <= p + n ? (size_t)(end - p) + 1 : 1;
            return nc__reader_fail(r, NC_ERR_PARSE, s->line,
                                   "invalid JSON at column %zu, line skipped", col);
        }
        if (end && end < p + n) {
            size_t col = (size_t)(end - p) + 1;
            cJSON_Delete(root);
            return nc__reader_fail(r, NC_ERR_PARSE, s->line,
                                   "invalid JSON: unexpected data at column %zu, line skipped",
                                   col);
        }
        if (!cJSON_IsObject(root)) {
            cJSON_Delete(root);
            return nc__reader_fail(r, NC_ERR_PARSE, s->line,
                                   "invalid JSON: not an object, line skipped");
        }
        s->root = root;
        break;
    }

    /* one pass over the members; the best-ranked name of each field wins */
    const cJSON *v[F_COUNT] = {0};
    int rank[F_COUNT];
    for (int i = 0; i < F_COUNT; i++)
        rank[i] = 99;
    for (const cJSON *c = s->root->child; c; c = c->next) {
        if (!c->string) continue;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            if ((c->string[0] | 0x20) != keys[k].key[0] || !key_eq(c->string, keys[k].key))
                continue;
            if (keys[k].prio < rank[keys[k].field]) {
                rank[keys[k].field] = keys[k].prio;
                v[keys[k].field] = c;
            }
            break;
        }
    }
    it->title = str_of(v[F_TITLE]);
    it->summary = str_of(v[F_SUMMARY]);
    it->text = str_of(v[F_TEXT]);
    it->link = str_of(v[F_LINK]);
    it->source = str_of(v[F_SOURCE]);
    if (!it->source && cJSON_IsObject(v[F_SOURCE])) { /* {"source": {"name": ...}} */
        it->source = str_of(cJSON_GetObjectItemCaseSensitive(v[F_SOURCE], "name"));
        if (!it->source)
            it->source = str_of(cJSON_GetObjectItemCaseSensitive(v[F_SOURCE], "title"));
    }
    it->gnews_html[0] = it->text;
    it->gnews_html[1] = it->summary;

    const cJSON *pv = v[F_PUBLISHED];
    it->published = NC_TIME_UNKNOWN;
    if (cJSON_IsString(pv)) {
        it->published = nc__parse_date(pv->valuestring);
    } else if (cJSON_IsNumber(pv) && isfinite(pv->valuedouble)) {
        double t = pv->valuedouble;
        if (fabs(t) > 1e11) t /= 1000.0; /* milliseconds */
        if (fabs(t) < 1e13) it->published = (int64_t)floor(t);
    }

    const cJSON *iv = v[F_ID];
    it->id = str_of(iv);
    if (!it->id) {
        const char *base = nc__reader_base(r);
        size_t need = strlen(base) + 48;
        if (reserve_id(s, need) != NC_OK)
            return nc__reader_fail(r, NC_ERR_NOMEM, s->line, "out of memory");
        double d = cJSON_IsNumber(iv) ? iv->valuedouble : 0;
        if (cJSON_IsNumber(iv) && d == floor(d) && fabs(d) < 9007199254740992.0)
            snprintf(s->idbuf, s->idcap, "%lld", (long long)d);
        else if (cJSON_IsNumber(iv) && isfinite(d))
            snprintf(s->idbuf, s->idcap, "%.17g", d);
        else
            snprintf(s->idbuf, s->idcap, "%s:%ld", base, s->line);
        it->id = s->idbuf;
    }
    return NC_OK;
}

static void jsonl_free(void *state)
{
    jsonl_state *s = state;
    if (!s) return;
    cJSON_Delete(s->root);
    free(s->buf);
    free(s->idbuf);
    free(s);
}

static const nc__module jsonl_module = {jsonl_next, jsonl_free};

nc_status nc__jsonl_open(nc_reader *r, const nc__module **mod, void **state)
{
    jsonl_state *s = calloc(1, sizeof *s);
    if (!s) return NC_ERR_NOMEM;
    s->line = nc__reader_first_line(r) - 1; /* counted up as each line is read */
    *mod = &jsonl_module;
    *state = s;
    return NC_OK;
}
