/*
 * test_background.c - the built-in background term table: its terms hash
 * to exactly the engine's story-term hashes (unigram and bigram), lookups
 * return the table's counts, and in an index the background turns the IDF
 * of a batch's bursty name back up, is skipped for a batch it does not
 * cover (German), and is off with params.background = 0.
 */
#include "nc_test.h"
#include "newsclust.h"

#include "background.h"
#include "doc_features.h"
#include "index_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_hash(const nc_features *f, uint64_t h)
{
    for (size_t i = 0; i < f->n_story; i++)
        if (f->story[i].hash == h) return 1;
    return 0;
}

static void test_hashes_match_features(void)
{
    nc_featurizer *fz = NULL;
    CHECK(nc__featurizer_create(&fz) == NC_OK);
    nc_features f;
    CHECK(nc__features_compute(fz, "GM recalls more cars", NULL, NULL, &f) == NC_OK);
    CHECK(has_hash(&f, nc__bg_term_hash("gm")));
    CHECK(has_hash(&f, nc__bg_term_hash("recal")));
    CHECK(has_hash(&f, nc__bg_term_hash("gm recal"))); /* the bigram */
    CHECK(!has_hash(&f, nc__bg_term_hash("recal gm")));
    nc__featurizer_free(fz);
}

static void test_table_lookup(void)
{
    CHECK(nc__bg_en_docs > 100000);
    CHECK(nc__bg_en_count > 1000);
    nc_bg bg;
    CHECK(nc__bg_init_builtin(&bg) == 0);
    CHECK(bg.n == nc__bg_en_count);
    size_t wrong = 0;
    for (size_t i = 0; i < nc__bg_en_count; i++) /* no two terms share a hash */
        if (nc__bg_df(&bg, nc__bg_term_hash(nc__bg_en_terms[i].stems)) != nc__bg_en_terms[i].df)
            wrong++;
    CHECK(wrong == 0);
    for (size_t i = 1; i < bg.n; i++)
        if (bg.hash[i - 1] >= bg.hash[i]) wrong++;
    CHECK(wrong == 0);
    CHECK(nc__bg_df(&bg, nc__bg_term_hash("kardashian")) > 100);
    CHECK(nc__bg_df(&bg, nc__bg_term_hash("zzqxwv")) == 0);
    nc__bg_free(&bg);
    nc__bg_free(&bg); /* idempotent */

    /* tables of 0 to 9 entries (hashes 10, 20, ...): every entry found, and
     * every value between, below and above them not */
    uint64_t hs[9];
    uint32_t dfs[9];
    for (size_t len = 0; len <= 9; len++) {
        for (size_t i = 0; i < len; i++) {
            hs[i] = 10 * (i + 1);
            dfs[i] = (uint32_t)(100 + i);
        }
        nc_bg small = {hs, dfs, len, 1.0};
        for (uint64_t h = 0; h <= 10 * len + 11; h++) {
            uint32_t want =
                h % 10 == 0 && h >= 10 && h <= 10 * len ? (uint32_t)(100 + h / 10 - 1) : 0;
            if (nc__bg_df(&small, h) != want) wrong++;
        }
        if (len && nc__bg_df(&small, UINT64_MAX) != 0) wrong++;
    }
    CHECK(wrong == 0);
}

/* The IDF of folded word @p w's stem in a clustered index (-1: absent). */
static double idf_of(const nc_index *ix, const char *stem)
{
    uint64_t h = nc__bg_term_hash(stem);
    for (size_t t = 0; t < ix->tok_df.n; t++)
        if (ix->tok_hash[t] == h) return ix->idf[t];
    return -1.0;
}

/* 40 headlines: "Kardashian" in half of them (today's big story), "new"
 * (common in news in general) in a tenth. */
static nc_index *bursty_batch(int background)
{
    static const char *const other[] = {"stocks fall as oil prices climb",
                                        "senate passes the budget bill",
                                        "storm hits the east coast", "apple unveils a tablet",
                                        "new vaccine trial begins in africa"};
    nc_params p;
    nc_params_default(&p);
    p.background = background;
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    char id[16], title[96];
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "b%02d", i);
        if (i % 2 == 0)
            snprintf(title, sizeof title, "Kim Kardashian wedding photos number %d", i);
        else
            snprintf(title, sizeof title, "%s report %d", other[(i / 2) % 5], i);
        nc_doc d = {.id = id, .title = title, .published = 1400000000};
        CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    }
    CHECK(nc_index_cluster(ix) == NC_OK);
    return ix;
}

static void test_background_idf(void)
{
    nc_index *on = bursty_batch(1), *off = bursty_batch(0);
    nc_index_info in_on, in_off;
    CHECK(nc_index_get_info(on, &in_on) == NC_OK && nc_index_get_info(off, &in_off) == NC_OK);
    CHECK(in_on.background_used == 1 && in_on.background_coverage >= 0.3);
    CHECK(in_off.background_used == 0 && in_off.background_coverage == 0.0);
    /* batch alone: the bursty name weighs less than a common word */
    CHECK(idf_of(off, "kardashian") < idf_of(off, "new"));
    /* with the background: rare in news in general, so it weighs more */
    CHECK(idf_of(on, "kardashian") > idf_of(on, "new"));
    nc_index_free(on);
    nc_index_free(off);
}

static void test_other_language_not_covered(void)
{
    static const char *const titles[] = {
        "Bundesregierung beschließt neues Gesetz zur Datenspeicherung",
        "Wetterdienst warnt vor Sturm im Norden",
        "Fußball: Bayern gewinnt gegen Dortmund",
        "Bahnstreik legt den Fernverkehr lahm",
        "Forscher entdecken neue Käferart im Regenwald",
        "Gericht kippt Fahrverbot für Dieselfahrzeuge",
    };
    nc_index *ix = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    char id[8];
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof id, "g%d", i);
        nc_doc d = {.id = id, .title = titles[i], .published = 1400000000};
        CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    }
    CHECK(nc_index_cluster(ix) == NC_OK);
    nc_index_info in;
    CHECK(nc_index_get_info(ix, &in) == NC_OK);
    CHECK(in.background_used == 0 && in.background_coverage < 0.3);
    nc_index_free(ix);
}

static void test_bad_param(void)
{
    nc_params p;
    nc_params_default(&p);
    CHECK(p.background == 1);
    p.background = 2;
    nc_index *ix = (nc_index *)1;
    CHECK(nc_index_create(&p, &ix) == NC_ERR_INVALID_ARG && ix == NULL);
}

int main(void)
{
    test_hashes_match_features();
    test_table_lookup();
    test_background_idf();
    test_other_language_not_covered();
    test_bad_param();
    return nc_test_report("test_background");
}
