/*
 * reader_markdown.c - Markdown files with YAML front matter, one document a
 * file (e.g. Google News items exported by a static-site tool):
 *
 *   ---
 *   title: "Headline - Outlet"
 *   date: 2026-01-07
 *   description: "..."
 *   link: 'https://...'
 *   tags:
 *   - 'x'
 *   ---
 *   <ol><li>...</li></ol>            (the body: HTML or Markdown)
 *
 * The front matter parser knows the YAML needed for such files: top-level
 * "key: value" lines with plain, "double-quoted" (backslash escapes) and
 * 'single-quoted' ('' escape) scalars, quoted scalars running over several
 * lines, block scalars (| and >), and block lists ("- item": the first item
 * is the value).  Keys used: title, date / published, description, summary,
 * link / url, source, id; others are ignored.  The id is the front matter's
 * id, else the file's base name.  A file without a closing "---" is read as
 * a plain-text article.
 */
#include "reader_impl.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

enum { K_TITLE, K_DATE, K_PUBLISHED, K_DESCRIPTION, K_SUMMARY, K_LINK, K_URL, K_SOURCE, K_ID, K_N };

static const char *const key_names[K_N] = {"title", "date", "published", "description", "summary",
                                           "link",  "url",  "source",    "id"};

typedef struct md_state {
    int done;
    char *buf;
    char *val[K_N];
    char *title, *summary, *text; /* a file without front matter */
} md_state;

/* ------------------------------------------------------------------ YAML scalars */

/* Append cp (surrogates and values past U+10FFFF as U+FFFD).  @return 0, or
   -1 no memory. */
static int put_utf8(nc_buf *b, unsigned long cp)
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0x110000) cp = 0xFFFD;
    nc__buf_put_cp(b, (uint32_t)cp);
    return b->oom ? -1 : 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parse a quoted scalar starting at *pp (at the quote) up to @p end; line
   breaks inside fold to spaces.  Moves *pp past the closing quote.
   @return 0, -1 no memory, 1 unterminated. */
