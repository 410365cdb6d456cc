/*
 * test_time.c - nc_time_parse / nc_time_format: ISO 8601, RFC 822 with
 * English, Portuguese, Spanish, German and French names, Unix seconds and
 * milliseconds, every date in the fixture feeds, and format round trips.
 * Expected values were computed with `date -u -d ... +%s`.
 */
#include "nc_test.h"
#include "newsclust.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int parses_to(const char *s, int64_t want)
{
    int64_t got = 12345;
    nc_status st = nc_time_parse(s, &got);
    if (st != NC_OK || got != want) {
        fprintf(stderr, "  parse \"%s\": status %d, got %lld, want %lld\n", s, (int)st,
                (long long)got, (long long)want);
        return 0;
    }
    return 1;
}

static int rejects(const char *s)
{
    int64_t got = 777;
    nc_status st = nc_time_parse(s, &got);
    if (st != NC_ERR_PARSE || got != 777) {
        fprintf(stderr, "  parse \"%s\": status %d, got %lld, want NC_ERR_PARSE\n", s, (int)st,
                (long long)got);
        return 0;
    }
    return 1;
}

static void test_iso(void)
{
    CHECK(parses_to("2014-03-10T00:01:36Z", 1394409696));
    CHECK(parses_to("2016-02-01T17:54:50+01:00", 1454345690));
    CHECK(parses_to("2016-02-01T17:54:50+0100", 1454345690));
    CHECK(parses_to("2016-02-01T17:54:50+01", 1454345690));
    CHECK(parses_to("2016-02-01T16:54:50Z", 1454345690));
    CHECK(parses_to("2016-02-01t16:54:50z", 1454345690));
    CHECK(parses_to("2016-02-01T17:54:50.123+01:00", 1454345690));
    CHECK(parses_to("2016-02-01T17:54:50,5+01:00", 1454345690));
    CHECK(parses_to("2016-02-01T16:54:50.999999999Z", 1454345690));
    CHECK(parses_to("2026-01-07", 1767744000));
    CHECK(parses_to("2026-01-07 10:00:00", 1767780000));
    CHECK(parses_to("2026-01-07T10:00:00", 1767780000));
    CHECK(parses_to("2026-01-07T10:00Z", 1767780000));
    CHECK(parses_to("2026-01-07 10:00:00 UTC", 1767780000));
    CHECK(parses_to("2026-01-07 10:00:00 +0000", 1767780000));
    CHECK(parses_to("  2026-01-07T10:00:00Z\n", 1767780000));
    CHECK(parses_to("2018-09-24 19:42:40 -0300", 1537828960));
    CHECK(parses_to("2018-09-24T19:42:40-03:00", 1537828960));
    CHECK(parses_to("2019-03-15T09:00+05:30", 1552620600));
    CHECK(parses_to("2000-02-29T12:00:00Z", 951825600));
    CHECK(parses_to("1999-12-31T23:59:59-05:00", 946702799));
    CHECK(parses_to("1970-01-01T00:00:00Z", 0));
    CHECK(parses_to("1969-12-31T23:59:59Z", -1));
    CHECK(parses_to("1950-06-30T12:00:00Z", -615556800));
    CHECK(parses_to("1900-01-01T00:00:00Z", -2208988800LL));
    CHECK(parses_to("0001-01-01T00:00:00Z", -62135596800LL));
    CHECK(parses_to("9999-12-31T23:59:59Z", 253402300799LL));
    CHECK(parses_to("2050-06-30T12:00:00Z", 2540203200LL));
    CHECK(parses_to("2012-06-30T23:59:60Z", 1341100800)); /* leap second */
    CHECK(parses_to("2018-01-31T24:00:00Z", 1517443200)); /* end of day */
}

