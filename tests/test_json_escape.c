/*
 * test_json_escape.c - the JSON writing helpers: nc__json_num_text against
 * printf's "%.4f" (trimmed) on random floats, on exact rounding ties and on
 * values outside the fast path; nc__json_buf_string against the FILE writer
 * on every byte that needs escaping.
 */
#include "json_escape.h"
#include "nc_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* "%.4f" with trailing zeros trimmed (keeping one decimal): the reference. */
static void reference(double x, char *out)
{
    snprintf(out, 64, "%.4f", x);
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '0' && out[n - 2] != '.')
        out[--n] = 0;
}

static int same_as_printf(double x)
{
    char got[64], want[64];
    size_t n = nc__json_num_text(x, got);
    reference(x, want);
    if (n == strlen(got) && strcmp(got, want) == 0) return 1;
    fprintf(stderr, "num_text(%.17g) = %s, printf %s\n", x, got, want);
    return 0;
}

static void test_numbers(void)
{
    char b[64];
    nc__json_num_text(1.0, b);
    CHECK_STR(b, "1.0");
    nc__json_num_text(0.0, b);
    CHECK_STR(b, "0.0");
    nc__json_num_text((double)0.93128f, b);
    CHECK_STR(b, "0.9313");
    /* exact ties: 1/32 = 0.03125 rounds to even (0.0312), 3/32 up (0.0938) */
    nc__json_num_text(0.03125, b);
    CHECK_STR(b, "0.0312");
    nc__json_num_text(0.09375, b);
    CHECK_STR(b, "0.0938");
    int bad = 0;
    uint64_t st = 42;
    for (int i = 0; i < 200000; i++) { /* random floats in [0, 1], as scores are */
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        float f = (float)((double)(st >> 40) / (double)(1u << 24));
        bad += !same_as_printf((double)f);
    }
    for (uint32_t k = 0; k <= 32768; k++) /* every multiple of 2^-15: many ties */
        bad += !same_as_printf((double)k / 32768.0);
    CHECK(bad == 0);
    /* outside the fast path: doubles that are not floats, negatives, large */
    CHECK(same_as_printf(0.045));
    CHECK(same_as_printf(72.0));
    CHECK(same_as_printf(-0.25));
    CHECK(same_as_printf(1e12));
    CHECK(same_as_printf(0.1));
}

static void test_strings(void)
{
    char in[256];
    for (int i = 1; i < 256; i++)
        in[i - 1] = (char)i;
    in[255] = 0;
    const char *cases[] = {"", "plain", "q\"uote\\back\nnl\ttab\rcr", "caf\xc3\xa9", in};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char *mem = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&mem, &len);
        CHECK(nc__json_put_string(f, cases[c]) == 0);
        fclose(f);
        nc_buf b = {0};
        nc__buf_put(&b, "x", 1); /* appends after what is there */
        nc__json_buf_string(&b, cases[c]);
        CHECK(!b.oom && b.len == len + 1 && b.p[0] == 'x' && memcmp(b.p + 1, mem, len) == 0);
        CHECK(b.p[b.len] == '\0');
        free(b.p);
        free(mem);
    }
    nc_buf b = {0};
    nc__json_buf_string(&b, NULL);
    CHECK_STR(b.p, "null");
    free(b.p);
}

/* The buffer writer against the FILE writer for @p s. */
static int same_as_file(const char *s)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    if (!f) return 0;
    int ok = nc__json_put_string(f, s) == 0;
    fclose(f);
    nc_buf b = {0};
    nc__json_buf_string(&b, s);
    ok = ok && !b.oom && b.len == len && memcmp(b.p, mem, len) == 0;
    free(b.p);
    free(mem);
    return ok;
}

/* The buffer writer copies 8 plain bytes at a time: each byte that needs
 * escaping (and bytes next to them: 0x1f, 0x20, '!', '#', '[', ']', 0x7f,
 * 0x80, 0xff) at every offset of strings of every length up to 24. */
static void test_string_words(void)
{
    static const unsigned char special[] = {1,   2,   9,   10,   13,  0x1f, 0x20, '!',
                                            '"', '#', '[', '\\', ']', 0x7f, 0x80, 0xff};
    int bad = 0;
    for (size_t len = 1; len <= 24; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof special; k++) {
                char t[32];
                for (size_t i = 0; i < len; i++)
                    t[i] = (char)('a' + i % 26);
                t[at] = (char)special[k];
                t[len] = 0;
                if (!same_as_file(t)) bad++;
            }
    CHECK(bad == 0);
    uint32_t x = 12345u; /* random bytes, none zero */
    for (int r = 0; r < 2000; r++) {
        char t[64];
        size_t len = (size_t)r % 63;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            t[i] = (char)(1 + (x >> 16) % 255);
        }
        t[len] = 0;
        if (!same_as_file(t)) bad++;
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_numbers();
    test_strings();
    test_string_words();
    return nc_test_report("test_json_escape");
}
