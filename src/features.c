/*
 * features.c - tokenising a headline and summary into the duplicate-level
 * shingles and the story-level stemmed tokens (see doc_features.h); the
 * link adds its headline slug (link_slug.c) to the story tokens.
 *
 * Words are runs of letters and digits (Unicode categories L, M, N);
 * apostrophes and hyphens split words ("Kyiv's" -> "kyiv", "s"; "s" is a
 * stop word).  Each word is folded (ASCII: lower-cased in place; otherwise
 * NFKC + case fold via nc__fold) and hashed once with XXH3.  A trailing
 * truncated word ("... the sanc...") is dropped, since it would match nothing.
 *
 * Entities: in a sentence-case headline a capitalised word after the first
 * is a name; in a Title Case headline capitals say nothing, so only acronyms
 * (two or more capitals) and numbers count.  Entity tokens get a higher
 * weight in the story similarity.
 */
#include "doc_features.h"

#include "link_slug.h"
#include "normalize.h"
#include "radix_sort.h"
#include "vec.h"
#include "xxhash_inline.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NC_SUMMARY_WORDS 60    /* the lead is enough; the body swamps a headline */
#define NC_ENTITY_BOOST 1.5f   /* weight factor of entity tokens */
#define NC_BIGRAM_WEIGHT 0.75f /* weight of a story bigram ("game thrones") */
#define NC_SUMMARY_WEIGHT 0.5f /* summary words count half a headline word */
#define NC_SLUG_BUF 512        /* bytes of a link's slug words kept */

typedef struct word {
    uint32_t off, len; /* folded word in fz->fold */
    uint64_t hash;     /* XXH3 of the folded word */
    unsigned char flags;
} word;

enum { W_CAP = 1, W_ALLCAPS = 2, W_DIGIT = 4, W_ALPHA = 8 };

/* Stemming is the costliest step per word, and news vocabulary repeats
 * (Zipf): a direct-mapped cache from the folded word's XXH3 to its stem's
 * XXH3 answers most words without the stemmer.  A slot holds one word; a
 * collision just replaces it, so the cache never changes a result. */
#define STEM_CACHE_BITS 16
#define STOP_SLOTS 512 /* a power of two, over three times the stop words */
typedef struct stem_slot {
    uint64_t word; /* XXH3 of the folded word; 0: empty */
    uint64_t stem; /* XXH3 of its stem */
} stem_slot;

struct nc_featurizer {
    struct sb_stemmer *stemmer;
    stem_slot *stem_cache; /* 1 << STEM_CACHE_BITS slots */
    NC_VEC(char) fold;     /* folded words, NUL-separated */
    NC_VEC(word) words;    /* words of the current field */
    NC_VEC(uint64_t) dup_title;
    NC_VEC(uint64_t) dup_full;
    NC_VEC(nc_story_tok) story;
    NC_VEC(char) surface;
    uint64_t stop_hash[STOP_SLOTS]; /* XXH3 of the stop words, open addressing */
    unsigned char ascii_class[128]; /* A_* of each ASCII byte (ascii_class_init) */
    int general_only;               /* split_words without its fast path (tests) */
};

/* The classes of an ASCII byte for split_words' fast path.  A_UPPER is the
 * case bit itself: a letter's folded form is the byte plus its class's
 * A_UPPER bit ('A' + 0x20 == 'a'). */
enum { A_LOWER = 1, A_DIGIT = 2, A_UPPER = 0x20, A_WORD = A_LOWER | A_DIGIT | A_UPPER };

