/*
 * test_reader_markdown.c - Markdown with YAML front matter: the five seed
 * documents in ../data give exactly 17 documents (5 items + 4 related lines
 * each from 000, 001, 003; the item's own line is not repeated, so 000's
 * Reuters line is "#2"), titles without outlet suffixes, sources from the
 * suffix when the front matter source is a URL, parents without the
 * flattened list as summary; and the front matter parser: quoting styles and
 * escapes, multi-line and block scalars, block lists, comments, the id / url
 * / published keys, a file without a closing fence, a "# Heading" title.
 */
#include "nc_test.h"
#include "reader_test_util.h"

#include <stdio.h>
#include <string.h>

static const char *const seeds[] = {
    "../data/000_3b2b5ba8c80ccf41.txt", "../data/001_3aa68a8d806b5d7b.txt",
    "../data/002_5169f3dc4537730f.txt", "../data/003_a90b0d2206cb7772.txt",
    "../data/004_9892dc4eae38963a.txt",
};

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

static void test_seed_data(void)
{
    size_t total = 0, related = 0, bad = 0;
    tres t[5];
    for (int i = 0; i < 5; i++) {
        t_read_file(seeds[i], NC_FORMAT_AUTO, &t[i]);
        CHECK(t[i].open_status == NC_OK && t[i].nerr == 0 && t[i].ended);
        total += t[i].n;
        for (size_t k = 0; k < t[i].n; k++) {
            const tdoc *d = &t[i].docs[k];
            related += d->parent != NULL;
            if (!d->title || t_doc_has_markup(d)) bad++;
            /* no outlet suffix left: the title does not end in " - <source>" */
            if (d->title && d->source) {
                char tail[128];
                snprintf(tail, sizeof tail, " - %s", d->source);
                if (ends_with(d->title, tail)) bad++;
            }
        }
    }
    CHECK(total == 17);
    CHECK(related == 12);
    CHECK(bad == 0);
    CHECK(t[0].format == NC_FORMAT_MARKDOWN && t[2].format == NC_FORMAT_TEXT);
    CHECK(t[0].n == 5 && t[1].n == 5 && t[2].n == 1 && t[3].n == 5 && t[4].n == 1);

    if (t[0].n == 5) {
        const tdoc *p = &t[0].docs[0];
        char b[32];
        CHECK_STR(p->id, "000_3b2b5ba8c80ccf41.txt");
        CHECK_STR(p->title, "Ukraine war briefing: US backs European ceasefire security "
                            "guarantees for first time");
        CHECK_STR(p->source, "The Guardian");
        CHECK(p->summary == NULL && p->text == NULL && p->parent == NULL);
        CHECK(p->link &&
              strncmp(p->link, "https://news.google.com/rss/articles/CBMiyAFB", 45) == 0);
        CHECK_STR(nc_time_format(p->published, b), "2026-01-07T00:00:00Z");
        const tdoc *r = t_find(&t[0], "000_3b2b5ba8c80ccf41.txt#2");
        CHECK(r == &t[0].docs[1]);
        if (r) {
            CHECK_STR(
                r->title,
                "US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris");
            CHECK_STR(r->source, "Reuters");
            CHECK_STR(r->parent, "000_3b2b5ba8c80ccf41.txt");
            CHECK(r->link &&
                  strncmp(r->link, "https://news.google.com/rss/articles/CBMiwwFB", 45) == 0);
            CHECK(r->published == p->published);
        }
        CHECK(t_find(&t[0], "000_3b2b5ba8c80ccf41.txt#1") == NULL);
        CHECK_STR(t[0].docs[4].id, "000_3b2b5ba8c80ccf41.txt#5");
        CHECK_STR(t[0].docs[4].source, "DW");
        CHECK_STR(t[0].docs[4].title,
                  "Ukraine updates: Zelenskyy seeks 'concrete results' in Paris");
    }
    if (t[1].n == 5) {
        CHECK_STR(t[1].docs[0].title,
                  "US backs security guarantees for Ukraine at summit of Kyiv's allies in Paris");
        CHECK_STR(t[1].docs[0].source, "KSL.com");
        CHECK_STR(t[1].docs[1].id, "001_3aa68a8d806b5d7b.txt#2");
        CHECK_STR(t[1].docs[1].source, "BBC");
        CHECK_STR(
            t[1].docs[3].title,
            "NATO ambassador: ‘We could be on the cusp’ of peace deal between Russia, Ukraine");
    }
    if (t[3].n == 5) {
        CHECK_STR(t[3].docs[0].title,
                  "Why Security Guarantees Are So Crucial, and Thorny, for Ukraine");
        CHECK_STR(t[3].docs[0].source, "The New York Times");
        CHECK_STR(t[3].docs[4].source, "Bitget");
    }
    if (t[2].n) {
        CHECK_STR(t[2].docs[0].title, "Ukraine war briefing: US backs European ceasefire security "
                                      "guarantees for first time");
    }
    if (t[4].n)
        CHECK_STR(t[4].docs[0].title,
                  "US discusses stronger Ukraine security guarantees with allies");
    for (int i = 0; i < 5; i++)
        t_free(&t[i]);
}

