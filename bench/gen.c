/*
 * gen.c - corpus generator (see gen.h).
 */
#include "gen.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define BLOCK 16          /* words of similar frequency permuted together */
#define MAX_WORDS 256     /* words of one headline considered for edits */
#define SYN_VOCAB 50000u  /* synthetic vocabulary size */
#define SYN_OUTLETS 3000u /* synthetic outlets */
#define P_COPY 0.07       /* synthetic: exact copies of a story headline */

/* English stop words, roughly by frequency in headlines: kept by the replica
 * mapping, and the function words of the synthetic vocabulary. */
static const char *const stop_words[] = {
    "the",     "to",     "in",     "of",     "for",        "and",     "on",    "a",       "with",
    "at",      "is",     "as",     "from",   "after",      "up",      "by",    "be",      "will",
    "it",      "more",   "over",   "not",    "about",      "out",     "are",   "you",     "this",
    "your",    "what",   "how",    "but",    "off",        "that",    "has",   "could",   "can",
    "who",     "its",    "i",      "have",   "her",        "no",      "why",   "his",     "now",
    "all",     "back",   "get",    "down",   "than",       "an",      "most",  "into",    "was",
    "we",      "he",     "she",    "they",   "their",      "our",     "my",    "me",      "him",
    "them",    "us",     "or",     "if",     "so",         "do",      "does",  "did",     "been",
    "being",   "were",   "had",    "would",  "should",     "may",     "might", "must",    "shall",
    "which",   "when",   "where",  "while",  "there",      "these",   "those", "some",    "any",
    "each",    "other",  "such",   "only",   "own",        "same",    "too",   "very",    "just",
    "also",    "then",   "here",   "again",  "once",       "under",   "until", "against", "between",
    "through", "during", "before", "above",  "below",      "because", "both",  "few",     "nor",
    "whom",    "ours",   "yours",  "itself", "themselves", "s",       "t"};
#define N_STOP (sizeof stop_words / sizeof *stop_words)

static const char *const syllables[] = {
    "ba", "be", "bi", "bo", "bu", "da", "de", "di", "do", "du", "fa",  "fe",  "fi",  "fo",  "fu",
    "ga", "ge", "gi", "go", "gu", "ka", "ke", "ki", "ko", "ku", "la",  "le",  "li",  "lo",  "lu",
    "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "pa",  "pe",  "pi",  "po",  "pu",
    "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "su", "ta",  "te",  "ti",  "to",  "tu",
    "va", "ve", "vi", "vo", "vu", "za", "ze", "zi", "zo", "zu", "tra", "gan", "mer", "son", "lin"};
#define N_SYL (sizeof syllables / sizeof *syllables)

static const char *const outlet_kinds[] = {"News",    "Times",   "Post",   "Daily",  "Herald",
                                           "Tribune", "Journal", "Online", "Report", "Wire"};

/* ---------------------------------------------------------------- helpers */

uint64_t gen_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A generator seeded by a mix of values: independent streams per purpose. */
static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t s = a ^ (b * 0xD6E8FEB86659FD93ull) ^ (c * 0xA0761D6478BD642Full);
    gen_splitmix64(&s);
    return gen_splitmix64(&s);
}

static uint32_t rnd_below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(((gen_splitmix64(s) >> 32) * (uint64_t)n) >> 32);
}

static double rnd_unit(uint64_t *s)
{
    return (double)(gen_splitmix64(s) >> 11) * (1.0 / 9007199254740992.0);
}

