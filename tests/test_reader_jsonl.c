/*
 * test_reader_jsonl.c - JSON Lines reading: field names and aliases (and
 * which wins), ids (string, number, missing -> "<file>:<line>"), dates
 * (ISO 8601, RFC 822, Unix seconds and milliseconds), unknown fields, blank
 * lines, CRLF, a last line without newline, HTML / entity cleanup with the
 * plain fast path leaving strings alone, outlet suffixes and URL sources,
 * a related-coverage list in a summary; and nc_doc_write_jsonl() (exact
 * bytes, key order, nulls, escaping, write errors); pieces of an input read
 * by readers of their own (nc_reader_open_jsonl_piece) against one reader.
 */
#include "nc_test.h"
#include "reader_test_util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static const char lines[] =
    "{\"id\":\"a1\",\"title\":\"T\",\"headline\":\"H\",\"summary\":\"S\",\"description\":\"D\","
    "\"text\":\"X\",\"body\":\"B\",\"source\":\"Src\",\"publisher\":\"P\",\"link\":\"http://l/1\","
    "\"url\":\"http://u/1\",\"published\":\"2014-03-10T00:01:36Z\",\"date\":\"2000-01-01\"}\n"
    "{\"headline\":\"Only headline\",\"description\":\"Desc\",\"content\":\"Cont\","
    "\"outlet\":\"Out\",\"url\":\"http://u/2\",\"pubDate\":\"Wed, 31 Jan 2018 20:15:15 GMT\","
    "\"extra\":{\"nested\":[1,2,3]},\"id\":42}\n"
    "\n"
    "   \t \n"
    "{\"title\":\"No id\",\"published\":1394409696,\"id\":null}\r\n"
    "{\"title\":\"Millis\",\"published\":1394409696000,\"id\":1.5}\n"
    "{\"Title\":\"Case\",\"source\":{\"name\":\"Reuters\"},\"date\":\"garbage date\"}\n"
    "{\"title\":\"Last line\"}";

static void test_fields(void)
{
    tres t;
    t_read_mem(lines, sizeof lines - 1, "mem.jsonl", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK && t.format == NC_FORMAT_JSONL);
    CHECK(t.n == 6 && t.nerr == 0 && t.skipped == 0 && t.ended);
    if (t.n != 6) {
        t_free(&t);
        return;
    }
    const tdoc *d = &t.docs[0];
    CHECK_STR(d->id, "a1");
    CHECK_STR(d->title, "T");
    CHECK_STR(d->summary, "S");
    CHECK_STR(d->text, "X");
    CHECK_STR(d->source, "Src");
    CHECK_STR(d->link, "http://l/1");
    CHECK(d->published == 1394409696);
    d = &t.docs[1];
    CHECK_STR(d->id, "42");
    CHECK_STR(d->title, "Only headline");
    CHECK_STR(d->summary, "Desc");
    CHECK_STR(d->text, "Cont");
    CHECK_STR(d->source, "Out");
    CHECK_STR(d->link, "http://u/2");
    CHECK(d->published == 1517429715);
    CHECK_STR(t.docs[2].id, "mem.jsonl:5"); /* line numbers count blank lines */
    CHECK(t.docs[2].published == 1394409696);
    CHECK_STR(t.docs[3].id, "1.5");
    CHECK(t.docs[3].published == 1394409696); /* milliseconds */
    CHECK_STR(t.docs[4].title, "Case");
    CHECK_STR(t.docs[4].source, "Reuters");
    CHECK(t.docs[4].published == NC_TIME_UNKNOWN);
    CHECK_STR(t.docs[5].title, "Last line");
    CHECK_STR(t.docs[5].id, "mem.jsonl:8");
    t_free(&t);
}

