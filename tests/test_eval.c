/*
 * test_eval.c - clustering quality measures (nc_eval_labels) on small
 * hand-computed cases, a randomised cross-check against naive O(n^2)
 * definitions, and nc_eval_files on labels + output files (envelope,
 * one-line envelope, JSON Lines) including missing items and errors.
 */
#define _POSIX_C_SOURCE 200809L
#include "newsclust.h"
#include "nc_test.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define NEAR(a, b) (fabs((a) - (b)) < 1e-12)
#define N_OF(a) (sizeof(a) / sizeof(a)[0])

typedef struct expect {
    double pair_p, pair_r, pair_f1, bcubed_p, bcubed_r, bcubed_f1, ari, nmi;
} expect;

static void check_result(const nc_eval_result *r, const expect *e, int line)
{
    int ok = NEAR(r->pair_p, e->pair_p) && NEAR(r->pair_r, e->pair_r) &&
             NEAR(r->pair_f1, e->pair_f1) && NEAR(r->bcubed_p, e->bcubed_p) &&
             NEAR(r->bcubed_r, e->bcubed_r) && NEAR(r->bcubed_f1, e->bcubed_f1) &&
             NEAR(r->ari, e->ari) && NEAR(r->nmi, e->nmi);
    if (!ok)
        fprintf(stderr,
                "line %d: got pair %.17g %.17g %.17g bcubed %.17g %.17g %.17g ari %.17g nmi "
                "%.17g\n",
                line, r->pair_p, r->pair_r, r->pair_f1, r->bcubed_p, r->bcubed_r, r->bcubed_f1,
                r->ari, r->nmi);
    CHECK(ok);
}

static nc_eval_result run(const uint32_t *t, const uint32_t *p, size_t n)
{
    nc_eval_result r;
    CHECK(nc_eval_labels(t, p, n, &r) == NC_OK);
    return r;
}

/*
 * Truth T = [0,0,0,1,1,2] (n = 6): true clusters sizes a = 3, 2, 1.
 * True pairs sum C(a_i,2) = 3 + 1 + 0 = 4; all pairs C(6,2) = 15.
 * H(T) = -(1/2 ln 1/2 + 1/3 ln 1/3 + 1/6 ln 1/6) = 2/3 ln 2 + 1/2 ln 3 = 1.0114042647...
 */
static const uint32_t T6[] = {0, 0, 0, 1, 1, 2};

static void test_perfect(void)
{
    /* The same partition under other label values: every measure is 1. */
    static const uint32_t p[] = {5, 5, 5, 9, 9, 7};
    nc_eval_result r = run(T6, p, 6);
    check_result(&r, &(expect){1, 1, 1, 1, 1, 1, 1, 1}, __LINE__);
    CHECK(r.items == 6 && r.true_clusters == 3 && r.pred_clusters == 3 && r.missing == 0);
}

static void test_singletons(void)
{
    /* Pred all singletons.  Predicted pairs 0 -> pair P = 1 (convention),
     * tp = 0 -> R = 0, F1 = 0.
     * B-cubed: P(x) = 1 for all; R(x) = 1/|T(x)|: 3 x 1/3 + 2 x 1/2 + 1 = 3,
     * R = 3/6 = 0.5, F1 = 2 x 1 x 0.5 / 1.5 = 2/3.
     * ARI: tp = 0, E = 4 x 0 / 15 = 0, max = (4 + 0)/2 = 2 -> 0 / 2 = 0.
     * NMI: pred refines truth so MI = H(T) = 1.01140426; H(P) = ln 6 =
     * 1.79175947; NMI = 1.01140426 / 1.40158187 = 0.72161625984... */
    static const uint32_t p[] = {0, 1, 2, 3, 4, 5};
    nc_eval_result r = run(T6, p, 6);
    double ht = 2.0 / 3 * log(2) + 0.5 * log(3);
    check_result(&r, &(expect){1, 0, 0, 1, 0.5, 2.0 / 3, 0, ht / ((ht + log(6)) / 2)}, __LINE__);
    CHECK(NEAR(r.nmi, 0.7216162598446756));
    CHECK(r.true_clusters == 3 && r.pred_clusters == 6);
}

