/*
 * main.c - the newsclust command: argument parsing, inputs (files,
 * directories recursed in sorted order, or standard input) through the
 * library's readers (read ahead on a thread: read_ahead.c; a JSON Lines
 * file in pieces on several threads: read_pieces.c) into an index,
 * and the output written atomically (temporary file + rename), past the
 * page cache where the file system allows (direct_out.c).  Uses only
 * the public header newsclust.h.
 *
 * Exit status: 0 success (bad items skipped and counted), 1 the run failed
 * and no output file was written, 2 usage error.
 */
#include "newsclust.h"
#include "direct_out.h"
#include "read_ahead.h"
#include "read_pieces.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* The defaults shown come from nc_params_default(), so --help never drifts
 * from the library. */
static const char usage_text[] =
    "usage: newsclust cluster [options] [INPUT...]   cluster documents into stories\n"
    "       newsclust dedup   [options] [INPUT...]   JSON Lines of the documents that survive\n"
    "                                                deduplication\n"
    "       newsclust extract [options] [INPUT...]   JSON Lines of the documents as read and\n"
    "                                                normalised\n"
    "       newsclust eval [--label-field F] [-o FILE] LABELS.jsonl OUTPUT.json\n"
    "       newsclust --version | --help\n"
    "INPUT is a file, a directory (read recursively in sorted order), or - (standard input);\n"
    "no INPUT reads standard input.\n"
    "options:\n"
    "  --format F           auto|rss|atom|jsonl|markdown|text (default auto)\n"
    "  -o FILE              write to FILE (atomically: temporary file, then rename)\n"
    "  --jsonl              one cluster a line, without the envelope\n"
    "  --dup-threshold X    near-duplicate similarity, 0 < X <= 1 (default %g)\n"
    "  --story-threshold X  story similarity, 0 < X <= 1 (default %g)\n"
    "  --window HOURS       longest time a story spans (default %g; 0: no limit)\n"
    "  --threads N          worker threads (default: all cores)\n"
    "  --seed N             hashing seed (default %llu)\n"
    "  --no-background      IDF from the input alone, without the built-in background\n"
    "                       term frequencies of English news\n"
    "  --quiet              no summary or progress on standard error\n"
    "exit status: 0 success, 1 the run failed (no output written), 2 usage error\n";

static void print_usage(void)
{
    nc_params p;
    nc_params_default(&p);
    printf(usage_text, p.dup_threshold, p.story_threshold, p.window_hours,
           (unsigned long long)p.seed);
}

typedef struct opts {
    const char *cmd;
    nc_format format;
    const char *out;
    int jsonl, quiet;
    nc_params params;
    const char *label_field;
    char **inputs;
    int n_inputs;
} opts;

static void die_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("newsclust: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'newsclust --help'.\n", stderr);
    exit(EXIT_USAGE);
}

static double parse_double(const char *opt, const char *v, double lo, double hi)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= lo && x <= hi))
        die_usage("%s: '%s' is not a number in [%g, %g]", opt, v, lo, hi);
    return x;
}

static unsigned long long parse_uint(const char *opt, const char *v, unsigned long long hi)
{
    char *end;
    errno = 0;
    if (*v == '-') die_usage("%s: '%s' is not a non-negative integer", opt, v);
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end || x > hi)
        die_usage("%s: '%s' is not an integer in [0, %llu]", opt, v, hi);
    return x;
}

