/*
 * time.c - nc_time_parse and nc_time_format: dates as they appear in feeds
 * to Unix seconds (UTC) and back.  Accepted: ISO 8601 / RFC 3339
 * ("2016-02-01T17:54:50+01:00", fractions, date only = midnight UTC, a space
 * instead of 'T'), RFC 822/1123 and its relatives ("Wed, 31 Jan 2018
 * 20:15:15 GMT", numeric or named zones, two-digit years, any or no weekday,
 * month names in English, Portuguese, Spanish, German, French, Italian and
 * Dutch, month-first "Jan 31, 2018 10:00 PM" and asctime order), and Unix
 * seconds or milliseconds (all digits; above 1e11 means milliseconds).
 * Calendar arithmetic is done here (proleptic Gregorian, days from civil), so
 * nothing depends on the process time zone or locale.
 */
#include "newsclust.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- calendar */

/* Days since 1970-01-01 of y-m-d (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dim[m - 1];
}

char *nc_time_format(int64_t t, char buf[32])
{
    if (!buf) return buf;
    if (t == NC_TIME_UNKNOWN) {
        buf[0] = '\0';
        return buf;
    }
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned hh = (unsigned)(secs / 3600), mm = (unsigned)(secs / 60 % 60),
             ss = (unsigned)(secs % 60);
    if (y >= 0 && y <= 9999) { /* by hand: the writers format a date per member */
        unsigned v[7] = {(unsigned)y / 100, (unsigned)y % 100, m, d, hh, mm, ss};
        static const char sep[7] = {0, 0, '-', '-', 'T', ':', ':'};
        char *o = buf;
        for (int i = 0; i < 7; i++) {
            if (sep[i]) *o++ = sep[i];
            *o++ = (char)('0' + v[i] / 10);
            *o++ = (char)('0' + v[i] % 10);
        }
        o[0] = 'Z';
        o[1] = '\0';
        return buf;
    }
    /* |y| < 3e11 for any int64_t t, so at most 30 bytes are written */
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%s%04lld-%02u-%02uT%02u:%02u:%02uZ", y < 0 ? "-" : "",
                     (long long)(y < 0 ? -y : y), m, d, hh, mm, ss);
    if (n < 0 || n >= 32) n = 0;
    memcpy(buf, tmp, (size_t)n);
    buf[n] = '\0';
    return buf;
}

/* ---------------------------------------------------------------- scanning */

typedef struct cur {
    const char *p, *end;
} cur;

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

static int at(const cur *c, char ch)
{
    return c->p < c->end && *c->p == ch;
}

static int peek(const cur *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int skip_spaces(cur *c)
{
    const char *s = c->p;
    while (c->p < c->end && is_space((unsigned char)*c->p))
        c->p++;
    return c->p != s;
}

/* Read between min and max digits; @return the count read (0 on failure,
 * leaving the cursor alone). */
static int digits(cur *c, int min, int max, int *v)
{
    int n = 0, x = 0;
    const char *p = c->p;
    while (p < c->end && n < max && is_digit((unsigned char)*p)) {
        x = x * 10 + (*p++ - '0');
        n++;
    }
    if (n < min || (p < c->end && is_digit((unsigned char)*p))) return 0;
    c->p = p;
    *v = x;
    return n;
}

/* An alphabetic token (UTF-8 letters count), lowercased into @p out. */
static size_t alpha_token(cur *c, char *out, size_t cap)
{
    const char *p = c->p;
    size_t n = 0;
    while (p < c->end && is_alpha((unsigned char)*p)) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x80)
            ch = (unsigned char)(ch | 0x20);
        else if (n > 0 && n < cap && (unsigned char)out[n - 1] == 0xC3 && ch >= 0x80 &&
                 ch <= 0x9E && ch != 0x97)
            ch = (unsigned char)(ch + 0x20); /* Latin-1 capitals: "MÄR" -> "mär" */
        if (n + 1 < cap) out[n] = (char)ch;
        n++;
        p++;
    }
    if (n == 0 || n + 1 >= cap) return 0;
    out[n] = '\0';
    c->p = p;
    return n;
}

/* ---------------------------------------------------------------- names */

typedef struct month_name {
    const char *name;
    int month;
} month_name;