static const char yaml[] =
    "---\r\n"
    "# a comment line\n"
    "title: \"Escapes: \\\"quoted\\\" caf\\u00e9 \\x41 back\\\\slash\\tTab\"\n"
    "id: my-id-7\n"
    "summary: 'It''s single-quoted'\n"
    "url: https://example.com/story?x=1 # trailing comment\n"
    "published: Tue, 06 Jan 2026 18:00:00 +0100\n"
    "source:\n"
    "  - 'Example Post'\n"
    "  - Other\n"
    "tags:\n"
    "- a\n"
    "description: \"a description that runs\n"
    "  over two lines\"\n"
    "ignored: >\n"
    "  folded\n"
    "  block\n"
    "---\n"
    "<p>Body paragraph with <b>markup</b> &amp; an entity.</p>\n";

static void test_front_matter(void)
{
    tres t;
    t_read_mem(yaml, sizeof yaml - 1, "story.md", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_MARKDOWN);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n == 1) {
        const tdoc *d = &t.docs[0];
        char b[32];
        CHECK_STR(d->id, "my-id-7");
        CHECK_STR(d->title, "Escapes: \"quoted\" café A back\\slash Tab");
        CHECK_STR(d->summary, "It's single-quoted");
        CHECK_STR(d->link, "https://example.com/story?x=1");
        CHECK_STR(nc_time_format(d->published, b), "2026-01-06T17:00:00Z");
        CHECK_STR(d->source, "Example Post");
        CHECK_STR(d->text, "Body paragraph with markup & an entity.");
    }
    t_free(&t);

    /* description is the summary when there is no summary; block scalars */
    static const char y2[] = "---\ntitle: Plain title: with colon\ndescription: |\n  line one\n"
                             "  line two\ndate: 2025-12-31\n---\n";
    t_read_mem(y2, sizeof y2 - 1, "y2.md", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1);
    if (t.n == 1) {
        CHECK_STR(t.docs[0].id, "y2.md");
        CHECK_STR(t.docs[0].title, "Plain title: with colon");
        CHECK_STR(t.docs[0].summary, "line one line two");
        CHECK(t.docs[0].text == NULL);
        CHECK(t.docs[0].published == 1767139200);
    }
    t_free(&t);
}

static void test_fallbacks(void)
{
    tres t;
    /* no closing fence: read as a plain-text article */
    static const char open_fence[] = "---\nUnclosed front matter headline here\n\nA long paragraph "
                                     "of prose that is long enough to be the lead paragraph of "
                                     "this little article, for sure.\n";
    t_read_mem(open_fence, sizeof open_fence - 1, "u.md", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].id, "u.md");
    t_free(&t);

    /* no front matter but a .md name: a "# Heading" becomes the title */
    static const char md[] = "# The heading of the note\n\nSome text that follows the heading and "
                             "is long enough to be a paragraph of prose, it is.\n";
    t_read_mem(md, sizeof md - 1, "note.md", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_MARKDOWN && t.n == 1);
    if (t.n) CHECK_STR(t.docs[0].title, "The heading of the note");
    t_free(&t);

    /* front matter with an empty body and no title: the "# " line of the body */
    static const char md2[] = "---\ndate: 2026-01-01\n---\n# Body heading\n\ntext\n";
    t_read_mem(md2, sizeof md2 - 1, "b.md", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1);
    if (t.n) CHECK_STR(t.docs[0].title, "Body heading");
    t_free(&t);
}

int main(void)
{
    test_seed_data();
    test_front_matter();
    test_fallbacks();
    return nc_test_report("test_reader_markdown");
}
