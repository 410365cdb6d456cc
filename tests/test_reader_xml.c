/*
 * test_reader_xml.c - RSS 2.0 / RSS 1.0 / Atom reading: the three real feeds
 * in feeds/ (counts, titles, links, dates, accents of a Windows-1252 feed
 * without an XML declaration), field mapping (CDATA and escaped HTML,
 * dc:creator vs publisher, <source>, title suffixes, guid / link fallbacks,
 * Atom links and xhtml content, RDF), encodings (declared ISO-8859-1,
 * undeclared Windows-1252, stray bytes in UTF-8), format detection, stdin,
 * a Google News item split into its related-coverage documents, and roots
 * that are not feeds.
 */
#include "nc_test.h"
#include "normalize.h"
#include "reader_test_util.h"

#include <stdio.h>
#include <string.h>

static const char *iso(int64_t t, char buf[32])
{
    return t == NC_TIME_UNKNOWN ? "unknown" : nc_time_format(t, buf);
}

static int all_valid_utf8(const tres *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const tdoc *d = &t->docs[i];
        const char *f[] = {d->id, d->title, d->summary, d->text, d->source, d->link};
        for (size_t k = 0; k < 6; k++)
            if (f[k] && !nc__utf8_valid(f[k], strlen(f[k]))) return 0;
    }
    return 1;
}

static void check_feed_basics(const tres *t)
{
    size_t bad = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tdoc *d = &t->docs[i];
        if (!d->id || !d->title || !d->link || d->published == NC_TIME_UNKNOWN || !d->source ||
            t_doc_has_markup(d) || d->parent)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(all_valid_utf8(t));
    CHECK(t->nerr == 0 && t->skipped == 0 && t->ended);
}

