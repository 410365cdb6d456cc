/*
 * outlet_suffix.c - nc__strip_outlet_suffix: cut an outlet name off the end
 * of a headline ("Obama's speech - Washington Post", "... | Reuters",
 * "... — BBC News", "... - KSL.com").  Only the last separator (" - ",
 * " – ", " — ", " | ", " :: ") is considered, and only when what follows
 * looks like a name: at most 5 words and 40 bytes, no sentence punctuation,
 * every word capitalised, a number, a domain (news.com.au) or a camel-case
 * brand (iMore), with lowercase connectors (of, and, de, ...) allowed inside.
 * Section labels ("Live", "Analysis", "Part 2"), Title Case phrases
 * ("Everything You Need To Know") and score lines ("Arsenal 3 - 1 Chelsea")
 * are left alone.  A heuristic: a capitalised phrase of name-like words
 * ("Bulls Back In Control") is still taken for an outlet.  A dangling separator at the
 * end ("Title - ") is removed.
 */
#define _GNU_SOURCE /* memrchr */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define OUTLET_MAX_BYTES 40
#define OUTLET_MAX_WORDS 5

static const char *const separators[] = {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " | ", " :: "};

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_lower_ascii(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_upper_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int ieq(const char *a, size_t n, const char *lit)
{
    if (n == 0 || (unsigned char)(a[0] | 0x20) != (unsigned char)lit[0])
        return lit[0] == '\0' && n == 0;
    size_t m = strlen(lit);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (is_upper_ascii(c)) c = (unsigned char)(c | 0x20);
        if (c != (unsigned char)lit[i]) return 0;
    }
    return 1;
}

static int in_list(const char *w, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (ieq(w, n, list[i])) return 1;
    return 0;
}

/* Whole tails that are section labels, not outlets. */
static const char *const labels[] = {
    "live",           "live updates",   "live blog",     "live news",  "latest",     "latest news",
    "latest updates", "as it happened", "video",         "videos",     "watch",      "photos",
    "pictures",       "in pictures",    "gallery",       "analysis",   "opinion",    "review",
    "reviews",        "report",         "update",        "updates",    "explained",  "exclusive",
    "recap",          "podcast",        "interview",     "transcript", "highlights", "preview",
    "full text",      "breaking",       "breaking news", "editorial",  "obituary",   "trailer",
    "poll",           "quiz",           "comment",       "column",     "feature",    "explainer",
    "timeline",       "factbox",        "fact check",    "q&a",        "faq",        "summary",
    "full story",     "news",           "sport",         "sports",     "weather",    "listen",
    "read more",      "more",           "continued",     "cont"};

/* Words that make a tail a phrase rather than a name, anywhere in it:
 * "Everything You Need To Know", "What We Know", "Official Trailer",
 * "Episode 3 Recap", "First Look". */
static const char *const phrase_words[] = {
    "you",       "your",       "we",      "it",      "is",      "are",     "was",        "were",
    "will",      "can",        "to",      "how",     "what",    "why",     "who",        "when",
    "where",     "know",       "need",    "says",    "said",    "gets",    "has",        "have",
    "should",    "would",      "could",   "does",    "did",     "this",    "that",       "these",
    "those",     "my",         "our",     "they",    "their",   "vs",      "not",        "about",
    "after",     "before",     "with",    "from",    "into",    "than",    "just",       "here",
    "there",     "now",        "first",   "look",    "recap",   "preview", "highlights", "trailer",
    "interview", "explained",  "episode", "season",  "chapter", "photos",  "pictures",   "gallery",
    "exclusive", "transcript", "latest",  "updates", "hands-on"};

/* First words of "Part 2", "Day 3", "Episode IV" ... */
static const char *const numbered[] = {"part",   "day",   "episode", "ep",     "season",  "round",
                                       "week",   "game",  "vol",     "volume", "chapter", "stage",
                                       "leg",    "match", "race",    "series", "page",    "no",
                                       "number", "act",   "book",    "level"};

/* Lowercase words allowed inside a name ("The Times of India"). */
static const char *const connectors[] = {"of",  "and", "the",   "for", "de", "da", "do", "dos",
                                         "das", "der", "die",   "des", "du", "la", "le", "el",
                                         "del", "di",  "della", "on",  "at", "in", "y",  "e",
                                         "und", "&",   "van",   "von", "am", "an", "al"};