int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (int64_t)m + (m > 2 ? -3 : 9);
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gen_civil_from_days(int64_t z, char buf[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
    buf[0] = (char)('0' + yy / 1000);
    buf[1] = (char)('0' + yy / 100 % 10);
    buf[2] = (char)('0' + yy / 10 % 10);
    buf[3] = (char)('0' + yy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* growable byte buffer */
typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int buf_reserve(buf *b, size_t extra)
{
    if (b->n + extra <= b->cap) return 0;
    size_t c = b->cap ? b->cap : 256;
    while (c < b->n + extra)
        c *= 2;
    char *q = realloc(b->p, c);
    if (!q) return -1;
    b->p = q;
    b->cap = c;
    return 0;
}

static int buf_put(buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n + 1)) return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* string table: bytes -> dense id; keys live in an external buffer */
typedef struct strtab {
    uint32_t *slot; /* id + 1, 0 empty */
    size_t cap, n;
    uint32_t *off, *len;
    size_t kcap;
} strtab;

/* @return the id, or -1 (out of memory).  *added = 1 if new (key appended to @p keys). */
static int64_t st_intern(strtab *t, buf *keys, const char *k, size_t n, int *added)
{
    *added = 0;
    if ((t->n + 1) * 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        uint32_t *ns = calloc(nc, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < t->n; i++) {
            size_t h = (size_t)hash_bytes(keys->p + t->off[i], t->len[i]) & (nc - 1);
            while (ns[h])
                h = (h + 1) & (nc - 1);
            ns[h] = (uint32_t)i + 1;
        }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t h = (size_t)hash_bytes(k, n) & (t->cap - 1);
    while (t->slot[h]) {
        uint32_t id = t->slot[h] - 1;
        if (t->len[id] == n && memcmp(keys->p + t->off[id], k, n) == 0) return id;
        h = (h + 1) & (t->cap - 1);
    }
    if (t->n >= UINT32_MAX - 1 || keys->n + n + 1 > UINT32_MAX) return -1;
    size_t kc = t->kcap;
    if (grow((void **)&t->off, &kc, t->n + 1, sizeof *t->off)) return -1;
    kc = t->kcap;
    if (grow((void **)&t->len, &kc, t->n + 1, sizeof *t->len)) return -1;
    t->kcap = kc;
    t->off[t->n] = (uint32_t)keys->n;
    t->len[t->n] = (uint32_t)n;
    if (buf_put(keys, k, n)) return -1;
    keys->n++; /* keep the NUL: keys are C strings too */
    t->slot[h] = (uint32_t)t->n + 1;
    *added = 1;
    return (int64_t)t->n++;
}

static void st_free(strtab *t)
{
    free(t->slot);
    free(t->off);
    free(t->len);
}

/* Vose alias table over weights w[0..n) */
typedef struct alias {
    double *prob;
    uint32_t *alias;
    uint32_t n;
} alias;

static int alias_build(alias *a, const double *w, uint32_t n)
{
    a->n = n;
    a->prob = malloc(n * sizeof *a->prob);
    a->alias = malloc(n * sizeof *a->alias);
    uint32_t *small = malloc(n * sizeof *small), *large = malloc(n * sizeof *large);
    double *p = malloc(n * sizeof *p);
    if (!a->prob || !a->alias || !small || !large || !p) {
        free(small);
        free(large);
        free(p);
        return -1;
    }
    double sum = 0.0;
    for (uint32_t i = 0; i < n; i++)
        sum += w[i];
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i] = w[i] * (double)n / sum;
        if (p[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[--nl];
        a->prob[s] = p[s];
        a->alias[s] = l;
        p[l] = p[l] + p[s] - 1.0;
        if (p[l] < 1.0)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl) {
        uint32_t l = large[--nl];
        a->prob[l] = 1.0;
        a->alias[l] = l;
    }
    while (ns) {
        uint32_t s = small[--ns];
        a->prob[s] = 1.0;
        a->alias[s] = s;
    }
    free(small);
    free(large);
    free(p);
    return 0;
}

static uint32_t alias_draw(const alias *a, uint64_t *s)
{
    uint64_t r = gen_splitmix64(s);
    uint32_t i = (uint32_t)(((r >> 32) * (uint64_t)a->n) >> 32);
    double u = (double)(uint32_t)r * (1.0 / 4294967296.0);
    return u < a->prob[i] ? i : a->alias[i];
}

static void alias_free(alias *a)
{
    free(a->prob);
    free(a->alias);
}

/* ---------------------------------------------------------------- state */

typedef struct rword {
    uint32_t vid;
    uint32_t off;
    uint16_t len;
    uint8_t cas; /* 0 lower, 1 Capitalised, 2 ALL CAPS */
    uint8_t pad;
} rword;

typedef struct ritem {
    uint32_t title, title_len, source, source_len, link, link_len;
    uint32_t group;
    uint32_t word0, n_words;
} ritem;

typedef struct rgroup {
    uint32_t label, label_len; /* in str */
    uint32_t first, n;         /* in gitems */
} rgroup;

typedef struct ent {
    uint32_t a, b; /* real: item, replica; synthetic: story, item */
} ent;

typedef struct wspan {
    size_t off, len;
} wspan;

struct gen {
    gen_opts o;
    /* real corpus */
    buf str; /* titles, sources, links, labels, vocabulary (lowercase) */
    ritem *items;
    size_t n_items, cap_items;
    rword *words;
    size_t n_words, cap_words;
    rgroup *groups;
    size_t n_groups, cap_groups;
    uint32_t *gitems; /* items grouped by story */
    strtab vocab;
    buf vkeys; /* the vocabulary, lowercase, NUL-separated */
    size_t cap_vocab;
    uint32_t *vcount;
    uint8_t *vclass; /* 0 kept, 1 word, 2 word with a digit */
    uint32_t *class_list[3];
    size_t class_n[3];
    uint32_t **maps; /* per replica (maps[0] unused) */
    size_t n_maps;
    /* synthetic */
    buf syn;           /* the synthetic words and outlets, NUL-separated */
    uint32_t *syn_off; /* word i at syn.p + syn_off[i], length syn_len[i] */
    uint8_t *syn_len;
    uint32_t *out_off; /* outlets */
    alias a_stop, a_content, a_outlet;
    /* stream */
    uint64_t pos, next_group, ordinal;
    uint32_t day;
    ent *ents;
    size_t n_ents, cap_ents, cur;
    int64_t day_start;
    char date[11];
    buf tb, eb, lb, sb; /* title, edited title, link, story label */
    wspan tw[MAX_WORDS];
    size_t ntw;
};

size_t gen_corpus_docs(const gen *g)
{
    return g->n_items;
}
size_t gen_corpus_stories(const gen *g)
{
    return g->n_groups;
}

/* ---------------------------------------------------------------- real corpus */

static int is_stop(const char *w, size_t n)
{
    for (size_t i = 0; i < N_STOP; i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0) return 1;
    return 0;
}

/* Length of the separator at s[i] (0 if a word byte): ASCII non-alphanumerics,
 * U+2000..U+206F (dashes, quotes, ellipsis), U+00A0, U+00AB, U+00BB. */
static size_t sep_len(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return alnum ? 0 : 1;
    }
    if (c == 0xE2 && i + 2 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81)) return 3;
    if (c == 0xC2 && i + 1 < n && (s[i + 1] == 0xA0 || s[i + 1] == 0xAB || s[i + 1] == 0xBB))
        return 2;
    return 0;
}

static const char *json_str(const cJSON *o, const char *k, char *nb, size_t nbl)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsString(v) && v->valuestring) return v->valuestring;
    if (cJSON_IsNumber(v)) {
        double x = v->valuedouble;
        if (x == (double)(long long)x)
            snprintf(nb, nbl, "%lld", (long long)x);
        else
            snprintf(nb, nbl, "%.17g", x);
        return nb;
    }
    return NULL;
}

