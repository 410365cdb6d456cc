/*
 * test_index_live.c - the live index through the public API: stable cluster
 * ids across nc_index_cluster calls, documents assigned as they are added
 * (joining a story, near-copies, new stories, the time window),
 * nc_index_query, and nc_index_save / nc_index_load (the same clusters under
 * the same ids, the same assignments after, and damaged files refused); the
 * id carry-over rule itself (nc__ids_plan) on hand-made clusters; and live
 * adds checked one by one against the rule computed by brute force.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, mkdtemp */
#include "nc_test.h"
#include "index_impl.h"
#include "newsclust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1400000000

static const char *const fed[] = {
    "Fed chair Yellen signals interest rates will stay low for longer",
    "Yellen says Fed will keep interest rates low as economy recovers",
    "Federal Reserve's Yellen: interest rates to stay low",
    "Yellen pledges low interest rates, Fed stimulus to continue"};
static const char *const netflix[] = {"Netflix raises subscription prices for new members",
                                      "Netflix to raise monthly subscription price by $1",
                                      "Netflix subscription price rise for new customers"};
static const char *const mars = "Curiosity rover finds ancient riverbed on Mars";

static nc_doc doc(const char *id, const char *title, int64_t t)
{
    nc_doc d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.title = title;
    d.source = "Wire";
    d.link = "http://example.com/a";
    d.published = t;
    return d;
}

/* The cluster id document @p id is in (a clustered index), or -2. */
static int64_t id_of(const nc_index *ix, const char *id)
{
    for (size_t c = 0; c < nc_index_cluster_count(ix); c++) {
        nc_cluster cl;
        if (nc_index_cluster_get(ix, c, &cl) != NC_OK) return -3;
        for (size_t j = 0; j < cl.size; j++) {
            nc_member m;
            if (nc_index_member_get(ix, c, j, &m) != NC_OK) return -3;
            if (strcmp(m.doc.id, id) == 0) return cl.id;
        }
    }
    return -2;
}

static char *json_of(const nc_index *ix)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    CHECK(nc_index_write_json(ix, f, 0, 0) == NC_OK);
    fclose(f);
    return mem;
}

/* An index of the Fed story (4), Netflix (3) and Mars (1), clustered. */
static nc_index *base_index(void)
{
    nc_params p;
    nc_params_default(&p);
    p.threads = 2;
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    static char idb[8][8];
    for (int i = 0; i < 4; i++) {
        snprintf(idb[i], sizeof idb[i], "f%d", i);
        nc_doc d = doc(idb[i], fed[i], T0 + i * 600);
        CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    }
    for (int i = 0; i < 3; i++) {
        snprintf(idb[4 + i], sizeof idb[4 + i], "n%d", i);
        nc_doc d = doc(idb[4 + i], netflix[i], T0 + 300 + i * 600);
        CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    }
    nc_doc d = doc("m0", mars, T0 + 100);
    CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    CHECK(nc_index_cluster(ix) == NC_OK);
    return ix;
}