static void test_one_cluster(void)
{
    /* Pred one cluster of 6.  Predicted pairs 15, tp = 4: P = 4/15, R = 1,
     * F1 = 2 (4/15) / (19/15) = 8/19.
     * B-cubed: P = (3^2 + 2^2 + 1^2) / 6 / 6 = 14/36 = 7/18; R = 1;
     * F1 = 2 (7/18) / (25/18) = 14/25 = 0.56.
     * ARI: E = 4 x 15 / 15 = 4 = tp -> 0 / (9.5 - 4) = 0.
     * NMI: H(P) = 0, so MI = 0 and NMI = 0 (only both 0 gives 1). */
    static const uint32_t p[] = {0, 0, 0, 0, 0, 0};
    nc_eval_result r = run(T6, p, 6);
    check_result(&r, &(expect){4.0 / 15, 1, 8.0 / 19, 7.0 / 18, 1, 0.56, 0, 0}, __LINE__);
    CHECK(r.pred_clusters == 1);
}

static void test_mixed(void)
{
    /* Pred [0,0,1,1,1,2]: P0 = {0,1}, P1 = {2,3,4}, P2 = {5}; b = 2, 3, 1.
     * Contingency n_ij:     P0 P1 P2
     *               T0 (3)   2  1  .
     *               T1 (2)   .  2  .
     *               T2 (1)   .  .  1
     * Pairs: tp = C(2,2) + C(2,2) = 2; true 4; pred 1 + 3 = 4.
     *   P = 2/4 = 0.5, R = 2/4 = 0.5, F1 = 0.5.
     * B-cubed P = (2^2/2 + 1^2/3 + 2^2/3 + 1^2/1) / 6 = (14/3) / 6 = 7/9;
     *   per item: 1, 1, 1/3, 2/3, 2/3, 1.  R = (4/3 + 1/3 + 4/2 + 1) / 6 = 7/9;
     *   F1 = 7/9 = 0.7777...
     * ARI: E = 4 x 4 / 15 = 16/15; (2 - 16/15) / (4 - 16/15) = (14/15)/(44/15)
     *   = 7/22 = 0.318181...  (pair confusion: tp 2, fp 2, fn 2, tn 9:
     *   2 (9x2 - 2x2) / (4x11 + 4x11) = 28/88.)
     * NMI: MI = sum n_ij/n ln(n n_ij / (a_i b_j))
     *   = 2/6 ln(12/6) + 1/6 ln(6/9) + 2/6 ln(12/6) + 1/6 ln(6/1) = ln 2;
     *   H(P) = H(T) (same sizes) = 2/3 ln 2 + 1/2 ln 3;
     *   NMI = ln 2 / (2/3 ln 2 + 1/2 ln 3) = 0.68533147896158... */
    static const uint32_t p[] = {0, 0, 1, 1, 1, 2};
    nc_eval_result r = run(T6, p, 6);
    double nmi = log(2) / (2.0 / 3 * log(2) + 0.5 * log(3));
    check_result(&r, &(expect){0.5, 0.5, 0.5, 7.0 / 9, 7.0 / 9, 7.0 / 9, 7.0 / 22, nmi}, __LINE__);
    CHECK(NEAR(r.nmi, 0.6853314789615865));
    CHECK(r.items == 6 && r.true_clusters == 3 && r.pred_clusters == 3);
    /* Symmetric case: swapping truth and prediction swaps P and R only. */
    nc_eval_result s = run(p, T6, 6);
    check_result(&s, &(expect){0.5, 0.5, 0.5, 7.0 / 9, 7.0 / 9, 7.0 / 9, 7.0 / 22, nmi}, __LINE__);
}