static void test_rfc822(void)
{
    /* English, the common feed forms */
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15 +0000", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15 UT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15 Z", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15", 1517429715));
    CHECK(parses_to("31 Jan 2018 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 18 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wednesday, 31 January 2018 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wed, 31 JAN 2018 20:15:15 gmt", 1517429715));
    CHECK(parses_to("Wed,31 Jan 2018 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wed, 31-Jan-2018 20:15:15 GMT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15 GMT", 1517429700));
    CHECK(parses_to("Wed, 31 Jan 2018 15:15:15 EST", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 16:15:15 EDT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 14:15:15 CST", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 13:15:15 MST", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 12:15:15 PST", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 13:15:15 PDT", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 21:15:15 CET", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 15:15:15 -0500 (EST)", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 21:15:15 GMT+0100", 1517429715));
    CHECK(parses_to("Wed, 31 Jan 2018 20:15:15.250 GMT", 1517429715));
    CHECK(parses_to("Sun, 06 Nov 1994 08:49:37 GMT", 784111777)); /* RFC 7231 example */
    CHECK(parses_to("Sun, 6 Nov 94 08:49:37 GMT", 784111777));
    CHECK(parses_to("Wed, 31 Jan 2018", 1517356800));
    CHECK(parses_to("Fri, 15 Mar 2019 09:00:00 +05:30", 1552620600));
    /* month first and asctime */
    CHECK(parses_to("Jan 31, 2018 8:15 PM", 1517429700));
    CHECK(parses_to("January 31st, 2018 08:15 pm GMT", 1517429700));
    CHECK(parses_to("Wed Jan 31 20:15:15 2018", 1517429715));
    CHECK(parses_to("Wed Jan 31 20:15:15 UTC 2018", 1517429715));
    CHECK(parses_to("Jan 31 2018", 1517356800));
    /* Portuguese (UOL) */
    CHECK(parses_to("Seg, 24 Set 2018 19:42:40 -0300", 1537828960));
    CHECK(parses_to("Qua, 10 Out 2018 08:00:00 -0300", 1539169200));
    CHECK(parses_to("Sex, 14 Dez 2018 23:59:59 -0200", 1544839199));
    CHECK(parses_to("Ter, 06 Fev 2018 06:00:00 -0200", 1517904000));
    CHECK(parses_to("S\xC3\xA1"
                    "b, 21 Abr 2018 12:00:00 -0300",
                    1524322800));
    CHECK(parses_to("Qui, 03 Mai 2018 09:30:00 -0300", 1525350600));
    CHECK(parses_to("Dom, 05 Ago 2018 18:00:00 -0300", 1533502800));
    CHECK(parses_to("24 setembro 2018 19:42:40 -0300", 1537828960));
    /* Spanish: "mar" is Tuesday here, not March */
    CHECK(parses_to("mar, 25 sep 2018 10:00:00 -0300", 1537880400));
    CHECK(parses_to("lun, 17 dic 2018 07:00:00 -0300", 1545040800));
    CHECK(parses_to("Lun, 17 Dic. 2018 07:00:00 -0300", 1545040800));
    /* German */
    CHECK(parses_to("Mi, 31 Jan 2018 21:15:15 +0100", 1517429715));
    CHECK(parses_to("Do, 01 M\xC3\xA4r 2018 10:00:00 +0100", 1519894800));
    CHECK(parses_to("Do, 01 M\xC3\x84R 2018 10:00:00 +0100", 1519894800));
    CHECK(parses_to("Sa, 27 Okt 2018 12:30:00 +0200", 1540636200));
    CHECK(parses_to("Mo, 03 Dez 2018 10:00:00 +0100", 1543827600));
    CHECK(parses_to("Fr, 15. Juni 2018 14:00:00 +0200", 1529064000));
    /* French */
    CHECK(parses_to("mer., 31 janv. 2018 21:15:15 +0100", 1517429715));
    CHECK(parses_to("ven. 16 f\xC3\xA9vr. 2018 09:05:00 +0100", 1518768300));
    CHECK(parses_to("jeu., 20 d\xC3\xA9"
                    "c. 2018 18:00:00 +0100",
                    1545325200));
    CHECK(parses_to("mer. 15 ao\xC3\xBBt 2018 06:00:00 +0200", 1534305600));
    CHECK(parses_to("mer. 15 juil. 2018 06:00:00 +0200", 1531627200));
}

static void test_unix(void)
{
    CHECK(parses_to("1394409696", 1394409696));
    CHECK(parses_to("1394409696000", 1394409696));
    CHECK(parses_to("1394409696999", 1394409696));
    CHECK(parses_to("0", 0));
    CHECK(parses_to("100000000000", 100000000000LL)); /* 1e11: still seconds */
    CHECK(parses_to("100000000001", 100000000));      /* above: milliseconds */
    CHECK(parses_to("-1", -1));
    CHECK(parses_to(" 1517429715 ", 1517429715));
}

static void test_rejects(void)
{
    CHECK(rejects(""));
    CHECK(rejects("   "));
    CHECK(rejects("yesterday"));
    CHECK(rejects("now"));
    CHECK(rejects("2018-01-0"));
    CHECK(rejects("2018-1-01"));
    CHECK(rejects("2018-13-01"));
    CHECK(rejects("2018-00-10"));
    CHECK(rejects("2018-01-32"));
    CHECK(rejects("2001-02-29"));
    CHECK(rejects("1900-02-29"));
    CHECK(rejects("2018-01-01T"));
    CHECK(rejects("2018-01-01T10"));
    CHECK(rejects("2018-01-01T25:00:00Z"));
    CHECK(rejects("2018-01-01T10:60:00Z"));
    CHECK(rejects("2018-01-01T10:00:61Z"));
    CHECK(rejects("2018-01-01T24:00:01Z"));
    CHECK(rejects("2018-01-01T10:00:00+2500"));
    CHECK(rejects("2018-01-01T10:00:00 garbage here"));
    CHECK(rejects("Wed, 31 Foo 2018 20:15:15 GMT"));
    CHECK(rejects("Wed, 32 Jan 2018 20:15:15 GMT"));
    CHECK(rejects("Wed, 31 Jan 2018 20:15:15 GMT extra words"));
    CHECK(rejects("31 Jan"));
    CHECK(rejects("12:00"));
    CHECK(rejects("1e10"));
    CHECK(rejects("12345678901234567890")); /* too many digits */
    CHECK(rejects("abc 123"));
    CHECK(rejects("31 Ju 2018"));  /* too short to be a month */
    CHECK(rejects("15 jui 2018")); /* juin or juillet? */
    CHECK(nc_time_parse(NULL, NULL) == NC_ERR_PARSE);
    int64_t t;
    CHECK(nc_time_parse(NULL, &t) == NC_ERR_PARSE);
}

/* Every date in the fixture feeds parses, and lands in 2016..2018. */
static void test_feeds(void)
{
    static const char *const files[] = {"feeds/guardian.rss", "feeds/heise.atom",
                                        "feeds/uolNoticias.rss"};
    static const char *const tags[] = {"pubDate", "updated", "published", "dc:date"};
    size_t total = 0, ok = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        FILE *fp = fopen(files[f], "rb");
        CHECK(fp != NULL);
        if (!fp) continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, fp);
        fclose(fp);
        buf[n] = '\0';
        for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
            char open[32], close[32];
            snprintf(open, sizeof open, "<%s>", tags[t]);
            snprintf(close, sizeof close, "</%s>", tags[t]);
            for (char *p = buf; (p = strstr(p, open)) != NULL;) {
                p += strlen(open);
                char *e = strstr(p, close);
                if (!e || e - p > 100) break;
                char date[128];
                memcpy(date, p, (size_t)(e - p));
                date[e - p] = '\0';
                int64_t v;
                total++;
                if (nc_time_parse(date, &v) == NC_OK && v >= 1451606400 && v < 1546300800)
                    ok++;
                else
                    fprintf(stderr, "  feed date \"%s\" not parsed\n", date);
                p = e;
            }
        }
    }
    CHECK(total >= 100);
    CHECK(ok == total);
}