static int put_str(gen *g, const char *s, uint32_t *off, uint32_t *len)
{
    size_t n = s ? strlen(s) : 0;
    if (g->str.n + n + 1 > UINT32_MAX) return -1;
    *off = (uint32_t)g->str.n;
    *len = (uint32_t)n;
    if (buf_put(&g->str, s ? s : "", n)) return -1;
    g->str.n++;
    return 0;
}

static int add_item(gen *g, const char *title, const char *source, const char *link,
                    const char *day, const char *label, strtab *gtab, buf *gkeys)
{
    char key[512];
    int kl = snprintf(key, sizeof key, "%.10s\x1f%s", day ? day : "", label);
    if (kl < 0) return -1;
    size_t kn = (size_t)kl < sizeof key ? (size_t)kl : sizeof key - 1;
    int added;
    int64_t gid = st_intern(gtab, gkeys, key, kn, &added);
    if (gid < 0) return -1;
    if (added) {
        if (grow((void **)&g->groups, &g->cap_groups, (size_t)gid + 1, sizeof *g->groups))
            return -1;
        rgroup *gr = &g->groups[gid];
        memset(gr, 0, sizeof *gr);
        if (put_str(g, label, &gr->label, &gr->label_len)) return -1;
        g->n_groups = (size_t)gid + 1;
    }
    g->groups[gid].n++;
    if (grow((void **)&g->items, &g->cap_items, g->n_items + 1, sizeof *g->items)) return -1;
    ritem *it = &g->items[g->n_items];
    memset(it, 0, sizeof *it);
    it->group = (uint32_t)gid;
    if (put_str(g, title, &it->title, &it->title_len) ||
        put_str(g, source, &it->source, &it->source_len) ||
        put_str(g, link, &it->link, &it->link_len))
        return -1;
    /* words of the title */
    it->word0 = (uint32_t)g->n_words;
    const unsigned char *t = (const unsigned char *)g->str.p + it->title;
    size_t n = it->title_len, i = 0;
    char low[256];
    while (i < n) {
        size_t sl = sep_len(t, i, n);
        if (sl) {
            i += sl;
            continue;
        }
        size_t b = i;
        while (i < n && !sep_len(t, i, n))
            i++;
        size_t wl = i - b;
        if (wl > 255) continue; /* not renamed: kept as it is */
        int upper = 0, lower = 0;
        for (size_t j = 0; j < wl; j++) {
            unsigned char c = t[b + j];
            upper += c >= 'A' && c <= 'Z';
            lower += c >= 'a' && c <= 'z';
            low[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        int64_t vid = st_intern(&g->vocab, &g->vkeys, low, wl, &added);
        if (vid < 0) return -1;
        if (added) {
            size_t cap = g->cap_vocab;
            if (grow((void **)&g->vcount, &cap, (size_t)vid + 1, sizeof *g->vcount)) return -1;
            if (cap != g->cap_vocab) {
                uint8_t *q = realloc(g->vclass, cap);
                if (!q) return -1;
                g->vclass = q;
                g->cap_vocab = cap;
            }
            g->vcount[vid] = 0;
            int digit = 0;
            for (size_t j = 0; j < wl; j++)
                digit |= low[j] >= '0' && low[j] <= '9';
            g->vclass[vid] = (uint8_t)(wl == 1 || is_stop(low, wl) ? 0 : digit ? 2 : 1);
        }
        g->vcount[vid]++;
        if (grow((void **)&g->words, &g->cap_words, g->n_words + 1, sizeof *g->words)) return -1;
        rword *w = &g->words[g->n_words++];
        w->vid = (uint32_t)vid;
        w->off = (uint32_t)b;
        w->len = (uint16_t)wl;
        unsigned char c0 = t[b];
        w->cas = (uint8_t)(c0 >= 'A' && c0 <= 'Z' ? (lower == 0 && upper >= 2 ? 2 : 1) : 0);
        w->pad = 0;
    }
    it->n_words = (uint32_t)(g->n_words - it->word0);
    g->n_items++;
    return 0;
}

static const uint32_t *g_sort_count;
static int cmp_vocab(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    /* these are vids; vocab keys by vid */
    if (g_sort_count[a] != g_sort_count[b]) return g_sort_count[a] > g_sort_count[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int load_corpus(gen *g, char *err, size_t errlen)
{
    gzFile f = gzopen(g->o.corpus, "rb");
    if (!f) {
        seterr(err, errlen, "%s: cannot open", g->o.corpus);
        return -1;
    }
    gzbuffer(f, 1 << 17);
    buf line = {0};
    strtab gtab = {0};
    buf gkeys = {0};
    int rc = 0;
    size_t lineno = 0;
    for (;;) {
        line.n = 0;
        if (buf_reserve(&line, 4096)) {
            rc = -1;
            break;
        }
        int eof = 0;
        for (;;) {
            if (!gzgets(f, line.p + line.n, (int)(line.cap - line.n))) {
                eof = 1;
                break;
            }
            line.n += strlen(line.p + line.n);
            if (line.n && line.p[line.n - 1] == '\n') break;
            if (buf_reserve(&line, line.cap)) {
                rc = -1;
                break;
            }
        }
        if (rc) break;
        if (eof && line.n == 0) break;
        lineno++;
        cJSON *o = cJSON_ParseWithLength(line.p, line.n);
        if (o && cJSON_IsObject(o)) {
            char nb1[64], nb2[64];
            const char *title = json_str(o, "title", nb1, sizeof nb1);
            const char *label = json_str(o, "story", nb2, sizeof nb2);
            const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
            const cJSON *lnk = cJSON_GetObjectItemCaseSensitive(o, "link");
            const cJSON *pub = cJSON_GetObjectItemCaseSensitive(o, "published");
            if (title && label && *title &&
                add_item(g, title, cJSON_IsString(src) ? src->valuestring : NULL,
                         cJSON_IsString(lnk) ? lnk->valuestring : NULL,
                         cJSON_IsString(pub) ? pub->valuestring : NULL, label, &gtab, &gkeys)) {
                cJSON_Delete(o);
                rc = -1;
                break;
            }
        }
        cJSON_Delete(o);
        if (eof) break;
    }
    int gzerr = 0;
    const char *gzmsg = gzerror(f, &gzerr);
    if (rc == 0 && gzerr != Z_OK && gzerr != Z_STREAM_END) {
        seterr(err, errlen, "%s: read error: %s", g->o.corpus, gzmsg);
        rc = -2;
    }
    gzclose(f);
    free(line.p);
    st_free(&gtab);
    free(gkeys.p);
    if (rc == -1) seterr(err, errlen, "out of memory loading %s", g->o.corpus);
    if (rc) return -1;
    if (!g->n_items) {
        seterr(err, errlen, "%s: no documents with a title and a \"story\" label", g->o.corpus);
        return -1;
    }
    /* items grouped by story, in order of first appearance */
    g->gitems = malloc(g->n_items * sizeof *g->gitems);
    if (!g->gitems) goto nomem;
    uint32_t acc = 0;
    for (size_t i = 0; i < g->n_groups; i++) {
        g->groups[i].first = acc;
        acc += g->groups[i].n;
        g->groups[i].n = 0;
    }
    for (size_t i = 0; i < g->n_items; i++) {
        rgroup *gr = &g->groups[g->items[i].group];
        g->gitems[gr->first + gr->n++] = (uint32_t)i;
    }
    /* classes of renameable words, by frequency */
    size_t nv = g->vocab.n;
    for (int c = 1; c <= 2; c++) {
        g->class_list[c] = malloc((nv + 1) * sizeof *g->class_list[c]);
        if (!g->class_list[c]) goto nomem;
        size_t k = 0;
        for (size_t v = 0; v < nv; v++)
            if (g->vclass[v] == c) g->class_list[c][k++] = (uint32_t)v;
        g->class_n[c] = k;
        g_sort_count = g->vcount;
        qsort(g->class_list[c], k, sizeof *g->class_list[c], cmp_vocab);
    }
    return 0;
nomem:
    seterr(err, errlen, "out of memory");
    return -1;
}

/* The vocabulary map of replica r (identity outside the renamed classes). */
static const uint32_t *replica_map(gen *g, uint32_t r)
{
    if (r >= g->n_maps) {
        size_t n = (size_t)r + 1;
        uint32_t **q = realloc(g->maps, n * sizeof *q);
        if (!q) return NULL;
        for (size_t i = g->n_maps; i < n; i++)
            q[i] = NULL;
        g->maps = q;
        g->n_maps = n;
    }
    if (g->maps[r]) return g->maps[r];
    size_t nv = g->vocab.n;
    uint32_t *m = malloc((nv + 1) * sizeof *m);
    if (!m) return NULL;
    for (size_t v = 0; v < nv; v++)
        m[v] = (uint32_t)v;
    for (int c = 1; c <= 2; c++) {
        const uint32_t *l = g->class_list[c];
        size_t n = g->class_n[c];
        for (size_t b0 = 0; b0 < n; b0 += BLOCK) {
            uint32_t bn = (uint32_t)(n - b0 < BLOCK ? n - b0 : BLOCK);
            uint32_t perm[BLOCK];
            for (uint32_t i = 0; i < bn; i++)
                perm[i] = i;
            uint64_t s = mix3(g->o.seed, (uint64_t)r << 8 | (uint64_t)c, b0);
            for (uint32_t i = bn; i > 1; i--) {
                uint32_t j = rnd_below(&s, i);
                uint32_t t = perm[i - 1];
                perm[i - 1] = perm[j];
                perm[j] = t;
            }
            for (uint32_t i = 0; i < bn; i++)
                m[l[b0 + i]] = l[b0 + perm[i]];
        }
    }
    g->maps[r] = m;
    return m;
}

/* The title of item @p it under replica @p r into g->tb, words into g->tw. */
/* A replica's link: the real link's host, then "/r<replica>/" and the
 * replica's headline (g->tb) as a slug, so that the link's words are renamed
 * with the headline's (the engine reads headline words from link slugs). */
static int replica_link(gen *g, const ritem *it, uint32_t r)
{
    const char *l = g->str.p + it->link, *host = strstr(l, "://");
    host = host ? host + 3 : l;
    const char *path = memchr(host, '/', it->link_len - (size_t)(host - l));
    size_t hl = path ? (size_t)(path - l) : it->link_len;
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "/r%u/", r);
    if (n < 0 || buf_put(&g->lb, l, hl) || buf_put(&g->lb, tmp, (size_t)n) ||
        buf_reserve(&g->lb, g->lb.n + g->tb.n + 1))
        return -1;
    int dash = 1;
    for (size_t i = 0; i < g->tb.n; i++) {
        char c = g->tb.p[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            g->lb.p[g->lb.n++] = c;
            dash = 0;
        } else if (c >= 'A' && c <= 'Z') {
            g->lb.p[g->lb.n++] = (char)(c + 32);
            dash = 0;
        } else if (!dash) {
            g->lb.p[g->lb.n++] = '-';
            dash = 1;
        }
    }
    return 0;
}

static int render_real(gen *g, const ritem *it, uint32_t r)
{
    const char *t = g->str.p + it->title;
    const uint32_t *m = r ? replica_map(g, r) : NULL;
    if (r && !m) return -1;
    g->tb.n = 0;
    g->ntw = 0;
    size_t at = 0;
    if (buf_reserve(&g->tb, (size_t)it->title_len * 2 + 64)) return -1;
    for (uint32_t k = 0; k < it->n_words; k++) {
        const rword *w = &g->words[it->word0 + k];
        if (buf_put(&g->tb, t + at, w->off - at)) return -1;
        size_t wstart = g->tb.n;
        uint32_t to = m ? m[w->vid] : w->vid;
        if (to == w->vid) {
            if (buf_put(&g->tb, t + w->off, w->len)) return -1;
        } else {
            const char *s = g->vkeys.p + g->vocab.off[to];
            size_t sl = g->vocab.len[to];
            if (buf_put(&g->tb, s, sl)) return -1;
            char *o = g->tb.p + wstart;
            if (w->cas == 2) {
                for (size_t j = 0; j < sl; j++)
                    if (o[j] >= 'a' && o[j] <= 'z') o[j] = (char)(o[j] - 32);
            } else if (w->cas == 1 && o[0] >= 'a' && o[0] <= 'z') {
                o[0] = (char)(o[0] - 32);
            }
        }
        if (g->ntw < MAX_WORDS) g->tw[g->ntw++] = (wspan){wstart, g->tb.n - wstart};
        at = (size_t)w->off + w->len;
    }
    return buf_put(&g->tb, t + at, it->title_len - at);
}

/* ---------------------------------------------------------------- synthetic */

static int syn_init(gen *g)
{
    g->syn_off = malloc(SYN_VOCAB * sizeof *g->syn_off);
    g->syn_len = malloc(SYN_VOCAB);
    g->out_off = malloc(SYN_OUTLETS * sizeof *g->out_off);
    double *w = malloc(SYN_VOCAB * sizeof *w);
    if (!g->syn_off || !g->syn_len || !g->out_off || !w) {
        free(w);
        return -1;
    }
    for (uint32_t i = 0; i < SYN_VOCAB; i++) {
        char word[64];
        size_t n = 0;
        if (i < N_STOP) {
            n = strlen(stop_words[i]);
            memcpy(word, stop_words[i], n);
        } else {
            /* bijective base-N_SYL numeral: unique, frequent words short */
            uint64_t x = (uint64_t)(i - N_STOP) + 1;
            while (x) {
                x--;
                const char *sy = syllables[x % N_SYL];
                size_t sl = strlen(sy);
                memcpy(word + n, sy, sl);
                n += sl;
                x /= N_SYL;
            }
            if (n < 4) { /* very short made-up words look like stop words */
                memcpy(word + n, "n", 1);
                n++;
            }
        }
        g->syn_off[i] = (uint32_t)g->syn.n;
        g->syn_len[i] = (uint8_t)n;
        if (buf_put(&g->syn, word, n)) goto fail;
        g->syn.n++;
    }
    for (uint32_t i = 0; i < SYN_OUTLETS; i++) {
        uint32_t v = N_STOP + 300 + i * 7;
        char name[96];
        int n = snprintf(name, sizeof name, "%c%s %s", g->syn.p[g->syn_off[v]] - 32,
                         g->syn.p + g->syn_off[v] + 1, outlet_kinds[i % 10]);
        g->out_off[i] = (uint32_t)g->syn.n;
        if (n < 0 || buf_put(&g->syn, name, (size_t)n)) goto fail;
        g->syn.n++;
    }
    /* stop words: Zipf over their rank; content words: Zipf-Mandelbrot
     * (q = 10) so the top words are not in every story; outlets: Zipf. */
    for (uint32_t i = 0; i < N_STOP; i++)
        w[i] = 1.0 / (double)(i + 1);
    if (alias_build(&g->a_stop, w, (uint32_t)N_STOP)) goto fail;
    uint32_t nc = SYN_VOCAB - (uint32_t)N_STOP;
    for (uint32_t i = 0; i < nc; i++)
        w[i] = 1.0 / ((double)i + 10.0);
    if (alias_build(&g->a_content, w, nc)) goto fail;
    for (uint32_t i = 0; i < SYN_OUTLETS; i++)
        w[i] = 1.0 / pow((double)i + 1.0, 0.8);
    if (alias_build(&g->a_outlet, w, SYN_OUTLETS)) goto fail;
    free(w);
    return 0;
fail:
    free(w);
    return -1;
}

static uint32_t syn_story_size(gen *g, uint64_t story)
{
    uint64_t s = mix3(g->o.seed, 0x51, story);
    double u1 = rnd_unit(&s), u2 = rnd_unit(&s);
    double z = sqrt(-2.0 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
    double x = exp(log(37.0) + 1.0 * z);
    if (x < 1.0) x = 1.0;
    if (x > 1000.0) x = 1000.0;
    return (uint32_t)(x + 0.5);
}

/* Headline j of synthetic story @p story into g->tb / g->tw. */
static int render_syn(gen *g, uint64_t story, uint32_t j)
{
    uint64_t s = mix3(g->o.seed, 0x57, story);
    uint32_t topic[8], ents[2];
    uint32_t nt = 4 + rnd_below(&s, 5), ne = 1 + rnd_below(&s, 2);
    for (uint32_t i = 0; i < nt; i++)
        topic[i] = (uint32_t)N_STOP + alias_draw(&g->a_content, &s);
    for (uint32_t i = 0; i < ne; i++)
        ents[i] = (uint32_t)N_STOP + 500 +
                  alias_draw(&g->a_content, &s) % (SYN_VOCAB - (uint32_t)N_STOP - 500);
    int title_case = (int)(gen_splitmix64(&s) & 1);

    uint64_t h = mix3(g->o.seed ^ 0x48, story, j);
    uint32_t len = 6 + rnd_below(&h, 7);
    uint32_t w[16];
    uint8_t is_ent[16];
    uint32_t n = 0;
    uint32_t kt = 2 + rnd_below(&h, 3);
    if (kt > nt) kt = nt;
    uint32_t t0 = rnd_below(&h, nt);
    for (uint32_t i = 0; i < kt; i++) { /* distinct topic words */
        w[n] = topic[(t0 + i) % nt];
        is_ent[n++] = 0;
    }
    if (rnd_unit(&h) < 0.8) {
        w[n] = ents[rnd_below(&h, ne)];
        is_ent[n++] = 1;
    }
    while (n < len) {
        int stop = rnd_unit(&h) < 0.45;
        w[n] = stop ? alias_draw(&g->a_stop, &h) : (uint32_t)N_STOP + alias_draw(&g->a_content, &h);
        is_ent[n++] = 0;
    }
    for (uint32_t i = n; i > 1; i--) {
        uint32_t k = rnd_below(&h, i);
        uint32_t tw = w[i - 1];
        uint8_t te = is_ent[i - 1];
        w[i - 1] = w[k];
        is_ent[i - 1] = is_ent[k];
        w[k] = tw;
        is_ent[k] = te;
    }
    g->tb.n = 0;
    g->ntw = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i && buf_put(&g->tb, " ", 1)) return -1;
        size_t at = g->tb.n;
        if (buf_put(&g->tb, g->syn.p + g->syn_off[w[i]], g->syn_len[w[i]])) return -1;
        int cap = i == 0 || is_ent[i] || (title_case && w[i] >= N_STOP);
        if (cap && g->tb.p[at] >= 'a' && g->tb.p[at] <= 'z') g->tb.p[at] = (char)(g->tb.p[at] - 32);
        g->tw[g->ntw++] = (wspan){at, g->syn_len[w[i]]};
    }
    return 0;
}

/* ---------------------------------------------------------------- edits */

/* Write into g->eb the near-copy of g->tb of kind 1..4 (suffix, drop, swap,
 * truncation); a kind that does not fit the headline falls back to the suffix. */
static int edit_title(gen *g, int kind, uint64_t *rng, const char *src, size_t srcl)
{
    const char *t = g->tb.p;
    size_t n = g->tb.n, nw = g->ntw;
    const wspan *w = g->tw;
    g->eb.n = 0;
    if (kind == 2 && nw >= 4) {
        size_t j = 1 + rnd_below(rng, (uint32_t)(nw - 2));
        return buf_put(&g->eb, t, w[j].off) || buf_put(&g->eb, t + w[j + 1].off, n - w[j + 1].off);
    }
    if (kind == 3 && nw >= 3) {
        size_t j = rnd_below(rng, (uint32_t)(nw - 1));
        size_t e0 = w[j].off + w[j].len, e1 = w[j + 1].off + w[j + 1].len;
        return buf_put(&g->eb, t, w[j].off) || buf_put(&g->eb, t + w[j + 1].off, w[j + 1].len) ||
               buf_put(&g->eb, t + e0, w[j + 1].off - e0) ||
               buf_put(&g->eb, t + w[j].off, w[j].len) || buf_put(&g->eb, t + e1, n - e1);
    }
    if (kind == 4 && nw >= 5) {
        size_t m = (nw * (50 + rnd_below(rng, 36))) / 100;
        if (m < 3) m = 3;
        return buf_put(&g->eb, t, w[m - 1].off + w[m - 1].len) || buf_put(&g->eb, " ...", 4);
    }
    if (buf_put(&g->eb, t, n)) return -1;
    if (srcl) return buf_put(&g->eb, " - ", 3) || buf_put(&g->eb, src, srcl);
    return 0;
}

/* ---------------------------------------------------------------- stream */

static int next_day(gen *g)
{
    while (g->cur == g->n_ents) {
        if (g->pos >= g->o.n || g->day >= g->o.days) return 0;
        uint64_t bound = g->day + 1 == g->o.days ? g->o.n : g->o.n * (g->day + 1) / g->o.days;
        g->n_ents = 0;
        g->cur = 0;
        while (g->pos < bound) {
            uint64_t size;
            uint32_t a0 = 0, r = 0;
            const rgroup *gr = NULL;
            if (g->o.synthetic) {
                size = syn_story_size(g, g->next_group);
            } else {
                gr = &g->groups[g->next_group % g->n_groups];
                r = (uint32_t)(g->next_group / g->n_groups);
                size = gr->n;
                a0 = gr->first;
            }
            if (size > g->o.n - g->pos) size = g->o.n - g->pos;
            if (grow((void **)&g->ents, &g->cap_ents, g->n_ents + (size_t)size, sizeof *g->ents))
                return -1;
            for (uint32_t i = 0; i < (uint32_t)size; i++) {
                ent *e = &g->ents[g->n_ents++];
                if (g->o.synthetic) {
                    e->a = (uint32_t)g->next_group;
                    e->b = i;
                } else {
                    e->a = g->gitems[a0 + i];
                    e->b = r;
                }
            }
            g->pos += size;
            g->next_group++;
        }
        uint64_t s = mix3(g->o.seed, 0xDA7, g->day);
        for (size_t i = g->n_ents; i > 1; i--) {
            size_t j = (size_t)(rnd_unit(&s) * (double)i);
            if (j >= i) j = i - 1;
            ent t = g->ents[i - 1];
            g->ents[i - 1] = g->ents[j];
            g->ents[j] = t;
        }
        g->day_start = g->o.start + (int64_t)g->day * 86400;
        gen_civil_from_days(g->day_start / 86400, g->date);
        g->day++;
    }
    return 1;
}

int gen_next(gen *g, gen_doc *d)
{
    int r = next_day(g);
    if (r <= 0) return r;
    size_t i = g->cur++;
    const ent *e = &g->ents[i];
#if defined(__GNUC__)
    if (!g->o.synthetic) { /* the day is shuffled: fetch ahead what the next documents read */
        if (i + 8 < g->n_ents) __builtin_prefetch(&g->items[g->ents[i + 8].a]);
        if (i + 4 < g->n_ents) {
            const ritem *nx = &g->items[g->ents[i + 4].a];
            __builtin_prefetch(g->str.p + nx->title);
            __builtin_prefetch(g->str.p + nx->source);
            __builtin_prefetch(g->str.p + nx->link);
            __builtin_prefetch(&g->words[nx->word0]);
            __builtin_prefetch(&g->groups[nx->group]);
        }
    }
#endif
    uint64_t h = mix3(g->o.seed, 0xD0C, g->ordinal);
    memset(d, 0, sizeof *d);
    d->ordinal = g->ordinal++;
    d->published =
        g->day_start + (int64_t)(((double)i + rnd_unit(&h)) * 86400.0 / (double)g->n_ents);
    double u = rnd_unit(&h);
    int kind = 0;
    if (u < g->o.edits) {
        double k = u / g->o.edits;
        kind = k < 0.35 ? 1 : k < 0.60 ? 2 : k < 0.75 ? 3 : 4;
    }
    g->sb.n = 0;
    g->lb.n = 0;
    if (g->o.synthetic) {
        uint32_t j = e->b;
        if (kind || u < g->o.edits + P_COPY) j = rnd_below(&h, e->b + 1); /* copy of another */
        if (render_syn(g, e->a, j)) return -1;
        uint32_t o = alias_draw(&g->a_outlet, &h);
        d->source = g->syn.p + g->out_off[o];
        d->source_len = strlen(d->source);
        char tmp[160];
        int n = snprintf(tmp, sizeof tmp, "%s/s%u", g->date, e->a);
        if (n < 0 || buf_put(&g->sb, tmp, (size_t)n)) return -1;
        n = snprintf(tmp, sizeof tmp, "https://www.%.*s.example.com/%s/%u-%u.html",
                     (int)g->syn_len[N_STOP + 300 + o * 7],
                     g->syn.p + g->syn_off[N_STOP + 300 + o * 7], g->date, e->a, e->b);
        if (n < 0 || buf_put(&g->lb, tmp, (size_t)n)) return -1;
    } else {
        const ritem *it = &g->items[e->a];
        const ritem *from = it;
        if (kind) { /* a near-copy of a headline of the same story */
            const rgroup *gr = &g->groups[it->group];
            from = &g->items[g->gitems[gr->first + rnd_below(&h, gr->n)]];
        }
        if (!kind && !e->b) { /* the real headline as it is */
            g->tb.n = 0;
            if (buf_put(&g->tb, g->str.p + from->title, from->title_len)) return -1;
        } else if (render_real(g, from, e->b)) {
            return -1;
        }
        d->source = g->str.p + it->source;
        d->source_len = it->source_len;
        const rgroup *gr = &g->groups[it->group];
        char tmp[48];
        int n = snprintf(tmp, sizeof tmp, "/%u", e->b);
        if (buf_put(&g->sb, g->date, 10) || buf_put(&g->sb, "/", 1) ||
            buf_put(&g->sb, g->str.p + gr->label, gr->label_len) || n < 0 ||
            buf_put(&g->sb, tmp, (size_t)n))
            return -1;
        if (!e->b || !it->link_len) {
            if (buf_put(&g->lb, g->str.p + it->link, it->link_len)) return -1;
        } else if (replica_link(g, it, e->b)) {
            return -1;
        }
    }
    if (kind) {
        if (edit_title(g, kind, &h, d->source, d->source_len)) return -1;
        d->title = g->eb.p;
        d->title_len = g->eb.n;
    } else {
        d->title = g->tb.p;
        d->title_len = g->tb.n;
    }
    d->story = g->sb.p;
    d->story_len = g->sb.n;
    d->link = g->lb.p ? g->lb.p : "";
    d->link_len = g->lb.n;
    return 1;
}

int gen_open(const gen_opts *o, gen **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!o->n || !o->days || o->edits < 0.0 || o->edits > 1.0) {
        seterr(err, errlen, "bad generator options");
        return -1;
    }
    gen *g = calloc(1, sizeof *g);
    if (!g) {
        seterr(err, errlen, "out of memory");
        return -1;
    }
    g->o = *o;
    if (o->synthetic) {
        if (syn_init(g)) {
            seterr(err, errlen, "out of memory");
            gen_close(g);
            return -1;
        }
    } else if (!o->corpus || load_corpus(g, err, errlen)) {
        if (!o->corpus) seterr(err, errlen, "no corpus given");
        gen_close(g);
        return -1;
    }
    if (buf_reserve(&g->tb, 256) || buf_reserve(&g->eb, 256) || buf_reserve(&g->lb, 256) ||
        buf_reserve(&g->sb, 256)) {
        seterr(err, errlen, "out of memory");
        gen_close(g);
        return -1;
    }
    *out = g;
    return 0;
}

void gen_close(gen *g)
{
    if (!g) return;
    free(g->str.p);
    free(g->items);
    free(g->words);
    free(g->groups);
    free(g->gitems);
    st_free(&g->vocab);
    free(g->vkeys.p);
    free(g->vcount);
    free(g->vclass);
    free(g->class_list[1]);
    free(g->class_list[2]);
    for (size_t i = 0; i < g->n_maps; i++)
        free(g->maps[i]);
    free(g->maps);
    free(g->syn.p);
    free(g->syn_off);
    free(g->syn_len);
    free(g->out_off);
    alias_free(&g->a_stop);
    alias_free(&g->a_content);
    alias_free(&g->a_outlet);
    free(g->ents);
    free(g->tb.p);
    free(g->eb.p);
    free(g->lb.p);
    free(g->sb.p);
    free(g);
}

gen_opts gen_opts_default(void)
{
    gen_opts go = {.n = 1000000, .days = 0, .seed = 1, .corpus = NC_BENCH_CORPUS, .edits = 0.1};
    go.start = gen_days_from_civil(2024, 1, 1) * 86400;
    return go;
}

/* A count with an optional k, M or G suffix ("5M").  @return 0 or -1. */
static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || x < 0) return -1;
    if (*end == 'k' || *end == 'K')
        x *= 1e3, end++;
    else if (*end == 'm' || *end == 'M')
        x *= 1e6, end++;
    else if (*end == 'g' || *end == 'G')
        x *= 1e9, end++;
    if (*end || x > 4e9) return -1;
    *out = (uint64_t)(x + 0.5);
    return 0;
}