static void test_cleanup(void)
{
    static const char in[] =
        "{\"title\":\"Tom &amp; Jerry "
        "<b>live</b>\",\"summary\":\"<p>One&nbsp;two</p><p>Three</p>\","
        "\"text\":\"<p>Para one.</p><p>Para &lt; two &amp; "
        "three.</p>\",\"link\":\"http://x/?a=1&amp;b=2\","
        "\"source\":\"  Spaced   Out  \"}\n"
        "{\"title\":\"Plain title, left alone: 100% & more\",\"source\":\"AT&T News\"}\n"
        "{\"title\":\"Stocks fall on rate fears - Reuters\"}\n"
        "{\"title\":\"Feed item - The Guardian\",\"source\":\"https://news.google.com/topics/x\"}\n"
        "{\"title\":\"Multi\\nline\\ttitle\",\"summary\":\"Line one\\nLine two\"}\n";
    tres t;
    t_read_mem(in, sizeof in - 1, "c.jsonl", NC_FORMAT_JSONL, &t);
    CHECK(t.n == 5 && t.nerr == 0);
    if (t.n == 5) {
        CHECK_STR(t.docs[0].title, "Tom & Jerry live");
        CHECK(t.docs[0].summary && strstr(t.docs[0].summary, "One two") &&
              strstr(t.docs[0].summary, "Three"));
        CHECK(t.docs[0].text && strstr(t.docs[0].text, "Para < two & three."));
        CHECK_STR(t.docs[0].link, "http://x/?a=1&b=2");
        CHECK_STR(t.docs[0].source, "Spaced Out");
        CHECK_STR(t.docs[1].title, "Plain title, left alone: 100% & more");
        CHECK_STR(t.docs[1].source, "AT&T News");
        CHECK_STR(t.docs[2].title, "Stocks fall on rate fears");
        CHECK_STR(t.docs[2].source, "Reuters");
        CHECK_STR(t.docs[3].title, "Feed item");
        CHECK_STR(t.docs[3].source, "The Guardian"); /* a URL source is not an outlet */
        CHECK_STR(t.docs[4].title, "Multi line title");
        for (size_t i = 0; i < t.n; i++)
            CHECK(!t_doc_has_markup(&t.docs[i]));
    }
    t_free(&t);
}

static void test_gnews_in_jsonl(void)
{
    static const char in[] =
        "{\"id\":\"g\",\"title\":\"Alpha beta gamma - Outlet One\",\"link\":\"https://n/1\","
        "\"published\":\"2026-01-07\",\"summary\":\"<ol><li><a href=\\\"https://n/1\\\">Alpha "
        "beta gamma</a>&nbsp;&nbsp;<font color=\\\"#6f6f6f\\\">Outlet One</font></li><li><a "
        "href=\\\"https://n/2\\\">Delta epsilon</a>&nbsp;&nbsp;<font color=\\\"#6f6f6f\\\">Outlet "
        "Two</font></li></ol>\"}\n";
    tres t;
    t_read_mem(in, sizeof in - 1, "g.jsonl", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 2);
    if (t.n == 2) {
        CHECK_STR(t.docs[0].id, "g");
        CHECK(t.docs[0].summary == NULL);
        CHECK_STR(t.docs[1].id, "g#2");
        CHECK_STR(t.docs[1].source, "Outlet Two");
        CHECK_STR(t.docs[1].parent, "g");
        CHECK(t.docs[1].published == t.docs[0].published && t.docs[0].published != NC_TIME_UNKNOWN);
    }
    t_free(&t);
}

static void test_detect(void)
{
    static const char in[] = "\xEF\xBB\xBF  \n  {\"title\":\"after a BOM and blank line\"}\n";
    tres t;
    t_read_mem(in, sizeof in - 1, NULL, NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_JSONL && t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].id, "<memory>:2");
    t_free(&t);
}

/* Read what was written to a temporary file back as one string. */
static char *slurp(FILE *f)
{
    long n = ftell(f);
    if (n < 0) return NULL;
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    return s;
}

static void test_write(void)
{
    FILE *f = tmpfile();
    if (!f) {
        CHECK(0);
        return;
    }
    nc_doc d = {"id-1", "Say \"hi\"\\ now", NULL, "body is not written",
                "Src",  "http://l/",        NULL, 1517429715};
    CHECK(nc_doc_write_jsonl(&d, f) == NC_OK);
    nc_doc e = {"id-1#2", "Tab\there\x01", "S", NULL, NULL, NULL, "id-1", NC_TIME_UNKNOWN};
    CHECK(nc_doc_write_jsonl(&e, f) == NC_OK);
    char *s = slurp(f);
    fclose(f);
    CHECK_STR(s, "{\"id\":\"id-1\",\"title\":\"Say \\\"hi\\\"\\\\ now\",\"summary\":null,"
                 "\"source\":\"Src\",\"link\":\"http://l/\",\"published\":\"2018-01-31T20:15:15Z\","
                 "\"parent\":null}\n"
                 "{\"id\":\"id-1#2\",\"title\":\"Tab\\there\\u0001\",\"summary\":\"S\","
                 "\"source\":null,\"link\":null,\"published\":null,\"parent\":\"id-1\"}\n");
    /* each line is valid JSON */
    if (s) {
        char *nl = strchr(s, '\n');
        cJSON *j = cJSON_ParseWithLength(s, (size_t)(nl - s));
        CHECK(j && cJSON_IsObject(j) && !cJSON_GetObjectItem(j, "text"));
        cJSON_Delete(j);
    }
    free(s);

    CHECK(nc_doc_write_jsonl(NULL, stdout) == NC_ERR_INVALID_ARG);
    CHECK(nc_doc_write_jsonl(&d, NULL) == NC_ERR_INVALID_ARG);
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        /* the error shows at the latest when the buffer is flushed */
        nc_status st = NC_OK;
        for (int i = 0; i < 1000 && st == NC_OK; i++)
            st = nc_doc_write_jsonl(&d, full);
        CHECK(st == NC_ERR_IO);
        fclose(full);
    }
}