static void test_guardian(void)
{
    tres t;
    char b[32];
    t_read_file("feeds/guardian.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK);
    CHECK(t.format == NC_FORMAT_RSS);
    CHECK(t.n == 55);
    check_feed_basics(&t);
    if (t.n) {
        CHECK_STR(t.docs[0].title,
                  "Trump State of the Union address promised unity but emphasized discord");
        CHECK_STR(t.docs[0].link, "https://www.theguardian.com/us-news/2018/jan/31/"
                                  "donald-trump-state-of-the-union-address-unity-discord");
        CHECK_STR(t.docs[0].id, t.docs[0].link); /* the guid */
        CHECK_STR(iso(t.docs[0].published, b), "2018-01-31T07:26:05Z");
        CHECK_STR(t.docs[0].source, "The Guardian"); /* the channel title */
        CHECK(t.docs[0].summary && strncmp(t.docs[0].summary,
                                           "The president’s ‘new American "
                                           "moment’ speech",
                                           40) == 0);
    }
    /* lists of links inside descriptions are not Google News coverage */
    size_t with_parent = 0, with_summary = 0;
    for (size_t i = 0; i < t.n; i++) {
        with_parent += t.docs[i].parent != NULL;
        with_summary += t.docs[i].summary != NULL;
    }
    CHECK(with_parent == 0);
    CHECK(with_summary == 55);
    t_free(&t);
}

static void test_uol(void)
{
    tres t;
    char b[32];
    t_read_file("feeds/uolNoticias.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK && t.format == NC_FORMAT_RSS);
    CHECK(t.n == 15);
    check_feed_basics(&t);
    if (t.n >= 2) {
        CHECK_STR(t.docs[0].title,
                  "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno");
        CHECK(strstr(t.docs[0].title, "simulações") != NULL);
        CHECK(t.docs[0].summary && strncmp(t.docs[0].summary, "Líder na pesquisa Ibope", 24) == 0);
        CHECK_STR(iso(t.docs[0].published, b), "2018-09-24T22:42:40Z"); /* "Seg, 24 Set" */
        CHECK(strstr(t.docs[1].title, "inquérito") != NULL);
        CHECK_STR(t.docs[0].source, "UOL Noticias");
    }
    t_free(&t);
}

static void test_heise(void)
{
    tres t;
    char b[32];
    t_read_file("feeds/heise.atom", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK && t.format == NC_FORMAT_ATOM);
    CHECK(t.n == 15);
    check_feed_basics(&t);
    if (t.n) {
        const tdoc *d = &t.docs[0];
        CHECK_STR(d->title, "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei");
        CHECK_STR(d->id, "http://heise.de/-3088438");
        CHECK_STR(d->link, "http://www.heise.de/developer/meldung/"
                           "Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html"
                           "?wt_mc=rss.developer.beitrag.atom");
        CHECK_STR(iso(d->published, b), "2016-02-01T16:22:00Z"); /* <published>, not <updated> */
        CHECK(d->summary && strncmp(d->summary, "Die nun verfügbare Version 10", 30) == 0);
        CHECK(d->text && strstr(d->text, "Namenswechsel des Open-Source-Projekts") != NULL);
    }
    t_free(&t);
}

static void test_stdin(void)
{
    tres t;
    if (!freopen("feeds/heise.atom", "rb", stdin)) {
        CHECK(0);
        return;
    }
    t_read_file("-", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK);
    CHECK(t.n == 15);
    CHECK(t.n && strncmp(t.docs[0].id, "http://heise.de/", 16) == 0);
    t_free(&t);
}

static const char rss_fields[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "     xmlns:media=\"http://search.yahoo.com/mrss/\">\n"
    "<channel><title>Example &amp; Co</title><link>http://example.com/</link>\n"
    "<image><title>Logo title</title></image>\n"
    "<item><title><![CDATA[<b>Bold</b> &amp; brave]]></title>\n"
    "  <link>http://example.com/1</link>\n"
    "  <description>&lt;p&gt;First &lt;i&gt;para&lt;/i&gt;&amp;nbsp;here.&lt;/p&gt;"
    "&lt;p&gt;Second.&lt;/p&gt;</description>\n"
    "  <content:encoded><![CDATA[<p>Body <a href=\"x\">text</a></p>]]></content:encoded>\n"
    "  <dc:creator>Jane Doe</dc:creator><media:title>not the title</media:title>\n"
    "  <pubDate>Wed, 31 Jan 2018 20:15:15 GMT</pubDate></item>\n"
    "<item><title>Markets rally again - BBC News</title><guid>http://example.com/2</guid>\n"
    "  <dc:date>2018-02-01T10:00:00Z</dc:date></item>\n"
    "<item><title>Wire story</title><link>http://example.com/3</link>\n"
    "  <source url=\"http://reuters.com/rss\">Reuters</source>\n"
    "  <dc:creator>Associated Press</dc:creator></item>\n"
    "<item><title>Byline only</title><guid isPermaLink=\"false\">tag:example,3</guid>\n"
    "  <dc:creator>Example News</dc:creator></item>\n"
    "<item><title>No id at all</title></item>\n"
    "<item/>\n"
    "</channel></rss>\n";

static void test_rss_fields(void)
{
    tres t;
    char b[32];
    t_read_mem(rss_fields, sizeof rss_fields - 1, "mem.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK && t.format == NC_FORMAT_RSS);
    CHECK(t.n == 5);
    CHECK(t.nerr == 0);
    if (t.n == 5) {
        const tdoc *d = &t.docs[0];
        CHECK_STR(d->title, "Bold & brave");
        CHECK(d->summary && strstr(d->summary, "First para here.") &&
              strstr(d->summary, "Second."));
        CHECK(d->summary && !strchr(d->summary, '\n'));
        CHECK_STR(d->text, "Body text");
        CHECK_STR(d->source, "Example & Co"); /* a person is not a source */
        CHECK_STR(d->id, "http://example.com/1");
        CHECK_STR(iso(d->published, b), "2018-01-31T20:15:15Z");

        d = &t.docs[1];
        CHECK_STR(d->title, "Markets rally again");
        CHECK_STR(d->source, "BBC News");           /* from the title suffix */
        CHECK_STR(d->link, "http://example.com/2"); /* a permalink guid */
        CHECK_STR(iso(d->published, b), "2018-02-01T10:00:00Z");

        CHECK_STR(t.docs[2].source, "Reuters");
        CHECK_STR(t.docs[3].source, "Example News"); /* a publisher-like creator */
        CHECK_STR(t.docs[3].id, "tag:example,3");
        CHECK(t.docs[3].link == NULL);
        CHECK_STR(t.docs[4].id, "mem.rss#5");
        CHECK(t.docs[4].published == NC_TIME_UNKNOWN);
        for (size_t i = 0; i < t.n; i++)
            CHECK(!t_doc_has_markup(&t.docs[i]));
    }
    t_free(&t);
}

static const char atom_feed[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- a comment -->\n"
    "<!DOCTYPE feed [ <!ENTITY e \"x\"> ]>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Feed title</title>\n"
    "<entry><title type=\"html\">A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; move</title>\n"
    "  <link rel=\"self\" href=\"http://e.com/self\"/>\n"
    "  <link rel=\"alternate\" href=\"http://e.com/a?x=1&amp;y=2\"/>\n"
    "  <id>urn:1</id><updated>2020-05-01T12:00:00+02:00</updated>\n"
    "  <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>One &amp; "
    "<b>two</b></p><p>Three</p></div></content>\n"
    "  <source><title>Origin Wire</title></source></entry>\n"
    "<entry><title>Second</title><link href=\"http://e.com/b\"/><id>urn:2</id>\n"
    "  <author><name>Jane Roe</name></author><summary>Short</summary></entry>\n"
    "</feed>\n";

static void test_atom_fields(void)
{
    tres t;
    char b[32];
    t_read_mem(atom_feed, sizeof atom_feed - 1, "mem.xml", NC_FORMAT_AUTO, &t);
    CHECK(t.open_status == NC_OK && t.format == NC_FORMAT_ATOM);
    CHECK(t.n == 2 && t.nerr == 0);
    if (t.n == 2) {
        CHECK_STR(t.docs[0].title, "A bold move");
        CHECK_STR(t.docs[0].link, "http://e.com/a?x=1&y=2");
        CHECK_STR(t.docs[0].id, "urn:1");
        CHECK_STR(iso(t.docs[0].published, b), "2020-05-01T10:00:00Z");
        CHECK(t.docs[0].text && strstr(t.docs[0].text, "One & two") &&
              strstr(t.docs[0].text, "Three"));
        CHECK_STR(t.docs[0].source, "Origin Wire");
        CHECK_STR(t.docs[1].link, "http://e.com/b");
        CHECK_STR(t.docs[1].summary, "Short");
        CHECK_STR(t.docs[1].source, "Feed title"); /* an author is not a publisher */
    }
    t_free(&t);
}

static void test_rdf(void)
{
    static const char rdf[] =
        "<?xml version=\"1.0\"?>\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
        "  xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<channel rdf:about=\"http://r.org/\"><title>RDF Site</title></channel>\n"
        "<item rdf:about=\"http://r.org/1\"><title>Item one</title><link>http://r.org/1</link>\n"
        "<dc:date>2019-03-04T05:06:07Z</dc:date></item>\n"
        "<item rdf:about=\"http://r.org/2\"><title>Item two</title><link>http://r.org/2</link>"
        "</item>\n</rdf:RDF>\n";
    tres t;
    t_read_mem(rdf, sizeof rdf - 1, "r.rdf", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_RSS && t.n == 2);
    if (t.n == 2) {
        CHECK_STR(t.docs[0].title, "Item one");
        CHECK_STR(t.docs[1].link, "http://r.org/2");
        CHECK_STR(t.docs[0].source, "RDF Site");
        CHECK(t.docs[0].published == 1551675967);
    }
    t_free(&t);
}

static void test_encodings(void)
{
    tres t;
    /* declared ISO-8859-1: libxml2 converts */
    static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                                 "<rss><channel><item><title>Caf\xE9 cr\xE8me</title>"
                                 "<link>http://l/1</link></item></channel></rss>";
    t_read_mem(latin1, sizeof latin1 - 1, "l.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].title, "Café crème");
    t_free(&t);

    /* no declaration and not UTF-8: Windows-1252 (curly quotes, euro) */
    static const char cp[] = "<rss><channel><title>Canal</title><item><title>\x93Ol\xE1\x94 "
                             "custa \x80 5</title><link>http://c/1</link></item></channel></rss>";
    t_read_mem(cp, sizeof cp - 1, "c.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].title, "“Olá” custa € 5");
    t_free(&t);

    /* declared UTF-8 with one stray Latin-1 byte among UTF-8: repaired, kept */
    static const char stray[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel>"
                                "<item><title>Größe caf\xE9</title><link>http://s/1</link></item>"
                                "<item><title>Next</title><link>http://s/2</link></item>"
                                "</channel></rss>";
    t_read_mem(stray, sizeof stray - 1, "s.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 2 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].title, "Größe café");
    CHECK(all_valid_utf8(&t));
    t_free(&t);
}

static const char gnews_rss[] =
    "<rss version=\"2.0\"><channel><title>Google News</title>\n"
    "<item><title>Big summit ends with a deal - Reuters</title>\n"
    "<link>https://news.google.com/a1</link><guid isPermaLink=\"false\">CBMi-1</guid>\n"
    "<pubDate>Tue, 06 Jan 2026 18:00:00 GMT</pubDate>\n"
    "<description>&lt;ol&gt;&lt;li&gt;&lt;a href=\"https://news.google.com/a0\" "
    "target=\"_blank\"&gt;Leaders meet in Paris&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font "
    "color=\"#6f6f6f\"&gt;BBC&lt;/font&gt;&lt;/li&gt;&lt;li&gt;&lt;a "
    "href=\"https://news.google.com/a1\" target=\"_blank\"&gt;Big summit ends with a "
    "deal&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color=\"#6f6f6f\"&gt;Reuters&lt;/font&gt;"
    "&lt;/li&gt;&lt;li&gt;&lt;a href=\"https://news.google.com/a2\" target=\"_blank\"&gt;"
    "Deal reached &amp;amp; signed&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font "
    "color=\"#6f6f6f\"&gt;The Guardian&lt;/font&gt;&lt;/li&gt;&lt;/ol&gt;</description>\n"
    "<source url=\"https://www.reuters.com\">Reuters</source></item>\n"
    "</channel></rss>\n";

static void test_gnews_rss(void)
{
    tres t;
    char b[32];
    t_read_mem(gnews_rss, sizeof gnews_rss - 1, "g.rss", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 3 && t.nerr == 0);
    if (t.n == 3) {
        /* the parent first (it is line 2 of the list), then lines 1 and 3 */
        CHECK_STR(t.docs[0].id, "CBMi-1");
        CHECK_STR(t.docs[0].title, "Big summit ends with a deal");
        CHECK_STR(t.docs[0].source, "Reuters");
        CHECK(t.docs[0].summary == NULL); /* the list is not a summary */
        CHECK(t.docs[0].parent == NULL);
        CHECK_STR(t.docs[1].id, "CBMi-1#1");
        CHECK_STR(t.docs[1].title, "Leaders meet in Paris");
        CHECK_STR(t.docs[1].source, "BBC");
        CHECK_STR(t.docs[1].link, "https://news.google.com/a0");
        CHECK_STR(t.docs[1].parent, "CBMi-1");
        CHECK_STR(iso(t.docs[1].published, b), "2026-01-06T18:00:00Z");
        CHECK_STR(t.docs[2].id, "CBMi-1#3");
        CHECK_STR(t.docs[2].title, "Deal reached & signed");
        CHECK_STR(t.docs[2].source, "The Guardian");
        for (size_t i = 0; i < t.n; i++)
            CHECK(!t_doc_has_markup(&t.docs[i]));
    }
    t_free(&t);
}

static void test_roots_and_formats(void)
{
    tres t;
    /* an XHTML page is not a feed: as RSS it is an error, auto reads text */
    static const char page[] = "<?xml version=\"1.0\"?><html><body><p>Hello there, this is a "
                               "page</p></body></html>";
    t_read_mem(page, sizeof page - 1, "p.xml", NC_FORMAT_RSS, &t);
    CHECK(t.open_status == NC_OK && t.n == 0 && t.nerr == 1 && t.ended);
    CHECK(t.nerr && t.codes[0] == NC_ERR_FORMAT);
    CHECK(t.nerr && strstr(t.errs[0], "p.xml:") == t.errs[0] &&
          strstr(t.errs[0], "not an RSS or Atom feed"));
    t_free(&t);
    t_read_mem(page + 21, sizeof page - 22, "p.html", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_TEXT && t.n == 1 && t.nerr == 0);
    t_free(&t);

    /* asked for Atom, got RSS: the root decides */
    t_read_mem(rss_fields, sizeof rss_fields - 1, "x", NC_FORMAT_ATOM, &t);
    CHECK(t.n == 5 && t.format == NC_FORMAT_RSS);
    t_free(&t);
}

int main(void)
{
    test_guardian();
    test_uol();
    test_heise();
    test_stdin();
    test_rss_fields();
    test_atom_fields();
    test_rdf();
    test_encodings();
    test_gnews_rss();
    test_roots_and_formats();
    return nc_test_report("test_reader_xml");
}