int gen_parse_option(gen_opts *o, const char *a, const char *v, char *err, size_t errlen)
{
    if (!strcmp(a, "--synthetic")) {
        o->synthetic = 1;
        return 1;
    }
    int takes = !strcmp(a, "--n") || !strcmp(a, "-n") || !strcmp(a, "--days") ||
                !strcmp(a, "--seed") || !strcmp(a, "--edits") || !strcmp(a, "--start") ||
                !strcmp(a, "--corpus");
    if (!takes) return 0;
    if (!v) {
        snprintf(err, errlen, "%s: missing value", a);
        return -1;
    }
    const char *bad = NULL;
    if (!strcmp(a, "--n") || !strcmp(a, "-n")) {
        if (parse_count(v, &o->n)) bad = "not a count (at most 4G)";
    } else if (!strcmp(a, "--days")) {
        uint64_t d;
        if (parse_count(v, &d) || d < 1 || d > 100000)
            bad = "1 to 100000";
        else
            o->days = (uint32_t)d;
    } else if (!strcmp(a, "--seed")) {
        char *end;
        errno = 0;
        o->seed = strtoull(v, &end, 0);
        if (errno || *end || end == v) bad = "not an integer";
    } else if (!strcmp(a, "--edits")) {
        char *end;
        o->edits = strtod(v, &end);
        if (*end || end == v || !(o->edits >= 0.0 && o->edits <= 1.0))
            bad = "a probability in [0, 1]";
    } else if (!strcmp(a, "--start")) {
        unsigned y, m, d;
        char extra;
        if (sscanf(v, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 ||
            d > 31)
            bad = "YYYY-MM-DD";
        else
            o->start = gen_days_from_civil(y, m, d) * 86400;
    } else {
        o->corpus = v;
    }
    if (bad) {
        snprintf(err, errlen, "%s: %s: %s", a, bad, v);
        return -1;
    }
    return 2;
}

void gen_opts_finish(gen_opts *o)
{
    if (o->days == 0)
        o->days = (uint32_t)(o->n / 10000 > 100000 ? 100000 : o->n / 10000 ? o->n / 10000 : 1);
}