static void test_asymmetric(void)
{
    /* Pred [0,0,0,0,1,2]: P0 = {0,1,2,3}, P1 = {4}, P2 = {5}; b = 4, 1, 1.
     * Contingency: T0P0 = 3, T1P0 = 1, T1P1 = 1, T2P2 = 1.
     * Pairs: tp = 3, true 4, pred 6: P = 0.5, R = 0.75, F1 = 0.6.
     * B-cubed P = (9/4 + 1/4 + 1 + 1) / 6 = 4.5/6 = 0.75;
     *   R = (9/3 + 1/2 + 1/2 + 1) / 6 = 5/6; F1 = 2 (3/4)(5/6) / (19/12) = 15/19.
     * ARI: E = 4 x 6 / 15 = 1.6; (3 - 1.6) / (5 - 1.6) = 7/17 = 0.41176...
     * NMI: MI = 1/2 ln(18/12) + 1/6 ln(6/8) + 1/6 ln(6/2) + 1/6 ln 6 = ln 3 - 2/3 ln 2;
     *   H(P) = -(2/3 ln 2/3 + 2 x 1/6 ln 1/6) = ln 3 - 1/3 ln 2;
     *   NMI = (ln 3 - 2/3 ln 2) / ((H(T) + H(P)) / 2) = 0.67751482726779... */
    static const uint32_t p[] = {0, 0, 0, 0, 1, 2};
    nc_eval_result r = run(T6, p, 6);
    double l2 = log(2), l3 = log(3);
    double nmi = (l3 - 2.0 / 3 * l2) / ((2.0 / 3 * l2 + 0.5 * l3 + l3 - l2 / 3) / 2);
    check_result(&r, &(expect){0.5, 0.75, 0.6, 0.75, 5.0 / 6, 15.0 / 19, 7.0 / 17, nmi}, __LINE__);
    CHECK(NEAR(r.nmi, 0.6775148272677979));
    /* Swapped: precision and recall trade places. */
    nc_eval_result s = run(p, T6, 6);
    check_result(&s, &(expect){0.75, 0.5, 0.6, 5.0 / 6, 0.75, 15.0 / 19, 7.0 / 17, nmi}, __LINE__);
}

static void test_degenerate(void)
{
    static const uint32_t single[] = {0, 1, 2, 3}, single2[] = {3, 2, 1, 0};
    static const uint32_t one[] = {4, 4, 4}, one2[] = {1, 1, 1};
    /* Both all singletons: no pairs anywhere (P = R = 1), ARI denominator 0
     * (-> 1), MI = H = ln 4 (NMI 1). */
    nc_eval_result r = run(single, single2, 4);
    check_result(&r, &(expect){1, 1, 1, 1, 1, 1, 1, 1}, __LINE__);
    /* Both one cluster: both entropies 0 -> NMI 1; ARI denominator 0 -> 1. */
    r = run(one, one2, 3);
    check_result(&r, &(expect){1, 1, 1, 1, 1, 1, 1, 1}, __LINE__);
    /* One item. */
    r = run(one, one2, 1);
    check_result(&r, &(expect){1, 1, 1, 1, 1, 1, 1, 1}, __LINE__);
    CHECK(r.items == 1 && r.true_clusters == 1 && r.pred_clusters == 1);
    /* No items: every score 1, counts 0. */
    CHECK(nc_eval_labels(NULL, NULL, 0, &r) == NC_OK);
    check_result(&r, &(expect){1, 1, 1, 1, 1, 1, 1, 1}, __LINE__);
    CHECK(r.items == 0 && r.true_clusters == 0 && r.pred_clusters == 0);
    /* Sparse label values (the hash renumbering) give the mixed case. */
    static const uint32_t t[] = {4000000000u, 4000000000u, 4000000000u, 7, 7, 123456789};
    static const uint32_t p[] = {UINT32_MAX, UINT32_MAX, 0, 0, 0, 3000000000u};
    r = run(t, p, 6);
    CHECK(NEAR(r.ari, 7.0 / 22) && NEAR(r.bcubed_p, 7.0 / 9) && NEAR(r.pair_f1, 0.5));
    CHECK(NEAR(r.nmi, 0.6853314789615865) && r.pred_clusters == 3);
    /* Bad arguments. */
    CHECK(nc_eval_labels(T6, T6, 6, NULL) == NC_ERR_INVALID_ARG);
    CHECK(nc_eval_labels(NULL, T6, 6, &r) == NC_ERR_INVALID_ARG);
    CHECK(nc_eval_labels(T6, NULL, 6, &r) == NC_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- naive cross-check */

static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t m)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % m;
}