/* English stop words (folded), sorted for bsearch. */
static const char *const stopwords[] = {
    "a",      "about", "above",   "after",   "again",   "against", "all",    "also",    "am",
    "an",     "and",   "any",     "are",     "as",      "at",      "be",     "because", "been",
    "before", "being", "below",   "between", "both",    "but",     "by",     "can",     "could",
    "d",      "did",   "do",      "does",    "doing",   "down",    "during", "each",    "few",
    "for",    "from",  "further", "had",     "has",     "have",    "having", "he",      "her",
    "here",   "hers",  "herself", "him",     "himself", "his",     "how",    "i",       "if",
    "in",     "into",  "is",      "it",      "its",     "itself",  "just",   "ll",      "m",
    "me",     "more",  "most",    "my",      "myself",  "no",      "nor",    "not",     "now",
    "of",     "off",   "on",      "once",    "only",    "or",      "other",  "our",     "ours",
    "out",    "over",  "own",     "re",      "s",       "said",    "same",   "says",    "she",
    "should", "so",    "some",    "such",    "t",       "than",    "that",   "the",     "their",
    "them",   "then",  "there",   "these",   "they",    "this",    "those",  "through", "to",
    "too",    "under", "until",   "up",      "ve",      "very",    "was",    "we",      "were",
    "what",   "when",  "where",   "which",   "while",   "who",     "whom",   "why",     "will",
    "with",   "would", "you",     "your",
};

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int nc__is_stopword(const char *w, size_t n)
{
    char buf[16];
    if (n >= sizeof buf) return 0;
    memcpy(buf, w, n);
    buf[n] = 0;
    const char *key = buf;
    return bsearch(&key, stopwords, sizeof stopwords / sizeof stopwords[0], sizeof stopwords[0],
                   cmp_cstr) != NULL;
}

/* Is the word of XXH3 @p h a stop word?  (One probe sequence in the table
 * built by nc__featurizer_create, instead of a bsearch of strcmp.) */
static int is_stop(const nc_featurizer *fz, uint64_t h)
{
    if (h == 0) return 0; /* 0 marks an empty slot */
    for (size_t i = (size_t)h & (STOP_SLOTS - 1);; i = (i + 1) & (STOP_SLOTS - 1)) {
        if (fz->stop_hash[i] == h) return 1;
        if (fz->stop_hash[i] == 0) return 0;
    }
}

static void stop_table_init(nc_featurizer *fz)
{
    for (size_t k = 0; k < sizeof stopwords / sizeof stopwords[0]; k++) {
        uint64_t h = XXH3_64bits(stopwords[k], strlen(stopwords[k]));
        size_t i = (size_t)h & (STOP_SLOTS - 1);
        while (fz->stop_hash[i])
            i = (i + 1) & (STOP_SLOTS - 1);
        fz->stop_hash[i] = h;
    }
}

static void ascii_class_init(nc_featurizer *fz)
{
    for (int c = 0; c < 128; c++)
        fz->ascii_class[c] = (unsigned char)(c >= 'a' && c <= 'z'   ? A_LOWER
                                             : c >= 'A' && c <= 'Z' ? A_UPPER
                                             : c >= '0' && c <= '9' ? A_DIGIT
                                                                    : 0);
}

nc_status nc__featurizer_create(nc_featurizer **out)
{
    *out = NULL;
    nc_featurizer *fz = calloc(1, sizeof *fz);
    if (!fz) return NC_ERR_NOMEM;
    fz->stemmer = sb_stemmer_new("english", "UTF_8");
    fz->stem_cache = calloc((size_t)1 << STEM_CACHE_BITS, sizeof *fz->stem_cache);
    if (!fz->stemmer || !fz->stem_cache) {
        if (fz->stemmer) sb_stemmer_delete(fz->stemmer);
        free(fz->stem_cache);
        free(fz);
        return NC_ERR_NOMEM;
    }
    stop_table_init(fz);
    ascii_class_init(fz);
    *out = fz;
    return NC_OK;
}

void nc__featurizer_general_path(nc_featurizer *fz, int on)
{
    fz->general_only = on;
}

void nc__featurizer_free(nc_featurizer *fz)
{
    if (!fz) return;
    sb_stemmer_delete(fz->stemmer);
    free(fz->stem_cache);
    free(fz->fold.a);
    free(fz->words.a);
    free(fz->dup_title.a);
    free(fz->dup_full.a);
    free(fz->story.a);
    free(fz->surface.a);
    free(fz);
}

/* Decode one code point at s (len bytes left); *n gets its length (1 on
 * invalid bytes, which then count as separators). */
static int32_t next_cp(const unsigned char *s, size_t len, size_t *n)
{
    if (s[0] < 0x80) { /* ASCII, most of news text: no library call */
        *n = 1;
        return s[0];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)len, &cp);
    if (k <= 0) {
        *n = 1;
        return -1;
    }
    *n = (size_t)k;
    return cp;
}

