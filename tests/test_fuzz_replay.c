/*
 * test_fuzz_replay.c - the libFuzzer targets of tests/fuzz/ replayed as a
 * plain ctest executable (as zstd does): the three targets are compiled in (their
 * entry points renamed with NC_FUZZ_ENTRY) and run on every file of their
 * seed corpus, in name order, and on REPLAY_MUTATIONS deterministic
 * mutations of each (splitmix64: bit flips, byte sets, insertions of bytes
 * and format tokens, deletions, truncations, chunk copies).
 *
 * A finding kills the process (a target's check aborts; ASan/UBSan report
 * and exit when built with NC_SANITIZE=ON), so each corpus file is replayed
 * in a child process (one per CPU at a time, at most 8) that notes in shared
 * memory which input it is running: the parent counts the failure, names
 * the input (and saves it to the directory NC_FUZZ_REPLAY_SAVE, if set) and
 * goes on with the next one.  "passed" counts inputs that returned.
 *
 *   test_fuzz_replay                         the whole replay (from tests/)
 *   test_fuzz_replay reader|normalize F [M]  run input M of file F (default
 *                                            -1: F itself) in this process
 *   NC_FUZZ_REPLAY_SAVE=DIR                  save failing (or reproduced)
 *                                            inputs in DIR
 *   NC_FUZZ_REPLAY_MUTATIONS=N               mutations per corpus file
 *   NC_FUZZ_REPLAY_JOBS=N                    child processes at a time
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "nc_test.h"

#define NC_FUZZ_ENTRY fuzz_reader_one
#include "fuzz/fuzz_reader.c"
#undef NC_FUZZ_ENTRY
#define NC_FUZZ_ENTRY fuzz_normalize_one
#include "fuzz/fuzz_normalize.c"
#undef NC_FUZZ_ENTRY
#define NC_FUZZ_ENTRY fuzz_index_load_one
#include "fuzz/fuzz_index_load.c"
#undef NC_FUZZ_ENTRY

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPLAY_MUTATIONS 2000
#define REPLAY_MAX_INPUT ((size_t)16 * 1024) /* mutants never grow past this */

typedef int (*fuzz_fn)(const uint8_t *, size_t);