/* The textbook definitions, O(n^2) and O(k^2), in double. */
static void naive(const uint32_t *t, const uint32_t *p, size_t n, uint32_t kt, uint32_t kp,
                  nc_eval_result *r)
{
    double tp = 0, tpairs = 0, ppairs = 0, bp = 0, br = 0;
    for (size_t x = 0; x < n; x++) {
        double same_both = 0, same_p = 0, same_t = 0;
        for (size_t y = 0; y < n; y++) {
            same_p += p[x] == p[y];
            same_t += t[x] == t[y];
            same_both += p[x] == p[y] && t[x] == t[y];
            if (y > x) {
                tp += p[x] == p[y] && t[x] == t[y];
                tpairs += t[x] == t[y];
                ppairs += p[x] == p[y];
            }
        }
        bp += same_both / same_p;
        br += same_both / same_t;
    }
    r->pair_p = ppairs > 0 ? tp / ppairs : 1;
    r->pair_r = tpairs > 0 ? tp / tpairs : 1;
    r->pair_f1 =
        r->pair_p + r->pair_r > 0 ? 2 * r->pair_p * r->pair_r / (r->pair_p + r->pair_r) : 0;
    r->bcubed_p = bp / (double)n;
    r->bcubed_r = br / (double)n;
    r->bcubed_f1 = 2 * r->bcubed_p * r->bcubed_r / (r->bcubed_p + r->bcubed_r);
    double all = (double)n * (double)(n - 1) / 2;
    double fp = ppairs - tp, fn = tpairs - tp, tn = all - tp - fp - fn;
    r->ari = fp == 0 && fn == 0
                 ? 1
                 : 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    double *m = calloc((size_t)kt * kp, sizeof *m), *a = calloc(kt, sizeof *a),
           *b = calloc(kp, sizeof *b);
    for (size_t x = 0; x < n; x++) {
        m[t[x] * kp + p[x]]++;
        a[t[x]]++;
        b[p[x]]++;
    }
    double mi = 0, ht = 0, hp = 0, nn = (double)n;
    uint32_t ct = 0, cp = 0;
    for (uint32_t i = 0; i < kt; i++)
        for (uint32_t j = 0; j < kp; j++)
            if (m[i * kp + j] > 0)
                mi += m[i * kp + j] / nn * log(nn * m[i * kp + j] / (a[i] * b[j]));
    for (uint32_t i = 0; i < kt; i++)
        if (a[i] > 0) ht -= a[i] / nn * log(a[i] / nn), ct++;
    for (uint32_t j = 0; j < kp; j++)
        if (b[j] > 0) hp -= b[j] / nn * log(b[j] / nn), cp++;
    r->nmi = ct == 1 && cp == 1 ? 1 : (mi < 0 ? 0 : mi) / ((ht + hp) / 2);
    free(m);
    free(a);
    free(b);
}

static void test_random(void)
{
    uint32_t t[300], p[300];
    for (int round = 0; round < 60; round++) {
        size_t n = 2 + rnd(299);
        uint32_t kt = 1 + rnd(round % 3 ? 20 : (uint32_t)n);
        uint32_t kp = 1 + rnd(round % 4 ? 20 : (uint32_t)n);
        for (size_t i = 0; i < n; i++) {
            t[i] = rnd(kt);
            /* Correlate the prediction with the truth half of the time. */
            p[i] = round % 2 && rnd(3) ? t[i] % kp : rnd(kp);
        }
        nc_eval_result got = run(t, p, n), want;
        naive(t, p, n, kt, kp, &want);
        int ok = fabs(got.pair_p - want.pair_p) < 1e-9 && fabs(got.pair_r - want.pair_r) < 1e-9 &&
                 fabs(got.pair_f1 - want.pair_f1) < 1e-9 &&
                 fabs(got.bcubed_p - want.bcubed_p) < 1e-9 &&
                 fabs(got.bcubed_r - want.bcubed_r) < 1e-9 &&
                 fabs(got.bcubed_f1 - want.bcubed_f1) < 1e-9 && fabs(got.ari - want.ari) < 1e-9 &&
                 fabs(got.nmi - want.nmi) < 1e-9;
        if (!ok)
            fprintf(stderr, "round %d n %zu: ari %.17g vs %.17g nmi %.17g vs %.17g\n", round, n,
                    got.ari, want.ari, got.nmi, want.nmi);
        CHECK(ok);
    }
}

/* ---------------------------------------------------------------- files */

static char dir[64];