static const month_name months[] = {
    {"january", 1},    {"janeiro", 1},    {"enero", 1},     {"januar", 1},    {"jänner", 1},
    {"janvier", 1},    {"gennaio", 1},    {"januari", 1},   {"february", 2},  {"fevereiro", 2},
    {"febrero", 2},    {"februar", 2},    {"février", 2},   {"fevrier", 2},   {"febbraio", 2},
    {"februari", 2},   {"march", 3},      {"março", 3},     {"marco", 3},     {"marzo", 3},
    {"märz", 3},       {"maerz", 3},      {"mars", 3},      {"maart", 3},     {"mrt", 3},
    {"april", 4},      {"abril", 4},      {"avril", 4},     {"aprile", 4},    {"may", 5},
    {"maio", 5},       {"mayo", 5},       {"mai", 5},       {"maggio", 5},    {"mei", 5},
    {"june", 6},       {"junho", 6},      {"junio", 6},     {"juni", 6},      {"juin", 6},
    {"giugno", 6},     {"july", 7},       {"julho", 7},     {"julio", 7},     {"juli", 7},
    {"juillet", 7},    {"luglio", 7},     {"august", 8},    {"agosto", 8},    {"août", 8},
    {"aout", 8},       {"augustus", 8},   {"september", 9}, {"setembro", 9},  {"septiembre", 9},
    {"setiembre", 9},  {"septembre", 9},  {"settembre", 9}, {"october", 10},  {"outubro", 10},
    {"octubre", 10},   {"oktober", 10},   {"octobre", 10},  {"ottobre", 10},  {"november", 11},
    {"novembro", 11},  {"noviembre", 11}, {"novembre", 11}, {"december", 12}, {"dezembro", 12},
    {"diciembre", 12}, {"dezember", 12},  {"décembre", 12}, {"decembre", 12}, {"dicembre", 12},
};

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* A month name or an abbreviation of one (a prefix of at least 3 letters,
 * "Sept", "févr", "Dez"); 0 if none or ambiguous ("jui"). */
static int month_lookup(const char *tok, size_t n)
{
    int found = 0;
    if (utf8_chars(tok, n) < 3) return 0;
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        size_t len = strlen(months[i].name);
        if (n <= len && memcmp(tok, months[i].name, n) == 0) {
            if (found && found != months[i].month) return 0;
            found = months[i].month;
        }
    }
    return found;
}

typedef struct zone_name {
    const char *name;
    int minutes;
} zone_name;

static const zone_name zones[] = {
    {"z", 0},      {"ut", 0},     {"utc", 0},     {"gmt", 0},     {"wet", 0},     {"west", 60},
    {"bst", 60},   {"cet", 60},   {"cest", 120},  {"met", 60},    {"mest", 120},  {"eet", 120},
    {"eest", 180}, {"msk", 180},  {"ist", 330},   {"pkt", 300},   {"wib", 420},   {"ict", 420},
    {"hkt", 480},  {"sgt", 480},  {"awst", 480},  {"pht", 480},   {"jst", 540},   {"kst", 540},
    {"acst", 570}, {"acdt", 630}, {"aest", 600},  {"aedt", 660},  {"nzst", 720},  {"nzdt", 780},
    {"est", -300}, {"edt", -240}, {"cst", -360},  {"cdt", -300},  {"mst", -420},  {"mdt", -360},
    {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600},  {"ast", -240},
    {"adt", -180}, {"nst", -210}, {"ndt", -150},  {"brt", -180},  {"brst", -120}, {"art", -180},
    {"clt", -240}, {"sast", 120}, {"wat", 60},    {"cat", 120},   {"eat", 180},
};

/* [+-]HH[[:]MM] -> minutes east of UTC. */
static int numeric_offset(cur *c, int *minutes)
{
    cur s = *c;
    int sign = 1, h = 0, m = 0;
    if (at(&s, '+'))
        sign = 1;
    else if (at(&s, '-'))
        sign = -1;
    else
        return 0;
    s.p++;
    if (digits(&s, 4, 4, &h)) { /* HHMM */
        m = h % 100;
        h /= 100;
    } else if (digits(&s, 1, 2, &h)) {
        if (at(&s, ':')) {
            s.p++;
            if (!digits(&s, 2, 2, &m)) return 0;
        }
    } else {
        return 0;
    }
    if (h > 23 || m > 59) return 0;
    *minutes = sign * (h * 60 + m);
    *c = s;
    return 1;
}

/* A zone after the time: "Z", "+0100", "-03:00", "GMT", "GMT+2", "EST",
 * an unknown 1-5 letter name (taken as UTC, as RFC 2822 does for military
 * zones); then an optional "(comment)". */
static int zone(cur *c, int *minutes)
{
    *minutes = 0;
    if (numeric_offset(c, minutes)) {
        /* done */
    } else if (peek(c) >= 0 && is_alpha((unsigned char)peek(c))) {
        char tok[16];
        cur s = *c;
        size_t n = alpha_token(&s, tok, sizeof tok);
        if (n == 0 || n > 5) return 0;
        int found = 0;
        for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
            if (strcmp(tok, zones[i].name) == 0) {
                *minutes = zones[i].minutes;
                found = 1;
                break;
            }
        if (!found) {
            for (size_t i = 0; i < n; i++)
                if ((unsigned char)tok[i] >= 0x80) return 0;
        }
        *c = s;
        if (found && *minutes == 0) { /* "GMT+0100", "UTC-3" */
            int off;
            if (numeric_offset(c, &off)) *minutes = off;
        }
    } else {
        return 0;
    }
    cur s = *c;
    skip_spaces(&s);
    if (at(&s, '(')) {
        const char *close = memchr(s.p, ')', (size_t)(s.end - s.p));
        if (close) c->p = close + 1;
    }
    return 1;
}