static void parse_args(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    nc_params_default(&o->params);
    if (argc < 2) die_usage("no command given");
    o->cmd = argv[1];
    if (!strcmp(o->cmd, "--help") || !strcmp(o->cmd, "-h")) {
        print_usage();
        exit(0);
    }
    if (!strcmp(o->cmd, "--version")) {
        printf("newsclust %s\n", nc_version());
        exit(0);
    }
    if (strcmp(o->cmd, "cluster") && strcmp(o->cmd, "dedup") && strcmp(o->cmd, "extract") &&
        strcmp(o->cmd, "eval"))
        die_usage("unknown command '%s'", o->cmd);
    o->inputs = calloc((size_t)argc, sizeof *o->inputs);
    if (!o->inputs) {
        fputs("newsclust: out of memory\n", stderr);
        exit(EXIT_FAIL);
    }
    int only_inputs = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE()                                                                               \
    do {                                                                                           \
        if (!v) die_usage("%s needs a value", a);                                                  \
        i++;                                                                                       \
    } while (0)
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            o->inputs[o->n_inputs++] = argv[i];
        } else if (!strcmp(a, "--")) {
            only_inputs = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_usage();
            exit(0);
        } else if (!strcmp(a, "--format")) {
            NEED_VALUE();
            if (nc_format_from_name(v, &o->format) != NC_OK)
                die_usage("--format: unknown format '%s'", v);
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            NEED_VALUE();
            o->out = v;
        } else if (!strcmp(a, "--jsonl")) {
            o->jsonl = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--dup-threshold")) {
            NEED_VALUE();
            o->params.dup_threshold = parse_double(a, v, 1e-9, 1.0);
        } else if (!strcmp(a, "--story-threshold")) {
            NEED_VALUE();
            o->params.story_threshold = parse_double(a, v, 1e-9, 1.0);
        } else if (!strcmp(a, "--window")) {
            NEED_VALUE();
            o->params.window_hours = parse_double(a, v, 0.0, 1e9);
        } else if (!strcmp(a, "--threads")) {
            NEED_VALUE();
            o->params.threads = (unsigned)parse_uint(a, v, 1024);
        } else if (!strcmp(a, "--seed")) {
            NEED_VALUE();
            o->params.seed = parse_uint(a, v, UINT64_MAX);
        } else if (!strcmp(a, "--no-background")) {
            o->params.background = 0;
        } else if (!strcmp(a, "--label-field")) {
            NEED_VALUE();
            o->label_field = v;
        } else {
            die_usage("unknown option '%s'", a);
        }
#undef NEED_VALUE
    }
}

/* ---------------------------------------------------------------- output */

typedef struct outfile {
    FILE *f;
    char *tmp; /* temporary path, renamed to the final one on success */
    const char *path;
} outfile;

static int out_open(outfile *of, const char *path)
{
    memset(of, 0, sizeof *of);
    if (!path || !strcmp(path, "-")) {
        of->f = stdout;
        return 0;
    }
    size_t n = strlen(path) + 32;
    of->tmp = malloc(n);
    if (!of->tmp) return -1;
    snprintf(of->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    of->f = direct_out_open(of->tmp, 1, NULL); /* past the page cache: direct_out.c */
    of->path = path;
    if (!of->f) {
        fprintf(stderr, "newsclust: %s: cannot create: %s\n", of->tmp, strerror(errno));
        free(of->tmp);
        of->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Finish the output: on success flush, close and rename; else remove. */
static int out_close(outfile *of, int ok)
{
    int rc = 0;
    if (of->f == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "newsclust: standard output: write error\n");
            rc = -1;
        }
        return ok ? rc : -1;
    }
    if (!of->f) return -1;
    if (direct_out_close(of->f) != 0) { /* flushed, synced and closed */
        if (ok) fprintf(stderr, "newsclust: %s: write error: %s\n", of->tmp, strerror(errno));
        ok = 0;
    }
    if (ok && rename(of->tmp, of->path) != 0) {
        fprintf(stderr, "newsclust: %s: cannot rename to %s: %s\n", of->tmp, of->path,
                strerror(errno));
        ok = 0;
    }
    if (!ok) remove(of->tmp);
    free(of->tmp);
    return ok ? 0 : -1;
}

/* ---------------------------------------------------------------- inputs */

typedef struct input_list {
    char **paths;
    size_t n, cap;
} input_list;

static int list_push(input_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 16;
        char **q = realloc(l->paths, c * sizeof *q);
        if (!q) return -1;
        l->paths = q;
        l->cap = c;
    }
    l->paths[l->n] = strdup(p);
    return l->paths[l->n] ? (int)(l->n++, 0) : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expand @p path: a directory becomes its files (recursively, sorted by
 * name, hidden entries skipped).  @return 0, or -1 (message printed). */
static int expand(input_list *l, const char *path, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0) return list_push(l, path);
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "newsclust: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) return list_push(l, path);
    if (depth > 64) {
        fprintf(stderr, "newsclust: %s: directories nested too deep\n", path);
        return -1;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "newsclust: %s: %s\n", path, strerror(errno));
        return -1;
    }
    input_list sub = {0};
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL && rc == 0) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s/%s", path, e->d_name);
        rc = list_push(&sub, p);
        free(p);
    }
    closedir(d);
    qsort(sub.paths, sub.n, sizeof *sub.paths, cmp_str);
    for (size_t i = 0; i < sub.n; i++) {
        if (rc == 0) rc = expand(l, sub.paths[i], depth + 1);
        free(sub.paths[i]);
    }
    free(sub.paths);
    return rc;
}

typedef struct run {
    opts *o;
    nc_index *ix;
    FILE *extract_out;
    size_t docs, skipped;
} run;

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* With NC_STATS set in the environment: one JSON line of stage timings on
 * standard error, for the benchmarks. */