/* The documents read back from nc_doc_write_jsonl output are the same. */
static void test_roundtrip(void)
{
    tres t;
    t_read_file("feeds/guardian.rss", NC_FORMAT_AUTO, &t);
    FILE *f = tmpfile();
    if (!f || t.n == 0) {
        CHECK(0);
        t_free(&t);
        if (f) fclose(f);
        return;
    }
    for (size_t i = 0; i < t.n; i++) {
        const tdoc *c = &t.docs[i];
        nc_doc d = {c->id,     c->title, c->summary, c->text,
                    c->source, c->link,  c->parent,  c->published};
        CHECK(nc_doc_write_jsonl(&d, f) == NC_OK);
    }
    char *s = slurp(f);
    fclose(f);
    tres u;
    t_read_mem(s, s ? strlen(s) : 0, "rt.jsonl", NC_FORMAT_AUTO, &u);
    CHECK(u.n == t.n && u.nerr == 0);
    size_t same = 0;
    for (size_t i = 0; i < u.n && i < t.n; i++) {
        const tdoc *a = &t.docs[i], *b = &u.docs[i];
        same += strcmp(a->id, b->id) == 0 && strcmp(a->title, b->title) == 0 &&
                strcmp(a->summary, b->summary) == 0 && strcmp(a->link, b->link) == 0 &&
                strcmp(a->source, b->source) == 0 && a->published == b->published;
    }
    CHECK(same == t.n);
    free(s);
    t_free(&t);
    t_free(&u);
}

/* The field scan tests 8 bytes at a time: each thing that needs cleaning is
 * found wherever it falls in or across those words (offsets 1-19, a tail
 * of 1-9 bytes), and edge spaces on fields of any length. */
static void test_scan_offsets(void)
{
    static const struct {
        const char *in, *out; /* in JSON string syntax; expected bytes */
    } cases[] = {
        {"  ", " "},       {"\\u0001", ""},
        {"&amp;", "&"},    {"&#39;", "'"},
        {"\\u00a0", " "},  {"\\t", " "},
        {"\\n", " "},      {"<b>x</b>", "x"},
        {"\\u007f", ""},   {"\xff", "\xef\xbf\xbd"},
        {" \\u00a0", " "}, {"\\u00e9", "\xc3\xa9"},
    };
    char line[256], want[128];
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int k = 1; k < 20; k++)
            for (int tail = 1; tail < 10; tail++) {
                int n = snprintf(line, sizeof line, "{\"id\":\"x\",\"title\":\"%.*s%s%.*s\"}\n", k,
                                 "aaaaaaaaaaaaaaaaaaaa", cases[c].in, tail, "bbbbbbbbbb");
                snprintf(want, sizeof want, "%.*s%s%.*s", k, "aaaaaaaaaaaaaaaaaaaa", cases[c].out,
                         tail, "bbbbbbbbbb");
                tres t;
                t_read_mem(line, (size_t)n, "scan.jsonl", NC_FORMAT_JSONL, &t);
                CHECK(t.n == 1);
                if (t.n == 1) CHECK_STR(t.docs[0].title, want);
                t_free(&t);
            }
    for (int k = 1; k < 20; k++) { /* a space first or last, the field k bytes long */
        const char *forms[] = {"{\"id\":\"x\",\"title\":\" %.*s\"}\n",
                               "{\"id\":\"x\",\"title\":\"%.*s \"}\n"};
        for (int f = 0; f < 2; f++) {
            int n = snprintf(line, sizeof line, forms[f], k, "aaaaaaaaaaaaaaaaaaaa");
            snprintf(want, sizeof want, "%.*s", k, "aaaaaaaaaaaaaaaaaaaa");
            tres t;
            t_read_mem(line, (size_t)n, "scan.jsonl", NC_FORMAT_JSONL, &t);
            CHECK(t.n == 1);
            if (t.n == 1) CHECK_STR(t.docs[0].title, want);
            t_free(&t);
        }
    }
}

/* Both strings NULL or equal. */
static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* nc_reader_open_jsonl_piece: an input cut after every g lines (g = 1 to
 * all), each piece read by a reader of its own numbered from its first
 * line, gives the documents, messages and skipped counts of one reader of
 * the whole input. */