static int is_word_cp(int32_t cp)
{
    if (cp < 0) return 0;
    if (cp < 128)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* Split @p s into folded words appended to fz->words.  @return 0 or -1. */
static int split_words(nc_featurizer *fz, const char *s, size_t max_words)
{
    fz->words.n = 0;
    if (!s) return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len && fz->words.n < max_words) {
        /* The fast path: a word of ASCII letters and digits ended by an
         * ASCII byte (or the text's end), most words of news text, is
         * classified, folded and measured in one pass by the byte classes.
         * A word that runs into a non-ASCII byte is done again by the
         * general path below, from its start, as is a non-ASCII byte. */
        if (p[i] < 0x80 && !fz->general_only) {
            const unsigned char *cls = fz->ascii_class;
            unsigned k0 = cls[p[i]];
            if (!(k0 & A_WORD)) {
                i++;
                continue;
            }
            if (NC_VEC_RESERVE(&fz->fold, fz->fold.n + (len - i) + 1)) return -1;
            char *out = fz->fold.a + fz->fold.n;
            size_t j = i;
            unsigned any_digit = 0, any_lower = 0, n_upper = 0;
            for (; j < len && p[j] < 0x80; j++) {
                unsigned k = cls[p[j]];
                if (!(k & A_WORD)) break;
                out[j - i] = (char)(p[j] + (k & A_UPPER));
                any_digit |= k & A_DIGIT;
                any_lower |= k & A_LOWER;
                n_upper += (k & A_UPPER) != 0;
            }
            if (j == len || p[j] < 0x80) {
                unsigned char flags =
                    (unsigned char)((k0 & A_UPPER ? W_CAP : 0) | (any_digit ? W_DIGIT : 0) |
                                    (any_lower || n_upper ? W_ALPHA : 0) |
                                    (n_upper >= 2 && !any_lower ? W_ALLCAPS : 0));
                word w = {.off = (uint32_t)fz->fold.n, .len = (uint32_t)(j - i), .flags = flags};
                out[j - i] = 0;
                fz->fold.n += w.len + 1;
                w.hash = XXH3_64bits(fz->fold.a + w.off, w.len);
                if (NC_VEC_PUSH(&fz->words, w)) return -1;
                i = j;
                continue;
            }
        }
        size_t k;
        int32_t cp = next_cp(p + i, len - i, &k);
        if (!is_word_cp(cp)) {
            i += k;
            continue;
        }
        size_t start = i;
        unsigned char flags = 0;
        int upper = 0, letters = 0, ascii = 1;
        int first = 1;
        while (i < len) {
            cp = next_cp(p + i, len - i, &k);
            if (!is_word_cp(cp)) break;
            if (cp >= 128) ascii = 0;
            if (cp >= '0' && cp <= '9')
                flags |= W_DIGIT;
            else {
                letters++;
                int up = cp < 128 ? (cp >= 'A' && cp <= 'Z') : utf8proc_isupper(cp);
                if (up) {
                    upper++;
                    if (first) flags |= W_CAP;
                }
            }
            first = 0;
            i += k;
        }
        if (letters) flags |= W_ALPHA;
        if (upper >= 2 && upper == letters) flags |= W_ALLCAPS;
        size_t wlen = i - start;
        word w = {.off = (uint32_t)fz->fold.n, .len = 0, .hash = 0, .flags = flags};
        if (ascii) {
            if (NC_VEC_RESERVE(&fz->fold, fz->fold.n + wlen + 1)) return -1;
            for (size_t j = 0; j < wlen; j++) {
                char c = s[start + j];
                fz->fold.a[fz->fold.n + j] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
            w.len = (uint32_t)wlen;
        } else {
            char *f = NULL;
            if (nc__fold(s + start, wlen, &f) != NC_OK) return -1;
            size_t flen = strlen(f);
            if (NC_VEC_RESERVE(&fz->fold, fz->fold.n + flen + 1)) {
                free(f);
                return -1;
            }
            memcpy(fz->fold.a + fz->fold.n, f, flen);
            free(f);
            w.len = (uint32_t)flen;
        }
        fz->fold.a[fz->fold.n + w.len] = 0;
        fz->fold.n += w.len + 1;
        w.hash = XXH3_64bits(fz->fold.a + w.off, w.len);
        if (NC_VEC_PUSH(&fz->words, w)) return -1;
    }
    /* "... the sanc..." or "…": the last word may be cut short. */
    size_t tl = len;
    while (tl && (p[tl - 1] == ' '))
        tl--;
    if (fz->words.n > 1 && ((tl >= 3 && memcmp(p + tl - 3, "...", 3) == 0) ||
                            (tl >= 3 && memcmp(p + tl - 3, "\xE2\x80\xA6", 3) == 0)))
        fz->words.n--;
    return 0;
}

/* XXH3 of the Snowball stem of folded word @p f (length n, XXH3 @p wh).
 * @return 0, or -1 when the stemmer runs out of memory. */
static int stem_hash(nc_featurizer *fz, const char *f, size_t n, uint64_t wh, uint64_t *out)
{
    stem_slot *slot = &fz->stem_cache[wh & ((1u << STEM_CACHE_BITS) - 1)];
    if (wh != 0 && slot->word == wh) {
        *out = slot->stem;
        return 0;
    }
    const sb_symbol *st = sb_stemmer_stem(fz->stemmer, (const sb_symbol *)f, (int)n);
    if (!st) return -1;
    *out = XXH3_64bits(st, (size_t)sb_stemmer_length(fz->stemmer));
    slot->word = wh;
    slot->stem = *out;
    return 0;
}

static size_t sort_unique_u64(uint64_t *a, size_t n)
{
    if (n < 2) return n;
    /* insertion sort for a headline's few shingles, radix sort for more; on
     * out of memory it falls back to qsort, sorted all the same */
    (void)nc__radix_sort_u64(a, n);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (a[i] != a[m - 1]) a[m++] = a[i];
    return m;
}

/* Word bigrams (a single word gives its unigram) of fz->words. */
static int add_shingles(nc_featurizer *fz, void *vecp)
{
    NC_VEC(uint64_t) *v = vecp;
    size_t n = fz->words.n;
    if (n == 1) return NC_VEC_PUSH(v, fz->words.a[0].hash);
    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t pair[2] = {fz->words.a[i].hash, fz->words.a[i + 1].hash};
        if (NC_VEC_PUSH(v, XXH3_64bits(pair, sizeof pair))) return -1;
    }
    return 0;
}