static void print_stats(const nc_index *ix, double read_s, double write_s)
{
    nc_index_info in;
    if (!ix || nc_index_get_info(ix, &in) != NC_OK) return;
    fprintf(stderr,
            "{\"stage_seconds\":{\"read\":%.3f,\"features\":%.3f,\"sign\":%.3f,\"band\":%.3f,"
            "\"verify\":%.3f,\"cluster\":%.3f,\"write\":%.3f},\"candidate_pairs\":%zu,"
            "\"skipped_pairs\":%zu,\"index_bytes\":%zu,\"background_coverage\":%.3f,"
            "\"background_used\":%d}\n",
            read_s, in.sec_features, in.sec_sign, in.sec_band, in.sec_verify, in.sec_cluster,
            write_s, in.candidate_pairs, in.skipped_pairs, in.memory_bytes, in.background_coverage,
            in.background_used);
}

/* One item read: a document into the index (or the extract output), or an
 * error's message.  @return 0, or -1 when the run cannot go on. */
static int take_item(run *r, const char *path, const ra_item *it)
{
    const nc_doc d = it->doc;
    if (it->st < 0) {
        fprintf(stderr, "newsclust: %s\n", it->msg);
        return it->st == NC_ERR_NOMEM ? -1 : 0;
    }
    if (r->extract_out) {
        if (nc_doc_write_jsonl(&d, r->extract_out) != NC_OK) return -1;
        r->docs++;
        return 0;
    }
    nc_status ast = nc_index_add(r->ix, &d, NULL);
    if (ast == NC_ERR_INVALID_ARG) {
        fprintf(stderr, "newsclust: %s: duplicate id '%s' skipped\n", path, d.id);
        r->skipped++;
        return 0;
    }
    if (ast != NC_OK) {
        fprintf(stderr, "newsclust: %s: %s\n", path, nc_strerror(ast));
        return -1;
    }
    r->docs++;
    if (!r->o->quiet && r->docs % 100000 == 0 && isatty(2))
        fprintf(stderr, "\rnewsclust: %zu documents read", r->docs);
    return 0;
}

/* Producer threads for a JSON Lines file read in pieces (read_pieces.c):
 * --threads, or every core; 0 when one reader is to read @p rd's input
 * (one thread asked for, standard input, another format). */
static unsigned piece_threads(const run *r, const char *path, nc_reader *rd)
{
    unsigned t = r->o->params.threads;
    if (t == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        t = cores > 0 ? (unsigned)cores : 1u;
    }
    struct stat sb;
    if (t < 2 || !strcmp(path, "-") || nc_reader_format(rd) != NC_FORMAT_JSONL ||
        stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    return t;
}

/* A JSON Lines file on several threads.  @return 0 or -1 as read_input(),
 * or 1 when the pieces could not be set up (nothing read: read it whole). */
static int read_jsonl_pieces(run *r, const char *path, unsigned threads)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 1;
    /* pieces of this many bytes (tests: to cut small inputs into many) */
    const char *env = getenv("NEWSCLUST_PIECE_BYTES");
    size_t piece = env ? (size_t)strtoull(env, NULL, 10) : 0;
    read_pieces *rp = rp_open(fp, path, threads, piece);
    if (!rp) {
        fclose(fp);
        return 1;
    }
    ra_item it;
    int rc = 0;
    while (rc == 0 && rp_next(rp, &it))
        rc = take_item(r, path, &it);
    r->skipped += rp_skipped(rp);
    rp_close(rp);
    fclose(fp);
    return rc;
}

/* Read every document of @p path into the index (or the extract output).
 * @return 0, or -1 when the run cannot go on. */
static int read_input(run *r, const char *path)
{
    nc_reader *rd = NULL;
    nc_status st = nc_reader_open_file(path, r->o->format, &rd);
    if (st != NC_OK) {
        fprintf(stderr, "newsclust: %s: %s\n", strcmp(path, "-") ? path : "<stdin>",
                rd ? nc_reader_errmsg(rd) : nc_strerror(st));
        nc_reader_free(rd);
        return -1;
    }
    unsigned pt = piece_threads(r, path, rd);
    if (pt) {
        int prc = read_jsonl_pieces(r, path, pt);
        if (prc <= 0) {
            nc_reader_free(rd);
            return prc;
        }
    }
    /* read ahead on a thread of its own unless one thread was asked for */
    read_ahead *ra = ra_open(rd, r->o->params.threads != 1);
    if (!ra) {
        fprintf(stderr, "newsclust: %s\n", nc_strerror(NC_ERR_NOMEM));
        nc_reader_free(rd);
        return -1;
    }
    ra_item it;
    int rc = 0;
    while (rc == 0 && ra_next(ra, &it))
        rc = take_item(r, path, &it);
    ra_close(ra); /* the reader thread has ended: its count is final */
    r->skipped += nc_reader_skipped(rd);
    nc_reader_free(rd);
    return rc;
}