/* HH:MM[:SS[.frac]] [am|pm] */
static int clock_time(cur *c, int *h, int *mi, int *sec)
{
    cur s = *c;
    *sec = 0;
    if (!digits(&s, 1, 2, h) || !at(&s, ':')) return 0;
    s.p++;
    if (!digits(&s, 2, 2, mi)) return 0;
    if (at(&s, ':')) {
        s.p++;
        if (!digits(&s, 2, 2, sec)) return 0;
        if ((at(&s, '.') || at(&s, ',')) && s.p + 1 < s.end && is_digit((unsigned char)s.p[1])) {
            s.p++;
            while (s.p < s.end && is_digit((unsigned char)*s.p))
                s.p++;
        }
    }
    cur t = s;
    skip_spaces(&t);
    if (t.p + 1 < t.end && ((t.p[0] | 0x20) == 'a' || (t.p[0] | 0x20) == 'p') &&
        (t.p[1] | 0x20) == 'm' && (t.p + 2 == t.end || !is_alpha((unsigned char)t.p[2]))) {
        if (*h < 1 || *h > 12) return 0;
        if ((t.p[0] | 0x20) == 'p')
            *h = *h % 12 + 12;
        else
            *h %= 12;
        s.p = t.p + 2;
    }
    *c = s;
    return 1;
}

/* ---------------------------------------------------------------- assembly */

typedef struct fields {
    int64_t year;
    int month, day, hour, minute, second, offset; /* offset: minutes east */
} fields;

static int finish(const fields *f, int64_t *out)
{
    if (f->month < 1 || f->month > 12 || f->day < 1 ||
        (unsigned)f->day > days_in_month(f->year, (unsigned)f->month))
        return 0;
    if (f->hour > 24 || f->minute > 59 || f->second > 60) return 0;
    if (f->hour == 24 && (f->minute || f->second)) return 0;
    *out = days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day) * 86400 + f->hour * 3600 +
           f->minute * 60 + f->second - (int64_t)f->offset * 60;
    return 1;
}

static int64_t expand_year(int y, int ndigits)
{
    if (ndigits == 2) return y < 50 ? 2000 + y : 1900 + y;
    if (ndigits == 3) return 1900 + y; /* RFC 2822 obsolete syntax */
    return y;
}

/* ISO 8601: YYYY-MM-DD[(T|space)HH:MM[:SS[.frac]]][space][zone] */
static int parse_iso(cur c, int64_t *out)
{
    fields f = {0};
    int y;
    if (!digits(&c, 4, 4, &y) || !at(&c, '-')) return 0;
    f.year = y;
    c.p++;
    if (!digits(&c, 2, 2, &f.month) || !at(&c, '-')) return 0;
    c.p++;
    if (!digits(&c, 2, 2, &f.day)) return 0;
    if (c.p < c.end) {
        if (!at(&c, 'T') && !at(&c, 't') && !at(&c, ' ')) return 0;
        c.p++;
        skip_spaces(&c);
        if (!clock_time(&c, &f.hour, &f.minute, &f.second)) return 0;
        skip_spaces(&c);
        if (c.p < c.end && !zone(&c, &f.offset)) return 0;
        skip_spaces(&c);
        if (c.p != c.end) return 0;
    }
    return finish(&f, out);
}

/* After the date: [,] [time] [zone] [(comment)] */
static int parse_rest(cur c, fields *f, int64_t *out)
{
    skip_spaces(&c);
    if (at(&c, ',')) {
        c.p++;
        skip_spaces(&c);
    }
    if (c.p < c.end && clock_time(&c, &f->hour, &f->minute, &f->second)) skip_spaces(&c);
    if (c.p < c.end) {
        if (!zone(&c, &f->offset)) return 0;
        skip_spaces(&c);
    }
    return c.p == c.end && finish(f, out);
}

static int month_token(cur *c, int *month)
{
    char tok[32];
    size_t n = alpha_token(c, tok, sizeof tok);
    if (!n || !(*month = month_lookup(tok, n))) return 0;
    if (at(c, '.')) c->p++;
    return 1;
}

