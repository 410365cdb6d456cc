/*
 * test_link_slug.c - the headline slug of a URL (link_slug.c): the segment
 * with the most plain words, file extensions, dates, ids, query strings and
 * encoded redirects left out; and its words reach the story terms only.
 */
#include "nc_test.h"

#include "doc_features.h"
#include "link_slug.h"

#include <string.h>

static const char *slug(const char *link)
{
    static char buf[256];
    nc__link_slug(link, buf, sizeof buf);
    return buf;
}

static void test_slugs(void)
{
    CHECK_STR(slug("http://www.geeky-gadgets.com/mt-gox-botcoin-exchange-files-for-bankruptcy-in-"
                   "the-us-10-03-2014/"),
              "mt gox botcoin exchange files for bankruptcy in the us");
    CHECK_STR(slug("http://www.fdlreporter.com/viewart/20140310/FON03/303100179/"
                   "US-stocks-open-lower-gloomy-news-from-Asia"),
              "US stocks open lower gloomy news from Asia");
    CHECK_STR(slug("https://time.com/2014/05/28/kim-kanye-wedding-pictures.html?utm_source=feed&"
                   "utm_medium=rss-and-more-words"),
              "kim kanye wedding pictures");
    CHECK_STR(slug("http://www.latimes.com/business/money/la-fi-mo-gm-recall-20140310,0,1.story"),
              "la fi mo gm recall");
    /* section words alone are not a slug: fewer than two words a segment */
    CHECK_STR(slug("http://www.npr.org/2014/05/28/316552625/business"), "");
    /* ids and numbers only */
    CHECK_STR(slug("http://www.digitaljournal.com/pr/1806312"), "");
    CHECK_STR(slug("http://example.com/article_256888f4-3121-5448-8abd-6e8e3cdde848.html"), "");
    /* camel-cased runs (base64 without digits) are not words; "McDonald"
     * is one too, a price of the rule */
    CHECK_STR(slug("https://x.com/a/aBcDeF-gHiJkL-mNoPq"), "");
    CHECK_STR(slug("https://x.com/a/gm-recalls-aBcDeF-cars"), "gm recalls cars");
    /* a run of more than NC_SLUG_MAX_WORD (20) characters is not a word */
    CHECK_STR(slug("https://x.com/gm-recalls-abcdefghijklmnopqrstu-cars"), "gm recalls cars");
    CHECK_STR(slug("https://x.com/gm-recalls-abcdefghijklmnopqrst-cars"),
              "gm recalls abcdefghijklmnopqrst cars");
    /* Google News redirects: base64, mostly digits and camel-cased runs */
    CHECK_STR(
        slug("https://news.google.com/rss/articles/CBMiwwFBVV95cUxQOURWTk1ISkdRU1FWcGZYUERnMDN"
             "qQjZ4ZG9GZFgxQ0UySjJCaTVxNG90WnVmVjRERm5GbVdPZG9NS0N4cnhZb0tHcXk1Mm9zeHRF?oc=5"),
        "");
    /* the host never counts, nor does a fragment */
    CHECK_STR(slug("https://big-news-site-today.example/#/some-words-here"), "");
    CHECK_STR(slug("no-scheme-at-all"), "");
    CHECK_STR(slug(""), "");
    CHECK(nc__link_slug(NULL, NULL, 0) == 0);
    /* the first of two equally good segments; an over-long run is no word */
    CHECK_STR(slug("http://x.org/one-two/three-four/averyveryveryverylongrunofletters-five"),
              "one two");
}

static void test_capacity(void)
{
    char b[12];
    size_t n = nc__link_slug("http://x.org/alpha-beta-gamma-delta", b, sizeof b);
    CHECK(n == 2);
    CHECK_STR(b, "alpha beta");
    char one[1] = {'x'};
    CHECK(nc__link_slug("http://x.org/alpha-beta", one, 1) == 0 && one[0] == 0);
}

static int has(const nc_features *f, const char *surface)
{
    for (size_t i = 0; i < f->n_story; i++)
        if (!strcmp(f->surface + f->story[i].surface, surface)) return 1;
    return 0;
}

static void test_features_use_slug(void)
{
    nc_featurizer *fz = NULL;
    CHECK(nc__featurizer_create(&fz) == NC_OK);
    nc_features a, b;
    CHECK(nc__features_compute(fz, "Bride and groom say yes", NULL, NULL, &a) == NC_OK);
    size_t story_plain = a.n_story, dup_plain = a.n_dup_full;
    CHECK(!has(&a, "kardashian"));
    CHECK(nc__features_compute(fz, "Bride and groom say yes", NULL,
                               "http://site.com/2014/05/24/kim-kardashian-kanye-west-wed.html",
                               &b) == NC_OK);
    CHECK(has(&b, "kardashian") && has(&b, "kanye"));
    CHECK(b.n_story > story_plain);
    CHECK(b.n_dup_full == dup_plain); /* near-copies are judged on the text alone */
    nc__featurizer_free(fz);
}

int main(void)
{
    test_slugs();
    test_capacity();
    test_features_use_slug();
    return nc_test_report("test_link_slug");
}