static const char *path_in(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path_in(name), "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* Items a, b, 3, d, e, f with truth [s1,s1,s1,2,2,s3] = T6; "g" has no
 * label and the id-less line is skipped; the second "a" is a duplicate (first
 * label wins).  The outputs put a, b | 3, d, e and leave f out, so the
 * prediction is [0,0,1,1,1,singleton] = the mixed case, with missing = 1. */
static const char *labels_text = "{\"id\": \"a\", \"story\": \"s1\", \"cat\": \"x\"}\n"
                                 "{\"id\": \"b\", \"story\": \"s1\", \"cat\": \"x\"}\n"
                                 "\n"
                                 "{\"id\": 3, \"story\": \"s1\", \"cat\": \"y\"}\r\n"
                                 "{\"id\": \"d\", \"story\": 2}\n"
                                 "{\"id\": \"e\", \"story\": 2, \"cat\": \"y\"}\n"
                                 "{\"id\": \"f\", \"story\": \"s3\", \"cat\": \"x\"}\n"
                                 "{\"id\": \"g\"}\n"
                                 "{\"story\": \"s1\"}\n"
                                 "{\"id\": \"a\", \"story\": \"s3\"}\n";

static const char *envelope_text =
    "{\n"
    "  \"schema_version\": 1,\n"
    "  \"generator\": \"newsclust 0.1.0\",\n"
    "  \"params\": {\"num_perm\": 128, \"bands\": 32, \"rows\": 4},\n"
    "  \"stats\": {\"documents\": 7, \"clusters\": 3, \"skipped\": 0},\n"
    "  \"clusters\": [\n"
    "    {\"id\": 0, \"size\": 3, \"headline\": \"brackets \\\"}]{[ in a string\",\n"
    "     \"sources\": [\"X\"],\n"
    "     \"members\": [\n"
    "       {\"id\": \"a\", \"title\": \"t\", \"published\": null, \"duplicate_of\": null, "
    "\"score\": 1.0},\n"
    "       {\"id\": \"b\", \"title\": \"\\u00e9\", \"duplicate_of\": \"a\", \"score\": 0.93},\n"
    "       {\"id\": \"unlabelled\", \"score\": 0.5}\n"
    "     ]},\n"
    "    {\"id\": 1, \"size\": 3, \"members\": [{\"id\": \"3\"}, {\"id\": \"d\"}, {\"id\": "
    "\"e\"}, {\"id\": \"a\"}]},\n"
    "    {\"id\": 2, \"size\": 1, \"members\": [{\"id\": \"g\"}]}\n"
    "  ]\n"
    "}\n";

static const char *oneline_text =
    "{\"clusters\":[{\"members\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"zz\"}]},"
    "{\"members\":[{\"id\":3},{\"id\":\"d\"},{\"id\":\"e\"}]}],\"schema_version\":1}";

static const char *jsonl_text = "{\"id\": 0, \"size\": 3, \"headline\": \"{[\", \"members\": "
                                "[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"x\"}]}\n"
                                "{\"id\": 1, \"size\": 3, \"members\": [{\"id\": \"3\"}, "
                                "{\"id\": \"d\"}, {\"id\": \"e\"}]}\n"
                                "\n"
                                "{\"id\": 2, \"size\": 1, \"members\": [{\"id\": \"g\"}]}\n";

static void check_mixed_file(const char *out_name, int line)
{
    nc_eval_result r;
    char err[256] = "unset";
    nc_status st =
        nc_eval_files(path_in("labels.jsonl"), path_in(out_name), NULL, &r, err, sizeof err);
    if (st != NC_OK) fprintf(stderr, "line %d: %s: %s\n", line, out_name, err);
    CHECK(st == NC_OK);
    CHECK_STR(err, "");
    double nmi = log(2) / (2.0 / 3 * log(2) + 0.5 * log(3));
    check_result(&r, &(expect){0.5, 0.5, 0.5, 7.0 / 9, 7.0 / 9, 7.0 / 9, 7.0 / 22, nmi}, line);
    CHECK(r.items == 6 && r.true_clusters == 3 && r.pred_clusters == 3 && r.missing == 1);
}

static void expect_error(const char *labels, const char *output, nc_status want, const char *prefix,
                         const char *contains)
{
    nc_eval_result r;
    char err[512] = "";
    nc_status st = nc_eval_files(labels, output, NULL, &r, err, sizeof err);
    CHECK(st == want);
    int ok = strncmp(err, prefix, strlen(prefix)) == 0 && strstr(err, contains) != NULL;
    if (!ok || st != want)
        fprintf(stderr, "got %d \"%s\", wanted %d \"%s...%s\"\n", st, err, want, prefix, contains);
    CHECK(ok);
}

static void test_files(void)
{
    write_file("labels.jsonl", labels_text);
    write_file("env.json", envelope_text);
    write_file("oneline.json", oneline_text);
    write_file("clusters.jsonl", jsonl_text);
    check_mixed_file("env.json", __LINE__);
    check_mixed_file("oneline.json", __LINE__);
    check_mixed_file("clusters.jsonl", __LINE__);

    /* Another label field: "cat" = a x, b x, 3 y, e y, f x (d has none):
     * truth [x,x,y,y,x]; pred [0,0,1,1,singleton]: tp = 2 (ab, 3e), true
     * pairs C(3,2) + 1 = 4, pred pairs 2: P = 1, R = 0.5; missing 1. */
    nc_eval_result r;
    CHECK(nc_eval_files(path_in("labels.jsonl"), path_in("clusters.jsonl"), "cat", &r, NULL, 0) ==
          NC_OK);
    CHECK(r.items == 5 && r.true_clusters == 2 && r.pred_clusters == 3 && r.missing == 1);
    CHECK(NEAR(r.pair_p, 1) && NEAR(r.pair_r, 0.5));

    /* An empty output: every item missing, all singletons. */
    write_file("empty.json", "\n");
    CHECK(nc_eval_files(path_in("labels.jsonl"), path_in("empty.json"), NULL, &r, NULL, 0) ==
          NC_OK);
    CHECK(r.items == 6 && r.missing == 6 && r.pred_clusters == 6 && NEAR(r.pair_r, 0));
    CHECK(NEAR(r.pair_p, 1) && NEAR(r.bcubed_r, 0.5) && NEAR(r.ari, 0));

    /* Errors: a missing file names the file. */
    char want[256];
    snprintf(want, sizeof want, "%s: cannot open: ", path_in("nope.jsonl"));
    expect_error(path_in("nope.jsonl"), path_in("env.json"), NC_ERR_IO, want, "");
    snprintf(want, sizeof want, "%s: cannot open: ", path_in("nope.json"));
    expect_error(path_in("labels.jsonl"), path_in("nope.json"), NC_ERR_IO, want, "");

    /* A bad labels line 3 (after a blank line 2). */
    write_file("bad_labels.jsonl", "{\"id\": \"a\", \"story\": 1}\n\n{\"id\": \"b\", \"story\"\n"
                                   "{\"id\": \"c\", \"story\": 1}\n");
    snprintf(want, sizeof want, "%s:3: ", path_in("bad_labels.jsonl"));
    expect_error(path_in("bad_labels.jsonl"), path_in("env.json"), NC_ERR_PARSE, want,
                 "invalid JSON");
    write_file("array_labels.jsonl", "{\"id\": \"a\", \"story\": 1}\n[1, 2]\n");
    snprintf(want, sizeof want, "%s:2: ", path_in("array_labels.jsonl"));
    expect_error(path_in("array_labels.jsonl"), path_in("env.json"), NC_ERR_PARSE, want, "object");

    /* A bad JSON Lines output line 2 (a missing comma), and line 3 trailing data. */
    write_file("bad.jsonl", "{\"members\": [{\"id\": \"a\"}]}\n"
                            "{\"members\": [{\"id\": \"b\"} {\"id\": \"c\"}]}\n");
    snprintf(want, sizeof want, "%s:2: ", path_in("bad.jsonl"));
    expect_error(path_in("labels.jsonl"), path_in("bad.jsonl"), NC_ERR_PARSE, want, "invalid JSON");
    write_file("bad2.jsonl", "{\"members\": [{\"id\": \"a\"}]}\n\n"
                             "{\"members\": [{\"id\": \"b\"}]} x\n");
    snprintf(want, sizeof want, "%s:3: ", path_in("bad2.jsonl"));
    expect_error(path_in("labels.jsonl"), path_in("bad2.jsonl"), NC_ERR_PARSE, want,
                 "invalid JSON");

    /* A bad envelope: the error inside cluster 2 (line 5), a truncated file,
     * a cluster without members, a member without id, not an object. */
    write_file("bad_env.json", "{\"schema_version\": 1,\n"
                               "\"clusters\": [\n"
                               "{\"members\": [{\"id\": \"a\"}]},\n"
                               "{\"size\": 2,\n"
                               " \"members\": [{\"id\": \"b\"}, {\"id\": tru}]}\n"
                               "]}\n");
    snprintf(want, sizeof want, "%s:5: ", path_in("bad_env.json"));
    expect_error(path_in("labels.jsonl"), path_in("bad_env.json"), NC_ERR_PARSE, want,
                 "invalid JSON");
    write_file("trunc.json", "{\"schema_version\": 1,\n\"clusters\": [\n"
                             "{\"members\": [{\"id\": \"a\"}]},\n{\"members\": [{\"id\"");
    snprintf(want, sizeof want, "%s:4: ", path_in("trunc.json"));
    expect_error(path_in("labels.jsonl"), path_in("trunc.json"), NC_ERR_PARSE, want, "end of file");
    write_file("nomembers.json", "{\"clusters\": [{\"members\": []},\n{\"id\": 1}]}");
    snprintf(want, sizeof want, "%s:2: ", path_in("nomembers.json"));
    expect_error(path_in("labels.jsonl"), path_in("nomembers.json"), NC_ERR_PARSE, want, "members");
    write_file("noid.jsonl", "{\"members\": [{\"title\": \"x\"}]}\n");
    snprintf(want, sizeof want, "%s:1: ", path_in("noid.jsonl"));
    expect_error(path_in("labels.jsonl"), path_in("noid.jsonl"), NC_ERR_PARSE, want, "id");
    write_file("array.json", "[{\"members\": []}]\n");
    snprintf(want, sizeof want, "%s:1: ", path_in("array.json"));
    expect_error(path_in("labels.jsonl"), path_in("array.json"), NC_ERR_PARSE, want, "object");
    write_file("version.json", "{\"schema_version\": 2, \"clusters\": []}");
    snprintf(want, sizeof want, "%s:1: ", path_in("version.json"));
    expect_error(path_in("labels.jsonl"), path_in("version.json"), NC_ERR_PARSE, want,
                 "schema_version");
    write_file("other.json", "{\"documents\": 3}\n");
    snprintf(want, sizeof want, "%s:1: ", path_in("other.json"));
    expect_error(path_in("labels.jsonl"), path_in("other.json"), NC_ERR_PARSE, want, "newsclust");
    write_file("after.json", "{\"clusters\": []}\n{\"clusters\": []}\n");
    snprintf(want, sizeof want, "%s:2: ", path_in("after.json"));
    expect_error(path_in("labels.jsonl"), path_in("after.json"), NC_ERR_PARSE, want, "after");

    /* NULL arguments; a NULL errbuf is allowed. */
    CHECK(nc_eval_files(NULL, path_in("env.json"), NULL, &r, NULL, 0) == NC_ERR_INVALID_ARG);
    CHECK(nc_eval_files(path_in("labels.jsonl"), path_in("env.json"), NULL, NULL, NULL, 0) ==
          NC_ERR_INVALID_ARG);
    CHECK(nc_eval_files(path_in("labels.jsonl"), path_in("bad.jsonl"), NULL, &r, NULL, 0) ==
          NC_ERR_PARSE);

    static const char *names[] = {
        "labels.jsonl",     "env.json",           "oneline.json", "clusters.jsonl", "empty.json",
        "bad_labels.jsonl", "array_labels.jsonl", "bad.jsonl",    "bad2.jsonl",     "bad_env.json",
        "trunc.json",       "nomembers.json",     "noid.jsonl",   "array.json",     "version.json",
        "other.json",       "after.json"};
    for (size_t i = 0; i < N_OF(names); i++)
        remove(path_in(names[i]));
}

int main(void)
{
    test_perfect();
    test_singletons();
    test_one_cluster();
    test_mixed();
    test_asymmetric();
    test_degenerate();
    test_random();

    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/nc_eval_XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (mkdtemp(dir)) {
        test_files();
        rmdir(dir);
    } else {
        fprintf(stderr, "mkdtemp %s failed\n", dir);
        CHECK(0);
    }
    return nc_test_report("test_eval");
}