static int cmd_eval(opts *o)
{
    if (o->n_inputs != 2) die_usage("eval takes LABELS.jsonl OUTPUT.json");
    nc_eval_result e;
    char err[512] = "";
    nc_status st = nc_eval_files(o->inputs[0], o->inputs[1], o->label_field, &e, err, sizeof err);
    if (st != NC_OK) {
        fprintf(stderr, "newsclust: %s\n", err[0] ? err : nc_strerror(st));
        return EXIT_FAIL;
    }
    outfile of;
    if (out_open(&of, o->out) != 0) return EXIT_FAIL;
    fprintf(of.f,
            "{\"pair_p\":%.4f,\"pair_r\":%.4f,\"pair_f1\":%.4f,"
            "\"bcubed_p\":%.4f,\"bcubed_r\":%.4f,\"bcubed_f1\":%.4f,"
            "\"ari\":%.4f,\"nmi\":%.4f,\"items\":%zu,\"true_clusters\":%zu,"
            "\"pred_clusters\":%zu,\"missing\":%zu}\n",
            e.pair_p, e.pair_r, e.pair_f1, e.bcubed_p, e.bcubed_r, e.bcubed_f1, e.ari, e.nmi,
            e.items, e.true_clusters, e.pred_clusters, e.missing);
    return out_close(&of, 1) == 0 ? 0 : EXIT_FAIL;
}

int main(int argc, char **argv)
{
    opts o;
    parse_args(argc, argv, &o);
    if (!strcmp(o.cmd, "eval")) {
        int erc = cmd_eval(&o);
        free(o.inputs);
        return erc;
    }

    input_list inputs = {0};
    int rc = 0;
    if (o.n_inputs == 0) rc = list_push(&inputs, "-");
    for (int i = 0; i < o.n_inputs && rc == 0; i++)
        rc = expand(&inputs, o.inputs[i], 0);
    free(o.inputs);
    run r = {.o = &o};
    outfile of;
    int extract = !strcmp(o.cmd, "extract");
    if (rc == 0 && !extract) {
        nc_status st = nc_index_create(&o.params, &r.ix);
        if (st != NC_OK) {
            fprintf(stderr, "newsclust: %s\n", nc_strerror(st));
            rc = -1;
        }
    }
    int opened = 0;
    if (rc == 0 && extract) {
        rc = out_open(&of, o.out);
        opened = rc == 0;
        r.extract_out = of.f;
    }
    double t_read = now_sec(), t_write = 0.0;
    for (size_t i = 0; i < inputs.n && rc == 0; i++)
        rc = read_input(&r, inputs.paths[i]);
    t_read = now_sec() - t_read;
    if (!o.quiet && r.docs >= 100000 && isatty(2)) fputc('\n', stderr);
    if (rc == 0 && !extract) {
        nc_status st = nc_index_cluster(r.ix);
        if (st != NC_OK) {
            fprintf(stderr, "newsclust: clustering failed: %s\n", nc_strerror(st));
            rc = -1;
        }
        if (rc == 0) {
            rc = out_open(&of, o.out);
            opened = rc == 0;
        }
        if (rc == 0) {
            t_write = now_sec();
            st = !strcmp(o.cmd, "dedup")
                     ? nc_index_write_dedup(r.ix, of.f)
                     : nc_index_write_json(r.ix, of.f, o.jsonl ? NC_OUT_JSONL : 0, r.skipped);
            if (st != NC_OK) {
                fprintf(stderr, "newsclust: writing output failed: %s\n", nc_strerror(st));
                rc = -1;
            }
        }
    }
    if (opened && out_close(&of, rc == 0) != 0) rc = -1;
    if (rc == 0 && !extract && getenv("NC_STATS"))
        print_stats(r.ix, t_read, t_write > 0.0 ? now_sec() - t_write : 0.0);
    if (rc == 0 && !o.quiet) {
        if (extract)
            fprintf(stderr, "newsclust: %zu documents, %zu skipped\n", r.docs, r.skipped);
        else
            fprintf(stderr, "newsclust: %zu documents, %zu clusters, %zu skipped\n", r.docs,
                    nc_index_cluster_count(r.ix), r.skipped);
    }
    nc_index_free(r.ix);
    for (size_t i = 0; i < inputs.n; i++)
        free(inputs.paths[i]);
    free(inputs.paths);
    return rc == 0 ? 0 : EXIT_FAIL;
}