static void test_stable_ids_and_adds(void)
{
    nc_index *ix = base_index();
    /* first clustering: ids are the output positions */
    CHECK(nc_index_cluster_count(ix) == 3);
    int64_t idf = id_of(ix, "f0"), idn = id_of(ix, "n0"), idm = id_of(ix, "m0");
    CHECK(idf == 0 && idn == 1 && idm == 2);
    CHECK(id_of(ix, "f3") == idf && id_of(ix, "n2") == idn);

    /* live adds: a paraphrase joins, a copy points at its original, a new
     * story opens a fresh id, the old story outside the window does too */
    nc_assignment a;
    nc_doc d = doc("f4", "Yellen: Fed to keep interest rates low for longer", T0 + 4000);
    CHECK(nc_index_add(ix, &d, &a) == NC_OK);
    CHECK(a.doc == 8 && a.cluster == idf && a.duplicate == -1);
    d = doc("n3", netflix[0], T0 + 5000);
    CHECK(nc_index_add(ix, &d, &a) == NC_OK);
    CHECK(a.cluster == idn && a.duplicate == 4); /* n0 is ordinal 4 */
    d = doc("e0", "Ebola outbreak spreads to Guinea capital Conakry", T0 + 5000);
    CHECK(nc_index_add(ix, &d, &a) == NC_OK);
    CHECK(a.cluster == 3 && a.duplicate == -1);
    int64_t ide = a.cluster;
    d = doc("e1", "Guinea confirms Ebola cases in capital Conakry", T0 + 5600);
    CHECK(nc_index_add(ix, &d, &a) == NC_OK);
    CHECK(a.cluster == ide);                /* joins the story opened by an add */
    d = doc("f5", fed[1], T0 + 10 * 86400); /* ten days on: outside 72 h */
    CHECK(nc_index_add(ix, &d, &a) == NC_OK);
    CHECK(a.cluster == 4 && a.duplicate == -1);
    CHECK(nc_index_cluster_count(ix) == 0); /* the results wait for a clustering */

    /* the clustering keeps every id, also those given by the adds */
    CHECK(nc_index_cluster(ix) == NC_OK);
    CHECK(nc_index_cluster_count(ix) == 5);
    CHECK(id_of(ix, "f0") == idf && id_of(ix, "f4") == idf);
    CHECK(id_of(ix, "n0") == idn && id_of(ix, "n3") == idn);
    CHECK(id_of(ix, "m0") == idm);
    CHECK(id_of(ix, "e0") == ide && id_of(ix, "e1") == ide);
    CHECK(id_of(ix, "f5") == 4);
    /* the Fed story, now the biggest, is first in output order but keeps id 0;
     * Ebola (2 members) comes before Mars but keeps its later id */
    nc_cluster cl;
    CHECK(nc_index_cluster_get(ix, 0, &cl) == NC_OK && cl.id == idf && cl.size == 5);
    CHECK(nc_index_cluster_get(ix, 2, &cl) == NC_OK && cl.id == ide && cl.size == 2);
    /* clustering again without change: nothing moves */
    char *j1 = json_of(ix);
    CHECK(nc_index_cluster(ix) == NC_OK);
    char *j2 = json_of(ix);
    CHECK(strcmp(j1, j2) == 0);
    free(j1);
    free(j2);
    nc_index_free(ix);
}

static void test_query(void)
{
    nc_index *ix = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    nc_doc q = doc("q", "Fed's Yellen says interest rates to stay low", T0 + 3000);
    nc_match m[4];
    size_t n = 9;
    CHECK(nc_index_query(ix, &q, m, 4, &n) == NC_ERR_STATE && n == 0); /* never clustered */
    nc_index_free(ix);

    ix = base_index();
    CHECK(nc_index_query(ix, &q, m, 4, &n) == NC_OK);
    CHECK(n >= 1 && m[0].cluster == 0 && m[0].joins == 1 && m[0].size == 4);
    CHECK(m[0].score >= 0.045 && m[0].score <= 1.0 && m[0].nearest < 4);
    CHECK(m[0].nearest_score >= m[0].score);
    for (size_t i = 1; i < n; i++)
        CHECK(m[i].score <= m[i - 1].score);
    CHECK(nc_index_size(ix) == 8); /* not added */
    CHECK(nc_index_cluster_count(ix) == 3);
    nc_doc far = q;
    far.published = T0 + 30 * 86400;
    CHECK(nc_index_query(ix, &far, m, 1, &n) == NC_OK);
    CHECK(n == 1 && m[0].cluster == 0 && m[0].joins == 0); /* outside the window */
    nc_doc other = doc("o", "Volcano erupts near Reykjavik airport", T0);
    CHECK(nc_index_query(ix, &other, m, 4, &n) == NC_OK && n == 0);
    CHECK(nc_index_query(ix, &q, NULL, 0, &n) == NC_OK && n == 0);
    CHECK(nc_index_query(ix, &q, NULL, 1, &n) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_query(ix, NULL, m, 1, &n) == NC_ERR_INVALID_ARG);
    CHECK(nc_index_query(NULL, &q, m, 1, &n) == NC_ERR_INVALID_ARG);
    /* documents added since count with their assigned ids */
    nc_doc e = doc("e0", "Ebola outbreak spreads to Guinea capital Conakry", T0 + 5000);
    nc_assignment a;
    CHECK(nc_index_add(ix, &e, &a) == NC_OK && a.cluster == 3);
    nc_doc qe = doc("qe", "Ebola reaches Conakry, Guinea's capital", T0 + 6000);
    CHECK(nc_index_query(ix, &qe, m, 4, &n) == NC_OK);
    CHECK(n >= 1 && m[0].cluster == 3 && m[0].size == 1 && m[0].nearest == 8 && m[0].joins);
    nc_index_free(ix);
}

