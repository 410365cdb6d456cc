/*
 * test_reader_bad.c - damaged and hostile input.  Each case must give a
 * clear message ("FILE:LINE: ..." or "FILE: ..."), count what was skipped,
 * keep the good items, end with NC_DONE, and not crash, leak or trip the
 * sanitizers:
 *  - truncated XML, cut at thousands of places (items closed before the cut
 *    are returned, then one error, then NC_DONE);
 *  - an entity bomb (billion laughs) in text and in an attribute;
 *  - external entities, an external DTD and an external parameter entity
 *    pointing at a local file (never read);
 *  - invalid JSON lines among good ones (syntax, not an object, trailing
 *    data, NUL byte, nesting too deep);
 *  - invalid UTF-8 in JSONL and XML;
 *  - empty and blank input, in every format;
 *  - binary input (NUL bytes, control characters, gzip, UTF-16 text);
 *  - a 50 MB single JSON line (read) and a line over the 64 MiB limit
 *    (skipped with NC_ERR_LIMIT, the lines around it read);
 *  - bad arguments, missing files, directories.
 */
#define _POSIX_C_SOURCE 200809L

#include "nc_test.h"
#include "normalize.h"
#include "reader_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int starts(const char *s, const char *pre)
{
    return s && strncmp(s, pre, strlen(pre)) == 0;
}

static size_t count_sub(const char *s, size_t n, const char *sub)
{
    size_t k = strlen(sub), c = 0;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, sub, k) == 0) c++;
    return c;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

static void test_truncated_xml(void)
{
    size_t len;
    char *feed = read_all("feeds/guardian.rss", &len);
    CHECK(feed && len > 100000);
    if (!feed) return;

    /* one cut in the middle of an item's description, looked at closely */
    size_t cut = (size_t)(strstr(feed + 60000, "<description>") - feed) + 200;
    tres t;
    t_read_mem(feed, cut, "trunc.rss", NC_FORMAT_AUTO, &t);
    size_t closed = count_sub(feed, cut, "</item>");
    CHECK(t.n == closed && closed > 10);
    CHECK(t.nerr == 1 && t.skipped == 1 && t.ended);
    CHECK(t.nerr && t.docs_before[0] == t.n); /* the error comes after the items */
    CHECK(t.nerr && t.codes[0] == NC_ERR_PARSE);
    CHECK(t.nerr && starts(t.errs[0], "trunc.rss:") && strstr(t.errs[0], "truncated"));
    t_free(&t);

    /* cut everywhere, and just after each end tag: exactly the items closed
       before the cut, then one error */
    size_t bad = 0, cuts = 0;
    for (size_t c = 50; c < len; c += 331) {
        size_t at = c;
        const char *e = strstr(feed + c, "</item>");
        for (int v = 0; v < 3; v++) {
            if (v == 1 && e) at = (size_t)(e - feed) + 7; /* "</item>|" */
            if (v == 2 && e) at = (size_t)(e - feed) + 8; /* "</item>\n|" */
            if (v > 0 && (!e || at >= len)) break;
            t_read_mem(feed, at, "t.rss", NC_FORMAT_AUTO, &t);
            size_t k = count_sub(feed, at, "</item>");
            cuts++;
            if (t.n != k || t.nerr != 1 || !t.ended || t.skipped != 1) {
                if (bad++ < 3) fprintf(stderr, "cut at %zu: %zu items, %zu closed\n", at, t.n, k);
            }
            t_free(&t);
        }
    }
    CHECK(bad == 0);
    CHECK(cuts > 1000);
    free(feed);
}

