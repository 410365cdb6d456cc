/*
 * fuzz_normalize.c - libFuzzer target for the text normalisation of
 * src/normalize.h.
 *
 * The whole input goes through nc__html_to_text, nc__clean_text, nc__fold,
 * nc__gnews_split, nc__cp1252_to_utf8 and nc__utf8_valid, and a
 * NUL-terminated copy through nc__strip_outlet_suffix; the outputs are then
 * chained (HTML text -> clean -> outlet suffix, clean -> fold) the way the
 * readers use them.  Everything is freed.
 *
 * Aborts (a finding) only on what normalize.h promises:
 *  - every output string is valid UTF-8 (they all repair or convert), except
 *    nc__strip_outlet_suffix on raw bytes, which only cuts and copies: there
 *    the title may only get shorter, and on valid input both parts stay valid;
 *  - nc__clean_text output has no control characters, no runs of spaces and
 *    no leading or trailing space;
 *  - nc__utf8_valid agrees with a reference validator (Unicode 15, table 3-7);
 *  - a successful call sets its out pointer (n > 0 gives items).
 *
 * Built as a libFuzzer executable (tests/CMakeLists.txt, NC_FUZZ=ON) and
 * replayed by tests/test_fuzz_replay.c, which defines NC_FUZZ_ENTRY to give
 * the entry point another name.
 */
#include "newsclust.h"
#include "normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NC_FUZZ_ENTRY
#define NC_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void fn_fail(const char *fn, const char *what)
{
    fprintf(stderr, "fuzz_normalize: %s: %s\n", fn, what);
    abort();
}

/* Well-formed UTF-8 per Unicode table 3-7: no overlong forms, surrogates
 * or values above U+10FFFF. */
static int fn_utf8_ref(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return 0;
        }
        if (len - i <= need) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t k = 2; k <= need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
        i += need + 1;
    }
    return 1;
}

/* A NUL-terminated output of @p fn: check it is valid UTF-8. */
static void fn_check_utf8(const char *fn, const char *s)
{
    if (!s) fn_fail(fn, "NC_OK with a NULL result");
    size_t n = strlen(s);
    if (!nc__utf8_valid(s, n) || !fn_utf8_ref((const unsigned char *)s, n))
        fn_fail(fn, "result is not valid UTF-8");
}

/* nc__clean_text's promise: single spaces, trimmed, no controls. */
static void fn_check_clean(const char *s)
{
    fn_check_utf8("nc__clean_text", s);
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[n - 1] == ' ')) fn_fail("nc__clean_text", "not trimmed");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) fn_fail("nc__clean_text", "control character or tab/newline");
        if (c == ' ' && s[i + 1] == ' ') fn_fail("nc__clean_text", "run of spaces");
        if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) fn_fail("nc__clean_text", "U+00A0 left");
    }
}

/* Cut an outlet suffix off a private copy of @p s; @p valid: s is valid UTF-8. */
static void fn_strip(const char *s, size_t n, int valid)
{
    char *t = malloc(n + 1);
    if (!t) return;
    if (n) memcpy(t, s, n);
    t[n] = '\0';
    size_t before = strlen(t); /* up to the first NUL of the input */
    char *outlet = NULL;
    if (nc__strip_outlet_suffix(t, &outlet) == NC_OK) {
        size_t after = strlen(t);
        if (after > before) fn_fail("nc__strip_outlet_suffix", "title got longer");
        if (outlet) {
            size_t on = strlen(outlet);
            if (on > before) fn_fail("nc__strip_outlet_suffix", "outlet longer than title");
            if (valid && !nc__utf8_valid(outlet, on))
                fn_fail("nc__strip_outlet_suffix", "outlet of a valid title is not valid UTF-8");
        }
        if (valid && !nc__utf8_valid(t, after))
            fn_fail("nc__strip_outlet_suffix", "cut of a valid title is not valid UTF-8");
    }
    free(outlet);
    free(t);
}

int NC_FUZZ_ENTRY(const uint8_t *data, size_t size);
int NC_FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (!size) s = ""; /* libFuzzer may pass NULL with size 0 */

    int valid = nc__utf8_valid(s, size);
    if (valid != fn_utf8_ref((const unsigned char *)s, size))
        fn_fail("nc__utf8_valid", "disagrees with the reference validator");

    char *text = NULL, *clean = NULL, *fold = NULL, *conv = NULL;
    if (nc__html_to_text(s, size, &text) == NC_OK) fn_check_utf8("nc__html_to_text", text);
    if (nc__clean_text(s, size, &clean) == NC_OK) fn_check_clean(clean);
    if (nc__fold(s, size, &fold) == NC_OK) fn_check_utf8("nc__fold", fold);
    if (nc__cp1252_to_utf8(s, size, &conv) == NC_OK) fn_check_utf8("nc__cp1252_to_utf8", conv);

    nc_related *items = NULL;
    size_t n = 0;
    if (nc__gnews_split(s, size, &items, &n) == NC_OK) {
        if (n && !items) fn_fail("nc__gnews_split", "n > 0 with NULL items");
        for (size_t i = 0; i < n; i++) {
            if (items[i].title) fn_check_utf8("nc__gnews_split title", items[i].title);
            if (items[i].source) (void)strlen(items[i].source);
            if (items[i].link) (void)strlen(items[i].link);
        }
        nc__related_free(items, n);
    }

    fn_strip(s, size, valid);

    /* the readers' chains: HTML text -> clean -> outlet; clean -> fold */
    if (text) {
        char *c2 = NULL;
        if (nc__clean_text(text, strlen(text), &c2) == NC_OK) {
            fn_check_clean(c2);
            fn_strip(c2, strlen(c2), 1);
        }
        free(c2);
    }
    if (clean) {
        char *f2 = NULL;
        if (nc__fold(clean, strlen(clean), &f2) == NC_OK) fn_check_utf8("nc__fold", f2);
        free(f2);
        fn_strip(clean, strlen(clean), 1);
    }
    if (conv) {
        char *t2 = NULL;
        if (nc__html_to_text(conv, strlen(conv), &t2) == NC_OK)
            fn_check_utf8("nc__html_to_text", t2);
        free(t2);
    }

    free(text);
    free(clean);
    free(fold);
    free(conv);
    return 0;
}