static void test_format(void)
{
    char buf[32];
    CHECK_STR(nc_time_format(0, buf), "1970-01-01T00:00:00Z");
    CHECK_STR(nc_time_format(-1, buf), "1969-12-31T23:59:59Z");
    CHECK_STR(nc_time_format(1517429715, buf), "2018-01-31T20:15:15Z");
    CHECK_STR(nc_time_format(1454345690, buf), "2016-02-01T16:54:50Z");
    CHECK_STR(nc_time_format(951825600, buf), "2000-02-29T12:00:00Z");
    CHECK_STR(nc_time_format(-2208988800LL, buf), "1900-01-01T00:00:00Z");
    CHECK_STR(nc_time_format(-62135596800LL, buf), "0001-01-01T00:00:00Z");
    CHECK_STR(nc_time_format(-62135596801LL, buf), "0000-12-31T23:59:59Z");
    CHECK_STR(nc_time_format(-62167219201LL, buf), "-0001-12-31T23:59:59Z");
    CHECK_STR(nc_time_format(253402300799LL, buf), "9999-12-31T23:59:59Z");
    CHECK_STR(nc_time_format(253402300800LL, buf), "10000-01-01T00:00:00Z");
    memset(buf, 'x', sizeof buf);
    CHECK(nc_time_format(NC_TIME_UNKNOWN, buf) == buf && buf[0] == '\0');
    /* extremes fit the buffer */
    CHECK(strlen(nc_time_format(INT64_MAX, buf)) > 20 && buf[strlen(buf) - 1] == 'Z');
    CHECK(strlen(nc_time_format(INT64_MIN + 1, buf)) > 20 && buf[0] == '-');

    /* round trip over years 1..9999 */
    uint64_t x = 88172645463325252ull;
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t t = -62135596800LL + (int64_t)(x % (253402300799ULL + 62135596800ULL));
        int64_t back = 0;
        if (nc_time_parse(nc_time_format(t, buf), &back) != NC_OK || back != t) bad++;
    }
    CHECK(bad == 0);
    /* every day of 1969..2101 at 23:59:59, checked against a day counter */
    int64_t t = -86400 * 365 + 86399, y = 1969;
    int days_ok = 1;
    for (int m = 0; y < 2101; y++)
        for (m = 1; m <= 12; m++) {
            static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int nd = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
            for (int d = 1; d <= nd; d++, t += 86400) {
                char want[32];
                snprintf(want, sizeof want, "%04d-%02d-%02dT23:59:59Z", (int)y, m, d);
                if (strcmp(nc_time_format(t, buf), want) != 0) days_ok = 0;
            }
        }
    CHECK(days_ok);
}