/* Whether @p len bytes of @p data, written to @p path, are refused as
 * damaged: NC_ERR_CORRUPT and no index. */
static int load_refused(const char *path, const char *data, size_t len)
{
    FILE *w = fopen(path, "wb");
    if (!w) return 0;
    fwrite(data, 1, len, w);
    fclose(w);
    nc_index *ix = (nc_index *)&len; /* must come back NULL */
    nc_status st = nc_index_load(path, &ix);
    int refused = st == NC_ERR_CORRUPT && ix == NULL;
    if (st == NC_OK) nc_index_free(ix);
    return refused;
}

static void test_save_load(void)
{
    char dir[] = "/tmp/nc_live_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64], bad[64];
    snprintf(path, sizeof path, "%s/index.jsonl", dir);
    snprintf(bad, sizeof bad, "%s/bad.jsonl", dir);

    /* a never-clustered index round-trips as a batch index */
    nc_index *ix = NULL, *back = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    nc_doc d = doc("x", "Ünïcode \"quoted\" title\n", NC_TIME_UNKNOWN);
    d.parent = "p";
    CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    CHECK(nc_index_save(ix, path) == NC_OK);
    CHECK(nc_index_load(path, &back) == NC_OK && back);
    CHECK(nc_index_size(back) == 1 && nc_index_cluster_count(back) == 0);
    CHECK(nc_index_cluster(back) == NC_OK && nc_index_cluster_count(back) == 1);
    nc_member mb;
    CHECK(nc_index_member_get(back, 0, 0, &mb) == NC_OK);
    CHECK_STR(mb.doc.title, d.title);
    CHECK_STR(mb.doc.parent, "p");
    CHECK(mb.doc.summary == NULL && mb.doc.published == NC_TIME_UNKNOWN);
    nc_index_free(ix);
    nc_index_free(back);

    /* a live index with adds and a re-clustering: same output, same ids */
    nc_params p;
    nc_params_default(&p);
    p.seed = 0xFEDCBA9876543210ull; /* beyond a double's exact integers */
    p.story_threshold = 0.0451;
    ix = base_index();
    nc_doc e = doc("e0", "Ebola outbreak spreads to Guinea capital Conakry", T0 + 5000);
    CHECK(nc_index_add(ix, &e, NULL) == NC_OK);
    CHECK(nc_index_cluster(ix) == NC_OK);
    nc_doc f = doc("f4", fed[0], T0 + 4000);
    CHECK(nc_index_add(ix, &f, NULL) == NC_OK); /* assigned, not yet clustered */
    CHECK(nc_index_save(ix, path) == NC_OK);
    CHECK(access(path, F_OK) == 0);
    CHECK(nc_index_load(path, &back) == NC_OK);
    /* every cut of the file short of its last newline is refused */
    FILE *r = fopen(path, "rb");
    char whole[8192];
    size_t len = r ? fread(whole, 1, sizeof whole, r) : 0;
    if (r) fclose(r);
    CHECK(len > 500 && len < sizeof whole);
    int refused = 1;
    for (size_t cut = 0; cut + 1 < len; cut += 7) {
        if (!load_refused(bad, whole, cut)) refused = 0;
    }
    CHECK(refused);
    CHECK(nc_index_cluster(ix) == NC_OK);
    char *j1 = json_of(ix), *j2 = json_of(back);
    CHECK(strcmp(j1, j2) == 0);
    free(j1);
    free(j2);
    /* the same next assignment in both */
    nc_doc g = doc("g0", "Malaysia Airlines search moves to southern Indian Ocean", T0 + 7000);
    nc_assignment a1, a2;
    CHECK(nc_index_add(ix, &g, &a1) == NC_OK && nc_index_add(back, &g, &a2) == NC_OK);
    CHECK(a1.cluster == a2.cluster && a1.cluster == 4);
    nc_index_free(ix);
    nc_index_free(back);

    /* parameters exactly */
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    CHECK(nc_index_save(ix, path) == NC_OK);
    CHECK(nc_index_load(path, &back) == NC_OK);
    nc_params q;
    CHECK(nc_index_get_params(back, &q) == NC_OK);
    CHECK(q.seed == p.seed && q.story_threshold == p.story_threshold &&
          q.dup_threshold == p.dup_threshold && q.window_hours == p.window_hours);
    nc_index_free(back);

    /* errors: nothing written over, damaged files refused */
    char nodir[80];
    snprintf(nodir, sizeof nodir, "%s/no/such/dir/x", dir);
    CHECK(nc_index_save(ix, nodir) == NC_ERR_IO);
    CHECK(nc_index_save(ix, NULL) == NC_ERR_INVALID_ARG);
    nc_index_free(ix);
    back = (nc_index *)1;
    CHECK(nc_index_load(nodir, &back) == NC_ERR_IO && back == NULL);
    CHECK(nc_index_load(NULL, &back) == NC_ERR_INVALID_ARG);
    static const char *const damaged[] = {
        "", "not json\n", "{\"format\":\"other\",\"version\":1}\n",
        /* version 2 */
        "{\"format\":\"newsclust-index\",\"version\":2,\"params\":{\"num_perm\":128,"
        "\"dup_threshold\":0.6,\"story_threshold\":0.045,\"window_hours\":72,\"seed\":\"1\","
        "\"background\":1},\"documents\":0,\"next_cluster\":0,\"live\":false}\n",
        /* two documents promised, one given */
        "{\"format\":\"newsclust-index\",\"version\":1,\"params\":{\"num_perm\":128,"
        "\"dup_threshold\":0.6,\"story_threshold\":0.045,\"window_hours\":72,\"seed\":\"1\","
        "\"background\":1},\"documents\":2,\"next_cluster\":1,\"live\":true}\n"
        "{\"id\":\"a\",\"title\":\"t\",\"published\":null,\"cluster\":0}\n",
        /* a cluster id past next_cluster */
        "{\"format\":\"newsclust-index\",\"version\":1,\"params\":{\"num_perm\":128,"
        "\"dup_threshold\":0.6,\"story_threshold\":0.045,\"window_hours\":72,\"seed\":\"1\","
        "\"background\":1},\"documents\":1,\"next_cluster\":1,\"live\":true}\n"
        "{\"id\":\"a\",\"title\":\"t\",\"published\":null,\"cluster\":1}\n",
        /* a parameter out of range */
        "{\"format\":\"newsclust-index\",\"version\":1,\"params\":{\"num_perm\":128,"
        "\"dup_threshold\":1.6,\"story_threshold\":0.045,\"window_hours\":72,\"seed\":\"1\","
        "\"background\":1},\"documents\":0,\"next_cluster\":0,\"live\":false}\n",
        /* the same id twice */
        "{\"format\":\"newsclust-index\",\"version\":1,\"params\":{\"num_perm\":128,"
        "\"dup_threshold\":0.6,\"story_threshold\":0.045,\"window_hours\":72,\"seed\":\"1\","
        "\"background\":1},\"documents\":2,\"next_cluster\":0,\"live\":false}\n"
        "{\"id\":\"a\",\"title\":\"t\",\"published\":5,\"cluster\":-1}\n"
        "{\"id\":\"a\",\"title\":\"u\",\"published\":6,\"cluster\":-1}\n"};
    for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
        int ok = load_refused(bad, damaged[i], strlen(damaged[i]));
        CHECK(ok);
        if (!ok) fprintf(stderr, "  damaged file %zu loaded or failed otherwise\n", i);
    }
    remove(bad);
    remove(path);
    CHECK(rmdir(dir) == 0); /* no temporary file was left behind */
}