static int cmp_tok(const void *a, const void *b)
{
    const nc_story_tok *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->weight > y->weight ? -1 : x->weight < y->weight; /* heaviest first */
}

/* Stemmed, stop-word-free story tokens of fz->words with base weight @p base. */
static int add_story(nc_featurizer *fz, float base, int is_title)
{
    size_t n = fz->words.n;
    /* Title Case headline: capitals are style, not names. */
    size_t alpha = 0, caps = 0;
    for (size_t i = 0; i < n; i++) {
        word *w = &fz->words.a[i];
        if (!(w->flags & W_ALPHA) || is_stop(fz, w->hash)) continue;
        alpha++;
        if (w->flags & W_CAP) caps++;
    }
    int title_case = alpha >= 3 && caps * 10 >= alpha * 7;
    uint64_t prev = 0;
    uint32_t prev_surface = 0;
    for (size_t i = 0; i < n; i++) {
        word *w = &fz->words.a[i];
        const char *f = fz->fold.a + w->off;
        if (is_stop(fz, w->hash)) continue;
        if (w->len == 1 && !(w->flags & W_DIGIT)) continue;
        int entity = (w->flags & W_DIGIT) || (w->flags & W_ALLCAPS) ||
                     (!title_case && (w->flags & W_CAP) && (i > 0 || !is_title));
        nc_story_tok t;
        if (stem_hash(fz, f, w->len, w->hash, &t.hash)) return -1;
        t.weight = base * (entity ? NC_ENTITY_BOOST : 1.0f);
        t.surface = (uint32_t)fz->surface.n;
        if (NC_VEC_RESERVE(&fz->surface, fz->surface.n + w->len + 1)) return -1;
        memcpy(fz->surface.a + fz->surface.n, f, w->len);
        fz->surface.a[fz->surface.n + w->len] = 0;
        fz->surface.n += w->len + 1;
        if (NC_VEC_PUSH(&fz->story, t)) return -1;
        if (prev) {
            /* the bigram's surface is "w1 w2" */
            uint64_t pair[2] = {prev, t.hash};
            nc_story_tok b = t;
            b.hash = XXH3_64bits(pair, sizeof pair);
            b.weight = base * NC_BIGRAM_WEIGHT;
            b.surface = (uint32_t)fz->surface.n;
            size_t l1 = strlen(fz->surface.a + prev_surface);
            if (NC_VEC_RESERVE(&fz->surface, fz->surface.n + l1 + w->len + 2)) return -1;
            memcpy(fz->surface.a + fz->surface.n, fz->surface.a + prev_surface, l1);
            fz->surface.a[fz->surface.n + l1] = ' ';
            memcpy(fz->surface.a + fz->surface.n + l1 + 1, f, w->len);
            fz->surface.a[fz->surface.n + l1 + 1 + w->len] = 0;
            fz->surface.n += l1 + w->len + 2;
            if (NC_VEC_PUSH(&fz->story, b)) return -1;
        }
        prev = t.hash;
        prev_surface = t.surface;
    }
    return 0;
}

