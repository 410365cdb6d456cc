/*
 * test_normalize.c - the text normalisation of normalize.h: UTF-8 validation
 * and repair, Windows-1252, entity decoding and clean-up of fields, HTML to
 * text (real feed and Google News bodies, a 1 MB document, 10,000-level
 * nesting, silence of libxml2, concurrent use), the Google News related
 * list, outlet suffixes (positives and negatives) and case folding.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, dup */
#include "nc_test.h"
#include "normalize.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------------- helpers */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    for (size_t r; b && (r = fread(b + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (cap - n < 2) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) free(b);
            b = nb;
        }
    }
    fclose(f);
    if (b) b[n] = '\0';
    *len = n;
    return b;
}

/* The HTML body of a Markdown seed: what follows the second "---" line. */
static const char *md_body(const char *text)
{
    const char *p = strstr(text, "\n---\n");
    return p ? p + 5 : text;
}

static char *clean(const char *s)
{
    char *o = NULL;
    if (nc__clean_text(s, strlen(s), &o) != NC_OK) return NULL;
    return o;
}

static char *html(const char *s)
{
    char *o = NULL;
    if (nc__html_to_text(s, strlen(s), &o) != NC_OK) return NULL;
    return o;
}

static char *fold(const char *s)
{
    char *o = NULL;
    if (nc__fold(s, strlen(s), &o) != NC_OK) return NULL;
    return o;
}

#define CHECK_CLEAN(in, want)                                                                      \
    do {                                                                                           \
        char *o_ = clean(in);                                                                      \
        CHECK_STR(o_, want);                                                                       \
        free(o_);                                                                                  \
    } while (0)

#define CHECK_HTML(in, want)                                                                       \
    do {                                                                                           \
        char *o_ = html(in);                                                                       \
        CHECK_STR(o_, want);                                                                       \
        free(o_);                                                                                  \
    } while (0)

#define CHECK_FOLD(in, want)                                                                       \
    do {                                                                                           \
        char *o_ = fold(in);                                                                       \
        CHECK_STR(o_, want);                                                                       \
        free(o_);                                                                                  \
    } while (0)

/* ---------------------------------------------------------------- UTF-8 */

static void test_utf8_valid(void)
{
#define V(s) nc__utf8_valid(s, sizeof(s) - 1)
    CHECK(V("") == 1);
    CHECK(nc__utf8_valid(NULL, 0) == 1);
    CHECK(V("plain ASCII headline, long enough for the 8-byte loop") == 1);
    CHECK(V("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xEF\xBF\xBD") == 1);
    CHECK(V("\xF4\x8F\xBF\xBF") == 1); /* U+10FFFF */
    CHECK(V("\xC0\xAF") == 0);         /* overlong '/' */
    CHECK(V("\xE0\x80\xAF") == 0);     /* overlong */
    CHECK(V("\xED\xA0\x80") == 0);     /* surrogate */
    CHECK(V("\xF4\x90\x80\x80") == 0); /* > U+10FFFF */
    CHECK(V("\xE2\x82") == 0);         /* truncated */
    CHECK(V("abcdefgh\x80") == 0);     /* stray continuation */
    CHECK(V("\xFF") == 0);
    CHECK(V("caf\xE9") == 0);                  /* Latin-1 */
    CHECK(nc__utf8_valid("\xC3\xA9", 1) == 0); /* length respected */
#undef V
}