/* ---- live assignments against the rule computed by brute force */

static const char *const vocab[] = {
    "apple",   "iphone", "samsung", "galaxy", "google",  "glass",  "tesla",   "model",
    "ukraine", "russia", "paris",   "summit", "market",  "stocks", "bank",    "rates",
    "eclipse", "moon",   "thrones", "season", "warrior", "wwe",    "tax",     "deadline",
    "ebola",   "africa", "oil",     "prices", "fed",     "yellen", "netflix", "comcast"};

#define N_RAND 3000

/* Cosine of stored documents a and b with the live index's weights. */
static double cosine(const nc_index *ix, size_t a, size_t b)
{
    const ixdoc *x = &ix->docs.a[a], *y = &ix->docs.a[b];
    double s = 0.0, na = 0.0, nb = 0.0;
    for (uint32_t i = 0; i < x->n_tok; i++) {
        double w = x->tok[i].w * nc__index_idf(ix, x->tok[i].tok);
        na += w * w;
    }
    for (uint32_t j = 0; j < y->n_tok; j++) {
        double w = y->tok[j].w * nc__index_idf(ix, y->tok[j].tok);
        nb += w * w;
    }
    if (a < ix->n_norm) na = (double)ix->norm[a] * ix->norm[a];
    if (b < ix->n_norm) nb = (double)ix->norm[b] * ix->norm[b];
    for (uint32_t i = 0, j = 0; i < x->n_tok && j < y->n_tok;) {
        if (x->tok[i].tok < y->tok[j].tok) {
            i++;
        } else if (x->tok[i].tok > y->tok[j].tok) {
            j++;
        } else {
            double idf = nc__index_idf(ix, x->tok[i].tok);
            s += x->tok[i].w * idf * y->tok[j].w * idf;
            i++;
            j++;
        }
    }
    return na > 0 && nb > 0 ? s / sqrt(na * nb) : 0.0;
}

