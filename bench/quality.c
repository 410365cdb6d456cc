/*
 * quality.c - story-clustering quality of the newsclust CLI on a labelled
 * corpus, run the way an aggregator batch-clusters a day's feed.
 *
 *   quality [--whole] [--corpus FILE] [--bin NEWSCLUST] [--label-field F]
 *           [--keep] [CORPUS [NEWSCLUST]] [-- NEWSCLUST-OPTIONS...]
 *
 * The corpus (JSON Lines, gzip or plain; default uci-news-dev) is split by the
 * UTC day of `published` into temporary JSON Lines files (a mkdtemp
 * directory); `newsclust cluster --jsonl --quiet [options]` runs on each day
 * alone; each day's cluster ids are rewritten to "DAY/ID" into one combined
 * JSON Lines output, which `newsclust eval CORPUS COMBINED` scores against the
 * corpus's labels.  --whole instead clusters the whole corpus in one run with
 * `--window 24`.  Wall time is of the clustering runs only; peak RSS comes
 * from wait4's rusage.  Only the public header is used (time parsing).
 */
#define _DEFAULT_SOURCE 1 /* wait4, mkdtemp, realpath */
#include "newsclust.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#ifndef NC_BENCH_CORPUS
#define NC_BENCH_CORPUS "../shared/data/uci-news-dev.jsonl.gz"
#endif
#ifndef NC_BENCH_NEWSCLUST
#define NC_BENCH_NEWSCLUST "build/newsclust"
#endif

static const char usage[] =
    "usage: quality [--whole] [--corpus FILE] [--bin NEWSCLUST] [--label-field F] [--keep]\n"
    "               [CORPUS [NEWSCLUST]] [-- NEWSCLUST-OPTIONS...]\n"
    "  Clusters each UTC day of CORPUS alone with `NEWSCLUST cluster --jsonl --quiet`\n"
    "  (then the options after --), prefixes each day's cluster ids with the day, and\n"
    "  scores the whole with `NEWSCLUST eval CORPUS COMBINED`.\n"
    "  --whole          one run over the whole corpus with --window 24 instead\n"
    "  --corpus FILE    labelled JSON Lines, gzip or plain\n"
    "                   (default " NC_BENCH_CORPUS ")\n"
    "  --bin FILE       the newsclust binary (default " NC_BENCH_NEWSCLUST ")\n"
    "  --label-field F  label field for eval (default story)\n"
    "  --keep           keep the temporary directory (its path is printed)\n";