/* "YYYY-MM-DDTHH:MM:SSZ" is read by position (parse_utc_stamp): the same
 * time as the general ISO parser gives for the same instant written with a
 * "+00:00" offset or fractional seconds, for times from 1970 to 9999; and
 * out-of-range fields in that exact form are still rejected. */
static void test_utc_stamp(void)
{
    int bad = 0;
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t t = (int64_t)(x % 253402300800ull); /* 1970 .. 9999 */
        char z[40], off[48], frac[48];
        nc_time_format(t, z);
        snprintf(off, sizeof off, "%.19s+00:00", z);
        snprintf(frac, sizeof frac, "%.19s.0Z", z);
        int64_t a = 0, b = 1, c = 2;
        if (nc_time_parse(z, &a) != NC_OK || nc_time_parse(off, &b) != NC_OK ||
            nc_time_parse(frac, &c) != NC_OK || a != t || b != t || c != t)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(rejects("2018-13-01T10:00:00Z"));
    CHECK(rejects("2018-00-01T10:00:00Z"));
    CHECK(rejects("2018-02-29T10:00:00Z"));
    CHECK(rejects("2018-04-31T10:00:00Z"));
    CHECK(rejects("2018-01-00T10:00:00Z"));
    CHECK(rejects("2018-01-01T10:00:0aZ"));
    int64_t v = 0;
    CHECK(nc_time_parse("2016-02-29T23:59:60Z", &v) == NC_OK && v == 1456790400);
    CHECK(nc_time_parse("2018-01-01T24:00:00Z", &v) == NC_OK && v == 1514851200);
}

int main(void)
{
    test_iso();
    test_utc_stamp();
    test_rfc822();
    test_unix();
    test_rejects();
    test_feeds();
    test_format();
    return nc_test_report("test_time");
}
