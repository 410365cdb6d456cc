/*
 * reader_text.c - plain-text articles (scraped pages, syndicated copy): one
 * document a file, id = the file's base name.
 *
 * The text is cut into lines, and boilerplate lines are dropped by general
 * rules, not by known strings:
 *  - a leading block of >= 3 short lines, mostly without sentence
 *    punctuation, before the first blank line (site navigation);
 *  - separator lines ("_____", "* * *");
 *  - short lines with subscription / sign-up / app / membership / copyright
 *    / comments / "published in" / related-links cues;
 *  - photo captions: a line repeated with a credit appended, credit lines;
 *  - repeated lines (after their first copy; short ones repeated apart, such
 *    as footer links, entirely);
 *  - very short lines (one or two words, no punctuation);
 *  - a trailing block of short lines after the last paragraph of prose.
 * The headline is the first remaining line shaped like one (title length,
 * no final full stop) that is followed by a blank or dropped line or starts
 * the file; the lead (summary) is the first paragraph of prose after it
 * (>= 100 bytes, with sentence punctuation); the body is every remaining
 * paragraph after the headline.  Bullet markers and Markdown heading marks
 * are removed, hard-wrapped lines are joined.  A date line near the top ("Published: 7 January
 * 2026") gives the date.  Input starting with '<' is HTML and is converted first.
 */
#include "reader_impl.h"

#include "buf.h"
#include "normalize.h"

#include <stdlib.h>
#include <string.h>

typedef struct tline {
    char *s;
    size_t len;
    int blank, bullet, keep;
    int words, punct_end;
} tline;

typedef struct text_state {
    int done;
    char *buf, *title, *summary, *text;
} text_state;

/* ------------------------------------------------------------------ line helpers */

static int ends_sentence(const char *s, size_t n)
{
    /* skip closing quotes and brackets: ASCII and ” ’ » */
    while (n) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            n--;
        } else if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
                   (c == 0x9D || c == 0x99)) {
            n -= 3;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && c == 0xBB) {
            n -= 2;
        } else {
            break;
        }
    }
    if (!n) return 0;
    char c = s[n - 1];
    if (c == '.' || c == '!' || c == '?') return 1;
    return n >= 3 && memcmp(s + n - 3, "\xE2\x80\xA6", 3) == 0; /* … */
}