/* ---------------------------------------------------------------- files */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    for (size_t r; b && (r = fread(b + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb) free(b);
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of @p dir (not dot files), sorted by name. */
static char **list_dir(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(len);
        if (!path) break;
        snprintf(path, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (*n == cap) {
            char **nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof *nv);
            if (!nv) {
                free(path);
                break;
            }
            v = nv;
        }
        v[(*n)++] = path;
    }
    closedir(d);
    if (v) qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* ---------------------------------------------------------------- mutations */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t below(uint64_t *s, size_t n)
{
    return n ? (size_t)(splitmix64(s) % n) : 0;
}

static uint64_t fnv1a(const char *a, const char *b)
{
    uint64_t h = 0xCBF29CE484222325u;
    for (const char *p = a; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3u;
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3u;
    return h;
}

static const uint8_t interesting_bytes[] = {0x00, 0xFF, '<',  '>',  '&',  '"',  '\'', '\n', '\r',
                                            ' ',  '-',  '|',  ';',  '#',  '/',  0x80, 0xA0, 0xC2,
                                            0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0x9D, '{',  '}'};

static const char *const tokens[] = {"<item>",
                                     "</item>",
                                     "<entry>",
                                     "</entry>",
                                     "<title>",
                                     "</title>",
                                     "<description>",
                                     "<link>",
                                     "<pubDate>",
                                     "<![CDATA[",
                                     "]]>",
                                     "&amp;",
                                     "&lt;",
                                     "&#x",
                                     "&#",
                                     "&nbsp;",
                                     "&#0;",
                                     "&#xD800;",
                                     "<!--",
                                     "-->",
                                     "<ol><li>",
                                     "<a href=\"",
                                     "</a>",
                                     "<font>",
                                     "</font></li>",
                                     "<br>",
                                     "<script>",
                                     "<p>",
                                     "\n---\n",
                                     "title: ",
                                     "{\"id\":\"",
                                     "\",",
                                     "\"title\":",
                                     "\"published\":",
                                     "\\u00",
                                     "\\ud800",
                                     "null",
                                     " - ",
                                     " | ",
                                     " \xE2\x80\x94 ",
                                     "\xEF\xBB\xBF",
                                     "\xC2\xA0",
                                     "\xED\xA0\x80",
                                     "\xF4\x90\x80\x80",
                                     "\xE2\x80",
                                     "<?xml version=\"1.0\" encoding=\"windows-1252\"?>"};

/* Apply 1-4 random edits to @p buf (@p *len bytes, room for REPLAY_MAX_INPUT). */
static void mutate(uint8_t *buf, size_t *len, uint64_t *rng)
{
    size_t edits = 1 + below(rng, 4);
    for (size_t e = 0; e < edits; e++) {
        size_t n = *len, at = below(rng, n + 1);
        switch (below(rng, 8)) {
        case 0: /* flip a bit */
            if (n) buf[below(rng, n)] ^= (uint8_t)(1u << below(rng, 8));
            break;
        case 1: /* set a byte to an interesting value */
            if (n) buf[below(rng, n)] = interesting_bytes[below(rng, sizeof interesting_bytes)];
            break;
        case 2: { /* insert 1-8 random bytes */
            size_t k = 1 + below(rng, 8);
            if (n + k > REPLAY_MAX_INPUT) break;
            memmove(buf + at + k, buf + at, n - at);
            for (size_t i = 0; i < k; i++)
                buf[at + i] = (uint8_t)splitmix64(rng);
            *len = n + k;
            break;
        }
        case 3: { /* insert a format token */
            const char *t = tokens[below(rng, sizeof tokens / sizeof tokens[0])];
            size_t k = strlen(t);
            if (n + k > REPLAY_MAX_INPUT) break;
            memmove(buf + at + k, buf + at, n - at);
            memcpy(buf + at, t, k);
            *len = n + k;
            break;
        }
        case 4: { /* delete a range */
            size_t k = 1 + below(rng, 32);
            if (at + k > n) k = n - at;
            memmove(buf + at, buf + at + k, n - at - k);
            *len = n - k;
            break;
        }
        case 5: /* truncate */
            *len = at;
            break;
        case 6: { /* copy a chunk of the input to another place */
            if (!n) break;
            size_t from = below(rng, n), k = 1 + below(rng, 64);
            if (from + k > n) k = n - from;
            if (n + k > REPLAY_MAX_INPUT) break;
            memmove(buf + at + k, buf + at, n - at);
            memmove(buf + at, buf + (from >= at ? from + k : from), k);
            *len = n + k;
            break;
        }
        default: /* repeat a byte 1-256 times (long runs, deep nesting) */
            if (n) {
                uint8_t c = buf[below(rng, n)];
                size_t k = 1 + below(rng, 256);
                if (n + k > REPLAY_MAX_INPUT) break;
                memmove(buf + at + k, buf + at, n - at);
                memset(buf + at, c, k);
                *len = n + k;
            }
            break;
        }
    }
}

/* ---------------------------------------------------------------- replay */

/* Mutation @p m of @p orig into @p buf (REPLAY_MAX_INPUT bytes); each
 * mutation has its own seed, so a run can resume at any index. */
static size_t make_mutant(const char *target, const char *path, const uint8_t *orig, size_t len,
                          long m, uint8_t *buf)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    uint64_t rng = fnv1a(target, base) ^ ((uint64_t)m * 0xD1B54A32D192ED03u);
    size_t n = len < REPLAY_MAX_INPUT ? len : REPLAY_MAX_INPUT;
    memcpy(buf, orig, n);
    mutate(buf, &n, &rng);
    return n;
}

/* Input @p m of a file (-1: the file itself) in an exact-size heap copy,
 * so ASan sees reads past its end. */
static uint8_t *make_input(const char *target, const char *path, const uint8_t *orig, size_t len,
                           long m, uint8_t *buf, size_t *n)
{
    const uint8_t *src = orig;
    *n = len;
    if (m >= 0) {
        *n = make_mutant(target, path, orig, len, m, buf);
        src = buf;
    }
    uint8_t *exact = malloc(*n ? *n : 1);
    if (exact && *n) memcpy(exact, src, *n);
    return exact;
}

/* What a child is doing, in memory shared with the parent. */
typedef struct progress {
    long current; /* the input being run (-1: the file itself) */
    long done;    /* inputs that returned */
} progress;

/* One corpus file of one target; replayed by one child at a time. */
typedef struct job {
    const char *target;
    fuzz_fn fn;
    char *path;
    uint8_t *orig;
    size_t len;
    long next;   /* first input the next child runs */
    int crashes; /* children of this file that died */
    int running, finished;
} job;

#define REPLAY_MAX_CRASHES 5 /* a file stops after this many failures */
#define REPLAY_MAX_JOBS 64

/* Child: run inputs j->next..mutations-1, noting each in @p pg. */
static void run_inputs(const job *j, long mutations, volatile progress *pg)
{
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (!buf) _exit(3);
    for (long m = j->next; m < mutations; m++) {
        pg->current = m;
        size_t n;
        uint8_t *in = make_input(j->target, j->path, j->orig, j->len, m, buf, &n);
        if (!in) _exit(3);
        if (j->fn(in, n) != 0) _exit(4);
        free(in);
        pg->done++;
    }
    free(buf);
}

/* Write input @p m of @p j to the directory NC_FUZZ_REPLAY_SAVE, if set. */
static void save_input(const job *j, long m)
{
    const char *dir = getenv("NC_FUZZ_REPLAY_SAVE");
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (!dir || !*dir || !buf) {
        free(buf);
        return;
    }
    const char *base = strrchr(j->path, '/') ? strrchr(j->path, '/') + 1 : j->path;
    char out[4096];
    snprintf(out, sizeof out, "%s/%s-%s-%ld", dir, j->target, base, m);
    size_t n;
    uint8_t *in = make_input(j->target, j->path, j->orig, j->len, m, buf, &n);
    FILE *f = in ? fopen(out, "wb") : NULL;
    if (f) {
        fwrite(in, 1, n, f);
        fclose(f);
        fprintf(stderr, "test_fuzz_replay: saved %s\n", out);
    }
    free(in);
    free(buf);
}

/* Add a job for every corpus file of @p dir. */
static size_t add_jobs(job *jobs, size_t n_jobs, size_t cap, const char *target, fuzz_fn fn,
                       const char *dir)
{
    size_t n = 0;
    char **files = list_dir(dir, &n);
    if (n == 0) {
        fprintf(stderr, "test_fuzz_replay: no corpus in %s (run from tests/)\n", dir);
        CHECK(0);
    }
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[n_jobs];
        memset(j, 0, sizeof *j);
        j->target = target;
        j->fn = fn;
        j->path = files[i];
        j->next = -1;
        j->orig = slurp(files[i], &j->len);
        if (!j->orig || n_jobs + 1 >= cap) {
            fprintf(stderr, "test_fuzz_replay: cannot read %s\n", files[i]);
            CHECK(0);
            free(j->orig);
            free(files[i]);
            continue;
        }
        n_jobs++;
    }
    free(files);
    return n_jobs;
}

/* Run every job, up to @p workers children at a time; each child replays
 * the rest of one file.  A child that dies is a failure: its input is
 * named (and saved) and a new child goes on after it. */
static void run_jobs(job *jobs, size_t n_jobs, long mutations, int workers, progress *pg)
{
    pid_t pids[REPLAY_MAX_JOBS] = {0};
    size_t slot_job[REPLAY_MAX_JOBS] = {0};
    int running = 0;
    size_t next_job = 0;
    for (;;) {
        /* start children while there are free slots and waiting jobs */
        for (int s = 0; s < workers && running < workers; s++) {
            if (pids[s]) continue;
            while (next_job < n_jobs && (jobs[next_job].running || jobs[next_job].finished))
                next_job++;
            size_t k = next_job;
            if (k >= n_jobs) { /* a restarted job earlier in the list? */
                for (k = 0; k < n_jobs && (jobs[k].running || jobs[k].finished); k++)
                    ;
                if (k >= n_jobs) break;
            }
            job *j = &jobs[k];
            pg[s].current = j->next;
            pg[s].done = 0;
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0) {
                perror("test_fuzz_replay: fork");
                break;
            }
            if (pid == 0) {
                run_inputs(j, mutations, &pg[s]);
                _exit(0);
            }
            pids[s] = pid;
            slot_job[s] = k;
            j->running = 1;
            running++;
        }
        if (!running) break;

        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            perror("test_fuzz_replay: waitpid");
            CHECK(0);
            return;
        }
        int s = 0;
        while (s < workers && pids[s] != pid)
            s++;
        if (s == workers) continue;
        job *j = &jobs[slot_job[s]];
        pids[s] = 0;
        running--;
        j->running = 0;
        nc_test_pass += (int)pg[s].done;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            j->finished = 1;
            continue;
        }
        long bad = pg[s].current;
        nc_test_fail++;
        if (WIFSIGNALED(status))
            fprintf(stderr, "test_fuzz_replay: FAILED %s %s input %ld: signal %d\n", j->target,
                    j->path, bad, WTERMSIG(status));
        else
            fprintf(stderr, "test_fuzz_replay: FAILED %s %s input %ld: exit status %d\n", j->target,
                    j->path, bad, WEXITSTATUS(status));
        fprintf(stderr, "  reproduce: (cd tests && test_fuzz_replay %s %s %ld)\n", j->target,
                j->path, bad);
        save_input(j, bad);
        j->next = bad + 1;
        if (++j->crashes >= REPLAY_MAX_CRASHES || j->next >= mutations) {
            if (j->next < mutations)
                fprintf(stderr, "  %s: %d failures, the other inputs are skipped\n", j->path,
                        j->crashes);
            j->finished = 1;
        }
    }
}