static void test_assign_brute_force(void)
{
    static char titles[N_RAND][96], names[N_RAND][16];
    nc_params p;
    nc_params_default(&p);
    p.threads = 2;
    p.story_threshold = 0.25;
    p.window_hours = 6;
    nc_index *ix = NULL;
    CHECK(nc_index_create(&p, &ix) == NC_OK);
    uint64_t st = 99;
    size_t half = N_RAND / 2, bad = 0, opened = 0, joined = 0, copies = 0;
    double *sum = calloc(N_RAND + 1, sizeof *sum);
    size_t *cnt = calloc(N_RAND + 1, sizeof *cnt);
    int64_t *lo = malloc((N_RAND + 1) * sizeof *lo), *hi = malloc((N_RAND + 1) * sizeof *hi);
    for (size_t i = 0; i < N_RAND; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        int s = (int)((st >> 33) % 16);
        int r1 = (int)((st >> 20) % 32), r2 = (int)((st >> 8) % 32);
        if ((st >> 50) % 5 == 0 && i > 0) /* a copy of an earlier headline */
            memcpy(titles[i], titles[(st >> 13) % i], sizeof titles[i]);
        else
            snprintf(titles[i], sizeof titles[i], "%s %s %s news %s", vocab[2 * s],
                     vocab[2 * s + 1], vocab[r1], vocab[r2]);
        snprintf(names[i], sizeof names[i], "r%05zu", i);
        nc_doc d = doc(names[i], titles[i], T0 + (int64_t)i * 60);
        if (i % 97 == 0) d.published = NC_TIME_UNKNOWN;
        nc_assignment a;
        CHECK(nc_index_add(ix, &d, &a) == NC_OK);
        if (i + 1 == half) CHECK(nc_index_cluster(ix) == NC_OK);
        if (i < half) continue;
        /* the rule, by brute force over every earlier document */
        int64_t nid = ix->next_id;
        for (int64_t c = 0; c < nid; c++) {
            sum[c] = 0.0;
            cnt[c] = 0;
            lo[c] = INT64_MAX;
            hi[c] = INT64_MIN;
        }
        size_t top = SIZE_MAX;
        double topv = 0.0;
        for (size_t e = 0; e < i; e++) {
            int64_t c = ix->doc_cluster.a[e];
            double v = cosine(ix, i, e);
            sum[c] += v;
            cnt[c]++;
            int64_t t = ix->docs.a[e].d.published;
            if (t != NC_TIME_UNKNOWN && t < lo[c]) lo[c] = t;
            if (t != NC_TIME_UNKNOWN && t > hi[c]) hi[c] = t;
            if (v > topv + 1e-6) {
                topv = v;
                top = e;
            }
        }
        int64_t t = d.published, w = 6 * 3600;
        double best = -1.0;
        for (int64_t c = 0; c < nid; c++) {
            if (c == a.cluster && a.duplicate < 0 && cnt[c] == 0) continue; /* opened now */
            int ok = t == NC_TIME_UNKNOWN || lo[c] == INT64_MAX ||
                     (t > hi[c] ? t : hi[c]) - (t < lo[c] ? t : lo[c]) <= w;
            double avg = cnt[c] ? sum[c] / (double)cnt[c] : 0.0;
            if (ok && avg >= p.story_threshold && avg > best) best = avg;
        }
        int64_t c = a.cluster;
        if (a.duplicate >= 0) {
            copies++;
            /* a near-copy of (one of) the most similar documents */
            if (fabs(cosine(ix, i, (size_t)a.duplicate) - topv) > 1e-5 ||
                ix->doc_cluster.a[a.duplicate] != c ||
                !nc__dup_is_copy(ix, (uint32_t)a.duplicate, (uint32_t)i))
                bad++;
        } else if (cnt[c] == 0) {
            opened++;
            /* nothing to join, and no near-copy on top */
            if (best >= p.story_threshold + 1e-5) bad++;
            if (top != SIZE_MAX && nc__dup_is_copy(ix, (uint32_t)top, (uint32_t)i)) {
                int64_t tc = ix->doc_cluster.a[top];
                int ok = t == NC_TIME_UNKNOWN || lo[tc] == INT64_MAX ||
                         (t > hi[tc] ? t : hi[tc]) - (t < lo[tc] ? t : lo[tc]) <= w;
                if (ok) bad++;
            }
        } else {
            joined++;
            if (fabs(sum[c] / (double)cnt[c] - best) > 1e-5) bad++;
        }
    }
    CHECK(bad == 0);
    CHECK(opened > 10 && joined > 100 && copies > 50); /* every path taken */
    if (bad) fprintf(stderr, "  %zu of %zu assignments off the rule\n", bad, N_RAND - half);
    free(sum);
    free(cnt);
    free(lo);
    free(hi);
    nc_index_free(ix);
}

