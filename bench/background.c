/*
 * background.c - builds the built-in background term table
 * (src/background_en_table.c) from a collection of English news.
 *
 *   background [--min-df N] [--format F] INPUT... > src/background_en_table.c
 *
 * Every document is read with the public readers, its story-level terms are
 * computed exactly as the engine computes them (nc__features_compute: folded,
 * stop-word-free, Snowball-stemmed unigrams and consecutive-word bigrams),
 * and each term counts once per document.  Terms found in at least N
 * documents (default 40) are written as their stems ("gm", "recal gm" for a
 * bigram), so the table reads as text and does not depend on the hash
 * function; src/background.c hashes them when an index first needs them.
 * Only document frequencies leave this program: no text, no labels.
 */
#include "newsclust.h"

#include "doc_features.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct term {
    uint64_t hash;
    uint32_t df;
    uint32_t last_doc; /* the document that counted it last, +1 */
    char *stems;       /* "stem" or "stem1 stem2" */
} term;

static term *tab;
static size_t cap = 1u << 20, used;

static void die(const char *what)
{
    fprintf(stderr, "background: %s\n", what);
    exit(1);
}

static term *slot(uint64_t h)
{
    size_t m = cap - 1, s = (size_t)(h * 0x9E3779B97F4A7C15ull >> 20) & m;
    while (tab[s].hash && tab[s].hash != h)
        s = (s + 1) & m;
    return &tab[s];
}

static void grow(void)
{
    term *old = tab;
    size_t oc = cap;
    cap *= 2;
    tab = calloc(cap, sizeof *tab);
    if (!tab) die("out of memory");
    for (size_t i = 0; i < oc; i++)
        if (old[i].hash) *slot(old[i].hash) = old[i];
    free(old);
}

/* The stems of a surface "w" or "w1 w2" (folded words), space-separated. */
static char *stem_surface(struct sb_stemmer *st, const char *surface)
{
    size_t cap_out = strlen(surface) * 2 + 2, n = 0;
    char *out = malloc(cap_out);
    if (!out) die("out of memory");
    const char *p = surface;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)p, (int)len);
        if (!s) die("out of memory");
        size_t sl = (size_t)sb_stemmer_length(st);
        if (n + sl + 2 > cap_out) {
            cap_out = (n + sl + 2) * 2;
            char *q = realloc(out, cap_out);
            if (!q) die("out of memory");
            out = q;
        }
        if (n) out[n++] = ' ';
        memcpy(out + n, s, sl);
        n += sl;
        p = sp ? sp + 1 : p + len;
    }
    out[n] = 0;
    return out;
}

static int cmp_stems(const void *a, const void *b)
{
    const term *x = *(const term *const *)a, *y = *(const term *const *)b;
    return strcmp(x->stems, y->stems);
}

int main(int argc, char **argv)
{
    unsigned long min_df = 40;
    nc_format fmt = NC_FORMAT_AUTO;
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        if (!strcmp(argv[first], "--min-df") && first + 1 < argc)
            min_df = strtoul(argv[++first], NULL, 10);
        else if (!strcmp(argv[first], "--format") && first + 1 < argc) {
            const char *f = argv[++first];
            fmt = !strcmp(f, "jsonl") ? NC_FORMAT_JSONL : NC_FORMAT_AUTO;
        } else {
            fputs("usage: background [--min-df N] [--format auto|jsonl] INPUT... > table.c\n",
                  stderr);
            return 2;
        }
    }
    if (first >= argc) die("no input (- reads standard input)");
    tab = calloc(cap, sizeof *tab);
    nc_featurizer *fz = NULL;
    struct sb_stemmer *st = sb_stemmer_new("english", "UTF_8");
    if (!tab || !st || nc__featurizer_create(&fz) != NC_OK) die("out of memory");
    uint32_t docs = 0;
    for (int a = first; a < argc; a++) {
        nc_reader *r = NULL;
        if (nc_reader_open_file(argv[a], fmt, &r) != NC_OK) die("cannot open an input");
        nc_doc d;
        nc_status s;
        while ((s = nc_reader_next(r, &d)) != NC_DONE) {
            if (s != NC_OK) continue; /* a broken item: skipped */
            nc_features f;
            if (nc__features_compute(fz, d.title, d.summary, d.link, &f) != NC_OK)
                die("out of memory");
            docs++;
            for (size_t i = 0; i < f.n_story; i++) {
                if (used * 2 >= cap) grow();
                term *t = slot(f.story[i].hash);
                if (!t->hash) {
                    t->hash = f.story[i].hash;
                    t->stems = stem_surface(st, f.surface + f.story[i].surface);
                    used++;
                }
                if (t->last_doc != docs) {
                    t->last_doc = docs;
                    t->df++;
                }
            }
        }
        nc_reader_free(r);
    }
    term **keep = malloc((used + 1) * sizeof *keep);
    if (!keep) die("out of memory");
    size_t n = 0;
    for (size_t i = 0; i < cap; i++)
        if (tab[i].hash && tab[i].df >= min_df) keep[n++] = &tab[i];
    qsort(keep, n, sizeof *keep, cmp_stems);
    printf("/*\n * background_en_table.c - document frequencies of story terms in %u English\n"
           " * news headlines (generated by bench/background --min-df %lu; do not edit).\n"
           " */\n#include \"background.h\"\n\n"
           "const uint32_t nc__bg_en_docs = %u;\n"
           "const nc_bg_term nc__bg_en_terms[] = {\n",
           docs, min_df, docs);
    for (size_t i = 0; i < n; i++)
        printf("    {\"%s\", %u},\n", keep[i]->stems, keep[i]->df);
    printf("};\nconst size_t nc__bg_en_count = sizeof nc__bg_en_terms / sizeof "
           "nc__bg_en_terms[0];\n");
    fprintf(stderr, "background: %u documents, %zu terms, %zu with df >= %lu\n", docs, used, n,
            min_df);
    for (size_t i = 0; i < cap; i++)
        free(tab[i].stems);
    free(tab);
    free(keep);
    nc__featurizer_free(fz);
    sb_stemmer_delete(st);
    return 0;
}