static int count_words(const char *s)
{
    int w = 0, in = 0;
    for (; *s; s++) {
        int sp = *s == ' ' || *s == '\t';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

static int has_alnum(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
            return 1;
    }
    return 0;
}

static int word_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Case-insensitive search for @p phrase at word boundaries (a phrase not
   starting / ending with a letter needs no boundary there). */
static int has_phrase(const char *s, const char *phrase)
{
    size_t k = strlen(phrase);
    for (const char *p = s; *p; p++) {
        size_t i = 0;
        for (; i < k && p[i]; i++) {
            unsigned char a = (unsigned char)p[i], b = (unsigned char)phrase[i];
            if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
            if (a != b) break;
        }
        if (i < k) continue;
        if (word_char((unsigned char)phrase[0]) && p > s && word_char((unsigned char)p[-1]))
            continue;
        if (word_char((unsigned char)phrase[k - 1]) && word_char((unsigned char)p[k])) continue;
        return 1;
    }
    return 0;
}

/* Cues of boilerplate.  Strong ones mark any line shorter than 200 bytes;
   weak ones only short lines (no sentence punctuation, or <= 4 words). */
static const char *const strong_cues[] = {
    "sign up",          "sign in",
    "log in",           "subscribe",
    "subscribers",      "subscription",
    "newsletter",       "download the app",
    "get the app",      "app store",
    "google play",      "copyright",
    "\xC2\xA9",         "all rights reserved",
    "distributed by",   "published in",
    "filed under",      "privacy policy",
    "cookie policy",    "terms of use",
    "terms of service", "already a member",
    "free trial",
};
static const char *const weak_cues[] = {
    "comments",    "comment",    "related",      "read more", "read next",   "more stories",
    "top stories", "most read",  "most popular", "our picks", "recommended", "advertisement",
    "sponsored",   "share this", "share on",     "follow us", "membership",  "members",
    "app",         "days free",  "log out",      "menu",      "skip to",     "trending",
};
/* photo captions and credits */
static const char *const credit_cues[] = {
    "photograph:",   "photo:",  "photos:",      "photo by", "picture:", "image:",
    "illustration:", "credit:", "getty images", "(photo",   "video:",
};

static int any_phrase(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (has_phrase(s, list[i])) return 1;
    return 0;
}

static int is_boilerplate(const tline *l)
{
    if (l->len < 200 && any_phrase(l->s, strong_cues, sizeof strong_cues / sizeof *strong_cues))
        return 1;
    if (l->len < 120 && (!l->punct_end || l->words <= 4) &&
        any_phrase(l->s, weak_cues, sizeof weak_cues / sizeof *weak_cues))
        return 1;
    if (l->len < 300 && any_phrase(l->s, credit_cues, sizeof credit_cues / sizeof *credit_cues))
        return 1;
    return 0;
}

/* A date line near the top: "7 January 2026", "Published: 2026-01-07 10:00". */
static int64_t date_line(const char *s, size_t len)
{
    if (len < 8 || len > 80) return NC_TIME_UNKNOWN;
    static const char *const lead[] = {"published", "updated", "posted", "date", "on", ":", "-"};
    const char *p = s;
    for (int again = 1; again;) {
        again = 0;
        while (*p == ' ')
            p++;
        for (size_t i = 0; i < sizeof lead / sizeof *lead && !again; i++) {
            size_t k = strlen(lead[i]), j = 0;
            while (j < k && p[j] && (p[j] >= 'A' && p[j] <= 'Z' ? p[j] + 32 : p[j]) == lead[i][j])
                j++;
            if (j < k || (word_char((unsigned char)lead[i][0]) && word_char((unsigned char)p[k])))
                continue;
            p += k;
            again = 1;
        }
    }
    int digits = 0;
    for (const char *q = p; *q; q++)
        digits += *q >= '0' && *q <= '9';
    if (digits < 4) return NC_TIME_UNKNOWN;
    int64_t t = nc__parse_date(p);
    /* 1990-01-01 .. 2100-01-01: not a bare number read as seconds */
    if (t == NC_TIME_UNKNOWN || t < 631152000 || t > 4102444800) return NC_TIME_UNKNOWN;
    return t;
}

/* Remove a leading bullet marker ("• ", "· ", "* ", "- ", "– "). */
static int strip_bullet(tline *l)
{
    static const char *const marks[] = {
        "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x96\xAA", "\xE2\x97\x8F", "\xE2\x80\x93", "*", "-"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        size_t k = strlen(marks[i]);
        if (l->len > k + 1 && strncmp(l->s, marks[i], k) == 0 &&
            (l->s[k] == ' ' || l->s[k] == '\t' || k > 1)) { /* a symbol needs no space */
            char *p = l->s + k;
            while (*p == ' ' || *p == '\t')
                p++;
            l->len -= (size_t)(p - l->s);
            l->s = p;
            return 1;
        }
    }
    return 0;
}

static void trim(tline *l)
{
    char *p = l->s, *e = l->s + l->len;
    /* spaces, tabs, carriage returns and no-break spaces */
    for (;;) {
        if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f'))
            p++;
        else if (e - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p += 2;
        else
            break;
    }
    for (;;) {
        if (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\f'))
            e--;
        else if (e - p >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
            e -= 2;
        else
            break;
    }
    *e = '\0';
    l->s = p;
    l->len = (size_t)(e - p);
}

/* ------------------------------------------------------------------ output */

static int starts_lower(const char *s)
{
    return *s >= 'a' && *s <= 'z';
}

/* ------------------------------------------------------------------ the article */

nc_status nc__text_article(char *buf, size_t len, char **title, char **summary, char **text,
                           int64_t *published)
{
    *title = *summary = *text = NULL;
    *published = NC_TIME_UNKNOWN;
    char *html = NULL;
    size_t i0 = 0;
    while (i0 < len && (buf[i0] == ' ' || buf[i0] == '\n' || buf[i0] == '\r' || buf[i0] == '\t'))
        i0++;
    if (i0 < len && buf[i0] == '<') { /* an HTML page: its text */
        if (nc__html_to_text(buf, len, &html) != NC_OK) return NC_ERR_NOMEM;
        buf = html;
        len = strlen(html);
    }

    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    tline *L = calloc(n, sizeof *L);
    if (!L) {
        free(html);
        return NC_ERR_NOMEM;
    }
    n = 0;
    for (char *p = buf, *end = buf + len; p <= end;) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        *e = '\0';
        tline *l = &L[n++];
        l->s = p;
        l->len = (size_t)(e - p);
        trim(l);
        l->bullet = strip_bullet(l);
        if (!l->bullet && l->s[0] == '#') { /* a Markdown heading: "## Title" */
            size_t h = 0;
            while (h < l->len && h < 6 && l->s[h] == '#')
                h++;
            if (h < l->len && l->s[h] == ' ') {
                l->s += h + 1;
                l->len -= h + 1;
            }
        }
        l->blank = l->len == 0;
        l->keep = !l->blank;
        l->words = count_words(l->s);
        l->punct_end = ends_sentence(l->s, l->len);
        p = e + 1;
        if (e == end) break;
    }

    size_t first = 0;
    while (first < n && L[first].blank)
        first++;
    /* first paragraph of prose: the header area ends there */
    size_t prose = n;
    for (size_t i = first; i < n; i++)
        if (L[i].len >= 200 && L[i].punct_end) {
            prose = i;
            break;
        }

    /* navigation: a leading block of >= 3 short lines, mostly unpunctuated */
    {
        size_t e = first, unp = 0;
        int all_short = 1;
        while (e < n && !L[e].blank) {
            if (L[e].len >= 80) all_short = 0;
            if (!L[e].punct_end) unp++;
            e++;
        }
        if (e - first >= 3 && all_short && unp * 2 >= e - first)
            for (size_t i = first; i < e; i++)
                L[i].keep = 0;
    }
    for (size_t i = first; i < n; i++) {
        tline *l = &L[i];
        if (!l->keep) continue;
        if (!has_alnum(l->s) && l->len >= 3)
            l->keep = 0; /* separator */
        else if (i < prose && *published == NC_TIME_UNKNOWN &&
                 (*published = date_line(l->s, l->len)) != NC_TIME_UNKNOWN)
            l->keep = 0;
        else if (is_boilerplate(l))
            l->keep = 0;
        else if (l->words < 3 && l->len < 30 && !l->punct_end)
            l->keep = 0; /* very short */
    }
    /* captions: a line followed (within 3 lines) by itself plus a credit */
    for (size_t i = first; i < n; i++) {
        if (L[i].len < 30 || L[i].blank) continue;
        for (size_t j = i + 1; j < n && j <= i + 3; j++)
            if (L[j].len > L[i].len && strncmp(L[j].s, L[i].s, L[i].len) == 0) {
                L[i].keep = L[j].keep = 0;
                break;
            }
    }
    /* repeated lines: kept once; but a short line repeated apart from its
       first copy (a footer link, "Sign in") is boilerplate altogether */
    if (n <= 5000) {
        for (size_t i = first; i < n; i++) {
            if (L[i].blank) continue;
            size_t prev = i; /* the last non-blank line seen */
            for (size_t j = i + 1; j < n; j++) {
                if (L[j].blank) continue;
                int adjacent = prev == i;
                prev = j;
                if (L[j].len != L[i].len || strcmp(L[i].s, L[j].s) != 0) continue;
                L[j].keep = 0;
                if (L[i].len < 60 && !adjacent) L[i].keep = 0;
            }
        }
    }
    /* a trailing block of short lines after the last paragraph of prose */
    {
        size_t last = n;
        for (size_t i = n; i-- > first;)
            if (L[i].keep && L[i].len >= 100) {
                last = i;
                break;
            }
        if (last < n) {
            size_t cnt = 0, only = n;
            for (size_t i = last + 1; i < n; i++)
                if (L[i].keep) {
                    cnt++;
                    only = i;
                }
            if (cnt >= 2 || (cnt == 1 && !L[only].punct_end))
                for (size_t i = last + 1; i < n; i++)
                    L[i].keep = 0;
        }
    }

    /* headline: title-shaped, then a blank or dropped line (or the file's start) */
    size_t head = n;
    for (size_t i = first; i < n && i <= prose; i++) {
        tline *l = &L[i];
        if (!l->keep || l->bullet || l->len < 15 || l->len > 250 || l->words < 3) continue;
        char last = l->s[l->len - 1];
        if (last == '.' || last == ',' || last == ';' || last == ':') continue;
        if (i == first || i + 1 >= n || L[i + 1].blank || !L[i + 1].keep) {
            head = i;
            break;
        }
    }
    if (head == n) /* no clear headline: the first short remaining line */
        for (size_t i = first; i < n && i <= prose; i++)
            if (L[i].keep && L[i].len <= 250 && L[i].words >= 3) {
                head = i;
                break;
            }

    nc_buf body = {0}, lead = {0};
    int lead_done = 0, err = 0;
    size_t start = head < n ? head + 1 : first;
    for (size_t i = start; i < n && !err; i++) {
        if (!L[i].keep) continue;
        /* a paragraph: this line and hard-wrapped continuation lines */
        nc_buf para = {0};
        nc__buf_put(&para, L[i].s, L[i].len);
        while (!para.oom && i + 1 < n && L[i + 1].keep && !L[i].punct_end &&
               starts_lower(L[i + 1].s) && L[i].len >= 40) {
            i++;
            nc__buf_putc(&para, ' ');
            nc__buf_put(&para, L[i].s, L[i].len);
        }
        err = para.oom;
        if (!err && para.p) {
            if (body.len) nc__buf_putc(&body, '\n');
            nc__buf_put(&body, para.p, para.len);
            if (!lead_done && para.len >= 100 && ends_sentence(para.p, para.len)) {
                nc__buf_put(&lead, para.p, para.len);
                lead_done = 1;
            }
            err = body.oom || lead.oom;
        }
        free(para.p);
    }
    if (!err && !lead_done && body.p) { /* no long paragraph: the first one */
        size_t k = strcspn(body.p, "\n");
        nc__buf_put(&lead, body.p, k);
        err = lead.oom;
    }
    if (!err && head < n) {
        *title = malloc(L[head].len + 1);
        if (*title)
            memcpy(*title, L[head].s, L[head].len + 1);
        else
            err = 1;
    }
    free(L);
    free(html);
    if (err) {
        free(body.p);
        free(lead.p);
        free(*title);
        *title = NULL;
        return NC_ERR_NOMEM;
    }
    *summary = lead.p;
    *text = body.p;
    return NC_OK;
}

/* ------------------------------------------------------------------ module */

static nc_status text_next(nc_reader *r, void *state, nc__item *it)
{
    text_state *s = state;
    if (s->done) return NC_DONE;
    s->done = 1;
    size_t len;
    nc_status st = nc__in_slurp_text(r, &s->buf, &len);
    if (st != NC_OK) return st;
    int64_t pub;
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

static void text_free(void *state)
{
    text_state *s = state;
    if (!s) return;
    free(s->buf);
    free(s->title);
    free(s->summary);
    free(s->text);
    free(s);
}

static const nc__module text_module = {text_next, text_free};

nc_status nc__text_open(nc_reader *r, const nc__module **mod, void **state)
{
    (void)r;
    text_state *s = calloc(1, sizeof *s);
    if (!s) return NC_ERR_NOMEM;
    *mod = &text_module;
    *state = s;
    return NC_OK;
}