static volatile sig_atomic_t g_stop;
static char g_dir[4096];
static int g_keep;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* Remove the temporary directory and what is in it (day files, outputs, the
 * CLI's temporary files of an interrupted run). */
static void cleanup(void)
{
    if (!g_dir[0] || g_keep) return;
    DIR *d = opendir(g_dir);
    if (d) {
        struct dirent *e;
        char p[4400];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(p, sizeof p, "%s/%s", g_dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(g_dir);
    g_dir[0] = '\0';
}

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("quality: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cleanup();
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------- children */

typedef struct runres {
    double wall, cpu;
    long maxrss_kb;
} runres;

/* Run argv; stdout to @p out_fd (-1: inherited).  @return the exit status. */
static int run(char *const argv[], int out_fd, runres *rr)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) fail("fork: %s", strerror(errno));
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (out_fd >= 0 && dup2(out_fd, 1) < 0) _exit(127);
        execv(argv[0], argv);
        fprintf(stderr, "quality: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) fail("wait4: %s", strerror(errno));
        if (g_stop) kill(pid, SIGTERM);
    }
    if (rr) {
        rr->wall = now() - t0;
        rr->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                  (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
        rr->maxrss_kb = ru.ru_maxrss;
    }
    if (g_stop) fail("interrupted");
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "quality: %s killed by signal %d\n", argv[0], WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

/* ---------------------------------------------------------------- days */

typedef struct day {
    char key[16]; /* YYYY-MM-DD or "nodate" */
    char path[4200];
    FILE *f;
    size_t docs;
} day;

typedef struct days {
    day *a;
    size_t n, cap;
    size_t open;
} days;

static day *day_get(days *ds, const char *key)
{
    for (size_t i = ds->n; i-- > 0;) /* documents come mostly in time order */
        if (!strcmp(ds->a[i].key, key)) return &ds->a[i];
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 64;
        ds->a = realloc(ds->a, ds->cap * sizeof *ds->a);
        if (!ds->a) fail("out of memory");
    }
    day *d = &ds->a[ds->n++];
    memset(d, 0, sizeof *d);
    snprintf(d->key, sizeof d->key, "%s", key);
    snprintf(d->path, sizeof d->path, "%s/day-%s.jsonl", g_dir, key);
    return d;
}

static void day_write(days *ds, day *d, const char *line, size_t n)
{
    if (!d->f) {
        if (ds->open >= 200) { /* stay far below the descriptor limit */
            for (size_t i = 0; i < ds->n; i++)
                if (ds->a[i].f) {
                    if (fclose(ds->a[i].f) != 0) fail("%s: write error", ds->a[i].path);
                    ds->a[i].f = NULL;
                }
            ds->open = 0;
        }
        d->f = fopen(d->path, d->docs ? "ab" : "wb");
        if (!d->f) fail("%s: %s", d->path, strerror(errno));
        ds->open++;
    }
    if (fwrite(line, 1, n, d->f) != n || fputc('\n', d->f) == EOF)
        fail("%s: write error: %s", d->path, strerror(errno));
    d->docs++;
}

static int cmp_day(const void *a, const void *b)
{
    return strcmp(((const day *)a)->key, ((const day *)b)->key);
}

/* Read the corpus: all.jsonl (the corpus, uncompressed: the labels and the
 * --whole input) and, unless whole, one file a day.  @return documents. */
static size_t split(const char *corpus, const char *all_path, days *ds, int whole)
{
    gzFile in = gzopen(corpus, "rb");
    if (!in) fail("%s: cannot open: %s", corpus, strerror(errno));
    gzbuffer(in, 1 << 17);
    FILE *all = fopen(all_path, "wb");
    if (!all) fail("%s: %s", all_path, strerror(errno));
    size_t cap = 1 << 16, docs = 0, lineno = 0;
    char *line = malloc(cap);
    if (!line) fail("out of memory");
    for (;;) {
        size_t n = 0;
        int eof = 0;
        for (;;) {
            if (!gzgets(in, line + n, (int)(cap - n))) {
                eof = 1;
                break;
            }
            n += strlen(line + n);
            if (n && line[n - 1] == '\n') break;
            if (n + 1 >= cap) {
                cap *= 2;
                line = realloc(line, cap);
                if (!line) fail("out of memory");
            }
        }
        if (g_stop) fail("interrupted");
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n) {
            lineno++;
            if (fwrite(line, 1, n, all) != n || fputc('\n', all) == EOF)
                fail("%s: write error", all_path);
            docs++;
            if (!whole) {
                char key[16] = "nodate";
                cJSON *o = cJSON_ParseWithLength(line, n);
                if (!o) fail("%s:%zu: not JSON", corpus, lineno);
                const cJSON *pub = cJSON_GetObjectItemCaseSensitive(o, "published");
                if (!pub) pub = cJSON_GetObjectItemCaseSensitive(o, "date");
                if (!pub) pub = cJSON_GetObjectItemCaseSensitive(o, "pubDate");
                int64_t t;
                char num[32];
                const char *ps = NULL;
                if (cJSON_IsString(pub)) {
                    ps = pub->valuestring;
                } else if (cJSON_IsNumber(pub)) {
                    snprintf(num, sizeof num, "%.0f", pub->valuedouble);
                    ps = num;
                }
                if (ps && nc_time_parse(ps, &t) == NC_OK) {
                    char tb[32];
                    nc_time_format(t, tb);
                    memcpy(key, tb, 10);
                    key[10] = '\0';
                }
                cJSON_Delete(o);
                day_write(ds, day_get(ds, key), line, n);
            }
        }
        if (eof) break;
    }
    int err = 0;
    const char *msg = gzerror(in, &err);
    if (err != Z_OK && err != Z_STREAM_END) fail("%s: %s", corpus, msg);
    gzclose(in);
    free(line);
    if (fclose(all) != 0) fail("%s: write error", all_path);
    for (size_t i = 0; i < ds->n; i++)
        if (ds->a[i].f && fclose(ds->a[i].f) != 0) fail("%s: write error", ds->a[i].path);
    for (size_t i = 0; i < ds->n; i++)
        ds->a[i].f = NULL;
    if (ds->n) qsort(ds->a, ds->n, sizeof *ds->a, cmp_day);
    return docs;
}

/* Append the clusters of @p out_path to @p comb with ids "DAY/ID". */
static void append_day(FILE *comb, const char *out_path, const char *key)
{
    FILE *f = fopen(out_path, "rb");
    if (!f) fail("%s: %s", out_path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t klen = strlen(key);
    while ((len = getline(&line, &cap, f)) > 0) {
        size_t n = (size_t)len;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (!n) continue;
        /* fast path: {"id":123, ... */
        size_t i = 6;
        if (n > 7 && !memcmp(line, "{\"id\":", 6)) {
            if (line[i] == '-') i++;
            while (i < n && line[i] >= '0' && line[i] <= '9')
                i++;
        }
        if (i > 6 && i < n && (line[i] == ',' || line[i] == '}')) {
            if (fwrite("{\"id\":\"", 1, 7, comb) != 7 || fwrite(key, 1, klen, comb) != klen ||
                fputc('/', comb) == EOF || fwrite(line + 6, 1, i - 6, comb) != i - 6 ||
                fputc('"', comb) == EOF || fwrite(line + i, 1, n - i, comb) != n - i ||
                fputc('\n', comb) == EOF)
                fail("write error");
            continue;
        }
        cJSON *o = cJSON_ParseWithLength(line, n);
        if (!cJSON_IsObject(o)) fail("%s: a line that is not a JSON object", out_path);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        char buf[512];
        if (cJSON_IsString(id))
            snprintf(buf, sizeof buf, "%s/%s", key, id->valuestring);
        else if (cJSON_IsNumber(id))
            snprintf(buf, sizeof buf, "%s/%.0f", key, id->valuedouble);
        else
            snprintf(buf, sizeof buf, "%s/?", key);
        cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
        cJSON_AddStringToObject(o, "id", buf);
        char *s = cJSON_PrintUnformatted(o);
        if (!s || fputs(s, comb) == EOF || fputc('\n', comb) == EOF) fail("write error");
        free(s);
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
}

/* ---------------------------------------------------------------- main */

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1.0;
}

static void human_int(char *b, size_t n, double x)
{
    snprintf(b, n, "%.0f", x);
}

int main(int argc, char **argv)
{
    const char *corpus = NC_BENCH_CORPUS, *bin = NC_BENCH_NEWSCLUST, *label_field = NULL;
    int whole = 0, npos = 0;
    char **extra = NULL;
    int n_extra = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            extra = argv + i + 1;
            n_extra = argc - i - 1;
            break;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--whole")) {
            whole = 1;
        } else if (!strcmp(a, "--keep")) {
            g_keep = 1;
        } else if (!strcmp(a, "--corpus") || !strcmp(a, "--bin") || !strcmp(a, "--label-field")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "quality: %s needs a value\n%s", a, usage);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--corpus"))
                corpus = v;
            else if (!strcmp(a, "--bin"))
                bin = v;
            else
                label_field = v;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "quality: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (npos == 0) {
            corpus = a, npos++;
        } else if (npos == 1) {
            bin = a, npos++;
        } else {
            fprintf(stderr, "quality: too many arguments\n%s", usage);
            return 2;
        }
    }
    char corpus_abs[4096];
    if (realpath(corpus, corpus_abs)) corpus = corpus_abs; /* for the report */
    char binpath[4096];
    if (!realpath(bin, binpath)) {
        fprintf(stderr, "quality: %s: %s (build it first: cmake --build build)\n", bin,
                strerror(errno));
        return 1;
    }
    if (access(binpath, X_OK) != 0) {
        fprintf(stderr, "quality: %s: not executable\n", bin);
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/nc-quality.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) {
        g_dir[0] = '\0';
        fail("mkdtemp: %s", strerror(errno));
    }
    char all_path[4200], comb_path[4200], out_path[4200];
    snprintf(all_path, sizeof all_path, "%s/all.jsonl", g_dir);
    snprintf(comb_path, sizeof comb_path, "%s/combined.jsonl", g_dir);
    snprintf(out_path, sizeof out_path, "%s/out.jsonl", g_dir);

    double t_start = now();
    days ds = {0};
    size_t docs = split(corpus, all_path, &ds, whole);
    if (!docs) fail("%s: no documents", corpus);

    /* argv of a cluster run: BIN cluster --jsonl --quiet [--window 24] EXTRA -o OUT IN */
    char **av = calloc((size_t)n_extra + 16, sizeof *av);
    if (!av) fail("out of memory");
    int k = 0;
    av[k++] = binpath;
    av[k++] = "cluster";
    av[k++] = "--jsonl";
    av[k++] = "--quiet";
    if (whole) {
        av[k++] = "--window";
        av[k++] = "24";
    }
    for (int i = 0; i < n_extra; i++)
        av[k++] = extra[i];
    av[k++] = "-o";
    int k_in = k + 1;
    av[k++] = whole ? comb_path : out_path;
    av[k++] = NULL;
    av[k++] = NULL;

    double wall = 0.0, cpu = 0.0;
    long rss_max = 0, rss_largest = 0;
    size_t largest = 0;
    double largest_wall = 0.0;
    const char *largest_key = "";
    if (whole) {
        av[k_in] = all_path;
        runres rr;
        int st = run(av, -1, &rr);
        if (st) fail("newsclust cluster exited with status %d on the whole corpus", st);
        wall = rr.wall;
        cpu = rr.cpu;
        rss_max = rss_largest = rr.maxrss_kb;
        largest = docs;
        largest_wall = rr.wall;
        largest_key = "whole corpus";
    } else {
        FILE *comb = fopen(comb_path, "wb");
        if (!comb) fail("%s: %s", comb_path, strerror(errno));
        for (size_t i = 0; i < ds.n; i++) {
            day *d = &ds.a[i];
            av[k_in] = d->path;
            runres rr;
            int st = run(av, -1, &rr);
            if (st)
                fail("newsclust cluster exited with status %d on day %s (%s)", st, d->key, d->path);
            wall += rr.wall;
            cpu += rr.cpu;
            if (rr.maxrss_kb > rss_max) rss_max = rr.maxrss_kb;
            if (d->docs > largest) {
                largest = d->docs;
                rss_largest = rr.maxrss_kb;
                largest_wall = rr.wall;
                largest_key = d->key;
            }
            append_day(comb, out_path, d->key);
            unlink(out_path);
            unlink(d->path);
        }
        if (fclose(comb) != 0) fail("%s: write error", comb_path);
    }

    /* eval: stdout into a file, then parsed */
    char eval_path[4200];
    snprintf(eval_path, sizeof eval_path, "%s/eval.json", g_dir);
    FILE *ef = fopen(eval_path, "w+b");
    if (!ef) fail("%s: %s", eval_path, strerror(errno));
    char *ev[8];
    int e = 0;
    ev[e++] = binpath;
    ev[e++] = "eval";
    if (label_field) {
        ev[e++] = "--label-field";
        ev[e++] = (char *)label_field;
    }
    ev[e++] = all_path;
    ev[e++] = comb_path;
    ev[e++] = NULL;
    fflush(stdout);
    int st = run(ev, fileno(ef), NULL);
    if (st) fail("newsclust eval exited with status %d", st);
    rewind(ef);
    char ebuf[4096];
    size_t en = fread(ebuf, 1, sizeof ebuf - 1, ef);
    ebuf[en] = '\0';
    fclose(ef);
    cJSON *r = cJSON_Parse(ebuf);
    if (!cJSON_IsObject(r)) fail("newsclust eval printed no JSON object: %s", ebuf);

    char version[128] = "";
    {
        char vpath[4200];
        snprintf(vpath, sizeof vpath, "%s/version.txt", g_dir);
        FILE *vf = fopen(vpath, "w+b");
        char *vv[] = {binpath, "--version", NULL};
        if (vf && run(vv, fileno(vf), NULL) == 0) {
            rewind(vf);
            if (fgets(version, sizeof version, vf)) version[strcspn(version, "\n")] = '\0';
        }
        if (vf) fclose(vf);
        unlink(vpath);
    }

    char opts[2048] = "";
    size_t on = 0;
    if (whole) on += (size_t)snprintf(opts + on, sizeof opts - on, "--window 24");
    for (int i = 0; i < n_extra && on < sizeof opts; i++)
        on += (size_t)snprintf(opts + on, sizeof opts - on, "%s%s", on ? " " : "", extra[i]);
    char d1[32];
    human_int(d1, sizeof d1, (double)docs);

    printf("newsclust quality: %s\n",
           whole ? "whole corpus in one run"
                 : "each UTC day clustered alone, ids prefixed by the day");
    printf("  corpus          %s\n", corpus);
    printf("  newsclust       %s (%s)\n", bin, version[0] ? version : "?");
    printf("  options         cluster --jsonl --quiet%s%s\n", opts[0] ? " " : "", opts);
    printf("  documents       %s\n", d1);
    if (whole)
        printf("  runs            1 (whole corpus)\n");
    else
        printf("  days            %zu (largest %s: %zu documents)\n", ds.n, largest_key, largest);
    printf("  cluster time    %.2f s wall (%s), %.2f s cpu: %.0f documents/s\n", wall,
           whole ? "one run" : "sum over days", cpu, (double)docs / wall);
    printf("  peak RSS        %.1f MB (%s, %zu documents, %.2f s)", (double)rss_largest / 1024.0,
           whole ? "the run" : "largest day", largest, largest_wall);
    if (!whole) printf("; max over days %.1f MB", (double)rss_max / 1024.0);
    printf("\n");
    printf("  ------------------------------------------\n");
    printf("  measure         P       R       F1\n");
    printf("  pairs           %.4f  %.4f  %.4f\n", num(r, "pair_p"), num(r, "pair_r"),
           num(r, "pair_f1"));
    printf("  B-cubed         %.4f  %.4f  %.4f\n", num(r, "bcubed_p"), num(r, "bcubed_r"),
           num(r, "bcubed_f1"));
    printf("  ARI             %.4f\n", num(r, "ari"));
    printf("  NMI             %.4f\n", num(r, "nmi"));
    printf("  clusters        true %.0f, predicted %.0f (items %.0f, missing %.0f)\n",
           num(r, "true_clusters"), num(r, "pred_clusters"), num(r, "items"), num(r, "missing"));
    printf("  total time      %.1f s (split, runs, rewrite, eval)\n", now() - t_start);
    if (g_keep) printf("  kept            %s\n", g_dir);
    cJSON_Delete(r);
    free(av);
    free(ds.a);
    cleanup();
    return 0;
}