/* DD Mon YYYY ... ("24 Set 2018 19:42:40 -0300", "31-Jan-2018") */
static int parse_day_first(cur c, int64_t *out)
{
    fields f = {0};
    int y, nd;
    if (!digits(&c, 1, 2, &f.day)) return 0;
    if (at(&c, '.')) c.p++; /* "24. Sep" */
    if (at(&c, '-'))
        c.p++;
    else
        skip_spaces(&c);
    if (!month_token(&c, &f.month)) return 0;
    if (at(&c, '-'))
        c.p++;
    else if (!skip_spaces(&c))
        return 0;
    if (!(nd = digits(&c, 2, 4, &y))) return 0;
    f.year = expand_year(y, nd);
    return parse_rest(c, &f, out);
}

/* Mon DD[,] YYYY [time] or asctime's Mon DD HH:MM:SS [zone] YYYY */
static int parse_month_first(cur c, int64_t *out)
{
    fields f = {0};
    int y, nd;
    if (!month_token(&c, &f.month)) return 0;
    skip_spaces(&c);
    if (!digits(&c, 1, 2, &f.day)) return 0;
    if (c.p + 1 < c.end && is_alpha((unsigned char)c.p[0])) { /* 1st, 2nd, 3rd, 4th */
        char a = (char)(c.p[0] | 0x20), b = (char)(c.p[1] | 0x20);
        if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
            (a == 't' && b == 'h'))
            c.p += 2;
    }
    if (at(&c, ',')) c.p++;
    if (!skip_spaces(&c)) return 0;
    if ((nd = digits(&c, 4, 4, &y))) {
        f.year = y;
        return parse_rest(c, &f, out);
    }
    if (!clock_time(&c, &f.hour, &f.minute, &f.second)) return 0;
    skip_spaces(&c);
    if (!is_digit(peek(&c))) {
        if (!zone(&c, &f.offset)) return 0;
        skip_spaces(&c);
    }
    if (!digits(&c, 4, 4, &y)) return 0;
    f.year = y;
    skip_spaces(&c);
    return c.p == c.end && finish(&f, out);
}

/* RFC 822 family: an optional weekday in any language, then day-first or
 * month-first dates. */
static int parse_rfc(cur c, int64_t *out)
{
    if (peek(&c) >= 0 && is_alpha((unsigned char)peek(&c))) {
        cur w = c;
        char tok[32];
        if (alpha_token(&w, tok, sizeof tok)) {
            if (at(&w, '.')) w.p++;
            if (at(&w, ',')) w.p++;
            skip_spaces(&w);
            if (parse_day_first(w, out) || parse_month_first(w, out)) return 1;
        }
        return parse_month_first(c, out);
    }
    return parse_day_first(c, out);
}

/* The number of the two decimal digits at @p p. */
static int two_digits(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The form most feeds and JSON Lines give, "YYYY-MM-DDTHH:MM:SSZ" exactly,
 * read by position: parse_iso()'s fields and finish()'s checks, without
 * its scanning and the zone table (a few hundred instructions a date).
 * @return 0 for any other text, which the general parsers then read. */
static int parse_utc_stamp(cur c, int64_t *out)
{
    static const unsigned char digit_at[14] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    const char *p = c.p;
    if (c.end - p != 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' ||
        p[16] != ':' || p[19] != 'Z')
        return 0;
    unsigned not_digit = 0; /* no branch a position */
    for (int i = 0; i < 14; i++)
        not_digit |= (unsigned)((unsigned char)p[digit_at[i]] - '0') > 9u;
    if (not_digit) return 0;
    fields f = {two_digits(p) * 100 + two_digits(p + 2),
                two_digits(p + 5),
                two_digits(p + 8),
                two_digits(p + 11),
                two_digits(p + 14),
                two_digits(p + 17),
                0};
    return finish(&f, out);
}

static int parse_unix(cur c, int64_t *out)
{
    int neg = 0;
    int64_t v = 0;
    if (at(&c, '-')) {
        neg = 1;
        c.p++;
    }
    if (c.p == c.end || c.end - c.p > 18) return 0;
    for (const char *p = c.p; p < c.end; p++) {
        if (!is_digit((unsigned char)*p)) return 0;
        v = v * 10 + (*p - '0');
    }
    if (v > 100000000000LL) { /* milliseconds */
        if (neg)
            v = -((v + 999) / 1000);
        else
            v /= 1000;
    } else if (neg) {
        v = -v;
    }
    *out = v;
    return 1;
}

nc_status nc_time_parse(const char *s, int64_t *out)
{
    if (!s || !out) return NC_ERR_PARSE;
    cur c = {s, s + strlen(s)};
    while (c.p < c.end && is_space((unsigned char)*c.p))
        c.p++;
    while (c.end > c.p && is_space((unsigned char)c.end[-1]))
        c.end--;
    if (c.p == c.end) return NC_ERR_PARSE;
    int64_t v;
    if (parse_utc_stamp(c, &v) || parse_unix(c, &v) || parse_iso(c, &v) || parse_rfc(c, &v)) {
        *out = v;
        return NC_OK;
    }
    return NC_ERR_PARSE;
}