static const char bomb_head[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n";

static int any_field_has(const tres *t, const char *needle)
{
    for (size_t i = 0; i < t->n; i++) {
        const tdoc *d = &t->docs[i];
        const char *f[] = {d->id, d->title, d->summary, d->text, d->source, d->link};
        for (size_t k = 0; k < 6; k++)
            if (f[k] && strstr(f[k], needle)) return 1;
    }
    return 0;
}

static void test_entity_bomb(void)
{
    char buf[4096];
    tres t;
    snprintf(buf, sizeof buf,
             "%s<rss version=\"2.0\"><channel><title>Bomb</title>\n"
             "<item><title>Before</title><link>http://x/1</link></item>\n"
             "<item><title>A &lol9; B</title><link>http://x/2</link></item>\n"
             "<item><title>After</title><link>http://x/3</link></item>\n</channel></rss>\n",
             bomb_head);
    t_read_mem(buf, strlen(buf), "bomb.rss", NC_FORMAT_AUTO, &t);
    CHECK(!any_field_has(&t, "lollol"));
    CHECK(t.n >= 1 && t.n <= 2);
    if (t.n) CHECK_STR(t.docs[0].title, "Before");
    CHECK(t.nerr == 1 && t.ended);
    CHECK(t.nerr && starts(t.errs[0], "bomb.rss:16: ") && strstr(t.errs[0], "entity"));
    t_free(&t);

    /* the same in an attribute (an Atom link) */
    snprintf(buf, sizeof buf,
             "%s<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>B</title>\n"
             "<entry><title>Good</title><link href=\"http://x/1\"/><id>1</id></entry>\n"
             "<entry><title>Bad</title><link href=\"http://x/&lol9;\"/><id>2</id></entry>\n"
             "</feed>\n",
             bomb_head);
    t_read_mem(buf, strlen(buf), "bomb.atom", NC_FORMAT_AUTO, &t);
    CHECK(!any_field_has(&t, "lollol"));
    CHECK(t.n >= 1 && t.nerr <= 1 && t.ended);
    if (t.n) CHECK_STR(t.docs[0].title, "Good");
    t_free(&t);
}

static void test_external_entities(void)
{
    char secret[] = "/tmp/nc_xxe_XXXXXX";
    int fd = mkstemp(secret);
    CHECK(fd >= 0);
    if (fd < 0) return;
    static const char payload[] = "TOP-SECRET-PAYLOAD";
    CHECK(write(fd, payload, sizeof payload - 1) == (ssize_t)(sizeof payload - 1));
    close(fd);
    char buf[2048];
    tres t;

    /* a general external entity in text, and /etc/passwd */
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM \"file://%s\">\n"
             "<!ENTITY p SYSTEM \"file:///etc/passwd\">\n]>\n"
             "<rss><channel><title>XXE</title>\n"
             "<item><title>A &x; B</title><link>http://x/1</link>"
             "<description>d &p; e</description></item>\n"
             "<item><title>After</title><link>http://x/2</link></item>\n</channel></rss>\n",
             secret);
    t_read_mem(buf, strlen(buf), "xxe.rss", NC_FORMAT_AUTO, &t);
    CHECK(!any_field_has(&t, payload) && !any_field_has(&t, "root:"));
    CHECK(t.n == 2);
    if (t.n) CHECK_STR(t.docs[0].title, "A B");
    t_free(&t);

    /* an external DTD and an external parameter entity */
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"file://%s\" [\n"
             "<!ENTITY %% pe SYSTEM \"file://%s\">\n%%pe;\n]>\n"
             "<rss><channel><item><title>Only</title><link>http://x/1</link></item>"
             "</channel></rss>\n",
             secret, secret);
    t_read_mem(buf, strlen(buf), "xxe2.rss", NC_FORMAT_AUTO, &t);
    CHECK(!any_field_has(&t, payload));
    CHECK(t.n <= 1 && t.ended);
    t_free(&t);
    remove(secret);
}

static void test_bad_json(void)
{
    char deep[3000];
    size_t k = 0;
    k += (size_t)snprintf(deep, sizeof deep, "{\"title\":\"deep\",\"x\":");
    for (int i = 0; i < 1200; i++)
        deep[k++] = '[';
    deep[k] = '\0';
    char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"id\":\"g1\",\"title\":\"Good one\"}\n"
             "{\"id\":\"b1\",\"title\":\"missing quote}\n"
             "{\"id\":\"g2\",\"title\":\"Good two\"}\n"
             "[1,2,3]\n"
             "\"just a string\"\n"
             "{\"id\":\"b4\"} {\"id\":\"b5\"}\n"
             "%s\n"
             "{\"id\":\"g3\",\"title\":\"Good three\"}\n"
             "{\"id\":\"b6\",\"title\":\"NUL here",
             deep);
    size_t n = strlen(buf);
    memcpy(buf + n, "\0x\"}\n{\"id\":\"g4\",\"title\":\"Good four\"}\n", 36);
    n += 36;
    tres t;
    t_read_mem(buf, n, "bad.jsonl", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_JSONL);
    CHECK(t.n == 4);
    CHECK(t.nerr == 6 && t.skipped == 6 && t.ended);
    if (t.n == 4) {
        CHECK_STR(t.docs[0].id, "g1");
        CHECK_STR(t.docs[1].id, "g2");
        CHECK_STR(t.docs[2].id, "g3");
        CHECK_STR(t.docs[3].id, "g4");
    }
    static const char *const lines[] = {"bad.jsonl:2: invalid JSON", "bad.jsonl:4: invalid JSON",
                                        "bad.jsonl:5: invalid JSON", "bad.jsonl:6: invalid JSON",
                                        "bad.jsonl:7: invalid JSON", "bad.jsonl:9: invalid JSON"};
    static const size_t before[] = {1, 2, 2, 2, 2, 3};
    for (size_t i = 0; i < 6 && i < t.nerr; i++) {
        if (!starts(t.errs[i], lines[i]))
            fprintf(stderr, "got: %s\n", t.errs[i] ? t.errs[i] : "(none)");
        CHECK(starts(t.errs[i], lines[i]));
        CHECK(t.codes[i] == NC_ERR_PARSE);
        CHECK(t.docs_before[i] == before[i]);
    }
    t_free(&t);
}