static void test_pieces(void)
{
    static const char in[] = "\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"BOM first\"}\n"
                             "\n"
                             "{\"title\":\"no id\"}\r\n"
                             "{\"id\":\"x\",\"title\":\n"
                             "not json\n"
                             "{\"title\":\"nul\0here\"}\n"
                             "{\"id\":\"b\",\"title\":\"T - Reuters\",\"published\":1394409696}\n"
                             "   \n"
                             "{\"title\":\"again no id\"}\n"
                             "{\"title\":\"last, no newline\"}";
    const size_t len = sizeof in - 1;
    tres whole;
    t_read_mem(in, len, "dir/in.jsonl", NC_FORMAT_JSONL, &whole);
    CHECK(whole.n == 5 && whole.nerr == 3 && whole.skipped == 3);
    size_t starts[32], nlines = 0; /* where each line starts */
    for (size_t i = 0; i < len; i++)
        if (i == 0 || in[i - 1] == '\n') starts[nlines++] = i;
    starts[nlines] = len;
    for (size_t g = 1; g <= nlines; g++) {
        size_t n = 0, nerr = 0, skipped = 0, bad = 0;
        for (size_t l = 0; l < nlines; l += g) {
            size_t end = l + g < nlines ? l + g : nlines;
            nc_reader *r = NULL;
            tres t;
            memset(&t, 0, sizeof t);
            CHECK(nc_reader_open_jsonl_piece(in + starts[l], starts[end] - starts[l],
                                             "dir/in.jsonl", (long)l + 1, &r) == NC_OK);
            if (!r) continue;
            CHECK(nc_reader_format(r) == NC_FORMAT_JSONL);
            t_collect(r, &t);
            for (size_t i = 0; i < t.n; i++, n++) {
                if (n >= whole.n) {
                    bad++;
                    continue;
                }
                const tdoc *x = &t.docs[i], *y = &whole.docs[n];
                bad += !same_str(x->id, y->id) || !same_str(x->title, y->title) ||
                       !same_str(x->summary, y->summary) || !same_str(x->source, y->source) ||
                       x->published != y->published;
            }
            for (size_t e = 0; e < t.nerr; e++, nerr++)
                bad += nerr >= whole.nerr || !same_str(t.errs[e], whole.errs[nerr]) ||
                       t.codes[e] != whole.codes[nerr];
            skipped += t.skipped;
            t_free(&t);
        }
        CHECK(n == whole.n && nerr == whole.nerr && skipped == whole.skipped && bad == 0);
    }
    CHECK_STR(whole.docs[1].id, "in.jsonl:3"); /* the made-up ids, from the base name */
    CHECK_STR(whole.docs[3].id, "in.jsonl:9");
    CHECK_STR(whole.docs[4].id, "in.jsonl:10");

    /* a byte order mark: what one reader does with it at line 1 and further
     * down (cJSON skips one at the start of a line too) */
    static const char bom[] = "\xEF\xBB\xBF{\"id\":\"z\"}\n";
    static const char two[] = "{\"id\":\"y\"}\n\xEF\xBB\xBF{\"id\":\"z\"}\n";
    tres t, w;
    t_read_mem(two, sizeof two - 1, "p", NC_FORMAT_JSONL, &w);
    nc_reader *r = NULL;
    for (long line = 1; line <= 2; line++) {
        memset(&t, 0, sizeof t);
        CHECK(nc_reader_open_jsonl_piece(bom, sizeof bom - 1, "p", line, &r) == NC_OK);
        if (r) t_collect(r, &t);
        CHECK(t.n == 1 && t.nerr == 0 && w.n == 2 && w.nerr == 0);
        if (t.n == 1 && w.n == 2) CHECK_STR(t.docs[0].id, w.docs[1].id);
        t_free(&t);
    }
    t_free(&w);
    /* an empty piece, and the arguments refused */
    CHECK(nc_reader_open_jsonl_piece(NULL, 0, "p", 1, &r) == NC_OK && r);
    nc_doc d;
    CHECK(r && nc_reader_next(r, &d) == NC_DONE);
    nc_reader_free(r);
    CHECK(nc_reader_open_jsonl_piece(bom, 3, "p", 0, &r) == NC_ERR_INVALID_ARG && !r);
    CHECK(nc_reader_open_jsonl_piece(NULL, 3, "p", 1, &r) == NC_ERR_INVALID_ARG && !r);
    CHECK(nc_reader_open_jsonl_piece(bom, 3, "p", 1, NULL) == NC_ERR_INVALID_ARG);
    t_free(&whole);
}

int main(void)
{
    test_fields();
    test_cleanup();
    test_scan_offsets();
    test_pieces();
    test_gnews_in_jsonl();
    test_detect();
    test_write();
    test_roundtrip();
    return nc_test_report("test_reader_jsonl");
}