/* The carry-over rule on hand-made clusters of a six-document index. */
static void test_ids_plan(void)
{
    nc_index *ix = NULL;
    CHECK(nc_index_create(NULL, &ix) == NC_OK);
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g"};
    for (int i = 0; i < 7; i++) {
        nc_doc d = doc(names[i], "t", T0);
        CHECK(nc_index_add(ix, &d, NULL) == NC_OK);
    }
    static const int64_t prior[] = {3, 3, 4, 4, 4, 3, -1};
    CHECK(NC_VEC_RESERVE(&ix->doc_cluster, 7) == 0);
    memcpy(ix->doc_cluster.a, prior, sizeof prior);
    ix->doc_cluster.n = 7;
    ix->next_id = 6;
    /* clusters {a b c}: 3 twice, 4 once; {d e}: 4 twice; {f}: 3 (taken);
     * {g}: none */
    uint32_t members[] = {0, 1, 2, 3, 4, 5, 6};
    ixcluster cl[4];
    memset(cl, 0, sizeof cl);
    cl[0].first = 0, cl[0].size = 3;
    cl[1].first = 3, cl[1].size = 2;
    cl[2].first = 5, cl[2].size = 1;
    cl[3].first = 6, cl[3].size = 1;
    int64_t ids[4];
    CHECK(nc__ids_plan(ix, cl, 4, members, ids) == 0);
    CHECK(ids[0] == 3 && ids[1] == 4 && ids[2] == 6 && ids[3] == 7);
    nc__ids_commit(ix, cl, 4, members, ids);
    CHECK(ix->next_id == 8 && cl[2].id == 6 && ix->doc_cluster.a[5] == 6);
    /* a tie of counts goes to the older id, then to the earlier cluster */
    static const int64_t tie[] = {5, 2, 5, 2, -1, -1, -1};
    memcpy(ix->doc_cluster.a, tie, sizeof tie);
    cl[0].first = 0, cl[0].size = 2; /* a b: 5, 2 */
    cl[1].first = 2, cl[1].size = 2; /* c d: 5, 2 */
    CHECK(nc__ids_plan(ix, cl, 2, members, ids) == 0);
    CHECK(ids[0] == 2 && ids[1] == 5);
    nc_index_free(ix);
}

int main(void)
{
    test_stable_ids_and_adds();
    test_query();
    test_save_load();
    test_ids_plan();
    test_assign_brute_force();
    return nc_test_report("test_index_live");
}
