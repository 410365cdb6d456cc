/*
 * test_features.c - the feature sets of a text (features.c) are the same
 * whether its words are split by the ASCII fast path or by the general code
 * point path: hand-picked texts where a word runs from ASCII into non-ASCII
 * bytes, invalid bytes, capitals, digits and cut-off endings, then random
 * texts of such pieces.
 */
#include "nc_test.h"

#include "doc_features.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether two featurizers give the same features for one text. */
static int same_features(nc_featurizer *fast, nc_featurizer *general, const char *title,
                         const char *summary, const char *link)
{
    nc_features a, b;
    if (nc__features_compute(fast, title, summary, link, &a) != NC_OK) return 0;
    if (nc__features_compute(general, title, summary, link, &b) != NC_OK) return 0;
    if (a.n_dup_title != b.n_dup_title || a.n_dup_full != b.n_dup_full || a.n_story != b.n_story)
        return 0;
    if (a.n_dup_title && memcmp(a.dup_title, b.dup_title, a.n_dup_title * sizeof *a.dup_title))
        return 0;
    if (a.n_dup_full && memcmp(a.dup_full, b.dup_full, a.n_dup_full * sizeof *a.dup_full)) return 0;
    for (size_t i = 0; i < a.n_story; i++) {
        if (a.story[i].hash != b.story[i].hash || a.story[i].weight != b.story[i].weight) return 0;
        if (strcmp(a.surface + a.story[i].surface, b.surface + b.story[i].surface)) return 0;
    }
    return 1;
}

static void test_cases(nc_featurizer *fast, nc_featurizer *general)
{
    static const char *const texts[] = {
        "Alzheimer\xE2\x80\x99s Disease: 15 minute test could spot early sign of dementia",
        "Caf\xC3\xA9 owners in Z\xC3\xBCrich and \xC3\x89"
        "COLE staff strike",
        "NASA, FBI and the USA: iPhone 5S sales up 20% in Q3",
        "3D printing 4K TVs A1 road",
        "Bad \xFF bytes \xC3 here and \xE2\x80 there",
        "Fox International Channels Announces Two Spectacular Space Events This  ...",
        "Ends cut short \xE2\x80\xA6",
        "\xC3\x9F"
        "ab abc\xC3\x9F"
        "d stra\xC3\x9F"
        "e",
        "X",
        "",
        "   ...",
        "Title Case Headline Makes All Words Capitalised",
        "a-b c_d e.f g'h 'quoted' \"dq\" (paren) [br]",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        CHECK(same_features(fast, general, texts[i], NULL, NULL));
        CHECK(same_features(fast, general, "Headline here", texts[i], NULL));
    }
    CHECK(
        same_features(fast, general, texts[0], texts[1],
                      "http://www.example.com/news/caf\xC3\xA9-owners-strike-in-zurich-20140310"));
    /* a summary longer than the lead's word limit */
    char longer[4096] = "";
    for (int i = 0; i < 120; i++)
        strcat(longer, i % 7 ? "word " : "M\xC3\xBCller ");
    CHECK(same_features(fast, general, "Long lead", longer, NULL));
}

static void test_random(nc_featurizer *fast, nc_featurizer *general)
{
    static const char *const pieces[] = {
        "a",    "Z",    "q",   "7",        "0",        "\xC3\xA9", "\xC3\x89", "\xE2\x80\x99",
        "\xC3", "\xFF", " ",   "  ",       "-",        ".",        "...",      "\xE2\x80\xA6",
        "Ab",   "USA",  "iOS", "\xC7\x85", "\xC3\x9F", "'",        "_",        "\xEF\xAC\x81",
    };
    size_t np = sizeof pieces / sizeof pieces[0];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int bad = 0;
    for (int round = 0; round < 20000; round++) {
        char t[256] = "";
        size_t len = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int pieces_n = (int)(x % 40);
        for (int k = 0; k < pieces_n; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *pc = pieces[x % np];
            size_t m = strlen(pc);
            if (len + m >= sizeof t) break;
            memcpy(t + len, pc, m + 1);
            len += m;
        }
        if (!same_features(fast, general, t, round % 3 ? NULL : t, NULL)) bad++;
    }
    CHECK(bad == 0);
}

int main(void)
{
    nc_featurizer *fast = NULL, *general = NULL;
    CHECK(nc__featurizer_create(&fast) == NC_OK);
    CHECK(nc__featurizer_create(&general) == NC_OK);
    if (!fast || !general) return nc_test_report("test_features");
    nc__featurizer_general_path(general, 1);
    test_cases(fast, general);
    test_random(fast, general);
    nc__featurizer_free(fast);
    nc__featurizer_free(general);
    nc__featurizer_free(NULL);
    return nc_test_report("test_features");
}
