/*
 * corpus.c - generate large labelled corpora in newsclust's JSON Lines input
 * schema (fields id, title, source, link, published, story) from the real
 * headlines of uci-news-dev, or from a synthetic vocabulary (--synthetic).
 * See gen.h for the model and bench/README.md for the use.
 */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef NC_BENCH_CORPUS
#define NC_BENCH_CORPUS "../shared/data/uci-news-dev.jsonl.gz"
#endif

static const char usage[] =
    "usage: corpus [options]\n"
    "  --n N            documents (default 1000000; suffixes k, M, G: 5M, 10M)\n"
    "  --days D         days the documents are spread over (default: N / 10000,\n"
    "                   about 10,000 documents a day, at least 1)\n"
    "  --seed S         generator seed (default 1)\n"
    "  --edits P        share of documents that are edited near-copies (default 0.1)\n"
    "  --start DATE     first day, YYYY-MM-DD (default 2024-01-01)\n"
    "  --corpus FILE    labelled JSON Lines (.gz or plain) to take the headlines from\n"
    "                   (default " NC_BENCH_CORPUS ")\n"
    "  --synthetic      synthetic vocabulary and stories, no corpus read\n"
    "  -o FILE          write to FILE (atomically) instead of standard output\n"
    "  --quiet          no summary on standard error\n";

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "corpus: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

/* ---------------------------------------------------------------- output */

typedef struct out {
    FILE *f;
    char *b;
    size_t n, cap;
    uint64_t bytes;
    int err;
} out;

static void out_flush(out *o)
{
    if (o->n && fwrite(o->b, 1, o->n, o->f) != o->n) o->err = 1;
    o->bytes += o->n;
    o->n = 0;
}

static inline void out_need(out *o, size_t n)
{
    if (o->n + n > o->cap) out_flush(o);
}

static inline void out_raw(out *o, const char *s, size_t n)
{
    if (n > o->cap / 2) {
        out_flush(o);
        if (fwrite(s, 1, n, o->f) != n) o->err = 1;
        o->bytes += n;
        return;
    }
    out_need(o, n);
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

/* the escaped body of a JSON string, in pieces that fit the buffer */
static void out_esc(out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t piece = o->cap / 8;
    while (n > piece) {
        out_esc(o, s, piece);
        s += piece;
        n -= piece;
    }
    out_need(o, n * 6);
    char *p = o->b + o->n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *p++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else {
            memcpy(p, "\\u00", 4);
            p += 4;
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    o->n = (size_t)(p - o->b);
}

/* a JSON string literal of s[0..n) */
static void out_str(out *o, const char *s, size_t n)
{
    out_raw(o, "\"", 1);
    out_esc(o, s, n);
    out_raw(o, "\"", 1);
}

static size_t fmt_u64(char *p, uint64_t x)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    for (size_t i = 0; i < n; i++)
        p[i] = t[n - 1 - i];
    return n;
}

static void put2(char *p, int64_t v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    gen_opts go = gen_opts_default();
    const char *outpath = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char err[256];
        int used = gen_parse_option(&go, a, v, err, sizeof err);
        if (used < 0) die(err, NULL);
        if (used) {
            i += used - 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && v) {
            outpath = v, i++;
        } else {
            die("unknown option or missing value", a);
        }
    }
    if (go.n == 0) die("--n must be at least 1", NULL);
    gen_opts_finish(&go);

    double t0 = now();
    gen *g;
    char err[512];
    if (gen_open(&go, &g, err, sizeof err)) {
        fprintf(stderr, "corpus: %s\n", err);
        return 1;
    }
    double t1 = now();

    char *tmp = NULL;
    out o = {.f = stdout, .cap = 1u << 20};
    if (outpath && strcmp(outpath, "-")) {
        size_t n = strlen(outpath) + 32;
        tmp = malloc(n);
        if (!tmp) die("out of memory", NULL);
        snprintf(tmp, n, "%s.tmp.%ld", outpath, (long)getpid());
        o.f = fopen(tmp, "wb");
        if (!o.f) {
            fprintf(stderr, "corpus: %s: %s\n", tmp, strerror(errno));
            return 1;
        }
    }
    o.b = malloc(o.cap);
    if (!o.b) die("out of memory", NULL);

    gen_doc d;
    int r;
    char num[32];
    while ((r = gen_next(g, &d)) == 1) {
        out_raw(&o, "{\"id\":\"g", 8);
        out_need(&o, 24);
        o.n += fmt_u64(o.b + o.n, d.ordinal);
        out_raw(&o, "\",\"title\":", 10);
        out_str(&o, d.title, d.title_len);
        out_raw(&o, ",\"source\":", 10);
        out_str(&o, d.source, d.source_len);
        if (d.link_len) {
            out_raw(&o, ",\"link\":", 8);
            out_str(&o, d.link, d.link_len);
        }
        /* published: YYYY-MM-DDTHH:MM:SSZ */
        int64_t day = d.published / 86400, sec = d.published % 86400;
        char date[11];
        gen_civil_from_days(day, date);
        memcpy(num, date, 10);
        num[10] = 'T';
        put2(num + 11, sec / 3600);
        num[13] = ':';
        put2(num + 14, sec / 60 % 60);
        num[16] = ':';
        put2(num + 17, sec % 60);
        num[19] = 'Z';
        out_raw(&o, ",\"published\":\"", 14);
        out_raw(&o, num, 20);
        out_raw(&o, "\",\"story\":", 10);
        out_str(&o, d.story, d.story_len);
        out_raw(&o, "}\n", 2);
    }
    out_flush(&o);
    int ok = r == 0 && !o.err;
    if (r < 0) fprintf(stderr, "corpus: out of memory\n");
    if (o.f != stdout) {
        if (fclose(o.f) != 0) ok = 0;
        if (ok && rename(tmp, outpath) != 0) {
            fprintf(stderr, "corpus: %s: %s\n", outpath, strerror(errno));
            ok = 0;
        }
        if (!ok) remove(tmp);
    } else if (fflush(stdout) != 0) {
        ok = 0;
    }
    if (!ok && o.err) fprintf(stderr, "corpus: write error\n");
    double t2 = now();
    if (ok && !quiet) {
        fprintf(stderr,
                "corpus: %llu documents, %u days, %.1f MB (%.0f bytes/doc) in %.2f s "
                "(load %.2f s, generate %.2f s: %.2f M docs/s, %.0f MB/s)",
                (unsigned long long)go.n, go.days, (double)o.bytes / 1e6,
                (double)o.bytes / (double)go.n, t2 - t0, t1 - t0, t2 - t1,
                (double)go.n / (t2 - t1) / 1e6, (double)o.bytes / 1e6 / (t2 - t1));
        if (!go.synthetic)
            fprintf(stderr, "; from %zu headlines in %zu stories", gen_corpus_docs(g),
                    gen_corpus_stories(g));
        fputc('\n', stderr);
    }
    gen_close(g);
    free(o.b);
    free(tmp);
    return ok ? 0 : 1;
}