nc_status nc__features_compute(nc_featurizer *fz, const char *title, const char *summary,
                               const char *link, nc_features *out)
{
    memset(out, 0, sizeof *out);
    fz->fold.n = fz->dup_title.n = fz->dup_full.n = fz->story.n = fz->surface.n = 0;
    int has_title = title && *title;
    const char *head = has_title ? title : summary;
    if (split_words(fz, head, (size_t)-1)) return NC_ERR_NOMEM;
    if (add_shingles(fz, &fz->dup_title) || add_story(fz, 1.0f, has_title)) return NC_ERR_NOMEM;
    int has_summary = has_title && summary && *summary;
    if (has_summary) { /* dup_full: the headline's shingles, then the summary's */
        if (NC_VEC_RESERVE(&fz->dup_full, fz->dup_title.n)) return NC_ERR_NOMEM;
        if (fz->dup_title.n) /* a headline of no words ("...") has no shingles */
            memcpy(fz->dup_full.a, fz->dup_title.a, fz->dup_title.n * sizeof(uint64_t));
        fz->dup_full.n = fz->dup_title.n;
        word last = fz->words.n ? fz->words.a[fz->words.n - 1] : (word){0};
        size_t had = fz->words.n;
        if (split_words(fz, summary, NC_SUMMARY_WORDS)) return NC_ERR_NOMEM;
        /* the bigram across headline and summary joins the two texts */
        if (had && fz->words.n) {
            uint64_t pair[2] = {last.hash, fz->words.a[0].hash};
            if (NC_VEC_PUSH(&fz->dup_full, XXH3_64bits(pair, sizeof pair))) return NC_ERR_NOMEM;
        }
        if (add_shingles(fz, &fz->dup_full) || add_story(fz, NC_SUMMARY_WEIGHT, 0))
            return NC_ERR_NOMEM;
    }
    /* the headline slug of the link: story terms only, at summary weight (a
     * word the headline has keeps the headline's weight below) */
    char slug[NC_SLUG_BUF];
    if (nc__link_slug(link, slug, sizeof slug)) {
        if (split_words(fz, slug, (size_t)-1) || add_story(fz, NC_SUMMARY_WEIGHT, 0))
            return NC_ERR_NOMEM;
    }
    fz->dup_title.n = sort_unique_u64(fz->dup_title.a, fz->dup_title.n);
    if (has_summary) fz->dup_full.n = sort_unique_u64(fz->dup_full.a, fz->dup_full.n);
    if (fz->story.n > 1) {
        if (fz->story.n <= 48) { /* insertion sort by cmp_tok's order */
            for (size_t i = 1; i < fz->story.n; i++) {
                nc_story_tok v = fz->story.a[i];
                size_t j = i;
                while (j > 0 && cmp_tok(&fz->story.a[j - 1], &v) > 0) {
                    fz->story.a[j] = fz->story.a[j - 1];
                    j--;
                }
                fz->story.a[j] = v;
            }
        } else {
            qsort(fz->story.a, fz->story.n, sizeof *fz->story.a, cmp_tok);
        }
        size_t m = 1;
        for (size_t i = 1; i < fz->story.n; i++)
            if (fz->story.a[i].hash != fz->story.a[m - 1].hash) fz->story.a[m++] = fz->story.a[i];
        fz->story.n = m;
    }
    out->dup_title = fz->dup_title.a;
    out->n_dup_title = fz->dup_title.n;
    out->dup_full = has_summary ? fz->dup_full.a : fz->dup_title.a;
    out->n_dup_full = has_summary ? fz->dup_full.n : fz->dup_title.n;
    out->story = fz->story.a;
    out->n_story = fz->story.n;
    out->surface = fz->surface.a;
    out->surface_len = fz->surface.n;
    return NC_OK;
}
