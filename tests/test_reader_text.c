/*
 * test_reader_text.c - plain-text articles: the two scraped seed documents
 * (002: aggregator navigation, repeated photo captions, bullet paragraphs,
 * a sign-up footer; 004: syndication footer) give the right headline, lead
 * and body without boilerplate; and synthetic articles check each rule on
 * its own: navigation block, date line, cue lines, repeated lines,
 * separators, trailing block, hard-wrapped paragraphs, Windows-1252 input,
 * an HTML page, CRLF, and input that is nothing but boilerplate.
 */
#include "nc_test.h"
#include "normalize.h"
#include "reader_test_util.h"

#include <stdio.h>
#include <string.h>

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static void test_002(void)
{
    tres t;
    t_read_file("../data/002_5169f3dc4537730f.txt", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_TEXT && t.n == 1 && t.nerr == 0);
    if (t.n != 1) {
        t_free(&t);
        return;
    }
    const tdoc *d = &t.docs[0];
    CHECK_STR(d->id, "002_5169f3dc4537730f.txt");
    CHECK_STR(
        d->title,
        "Ukraine war briefing: US backs European ceasefire security guarantees for first time");
    CHECK(d->summary && strncmp(d->summary,
                                "The United States for the first time on Tuesday "
                                "backed a broad coalition",
                                68) == 0);
    CHECK(d->summary && contains(d->summary, "top general in Europe.") &&
          !contains(d->summary, "\n"));
    CHECK(d->published == NC_TIME_UNKNOWN);
    CHECK(d->link == NULL && d->parent == NULL);
    static const char *const gone[] = {"•",
                                       "Get all your news",
                                       "premium titles",
                                       "Start reading",
                                       "The Guardian - AU",
                                       "Guardian staff",
                                       "Photograph",
                                       "flanked by Jared",
                                       "Sign up",
                                       "Already a member",
                                       "Related Stories",
                                       "inkl",
                                       "Our Picks",
                                       "Fourteen days",
                                       "Download the app",
                                       "trusted global sources"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
        if (contains(d->text, gone[i]) || contains(d->summary, gone[i]))
            fprintf(stderr, "002 still has \"%s\"\n", gone[i]);
        CHECK(!contains(d->text, gone[i]) && !contains(d->summary, gone[i]));
    }
    CHECK(d->text && strncmp(d->text, d->summary, strlen(d->summary)) == 0); /* lead first */
    CHECK(contains(d->text, "Witkoff, who has led talks with Russia"));
    CHECK(d->text &&
          strstr(d->text, "firefighters were working to contain the blaze, Gladkov said.") &&
          strlen(strstr(d->text, "the blaze, Gladkov said.")) ==
              strlen("the blaze, Gladkov said."));
    t_free(&t);
}