static int usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [reader|normalize|index_load FILE [INPUT]]\n", argv0);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc >= 2) { /* reproduce in this process: input INPUT (-1: the file itself) */
        if (argc < 3 || argc > 4) return usage(argv[0]);
        job j = {0};
        j.target = argv[1];
        j.fn = strcmp(argv[1], "reader") == 0       ? fuzz_reader_one
               : strcmp(argv[1], "normalize") == 0  ? fuzz_normalize_one
               : strcmp(argv[1], "index_load") == 0 ? fuzz_index_load_one
                                                    : NULL;
        if (!j.fn) return usage(argv[0]);
        j.path = argv[2];
        long m = argc == 4 ? strtol(argv[3], NULL, 10) : -1;
        size_t n;
        uint8_t *buf = malloc(REPLAY_MAX_INPUT), *in = NULL;
        j.orig = slurp(argv[2], &j.len);
        if (j.orig && buf) {
            save_input(&j, m);
            in = make_input(j.target, j.path, j.orig, j.len, m, buf, &n);
        }
        CHECK(in != NULL);
        if (in) CHECK(j.fn(in, n) == 0);
        free(in);
        free(buf);
        free(j.orig);
        return nc_test_report("test_fuzz_replay");
    }

    long mutations = REPLAY_MUTATIONS;
    const char *env = getenv("NC_FUZZ_REPLAY_MUTATIONS");
    if (env && *env) mutations = strtol(env, NULL, 10);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
    env = getenv("NC_FUZZ_REPLAY_JOBS");
    if (env && *env) workers = (int)strtol(env, NULL, 10);
    if (workers < 1) workers = 1;
    if (workers > REPLAY_MAX_JOBS) workers = REPLAY_MAX_JOBS;

    static job jobs[512];
    size_t n_jobs = add_jobs(jobs, 0, 512, "reader", fuzz_reader_one, "fuzz/corpus/reader");
    size_t n_reader = n_jobs;
    n_jobs = add_jobs(jobs, n_jobs, 512, "normalize", fuzz_normalize_one, "fuzz/corpus/normalize");
    size_t n_normalize = n_jobs - n_reader;
    n_jobs =
        add_jobs(jobs, n_jobs, 512, "index_load", fuzz_index_load_one, "fuzz/corpus/index_load");
    progress *pg = mmap(NULL, REPLAY_MAX_JOBS * sizeof *pg, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pg == MAP_FAILED) {
        perror("test_fuzz_replay: mmap");
        return 1;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_jobs(jobs, n_jobs, mutations, workers, pg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("corpus: %zu reader + %zu normalize + %zu index_load files, %ld mutations each, %d "
           "workers, %.2f s\n",
           n_reader, n_normalize, n_jobs - n_reader - n_normalize, mutations, workers, sec);

    munmap(pg, REPLAY_MAX_JOBS * sizeof *pg);
    for (size_t i = 0; i < n_jobs; i++) {
        free(jobs[i].path);
        free(jobs[i].orig);
    }
    return nc_test_report("test_fuzz_replay");
}
