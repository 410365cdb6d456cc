/*
 * nc_test.h - a minimal assertion kit for the ctest executables.
 * CHECK(cond) records a failure and goes on; each test main() ends with
 * return nc_test_report("name"), which prints "N passed, N failed".
 */
#ifndef NC_TEST_H
#define NC_TEST_H

#include <stdio.h>
#include <string.h>

static int nc_test_pass, nc_test_fail;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            nc_test_pass++;                                                                        \
        } else {                                                                                   \
            nc_test_fail++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *nc_a_ = (a), *nc_b_ = (b);                                                     \
        if (nc_a_ && nc_b_ && strcmp(nc_a_, nc_b_) == 0) {                                         \
            nc_test_pass++;                                                                        \
        } else {                                                                                   \
            nc_test_fail++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, nc_a_ ? nc_a_ : "(null)", nc_b_ ? nc_b_ : "(null)");             \
        }                                                                                          \
    } while (0)

static inline int nc_test_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, nc_test_pass, nc_test_fail);
    return nc_test_fail ? 1 : 0;
}

#endif
