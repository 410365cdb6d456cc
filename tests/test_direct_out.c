/*
 * test_direct_out.c - the CLI's output stream past the page cache
 * (src/cli/direct_out.c): the file holds exactly the bytes written, for
 * lengths around the alignment and the buffer size, in writes of any size,
 * with O_DIRECT and through the page cache; errors come back as -1/NULL.
 */
#include "direct_out.h"
#include "nc_test.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define BUF ((size_t)4 << 20) /* direct_out.c's buffer */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Write @p n pseudo-random bytes to @p path (fwrite pieces of random sizes,
 * some fputc and fprintf), close, read back and compare. */
static void round_trip(const char *path, size_t n, int direct)
{
    unsigned char *want = malloc(n + 1);
    CHECK(want != NULL);
    if (!want) return;
    for (size_t i = 0; i < n; i++)
        want[i] = (unsigned char)next_rand();
    int is_direct = -1;
    FILE *f = direct_out_open(path, direct, &is_direct);
    CHECK(f != NULL);
    if (!f) {
        free(want);
        return;
    }
    CHECK(is_direct == 0 || is_direct == 1);
    if (!direct) CHECK(is_direct == 0);
    size_t i = 0;
    while (i < n) {
        uint64_t r = next_rand();
        size_t k = (size_t)(r % 5 == 0 ? r % 3 : r % 3 == 0 ? r % (BUF + 7) : r % 9000);
        if (k > n - i) k = n - i;
        if (k == 1 && r % 2) {
            CHECK(fputc(want[i], f) == want[i]);
        } else if (k == 2 && want[i] && want[i + 1]) {
            CHECK(fprintf(f, "%c%c", want[i], want[i + 1]) == 2);
        } else if (k) {
            CHECK(fwrite(want + i, 1, k, f) == k);
        }
        i += k;
    }
    CHECK(direct_out_close(f) == 0);
    FILE *g = fopen(path, "rb");
    CHECK(g != NULL);
    if (g) {
        unsigned char *got = malloc(n + 1);
        size_t m = got ? fread(got, 1, n + 1, g) : 0;
        CHECK(m == n);
        CHECK(got && memcmp(got, want, n) == 0);
        free(got);
        fclose(g);
    }
    remove(path);
    free(want);
}

int main(void)
{
    const size_t sizes[] = {0,       1,   4095,    4096,    4097,           65536 + 3,
                            BUF - 1, BUF, BUF + 1, 2 * BUF, 3 * BUF + 12345};
    char path[64];
    snprintf(path, sizeof path, "direct_out_test.%ld.tmp", (long)getpid());
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        round_trip(path, sizes[s], 1);
        round_trip(path, sizes[s], 0);
    }
    /* where the test runs (the source tree), the file system takes O_DIRECT
     * or not: both paths gave the same bytes above; say which one ran */
    int is_direct = 0;
    FILE *f = direct_out_open(path, 1, &is_direct);
    CHECK(f != NULL);
    if (f) CHECK(direct_out_close(f) == 0);
    remove(path);
    printf("O_DIRECT taken here: %s\n", is_direct ? "yes" : "no");

    /* a file that cannot be created: NULL with errno */
    errno = 0;
    CHECK(direct_out_open("no-such-directory/x.json", 1, NULL) == NULL);
    CHECK(errno == ENOENT);
    errno = 0;
    CHECK(direct_out_open("no-such-directory/x.json", 0, NULL) == NULL);
    CHECK(errno == ENOENT);
    /* a full device: the close reports it */
    f = direct_out_open("/dev/full", 0, NULL);
    if (f) {
        static const char text[] = "bytes that do not fit";
        fwrite(text, 1, sizeof text, f);
        errno = 0;
        CHECK(direct_out_close(f) == -1);
        CHECK(errno == ENOSPC);
    }
    return nc_test_report("test_direct_out");
}