static void test_004(void)
{
    tres t;
    t_read_file("../data/004_9892dc4eae38963a.txt", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n != 1) {
        t_free(&t);
        return;
    }
    const tdoc *d = &t.docs[0];
    CHECK_STR(d->title, "US discusses stronger Ukraine security guarantees with allies");
    CHECK(d->summary && strncmp(d->summary, "U.S. envoy Steve Witkoff said he held a", 39) == 0);
    static const char *const gone[] = {"Published in",   "News & Features", "_____",   "©",
                                       "Bloomberg L.P.", "Distributed by",  "Comments"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        CHECK(!contains(d->text, gone[i]));
    size_t n = d->text ? strlen(d->text) : 0;
    CHECK(n > 20 && strcmp(d->text + n - 17, "postwar military.") == 0);
    CHECK(contains(d->text, "Rustem Umerov, a top Ukrainian envoy"));
    CHECK(!contains(d->text, "US discusses stronger")); /* the headline is not body */
    t_free(&t);
}

static void test_rules(void)
{
    tres t;
    static const char a[] =
        "Home\r\nWorld\r\nBusiness\r\nSport\r\nOpinion\r\n\r\n"
        "Storm batters the northern coast overnight\r\n\r\n"
        "Published: 7 January 2026\r\n"
        "Share this article\r\n"
        "Heavy rain and winds of up to 120 km/h hit the northern coast overnight, cutting power "
        "to thousands of homes\r\n"
        "and closing the main coastal road for several hours, officials said.\r\n"
        "* * *\r\n"
        "Crews worked through the night to restore electricity. Most homes had power again by the "
        "morning, the utility said in a statement.\r\n"
        "Subscribe to our newsletter\r\n"
        "Copyright 2026 Example Media\r\n"
        "More stories\r\n";
    t_read_mem(a, sizeof a - 1, "storm.txt", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_TEXT && t.n == 1);
    if (t.n) {
        const tdoc *d = &t.docs[0];
        char b[32];
        CHECK_STR(d->title, "Storm batters the northern coast overnight");
        CHECK_STR(nc_time_format(d->published, b), "2026-01-07T00:00:00Z");
        /* the hard-wrapped first paragraph is joined into the lead */
        CHECK_STR(d->summary, "Heavy rain and winds of up to 120 km/h hit the northern coast "
                              "overnight, cutting power to thousands of homes and closing the "
                              "main coastal road for several hours, officials said.");
        CHECK(contains(d->text, "Crews worked through the night"));
        static const char *const gone[] = {"Home",      "Sport",     "Share this",   "* * *",
                                           "Subscribe", "Copyright", "More stories", "Published"};
        for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
            CHECK(!contains(d->text, gone[i]));
        CHECK(!contains(d->text, "\r"));
    }
    t_free(&t);

    /* Windows-1252 text becomes UTF-8 */
    static const char cp[] = "Caf\xE9 owners \x93"
                             "celebrate\x94 the new rules today\n\nThe owners "
                             "of the caf\xE9"
                             "s in the old town said on Monday that they welcome the "
                             "new rules, which take effect next month.\n";
    t_read_mem(cp, sizeof cp - 1, "cp.txt", NC_FORMAT_AUTO, &t);
    CHECK(t.n == 1);
    if (t.n) {
        CHECK_STR(t.docs[0].title, "Café owners “celebrate” the new rules today");
        CHECK(t.docs[0].text && nc__utf8_valid(t.docs[0].text, strlen(t.docs[0].text)));
        CHECK(contains(t.docs[0].summary, "cafés in the old town"));
    }
    t_free(&t);

    /* an HTML page read as text */
    static const char page[] =
        "<html><head><title>x</title><script>var a = 1;</script></head>"
        "<body><h1>Council approves the new city budget</h1><p>The city "
        "council approved the budget for next year on Tuesday evening "
        "after a long debate about &quot;priorities&quot;.</p></body></html>";
    t_read_mem(page, sizeof page - 1, "page.html", NC_FORMAT_AUTO, &t);
    CHECK(t.format == NC_FORMAT_TEXT && t.n == 1);
    if (t.n) {
        CHECK(!t_doc_has_markup(&t.docs[0]));
        CHECK(contains(t.docs[0].summary, "\"priorities\""));
        CHECK(!contains(t.docs[0].text, "var a"));
    }
    t_free(&t);

    /* nothing but boilerplate: a document all the same, no crash */
    static const char junk[] = "Sign in\nSubscribe\nMenu\n\n\n_____\n";
    t_read_mem(junk, sizeof junk - 1, "junk.txt", NC_FORMAT_TEXT, &t);
    CHECK(t.n == 1 && t.nerr == 0);
    if (t.n) CHECK_STR(t.docs[0].id, "junk.txt");
    t_free(&t);

    /* repeated headline: kept once */
    static const char rep[] = "Markets close higher after a volatile session\n"
                              "Markets close higher after a volatile session\n\nStocks ended the "
                              "day higher on Friday after swinging between gains and losses for "
                              "most of the afternoon session.\n";
    t_read_mem(rep, sizeof rep - 1, "rep.txt", NC_FORMAT_TEXT, &t);
    CHECK(t.n == 1);
    if (t.n) {
        CHECK_STR(t.docs[0].title, "Markets close higher after a volatile session");
        CHECK(!contains(t.docs[0].text, "Markets close higher"));
    }
    t_free(&t);
}

int main(void)
{
    test_002();
    test_004();
    test_rules();
    return nc_test_report("test_reader_text");
}