static int is_number_word(const char *w, size_t n)
{
    static const char *const words[] = {"one",   "two",  "three", "four", "five", "six", "seven",
                                        "eight", "nine", "ten",   "i",    "ii",   "iii", "iv",
                                        "v",     "vi",   "vii",   "viii", "ix",   "x"};
    size_t i = 0;
    if (n && w[0] == '#') i = 1;
    if (i < n) {
        size_t d = i;
        while (d < n && is_digit((unsigned char)w[d]))
            d++;
        if (d == n) return 1;
    }
    return in_list(w, n, words, sizeof words / sizeof words[0]);
}

static int is_pure_number(const char *w, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)w[i]) && w[i] != '.' && w[i] != ',') return 0;
    return 1;
}

/* "KSL.com", "news.com.au", "bloomberg.com": a dot inside, the last label
 * 2-6 ASCII letters, the first character alphanumeric. */
static int is_domain(const char *w, size_t n)
{
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '.') dot = w + i;
    if (!dot || dot == w) return 0;
    size_t tld = n - (size_t)(dot + 1 - w);
    if (tld < 2 || tld > 6) return 0;
    for (const char *c = dot + 1; c < w + n; c++)
        if (!is_lower_ascii((unsigned char)(*c | 0x20))) return 0;
    unsigned char f = (unsigned char)w[0];
    return is_digit(f) || is_lower_ascii((unsigned char)(f | 0x20)) || f >= 0x80;
}

static utf8proc_int32_t first_cp(const char *w, size_t n)
{
    utf8proc_int32_t cp = -1;
    if (utf8proc_iterate((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &cp) < 0) return -1;
    return cp;
}

static int cp_is_upper(utf8proc_int32_t cp)
{
    if (cp < 0) return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Only characters that occur in outlet names: letters, digits, and
 * . ' ’ - & + ! inside words.  Any other punctuation or symbol disqualifies. */
static int word_chars_ok(const char *w, size_t n, int last)
{
    utf8proc_ssize_t i = 0;
    while ((size_t)i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)n - i, &cp);
        if (k <= 0) return 0;
        if (cp < 0x80) {
            unsigned char c = (unsigned char)cp;
            if (is_digit(c) || is_lower_ascii((unsigned char)(c | 0x20))) {
                /* ok */
            } else if (c == '.' || c == '\'' || c == '-' || c == '&' || c == '+') {
                /* ok */
            } else if (c == '!') {
                if (last || (size_t)(i + k) != n) return 0; /* "Yahoo! News" only */
            } else {
                return 0;
            }
        } else if (cp != 0x2019) {
            utf8proc_category_t c = utf8proc_category(cp);
            if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_ND) return 0; /* L*, M*, Nd */
        }
        i += k;
    }
    return 1;
}

/* A word ending in '.' is an abbreviation ("U.S.", "D.C.") only if it has
 * another dot; otherwise the dot ends a sentence. */
static int trailing_dot_ok(const char *w, size_t n)
{
    if (!n || w[n - 1] != '.') return 1;
    return memchr(w, '.', n - 1) != NULL;
}

static int looks_like_outlet(const char *t, size_t n, const char *head, size_t head_len)
{
    const char *words[OUTLET_MAX_WORDS];
    size_t lens[OUTLET_MAX_WORDS];
    size_t nw = 0, i = 0;
    int letters = 0;

    if (n == 0 || n > OUTLET_MAX_BYTES) return 0;
    if (in_list(t, n, labels, sizeof labels / sizeof labels[0])) return 0;
    while (i < n) {
        while (i < n && is_space(t[i]))
            i++;
        if (i >= n) break;
        size_t s = i;
        while (i < n && !is_space(t[i]))
            i++;
        if (nw == OUTLET_MAX_WORDS) return 0;
        words[nw] = t + s;
        lens[nw++] = i - s;
    }
    if (nw == 0) return 0;
    if (nw == 2 && in_list(words[0], lens[0], numbered, sizeof numbered / sizeof numbered[0]) &&
        is_number_word(words[1], lens[1]))
        return 0;
    if (is_pure_number(words[0], lens[0])) return 0; /* "3 - 1 Chelsea" */

    for (size_t k = 0; k < nw; k++) {
        const char *w = words[k];
        size_t wl = lens[k];
        int last = k + 1 == nw;
        if (!word_chars_ok(w, wl, last) || !trailing_dot_ok(w, wl)) return 0;
        if (in_list(w, wl, phrase_words, sizeof phrase_words / sizeof phrase_words[0])) return 0;
        for (size_t j = 0; j < wl; j++)
            if (!is_digit((unsigned char)w[j]) && (unsigned char)w[j] != '.' && w[j] != '-' &&
                w[j] != '\'' && w[j] != '&' && w[j] != '+' && w[j] != '!')
                letters = 1;
        if (k > 0 && !last && in_list(w, wl, connectors, sizeof connectors / sizeof connectors[0]))
            continue;
        if (wl == 1 && w[0] == '&') continue;
        utf8proc_int32_t cp = first_cp(w, wl);
        if (cp_is_upper(cp) || (cp >= '0' && cp <= '9')) continue;
        if (is_domain(w, wl)) continue;
        /* camel-case brand: lowercase start, an uppercase letter later */
        if (cp >= 'a' && cp <= 'z' && wl > 1) {
            int upper = 0;
            for (size_t j = 1; j < wl; j++)
                upper |= is_upper_ascii((unsigned char)w[j]);
            if (upper) continue;
        }
        return 0;
    }
    if (!letters) return 0;

    /* Score lines: "Arsenal 3 - Chelsea 1". */
    if (is_pure_number(words[nw - 1], lens[nw - 1])) {
        size_t e = head_len, s;
        while (e > 0 && is_space(head[e - 1]))
            e--;
        s = e;
        while (s > 0 && !is_space(head[s - 1]))
            s--;
        if (is_pure_number(head + s, e - s)) return 0;
    }
    return 1;
}