static int quoted(const char **pp, const char *end, nc_buf *out)
{
    const char *p = *pp;
    char q = *p++;
    while (p < end) {
        char c = *p;
        if (c == q) {
            if (q == '\'' && p + 1 < end && p[1] == '\'') { /* '' is a quote */
                nc__buf_put(out, "'", 1);
                if (out->oom) return -1;
                p += 2;
                continue;
            }
            *pp = p + 1;
            return 0;
        }
        if (c == '\n' || c == '\r') { /* folded line break */
            while (out->len && (out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\t'))
                out->p[--out->len] = '\0';
            while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
                p++;
            nc__buf_put(out, " ", 1);
            if (out->oom) return -1;
            continue;
        }
        if (q == '"' && c == '\\' && p + 1 < end) {
            char e = p[1];
            const char *rep = NULL;
            int hex = 0;
            p += 2;
            switch (e) {
            case 'n':
                rep = "\n";
                break;
            case 't':
                rep = "\t";
                break;
            case 'r':
                rep = "\r";
                break;
            case '0':
                rep = "";
                break;
            case '_':
                rep = "\xC2\xA0";
                break;
            case 'N':
                rep = "\xC2\x85";
                break;
            case 'L':
                rep = "\xE2\x80\xA8";
                break;
            case 'P':
                rep = "\xE2\x80\xA9";
                break;
            case 'x':
                hex = 2;
                break;
            case 'u':
                hex = 4;
                break;
            case 'U':
                hex = 8;
                break;
            case '\n': /* escaped line break: joined without a space */
                while (p < end && (*p == ' ' || *p == '\t'))
                    p++;
                continue;
            default: { /* \" \\ \/ \a ... : the character itself */
                nc__buf_putc(out, e);
                if (out->oom) return -1;
                continue;
            }
            }
            if (rep) {
                nc__buf_put(out, rep, strlen(rep));
                if (out->oom) return -1;
                continue;
            }
            unsigned long cp = 0;
            int i = 0;
            for (; i < hex && p < end && hexval(*p) >= 0; i++, p++)
                cp = cp * 16 + (unsigned long)hexval(*p);
            if (put_utf8(out, i == hex ? cp : 0xFFFD)) return -1;
            continue;
        }
        const char *s = p;
        while (p < end && *p != q && *p != '\n' && *p != '\r' && !(q == '"' && *p == '\\'))
            p++;
        nc__buf_put(out, s, (size_t)(p - s));
        if (out->oom) return -1;
    }
    *pp = end;
    return 1;
}

static const char *line_end(const char *p, const char *end)
{
    const char *e = memchr(p, '\n', (size_t)(end - p));
    return e ? e : end;
}

static int is_blank_line(const char *p, const char *e)
{
    for (; p < e; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r') return 0;
    return 1;
}

static int is_fence(const char *p, const char *e)
{
    if (e - p < 3 || (memcmp(p, "---", 3) != 0 && memcmp(p, "...", 3) != 0)) return 0;
    return is_blank_line(p + 3, e);
}

/* Parse the front matter lines [p, end).  Stores the values of known keys. */
static nc_status front_matter(md_state *s, const char *p, const char *end)
{
    while (p < end) {
        const char *e = line_end(p, end);
        if (is_blank_line(p, e) || *p == '#' || *p == ' ' || *p == '\t' || *p == '-') {
            p = e + (e < end); /* blank, comment, or a list / nested line of another key */
            continue;
        }
        const char *colon = p;
        while (colon < e && *colon != ':')
            colon++;
        if (colon == e) {
            p = e + (e < end);
            continue;
        }
        const char *ke = colon;
        while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        int key = -1;
        for (int k = 0; k < K_N; k++)
            if ((size_t)(ke - p) == strlen(key_names[k]) &&
                memcmp(p, key_names[k], (size_t)(ke - p)) == 0)
                key = k;
        const char *v = colon + 1;
        while (v < e && (*v == ' ' || *v == '\t'))
            v++;
        nc_buf val = {0};
        const char *next = e + (e < end);
        if (v < e && (*v == '"' || *v == '\'')) {
            const char *q = v;
            int rc = quoted(&q, end, &val);
            if (rc < 0) {
                free(val.p);
                return NC_ERR_NOMEM;
            }
            next = line_end(q, end);
            next += next < end;
        } else if (v < e && (*v == '|' || *v == '>')) {
            /* block scalar: the following more-indented lines */
            int fold = *v == '>';
            while (next < end) {
                const char *ne = line_end(next, end);
                if (!is_blank_line(next, ne) && *next != ' ' && *next != '\t') break;
                const char *t = next;
                while (t < ne && (*t == ' ' || *t == '\t'))
                    t++;
                const char *te = ne;
                while (te > t && te[-1] == '\r')
                    te--;
                if (val.len) nc__buf_putc(&val, fold ? ' ' : '\n');
                nc__buf_put(&val, t, (size_t)(te - t));
                if (val.oom) {
                    free(val.p);
                    return NC_ERR_NOMEM;
                }
                next = ne + (ne < end);
            }
        } else if (v < e && !is_blank_line(v, e)) {
            /* plain scalar: up to a " #" comment, trimmed */
            const char *ve = v;
            while (ve < e && !(*ve == '#' && (ve[-1] == ' ' || ve[-1] == '\t')))
                ve++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                ve--;
            nc__buf_put(&val, v, (size_t)(ve - v));
            if (val.oom) return NC_ERR_NOMEM;
        } else {
            /* empty: a block list may follow; its first item is the value */
            const char *ne = next < end ? line_end(next, end) : end;
            const char *t = next;
            while (t < ne && (*t == ' ' || *t == '\t'))
                t++;
            if (t + 1 < ne && *t == '-' && (t[1] == ' ' || t[1] == '\t')) {
                t += 2;
                while (t < ne && (*t == ' ' || *t == '\t'))
                    t++;
                int rc = 0;
                if (t < ne && (*t == '"' || *t == '\'')) {
                    rc = quoted(&t, ne, &val);
                } else {
                    const char *te = ne;
                    while (te > t && (te[-1] == ' ' || te[-1] == '\r'))
                        te--;
                    if (te > t) nc__buf_put(&val, t, (size_t)(te - t));
                    rc = val.oom ? -1 : 0;
                }
                if (rc < 0) {
                    free(val.p);
                    return NC_ERR_NOMEM;
                }
            }
        }
        if (key >= 0 && !s->val[key] && val.p) {
            s->val[key] = val.p;
        } else {
            free(val.p);
        }
        p = next;
    }
    return NC_OK;
}

/* ------------------------------------------------------------------ module */

static nc_status md_next(nc_reader *r, void *state, nc__item *it)
{
    md_state *s = state;
    if (s->done) return NC_DONE;
    s->done = 1;
    size_t len;
    nc_status st = nc__in_slurp_text(r, &s->buf, &len);
    if (st != NC_OK) return st;
    const char *p = s->buf, *end = s->buf + len;
    const char *body = NULL;
    const char *e = line_end(p, end);
    if (is_fence(p, e) && memcmp(p, "---", 3) == 0) {
        /* find the closing fence */
        const char *fm = e + (e < end), *q = fm;
        while (q < end) {
            const char *qe = line_end(q, end);
            if (is_fence(q, qe)) {
                if (front_matter(s, fm, q) != NC_OK)
                    return nc__reader_fail(r, NC_ERR_NOMEM, 0, "out of memory");
                body = qe + (qe < end);
                break;
            }
            q = qe + (qe < end);
        }
    }
    if (!body) {
        /* no front matter: a plain-text article */
        int64_t pub = NC_TIME_UNKNOWN;
        st = nc__text_article(s->buf, len, &s->title, &s->summary, &s->text, &pub);
        if (st != NC_OK) return nc__reader_fail(r, st, 0, "out of memory");
        it->id = nc__reader_base(r);
        it->title = s->title;
        it->summary = s->summary;
        it->text = s->text;
        it->published = pub;
        it->plain = 1;
        return NC_OK;
    }
    while (body < end && (*body == '\n' || *body == '\r'))
        body++;
    it->id = s->val[K_ID] ? s->val[K_ID] : nc__reader_base(r);
    it->title = s->val[K_TITLE];
    it->summary = s->val[K_SUMMARY] ? s->val[K_SUMMARY] : s->val[K_DESCRIPTION];
    it->text = body < end ? body : NULL;
    it->source = s->val[K_SOURCE];
    it->link = s->val[K_LINK] ? s->val[K_LINK] : s->val[K_URL];
    it->published = nc__parse_date(s->val[K_DATE] ? s->val[K_DATE] : s->val[K_PUBLISHED]);
    it->gnews_html[0] = it->text;
    it->gnews_html[1] = s->val[K_DESCRIPTION];
    it->gnews_html[2] = s->val[K_SUMMARY];
    if (!it->title && it->text) {
        /* a Markdown "# Heading" line as the title */
        const char *h = it->text;
        while (h < end) {
            const char *he = line_end(h, end);
            if (he - h > 2 && h[0] == '#' && h[1] == ' ') {
                char *t = malloc((size_t)(he - h));
                if (!t) return nc__reader_fail(r, NC_ERR_NOMEM, 0, "out of memory");
                memcpy(t, h + 2, (size_t)(he - h - 2));
                t[he - h - 2] = '\0';
                s->title = t;
                it->title = t;
                break;
            }
            h = he + (he < end);
        }
    }
    return NC_OK;
}

static void md_free(void *state)
{
    md_state *s = state;
    if (!s) return;
    for (int k = 0; k < K_N; k++)
        free(s->val[k]);
    free(s->buf);
    free(s->title);
    free(s->summary);
    free(s->text);
    free(s);
}

static const nc__module md_module = {md_next, md_free};

nc_status nc__markdown_open(nc_reader *r, const nc__module **mod, void **state)
{
    (void)r;
    md_state *s = calloc(1, sizeof *s);
    if (!s) return NC_ERR_NOMEM;
    *mod = &md_module;
    *state = s;
    return NC_OK;
}