static void test_invalid_utf8(void)
{
    tres t;
    static const char j[] = "{\"title\":\"caf\xE9 \xFF\xFE ok\",\"source\":\"S\xC3\"}\n"
                            "{\"title\":\"fine\"}\n";
    t_read_mem(j, sizeof j - 1, "u.jsonl", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 2 && t.nerr == 0);
    if (t.n == 2) {
        CHECK(t.docs[0].title && nc__utf8_valid(t.docs[0].title, strlen(t.docs[0].title)));
        CHECK(t.docs[0].source && nc__utf8_valid(t.docs[0].source, strlen(t.docs[0].source)));
        CHECK(strstr(t.docs[0].title, "\xEF\xBF\xBD") != NULL); /* U+FFFD */
        CHECK(strstr(t.docs[0].title, "ok") != NULL);
    }
    t_free(&t);

    /* declared UTF-8, with broken bytes and a sequence cut at the end */
    static const char x[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel>"
                            "<item><title>A\xC3 \xE2\x82 \xF0\x9F\x98\x80 \xFF</title>"
                            "<link>http://u/1</link></item></channel></rss>\xE2\x82";
    t_read_mem(x, sizeof x - 1, "u.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1);
    if (t.n) {
        CHECK(nc__utf8_valid(t.docs[0].title, strlen(t.docs[0].title)));
        CHECK(strstr(t.docs[0].title, "\xF0\x9F\x98\x80") != NULL); /* the valid emoji stays */
    }
    t_free(&t);
}

static void test_empty(void)
{
    static const char *const inputs[] = {"", "   \n\t\r\n", "\xEF\xBB\xBF"};
    for (size_t i = 0; i < 3; i++) {
        for (int f = NC_FORMAT_AUTO; f <= NC_FORMAT_TEXT; f++) {
            tres t;
            t_read_mem(inputs[i], strlen(inputs[i]), "empty", (nc_format)f, &t);
            CHECK(t.open_status == NC_OK && t.n == 0 && t.nerr == 0 && t.skipped == 0 && t.ended);
            t_free(&t);
        }
    }
    /* an empty file, and the error message stays empty */
    char path[] = "/tmp/nc_empty_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    nc_reader *r = NULL;
    CHECK(nc_reader_open_file(path, NC_FORMAT_AUTO, &r) == NC_OK);
    nc_doc d;
    CHECK(r && nc_reader_next(r, &d) == NC_DONE);
    CHECK(r && strcmp(nc_reader_errmsg(r), "") == 0 && nc_reader_skipped(r) == 0);
    nc_reader_free(r);
    remove(path);
}

static void test_binary(void)
{
    unsigned char bin[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    bin[10] = 0;
    for (int f = NC_FORMAT_AUTO; f <= NC_FORMAT_TEXT; f++) {
        tres t;
        t_read_mem(bin, sizeof bin, "blob.bin", (nc_format)f, &t);
        CHECK(t.open_status == NC_OK && t.n == 0 && t.ended);
        if (f == NC_FORMAT_RSS || f == NC_FORMAT_ATOM) {
            CHECK(t.nerr == 1); /* NUL bytes may be UTF-16 for XML: libxml2 rejects it */
        } else {
            CHECK(t.nerr == 1 && t.codes[0] == NC_ERR_ENCODING);
            CHECK(t.nerr && starts(t.errs[0], "blob.bin: ") && strstr(t.errs[0], "binary"));
        }
        t_free(&t);
    }
    /* control characters but no NUL */
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(1 + i % 8);
    tres t;
    t_read_mem(bin, sizeof bin, "ctl", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 0 && t.nerr == 1 && t.codes[0] == NC_ERR_ENCODING);
    t_free(&t);
    /* gzip */
    static const unsigned char gz[] = {0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
    t_read_mem(gz, sizeof gz, "x.jsonl.gz", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 0 && t.nerr == 1 && t.nerr && strstr(t.errs[0], "gzip"));
    t_free(&t);
    /* UTF-16 text that is not XML */
    static const char u16[] = "\xFF\xFEH\0i\0 \0t\0h\0e\0r\0e\0";
    t_read_mem(u16, sizeof u16 - 1, "u16.txt", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 0 && t.nerr == 1 && t.codes[0] == NC_ERR_ENCODING);
    t_free(&t);
    /* UTF-16 XML is fine */
    static const char x16[] = "\xFF\xFE<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0i\0t\0e\0m\0>"
                              "\0<\0t\0i\0t\0l\0e\0>\0O\0k\0<\0/\0t\0i\0t\0l\0e\0>\0<\0/\0i\0t\0e"
                              "\0m\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0>\0";
    t_read_mem(x16, sizeof x16 - 1, "u16.xml", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_RSS && t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].title, "Ok");
    t_free(&t);
}

static void test_big_line(void)
{
    /* 50 MB of text in one JSON line, between two small lines */
    const size_t big = (size_t)50 * 1000 * 1000;
    static const char head[] =
        "{\"id\":\"a\",\"title\":\"first\"}\n{\"id\":\"big\",\"title\":\"Big\","
        "\"text\":\"";
    static const char tail[] = "\"}\n{\"id\":\"c\",\"title\":\"last\"}\n";
    size_t n = sizeof head - 1 + big + sizeof tail - 1;
    char *buf = malloc(n);
    CHECK(buf != NULL);
    if (!buf) return;
    memcpy(buf, head, sizeof head - 1);
    static const char words[] = "lorem ipsum dolor sit amet ";
    for (size_t i = 0; i < big; i++)
        buf[sizeof head - 1 + i] = words[i % (sizeof words - 1)];
    memcpy(buf + sizeof head - 1 + big, tail, sizeof tail - 1);
    tres t;
    t_read_mem(buf, n, "big.jsonl", NC_FORMAT_AUTO, &t);
    free(buf);
    CHECK(t.n == 3 && t.nerr == 0);
    if (t.n == 3) {
        CHECK_STR(t.docs[1].id, "big");
        CHECK(t.docs[1].text && strlen(t.docs[1].text) >= big - 1);
        CHECK_STR(t.docs[2].title, "last");
    }
    t_free(&t);
}

static void test_over_limit_line(void)
{
    /* a line over 64 MiB is skipped without being held; written to a file */
    char path[] = "/tmp/nc_long_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        remove(path);
        CHECK(0);
        return;
    }
    fputs("{\"title\":\"before\"}\n{\"title\":\"", f);
    static char chunk[1 << 16];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 1040; i++)
        fwrite(chunk, 1, sizeof chunk, f); /* 65 MiB */
    fputs("\"}\n{\"title\":\"after\"}\n", f);
    fclose(f);
    tres t;
    t_read_file(path, NC_FORMAT_AUTO, &t);
    remove(path);
    CHECK(t.n == 2);
    CHECK(t.nerr == 1 && t.skipped == 1 && t.nerr && t.codes[0] == NC_ERR_LIMIT);
    CHECK(t.nerr && strstr(t.errs[0], ":2: line longer than"));
    if (t.n == 2) {
        CHECK_STR(t.docs[0].title, "before");
        CHECK_STR(t.docs[1].title, "after");
        CHECK_STR(t.docs[1].id + strlen(t.docs[1].id) - 2, ":3");
    }
    t_free(&t);
}

static void test_arguments(void)
{
    nc_reader *r = (nc_reader *)&r;
    CHECK(nc_reader_open_file("no/such/file.rss", NC_FORMAT_AUTO, &r) == NC_ERR_IO && r == NULL);
    r = (nc_reader *)&r;
    CHECK(nc_reader_open_file("feeds", NC_FORMAT_AUTO, &r) == NC_ERR_IO && r == NULL);
    CHECK(nc_reader_open_file(NULL, NC_FORMAT_AUTO, &r) == NC_ERR_INVALID_ARG);
    CHECK(nc_reader_open_file("feeds/heise.atom", NC_FORMAT_AUTO, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc_reader_open_file("feeds/heise.atom", (nc_format)99, &r) == NC_ERR_INVALID_ARG);
    CHECK(nc_reader_open_memory(NULL, 5, "x", NC_FORMAT_AUTO, &r) == NC_ERR_INVALID_ARG);
    nc_doc d;
    CHECK(nc_reader_next(NULL, &d) == NC_ERR_INVALID_ARG);
    CHECK(strcmp(nc_reader_errmsg(NULL), "") == 0);
    CHECK(nc_reader_skipped(NULL) == 0);
    nc_reader_free(NULL);
    /* the memory buffer is copied */
    char mem[] = "{\"title\":\"copied\"}\n";
    CHECK(nc_reader_open_memory(mem, sizeof mem - 1, "m", NC_FORMAT_AUTO, &r) == NC_OK);
    memset(mem, 'z', sizeof mem - 1);
    CHECK(r && nc_reader_next(r, &d) == NC_OK && d.title && strcmp(d.title, "copied") == 0);
    CHECK(r && nc_reader_next(r, NULL) == NC_ERR_INVALID_ARG);
    nc_reader_free(r);
}

int main(void)
{
    test_truncated_xml();
    test_entity_bomb();
    test_external_entities();
    test_bad_json();
    test_invalid_utf8();
    test_empty();
    test_binary();
    test_big_line();
    test_over_limit_line();
    test_arguments();
    return nc_test_report("test_reader_bad");
}