/* The head must be a headline of its own: something alphanumeric, and either
 * two words or at least as long as the tail ("Q&A - John Smith" stays). */
static int head_ok(const char *h, size_t n, size_t tail_len)
{
    int alnum = 0, words = 0, in_word = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (is_digit(c) || is_lower_ascii((unsigned char)(c | 0x20)) || c >= 0x80) alnum = 1;
        if (is_space(h[i])) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    return alnum && (words >= 2 || n >= tail_len);
}

static size_t rtrim(const char *s, size_t n)
{
    while (n > 0 && is_space(s[n - 1]))
        n--;
    return n;
}

/* If s[0..n) ends in a separator with nothing after it ("Title -"),
 * @return the length without it, else n. */
static size_t drop_dangling_separator(const char *s, size_t n)
{
    static const char *const seps[] = {"-", "\xE2\x80\x93", "\xE2\x80\x94", "|", "::"};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        size_t m = strlen(seps[k]);
        if (n > m && memcmp(s + n - m, seps[k], m) == 0 && is_space(s[n - m - 1])) {
            size_t r = rtrim(s, n - m);
            if (r > 0) return r;
        }
    }
    return n;
}

nc_status nc__strip_outlet_suffix(char *title, char **outlet)
{
    if (!outlet) return NC_ERR_INVALID_ARG;
    *outlet = NULL;
    if (!title) return NC_ERR_INVALID_ARG;

    size_t len = rtrim(title, strlen(title));
    size_t cut = drop_dangling_separator(title, len);
    if (cut != len) {
        title[cut] = '\0';
        len = cut;
    }

    /* the last separator: scan back from the end */
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t at = len; best == SIZE_MAX;) {
        /* from space to space (memrchr), not byte by byte: the same
         * positions in the same order */
        const char *sp = at ? memrchr(title, ' ', at) : NULL;
        if (!sp) break;
        at = (size_t)(sp - title);
        /* every separator is a space then '-', '|', ':' or an en/em dash's lead byte */
        unsigned char next = (unsigned char)title[at + 1];
        if (next != '-' && next != '|' && next != ':' && next != 0xE2) continue;
        for (size_t k = 0; k < sizeof separators / sizeof separators[0]; k++) {
            size_t m = strlen(separators[k]);
            if (at + m <= len && memcmp(title + at, separators[k], m) == 0) {
                best = at;
                best_len = m;
                break;
            }
        }
    }
    if (best == SIZE_MAX) return NC_OK;

    const char *tail = title + best + best_len;
    while (is_space(*tail))
        tail++;
    size_t tail_len = len - (size_t)(tail - title);
    size_t head_len = rtrim(title, best);
    if (!head_ok(title, head_len, tail_len) || !looks_like_outlet(tail, tail_len, title, head_len))
        return NC_OK;

    char *o = malloc(tail_len + 1);
    if (!o) return NC_ERR_NOMEM;
    memcpy(o, tail, tail_len);
    o[tail_len] = '\0';
    title[head_len] = '\0';
    *outlet = o;
    return NC_OK;
}