static void test_cp1252(void)
{
    char *o = NULL;
    const char in[] = "\x93Hello\x94 \x96 caf\xE9 \x80 \x85 \x91x\x92 \x81|\x9D";
    CHECK(nc__cp1252_to_utf8(in, sizeof in - 1, &o) == NC_OK);
    CHECK_STR(o, "\xE2\x80\x9CHello\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9 \xE2\x82\xAC "
                 "\xE2\x80\xA6 \xE2\x80\x98x\xE2\x80\x99 \xC2\x81|\xC2\x9D");
    free(o);
    /* a UOL title (ISO-8859-1 bytes) */
    const char uol[] = "simula\xe7\xf5"
                       "es de 2\xba turno";
    CHECK(nc__cp1252_to_utf8(uol, sizeof uol - 1, &o) == NC_OK);
    CHECK_STR(o, "simula\xC3\xA7\xC3\xB5"
                 "es de 2\xC2\xBA turno");
    CHECK(nc__utf8_valid(o, strlen(o)));
    free(o);
    /* every byte converts to valid UTF-8 */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    CHECK(nc__cp1252_to_utf8(all, 256, &o) == NC_OK);
    CHECK(o && nc__utf8_valid(o, strlen(o)) && strlen(o) > 255);
    free(o);
    CHECK(nc__cp1252_to_utf8("", 0, &o) == NC_OK);
    CHECK_STR(o, "");
    free(o);
    CHECK(nc__cp1252_to_utf8(NULL, 3, &o) == NC_ERR_INVALID_ARG);
    CHECK(nc__cp1252_to_utf8("x", 1, NULL) == NC_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- clean_text */

static void test_clean_entities(void)
{
    CHECK_CLEAN("Tom &amp; Jerry", "Tom & Jerry");
    CHECK_CLEAN("a&nbsp;&nbsp;b", "a b");
    CHECK_CLEAN("Kyiv&#39;s allies", "Kyiv's allies");
    CHECK_CLEAN("Kyiv&apos;s allies", "Kyiv's allies");
    CHECK_CLEAN("it&#x2019;s", "it\xE2\x80\x99s");
    CHECK_CLEAN("it&#X2019;s", "it\xE2\x80\x99s");
    CHECK_CLEAN("it&#8217;s", "it\xE2\x80\x99s");
    CHECK_CLEAN("it&rsquo;s &ldquo;fine&rdquo;&hellip;", "it\xE2\x80\x99s \xE2\x80\x9C"
                                                         "fine\xE2\x80\x9D\xE2\x80\xA6");
    CHECK_CLEAN("it&#146;s", "it\xE2\x80\x99s"); /* C1 reference read as cp1252 */
    CHECK_CLEAN("&quot;q&quot; &lt;3 &gt;", "\"q\" <3 >");
    CHECK_CLEAN("S&atilde;o Paulo, a&ccedil;&atilde;o, caf&eacute;, M&uuml;nchen",
                "S\xC3\xA3o Paulo, a\xC3\xA7\xC3\xA3o, caf\xC3\xA9, M\xC3\xBCnchen");
    CHECK_CLEAN("&euro;5 &pound;3 &copy; &reg; &trade; &deg; &ndash; &mdash;",
                "\xE2\x82\xAC"
                "5 \xC2\xA3"
                "3 \xC2\xA9 \xC2\xAE \xE2\x84\xA2 \xC2\xB0 "
                "\xE2\x80\x93 \xE2\x80\x94");
    CHECK_CLEAN("&spades; &alefsym;", "\xE2\x99\xA0 \xE2\x84\xB5"); /* libxml2 table */
    CHECK_CLEAN("&AMP; &LT;", "& <");
    CHECK_CLEAN("&AElig;|&zwnj;|&Hat;|&NonBreakingSpace;x|&yuml;|&Scaron;|&lowbar;",
                "\xC3\x86|\xE2\x80\x8C|^| x|\xC3\xBF|\xC5\xA0|_"); /* table ends */
    CHECK_CLEAN("AT&T and R&D", "AT&T and R&D");
    CHECK_CLEAN("&bogus; & &; &#; &#x; &amp", "&bogus; & &; &#; &#x; &amp");
    CHECK_CLEAN("&#65&#66;", "AB");
    CHECK_CLEAN("[&#0;] [&#xD800;] [&#1114112;] [&#99999999999;]",
                "[\xEF\xBF\xBD] [\xEF\xBF\xBD] [\xEF\xBF\xBD] [\xEF\xBF\xBD]");
    CHECK_CLEAN("&amp;amp; once", "&amp; once"); /* decoded once only */
    CHECK_CLEAN("x&#10;y&#9;z", "x y z");
}

static void test_clean_tags_space(void)
{
    CHECK_CLEAN("<b>x</b>y", "xy");
    CHECK_CLEAN("a<br>b<br/>c", "a b c");
    CHECK_CLEAN("<p>one</p><p>two</p>", "one two");
    CHECK_CLEAN("&lt;b&gt;bold&lt;/b&gt; text", "bold text");
    CHECK_CLEAN("<a href=\"x>y\" title='a'>link</a> here", "link here");
    CHECK_CLEAN("a <!-- comment <b> --> b", "a b");
    CHECK_CLEAN("x < y and y > z", "x < y and y > z");
    CHECK_CLEAN("I <3 NY", "I <3 NY");
    CHECK_CLEAN("if a<b", "if a<b");
    CHECK_CLEAN("  lead\t\ttab \n new\r\nline  ", "lead tab new line");
    CHECK_CLEAN("\xC2\xA0nbsp\xC2\xA0\xC2\xA0inside\xE2\x80\x83\xE3\x80\x80", "nbsp inside");
    CHECK_CLEAN("a\x01"
                "b\x7F"
                "c\x1B",
                "abc");
    CHECK_CLEAN("zero\xE2\x80\x8Bwidth \xEF\xBB\xBFTitle soft\xC2\xADhyphen",
                "zerowidth Title softhyphen");
    CHECK_CLEAN("c1\xC2\x80\xC2\x9Fgone next\xC2\x85line", "c1gone next line");
    CHECK_CLEAN("emoji \xF0\x9F\x98\x80 ok, ZWJ \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
                "emoji \xF0\x9F\x98\x80 ok, ZWJ \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9");
    CHECK_CLEAN("", "");
    CHECK_CLEAN(" \t\n ", "");
    char *o = NULL;
    CHECK(nc__clean_text(NULL, 0, &o) == NC_OK);
    CHECK_STR(o, "");
    free(o);
    CHECK(nc__clean_text(NULL, 1, &o) == NC_ERR_INVALID_ARG);
    CHECK(nc__clean_text("x", 1, NULL) == NC_ERR_INVALID_ARG);
    /* explicit length: the rest is not read */
    CHECK(nc__clean_text("abc<b>", 3, &o) == NC_OK);
    CHECK_STR(o, "abc");
    free(o);
}

static void test_clean_invalid_utf8(void)
{
    CHECK_CLEAN("caf\xE9 ok", "caf\xEF\xBF\xBD ok");
    CHECK_CLEAN("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_CLEAN("a\xE2\x82z", "a\xEF\xBF\xBDz");   /* truncated: one U+FFFD */
    CHECK_CLEAN("a\xF0\x9F\x98", "a\xEF\xBF\xBD"); /* truncated at the end */
    CHECK_CLEAN("\xED\xA0\x80x", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx"); /* surrogate */
    CHECK_CLEAN("\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD");
    /* any byte soup comes out valid */
    uint32_t x = 2463534242u;
    int all_valid = 1;
    for (int round = 0; round < 2000; round++) {
        char buf[64];
        for (size_t i = 0; i < sizeof buf; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = (char)(x >> 24);
            if (x % 7 == 0) buf[i] = '&';
            if (x % 11 == 0) buf[i] = '<';
        }
        char *o = NULL;
        if (nc__clean_text(buf, sizeof buf, &o) != NC_OK || !nc__utf8_valid(o, strlen(o)))
            all_valid = 0;
        free(o);
        if (nc__html_to_text(buf, sizeof buf, &o) != NC_OK || !nc__utf8_valid(o, strlen(o)))
            all_valid = 0;
        free(o);
        if (nc__fold(buf, sizeof buf, &o) != NC_OK || !nc__utf8_valid(o, strlen(o))) all_valid = 0;
        free(o);
    }
    CHECK(all_valid);
}

/* ---------------------------------------------------------------- html_to_text */

static void test_html_basic(void)
{
    CHECK_HTML("<p>Hello <b>world</b></p><p>Second&nbsp;para</p>", "Hello world\nSecond para");
    CHECK_HTML("<p>a</p><script>var x = '<p>no</p>';</script><style>p{color:red}</style>"
               "<noscript>enable js</noscript><p>b</p>",
               "a\nb");
    CHECK_HTML("<p>x <img alt=\"ALT TEXT\" src=\"y.jpg\"> z</p>", "x z");
    CHECK_HTML("line1<br>line2<br/>line3", "line1\nline2\nline3");
    CHECK_HTML("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\nafter");
    CHECK_HTML("<h1>Title</h1><div>body <i>text</i></div>", "Title\nbody text");
    CHECK_HTML("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc");
    CHECK_HTML("<p>&amp; &lt;tag&gt; &#8220;q&#8221; &eacute; &#x2019;</p>",
               "& <tag> \xE2\x80\x9Cq\xE2\x80\x9D \xC3\xA9 \xE2\x80\x99");
    CHECK_HTML("<p>  a \n  b\t\tc  </p>", "a b c");
    CHECK_HTML("<pre>x\ny</pre>", "x\ny");
    CHECK_HTML("<p>caf\xE9</p>", "caf\xEF\xBF\xBD");
    CHECK_HTML("<p>a\0b</p>", "a"); /* strlen stops at NUL */
    CHECK_HTML("<html><head><title>T</title><meta charset=\"iso-8859-1\"></head>"
               "<body><p>S\xC3\xA3o Paulo</p></body></html>",
               "S\xC3\xA3o Paulo");
    CHECK_HTML("<p></p><div>  </div>", "");
    CHECK_HTML("", "");
    CHECK_HTML("<", "<");
    CHECK_HTML("<!-- only a comment -->", "");
    /* plain text: no parser, lines kept */
    CHECK_HTML("Plain  text\n\n  second line ", "Plain text\nsecond line");
    CHECK_HTML("AT&amp;T rocks &amp; x < y", "AT&T rocks & x < y");
    char *o = NULL;
    const char nul[] = "<p>a\0b</p>";
    CHECK(nc__html_to_text(nul, sizeof nul - 1, &o) == NC_OK);
    CHECK_STR(o, "ab");
    free(o);
    CHECK(nc__html_to_text(NULL, 2, &o) == NC_ERR_INVALID_ARG);
    CHECK(nc__html_to_text("<p>", 3, NULL) == NC_ERR_INVALID_ARG);
}

static void test_html_real(void)
{
    /* a Guardian RSS description, XML entities already resolved */
    CHECK_HTML(
        "<p>The president\xE2\x80\x99s \xE2\x80\x98new American moment\xE2\x80\x99 speech stirred "
        "Republican applause while Democrats showed thinly disguised contempt</p><p>Donald Trump "
        "has promised a \xE2\x80\x9Cnew American moment\xE2\x80\x9D in a State of the Union "
        "address.</p><p> <span>Related: </span><a href=\"https://www.theguardian.com/us-news/"
        "2018/jan/30/state-of-the-union-fact-check-trumps-address-analyzed\">Fact check: Donald "
        "Trump's State of the Union address analyzed</a> </p> <a href=\"https://www.theguardian."
        "com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord\">Continue "
        "reading...</a>",
        "The president\xE2\x80\x99s \xE2\x80\x98new American moment\xE2\x80\x99 speech stirred "
        "Republican applause while Democrats showed thinly disguised contempt\nDonald Trump has "
        "promised a \xE2\x80\x9Cnew American moment\xE2\x80\x9D in a State of the Union "
        "address.\nRelated: Fact check: Donald Trump's State of the Union address analyzed\n"
        "Continue reading...");
    /* a UOL description: an image and spaces before the text */
    CHECK_HTML("<img src='https://conteudo.imguol.com.br/c/noticias/5f/2018/09/17/x.jpg' "
               "align=\"left\" />  \tL\xC3\xAD"
               "der na pesquisa Ibope",
               "L\xC3\xAD"
               "der na pesquisa Ibope");

    size_t len;
    char *seed = read_file("../data/000_3b2b5ba8c80ccf41.txt", &len);
    CHECK(seed != NULL);
    if (seed) {
        const char *body = md_body(seed);
        char *o = NULL;
        CHECK(nc__html_to_text(body, strlen(body), &o) == NC_OK);
        CHECK(o && strncmp(o,
                           "Ukraine war briefing: US backs European ceasefire security guarantees "
                           "for first time The Guardian\nUS backs security guarantees for Ukraine "
                           "at summit of Kyiv's allies in Paris Reuters\n",
                           180) == 0);
        size_t lines = 0;
        for (const char *p = o; p && *p; p++)
            lines += *p == '\n';
        CHECK(lines == 4);
        free(o);
        free(seed);
    }
    /* a scraped article (plain text): lines kept, curly quotes untouched */
    char *art = read_file("../data/002_5169f3dc4537730f.txt", &len);
    CHECK(art != NULL);
    if (art) {
        char *o = NULL;
        CHECK(nc__html_to_text(art, len, &o) == NC_OK);
        CHECK(o && strncmp(o,
                           "Get all your news in one place.\n100\xE2\x80\x99s of premium titles."
                           "\nOne app.\n",
                           60) == 0);
        CHECK(o && strstr(o, "\xE2\x80\x9C"
                             "coalition of the willing\xE2\x80\x9D") != NULL);
        CHECK(o && !strstr(o, "\n\n") && !strstr(o, "  "));
        free(o);
        free(art);
    }
}

static void test_html_big_and_deep(void)
{
    /* 1 MB of paragraphs */
    const char para[] = "<p>Paragraph with <b>bold</b> &amp; an entity &#8212; and text.</p>\n";
    size_t n = (1u << 20) / (sizeof para - 1) + 1, plen = sizeof para - 1;
    char *big = malloc(n * plen + 1);
    CHECK(big != NULL);
    if (big) {
        for (size_t i = 0; i < n; i++)
            memcpy(big + i * plen, para, plen);
        big[n * plen] = '\0';
        char *o = NULL;
        CHECK(nc__html_to_text(big, n * plen, &o) == NC_OK);
        size_t lines = 0;
        for (const char *p = o; p && *p; p++)
            lines += *p == '\n';
        CHECK(lines + 1 == n);
        CHECK(o && strncmp(o, "Paragraph with bold & an entity \xE2\x80\x94 and text.\n", 46) == 0);
        free(o);
        free(big);
    }
    /* 10,000 levels of nesting, block and inline, closed and unclosed */
    static const char *const opens[] = {"<div>", "<span>", "<b>", "<ul><li>", "<table><tr><td>"};
    for (size_t k = 0; k < sizeof opens / sizeof opens[0]; k++) {
        const size_t depth = 10000, ol = strlen(opens[k]);
        char *doc = malloc(depth * ol + 16);
        if (!doc) continue;
        for (size_t i = 0; i < depth; i++)
            memcpy(doc + i * ol, opens[k], ol);
        strcpy(doc + depth * ol, "deep");
        char *o = NULL;
        CHECK(nc__html_to_text(doc, strlen(doc), &o) == NC_OK);
        CHECK_STR(o, "deep");
        free(o);
        nc_related *items = NULL;
        size_t count = 9;
        CHECK(nc__gnews_split(doc, strlen(doc), &items, &count) == NC_OK);
        nc__related_free(items, count);
        free(doc);
    }
}

/* libxml2 must not write anything, whatever the input. */
static void test_html_silent(void)
{
    static const char *const junk[] = {
        "<p><b>unclosed <i>x</p></b></i><<<>>> &bogus; <!DOCTYPE html><html><html>",
        "<body><body><head><frameset></td></tr></table></ul></li>",
        ("<meta charset=\"iso-8859-1\"><p>\xC3\xA9</p><meta http-equiv=\"Content-Type\" "
         "content=\"text/html; charset=shift_jis\">"),
        "\xFF\xFE<\0p>x</p>",
        "<p>&#0; &#xFFFFFFFF; &#55296; <a href=\"http://x/?a=1&b=2\">x</a></p>",
        "<![CDATA[ x ]]><?php echo 1; ?><x:y a:b=\"c\">ns</x:y><a b=c d='e' f>t</a>",
        "<script>unterminated",
        "<!-- unterminated comment",
        "<ol><li><a href=\"x\">t</a><font>s</font><li><li></ol></ol>",
    };
    fflush(stderr);
    FILE *tmp = tmpfile();
    CHECK(tmp != NULL);
    if (!tmp) return;
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        char *o = NULL;
        size_t len = strlen(junk[i]) + (i == 3 ? 8 : 0);
        nc__html_to_text(junk[i], len, &o);
        free(o);
        nc_related *items = NULL;
        size_t count = 0;
        nc__gnews_split(junk[i], len, &items, &count);
        nc__related_free(items, count);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long written = ftell(tmp);
    fseek(tmp, 0, SEEK_END);
    written = ftell(tmp);
    fclose(tmp);
    CHECK(written == 0);
}

/* Several threads converting at once give the single-threaded results. */
typedef struct job {
    const char *in;
    const char *want;
    int ok;
} job;

static void *convert_many(void *arg)
{
    job *j = arg;
    j->ok = 1;
    for (int i = 0; i < 200; i++) {
        char *o = NULL;
        if (nc__html_to_text(j->in, strlen(j->in), &o) != NC_OK || strcmp(o, j->want) != 0)
            j->ok = 0;
        free(o);
        nc_related *items = NULL;
        size_t n = 0;
        if (nc__gnews_split(j->in, strlen(j->in), &items, &n) != NC_OK) j->ok = 0;
        nc__related_free(items, n);
    }
    return NULL;
}

static void test_html_threads(void)
{
    static const char *const seeds[] = {"../data/000_3b2b5ba8c80ccf41.txt",
                                        "../data/001_3aa68a8d806b5d7b.txt",
                                        "../data/003_a90b0d2206cb7772.txt"};
    char *texts[4] = {0}, *wants[4] = {0};
    job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        size_t len;
        texts[i] = read_file(seeds[i % 3], &len);
        if (!texts[i]) return;
        nc__html_to_text(md_body(texts[i]), strlen(md_body(texts[i])), &wants[i]);
        jobs[i] = (job){md_body(texts[i]), wants[i] ? wants[i] : "", 0};
    }
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, convert_many, &jobs[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(jobs[i].ok);
        free(texts[i]);
        free(wants[i]);
    }
}

/* ---------------------------------------------------------------- gnews */

static void test_gnews(void)
{
    size_t len, n = 0;
    nc_related *it = NULL;
    char *seed = read_file("../data/000_3b2b5ba8c80ccf41.txt", &len);
    CHECK(seed != NULL);
    if (seed) {
        const char *body = md_body(seed);
        CHECK(nc__gnews_split(body, strlen(body), &it, &n) == NC_OK);
        CHECK(n == 5);
        if (n == 5) {
            CHECK_STR(it[0].title, "Ukraine war briefing: US backs European ceasefire security "
                                   "guarantees for first time");
            CHECK_STR(it[0].source, "The Guardian");
            CHECK_STR(
                it[1].title,
                "US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris");
            CHECK_STR(it[1].source, "Reuters");
            CHECK(it[1].link &&
                  strncmp(it[1].link, "https://news.google.com/rss/articles/CBMiwwFB", 45) == 0);
            CHECK(it[1].link && strstr(it[1].link, "?oc=5") != NULL);
            CHECK_STR(it[2].source, "ABC News");
            CHECK_STR(it[3].source, "The New York Times");
            CHECK_STR(it[4].title, "Ukraine updates: Zelenskyy seeks 'concrete results' in Paris");
            CHECK_STR(it[4].source, "DW");
        }
        nc__related_free(it, n);
        free(seed);
    }
    seed = read_file("../data/001_3aa68a8d806b5d7b.txt", &len);
    if (seed) {
        const char *body = md_body(seed);
        CHECK(nc__gnews_split(body, strlen(body), &it, &n) == NC_OK);
        CHECK(n == 5);
        if (n == 5) {
            CHECK_STR(it[0].source, "KSL.com");
            CHECK_STR(it[1].source, "BBC");
            CHECK_STR(it[3].title,
                      "NATO ambassador: \xE2\x80\x98We could be on the cusp\xE2\x80\x99 "
                      "of peace deal between Russia, Ukraine");
            CHECK_STR(it[3].source, "The Hill");
        }
        nc__related_free(it, n);
        free(seed);
    }
    seed = read_file("../data/003_a90b0d2206cb7772.txt", &len);
    if (seed) {
        const char *body = md_body(seed);
        CHECK(nc__gnews_split(body, strlen(body), &it, &n) == NC_OK);
        CHECK(n == 5);
        if (n == 5) CHECK_STR(it[3].source, "Daily Kos");
        nc__related_free(it, n);
        free(seed);
    }

    /* synthetic variants */
    const char *v1 = "<ol><li><a href=\" https://a.example/x?a=1&amp;b=2 \">Trump&#39;s &amp; "
                     "co</a>&nbsp;&nbsp;Outlet Name</li>"
                     "<li><strong><a href=\"https://news.google.com/stories/x\">View Full "
                     "coverage on Google News</a></strong></li>"
                     "<li>no anchor here</li>"
                     "<li><a href=\"u2\"><b>Second</b>  title</a></li></ol>";
    CHECK(nc__gnews_split(v1, strlen(v1), &it, &n) == NC_OK);
    CHECK(n == 2);
    if (n == 2) {
        CHECK_STR(it[0].title, "Trump's & co");
        CHECK_STR(it[0].source, "Outlet Name");
        CHECK_STR(it[0].link, "https://a.example/x?a=1&b=2");
        CHECK_STR(it[1].title, "Second title");
        CHECK(it[1].source == NULL);
        CHECK_STR(it[1].link, "u2");
    }
    nc__related_free(it, n);

    /* no list, a list without anchors, plain text: nothing */
    static const char *const none[] = {"", "plain text only", "<p>para</p>",
                                       "<ul><li>one</li><li>two</li></ul>",
                                       "<ol><li><a>no href</a></li></ol>"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        it = (nc_related *)1;
        n = 7;
        CHECK(nc__gnews_split(none[i], strlen(none[i]), &it, &n) == NC_OK);
        CHECK(n == 0 && it == NULL);
    }
    /* the first list with anchors is used */
    const char *v2 = "<ul><li>menu</li></ul><p>x</p><ul><li><a href=\"l\">T</a> "
                     "<font color=\"#6f6f6f\">S</font></li></ul>";
    CHECK(nc__gnews_split(v2, strlen(v2), &it, &n) == NC_OK);
    CHECK(n == 1 && it && strcmp(it[0].title, "T") == 0 && strcmp(it[0].source, "S") == 0);
    nc__related_free(it, n);
    nc__related_free(NULL, 3);
    CHECK(nc__gnews_split("<li>", 4, NULL, &n) == NC_ERR_INVALID_ARG);
    CHECK(nc__gnews_split(NULL, 4, &it, &n) == NC_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- outlet */

static int strip_is(const char *title, const char *want_title, const char *want_outlet)
{
    char buf[512], *outlet = (char *)1;
    snprintf(buf, sizeof buf, "%s", title);
    nc_status st = nc__strip_outlet_suffix(buf, &outlet);
    int ok = st == NC_OK && strcmp(buf, want_title) == 0 &&
             (want_outlet ? outlet && strcmp(outlet, want_outlet) == 0 : outlet == NULL);
    if (!ok)
        fprintf(stderr, "  strip \"%s\": got \"%s\" + %s%s%s\n", title, buf, outlet ? "\"" : "",
                outlet ? outlet : "NULL", outlet ? "\"" : "");
    free(outlet);
    return ok;
}

#define POS(t, head, outlet) CHECK(strip_is(t, head, outlet))
#define NEG(t) CHECK(strip_is(t, t, NULL))

static void test_outlet(void)
{
    /* seeds and typical feed titles */
    POS("Ukraine war briefing: US backs European ceasefire security guarantees for first time - "
        "The Guardian",
        "Ukraine war briefing: US backs European ceasefire security guarantees for first time",
        "The Guardian");
    POS("US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris - KSL.com",
        "US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris", "KSL.com");
    POS("Why Security Guarantees Are So Crucial, and Thorny, for Ukraine - The New York Times",
        "Why Security Guarantees Are So Crucial, and Thorny, for Ukraine", "The New York Times");
    POS("Obama's speech - Washington Post", "Obama's speech", "Washington Post");
    POS("Fed raises rates again | Reuters", "Fed raises rates again", "Reuters");
    POS("Tesla Q1 results - CNBC", "Tesla Q1 results", "CNBC");
    POS("Markets rally on jobs data \xE2\x80\x94 BBC News", "Markets rally on jobs data",
        "BBC News");
    POS("Senate passes the bill \xE2\x80\x93 AP", "Senate passes the bill", "AP");
    POS("ADAPTIVE INDOMITABLE UKRAINE's Only REAL Security - Daily Kos",
        "ADAPTIVE INDOMITABLE UKRAINE's Only REAL Security", "Daily Kos");
    POS("Floods hit Sydney suburbs - news.com.au", "Floods hit Sydney suburbs", "news.com.au");
    POS("Stocks slide after Fed minutes :: Bloomberg", "Stocks slide after Fed minutes",
        "Bloomberg");
    POS("Brexit - what happens next - BBC News", "Brexit - what happens next", "BBC News");
    POS("Market update | Opinion | The Guardian", "Market update | Opinion", "The Guardian");
    POS("Oil climbs to a three-year high - Yahoo! News", "Oil climbs to a three-year high",
        "Yahoo! News");
    POS("Bolsonaro perde de Haddad - Folha de S.Paulo", "Bolsonaro perde de Haddad",
        "Folha de S.Paulo");
    POS("Macron remanie le gouvernement - Le Monde", "Macron remanie le gouvernement", "Le Monde");
    POS("El Gobierno aprueba el presupuesto - El Pa\xC3\xADs", "El Gobierno aprueba el presupuesto",
        "El Pa\xC3\xADs");
    POS("Merkel trifft Macron - S\xC3\xBC"
        "ddeutsche Zeitung",
        "Merkel trifft Macron",
        "S\xC3\xBC"
        "ddeutsche Zeitung");
    POS("Gov\xC3\xAArno anuncia medidas - \xC3\x89poca Neg\xC3\xB3"
        "cios",
        "Gov\xC3\xAArno anuncia medidas",
        "\xC3\x89poca Neg\xC3\xB3"
        "cios");
    POS("Sensex ends higher - The Times of India", "Sensex ends higher", "The Times of India");
    POS("Apple's new iPad reviewed - iMore", "Apple's new iPad reviewed", "iMore");
    POS("Voters head to the polls - U.S. News & World Report", "Voters head to the polls",
        "U.S. News & World Report");
    POS("Why growth stocks still matter - Investor's Business Daily",
        "Why growth stocks still matter", "Investor's Business Daily");
    POS("Storm warning for Sydney - 9News", "Storm warning for Sydney", "9News");
    POS("Fire in downtown Chicago - NBC 5 Chicago", "Fire in downtown Chicago", "NBC 5 Chicago");
    POS("Spider-Man 2 review - IGN", "Spider-Man 2 review", "IGN");
    POS("Facebook stock falls  -  MarketWatch  ", "Facebook stock falls", "MarketWatch");
    /* a dangling separator is removed */
    POS("Trump signs order - ", "Trump signs order", NULL);
    POS("Trump signs order -", "Trump signs order", NULL);
    POS("Trump signs order |", "Trump signs order", NULL);

    /* negatives: the tail is part of the headline */
    NEG("Brexit - what happens next");
    NEG("Apple unveils iPhone 6 - and it's big");
    NEG("Spider-Man 2 review");
    NEG("COVID vaccine - what you need to know");
    NEG("Obama - the early years");
    NEG("Election 2020 - 5 things to know");
    NEG("Arsenal 3 - 1 Chelsea");
    NEG("Arsenal 3 - Chelsea 1");
    NEG("Ukraine war - Live");
    NEG("Ukraine war - live updates");
    NEG("Star Wars: The Last Jedi review - Part 2");
    NEG("Markets wrap - Day 3");
    NEG("Q&A - John Smith");
    NEG("Trump says - Why Now?");
    NEG("Why I left my job - Opinion");
    NEG("Tech giants - A Very Long Outlet Name That Goes On");
    NEG("Earnings preview - Apple, Google and Amazon report");
    NEG("Man bites dog - Police Say Dog Is Fine.");
    NEG("Stocks rise - Markets: Asia");
    NEG("Inflation in 2014 - 2015");
    NEG("Bolsa cai - veja os n\xC3\xBAmeros");
    NEG("Apple - (Updated)");
    NEG("The Fed \xE2\x80\x94 \xE2\x80\x9CWe Are Done\xE2\x80\x9D");
    NEG("No separator here");
    NEG("Name-with-dashes-only");
    NEG(" - Reuters");
    NEG("");
    NEG("President \xE2\x80\x94 a profile \xE2\x80\x94 of power");
    /* UCI-style Title Case headlines */
    NEG("Amazon Prime Day 2014 - Everything You Need To Know");
    NEG("Ebola Outbreak - What We Know");
    NEG("Godzilla - Official Trailer");
    NEG("Game of Thrones Season 4 - Episode 3 Recap");
    NEG("Samsung Galaxy S5 - First Look");
    NEG("Malaysia Airlines Flight MH370 - The Latest");
    NEG("Google I/O 2014 - Live Blog");
    NEG("iPhone 6 Rumors - Release Date, Price and Specs");
    NEG("Obama - The Early Years");
    NEG("Stocks close higher - Dow up 100 points");
    POS("Apple Inc. (AAPL) stock slips - Zacks", "Apple Inc. (AAPL) stock slips", "Zacks");
    POS("How to watch the eclipse - CNET", "How to watch the eclipse", "CNET");
    POS("Galaxy S5 sales slow - Harvard Business Review", "Galaxy S5 sales slow",
        "Harvard Business Review");
    POS("Fed holds rates steady - Jornal do Brasil", "Fed holds rates steady", "Jornal do Brasil");
    POS("New species found - Live Science", "New species found", "Live Science");

    char t[] = "x - Reuters", *o = NULL;
    CHECK(nc__strip_outlet_suffix(t, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc__strip_outlet_suffix(NULL, &o) == NC_ERR_INVALID_ARG && o == NULL);
}

/* ---------------------------------------------------------------- fold */

static void test_fold(void)
{
    CHECK_FOLD("Hello World", "hello world");
    CHECK_FOLD("`quoted` A-Z 0-9 @[]{}", "'quoted' a-z 0-9 @[]{}");
    CHECK_FOLD("", "");
    CHECK_FOLD("Ukraine\xE2\x80\x99s \xE2\x80\x9Cwar\xE2\x80\x9D \xE2\x80\x93 update\xE2\x80\xA6",
               "ukraine's \"war\" - update...");
    CHECK_FOLD("\xE2\x80\x98x\xE2\x80\x9B \xE2\x80\x9Ey\xE2\x80\xB3 \xC2\xABOl\xC3\xA1\xC2\xBB",
               "'x' \"y\" \"ol\xC3\xA1\"");
    CHECK_FOLD("5\xE2\x80\xB2 a\xE2\x80\x94"
               "b\xE2\x80\x92"
               "c\xE2\x80\x95"
               "d\xE2\x88\x92"
               "e",
               "5' a-b-c-d-e");
    CHECK_FOLD("\xC3\x89 CAF\xC3\x89 A\xC3\x87\xC3\x83O",
               "\xC3\xA9 caf\xC3\xA9 a\xC3\xA7\xC3\xA3o");
    CHECK_FOLD("e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9"); /* composed */
    CHECK_FOLD("Stra\xC3\x9F"
               "e",
               "strasse");                                     /* case folding */
    CHECK_FOLD("\xEF\xAC\x81nance", "finance");                /* ligature, NFKC */
    CHECK_FOLD("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc"); /* fullwidth */
    CHECK_FOLD("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91",
               "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1");
    CHECK_FOLD("co\xC2\xADop zero\xE2\x80\x8Bwidth", "coop zerowidth"); /* ignorables */
    CHECK_FOLD("a\xC2\xA0"
               "b",
               "a b");                        /* NBSP (NFKC) */
    CHECK_FOLD("caf\xE9", "caf\xEF\xBF\xBD"); /* repaired */
    CHECK_FOLD("\xEF\xB9\x98", "-");          /* small em dash */
    CHECK_FOLD("\xC3\x80\xC3\x96\xC3\x98\xC3\x9E\xC3\x97 \xC2\xA1\xC2\xBF\xC2\xA9", /* Latin-1 */
               "\xC3\xA0\xC3\xB6\xC3\xB8\xC3\xBE\xC3\x97 \xC2\xA1\xC2\xBF\xC2\xA9");
    CHECK_FOLD("\xC2\xB5 \xC2\xBD \xC2\xB2 \xC2\xAA", "\xCE\xBC 1\xE2\x81\x84"
                                                      "2 2 a"); /* NFKC */
    CHECK_FOLD("S\xC3\xA3o Paulo \xE2\x80\x94 A\xC3\x87\xC3\x83O "
               "\xE2\x80\x9Cj\xC3\xA1\xE2\x80\x9D\xE2\x80\xA6",
               "s\xC3\xA3o paulo - a\xC3\xA7\xC3\xA3o \"j\xC3\xA1\"...");
    char *o = NULL;
    const char nul[] = "A\0B\xC3\x89";
    CHECK(nc__fold(nul, sizeof nul - 1, &o) == NC_OK);
    CHECK_STR(o, "ab\xC3\xA9");
    free(o);
    CHECK(nc__fold("ABC", 2, &o) == NC_OK);
    CHECK_STR(o, "ab");
    free(o);
    CHECK(nc__fold(NULL, 1, &o) == NC_ERR_INVALID_ARG);
    CHECK(nc__fold("x", 1, NULL) == NC_ERR_INVALID_ARG);

    /* The fast path (ASCII, Latin-1, typographic punctuation) agrees with the
     * utf8proc path, forced here by a trailing U+0100 (folds to U+0101). */
    int same = 1;
    for (uint32_t cp = 1; cp < 0x2080; cp++) {
        if (cp == 0x100) cp = 0x2000;
        char a[16] = "x", b[32];
        size_t n = 1;
        if (cp < 0x80) {
            a[n++] = (char)cp;
        } else if (cp < 0x800) {
            a[n++] = (char)(0xC0 | (cp >> 6));
            a[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            a[n++] = (char)(0xE0 | (cp >> 12));
            a[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            a[n++] = (char)(0x80 | (cp & 0x3F));
        }
        a[n++] = 'Y';
        a[n] = '\0';
        snprintf(b, sizeof b, "%s\xC4\x80", a);
        char *fa = fold(a), *fb = fold(b);
        if (!fa || !fb || strlen(fb) != strlen(fa) + 2 || strncmp(fa, fb, strlen(fa)) != 0 ||
            strcmp(fb + strlen(fa), "\xC4\x81") != 0) {
            fprintf(stderr, "  fold paths differ for U+%04X: \"%s\" vs \"%s\"\n", (unsigned)cp,
                    fa ? fa : "(null)", fb ? fb : "(null)");
            same = 0;
        }
        free(fa);
        free(fb);
    }
    CHECK(same);
}

int main(void)
{
    test_utf8_valid();
    test_cp1252();
    test_clean_entities();
    test_clean_tags_space();
    test_clean_invalid_utf8();
    test_html_basic();
    test_html_real();
    test_html_big_and_deep();
    test_html_silent();
    test_html_threads();
    test_gnews();
    test_outlet();
    test_fold();
    return nc_test_report("test_normalize");
}
