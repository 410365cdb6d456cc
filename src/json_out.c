/*
 * json_out.c - writing clusters as schema_version 1 JSON, and the dedup
 * JSON Lines, from the index's results through the public getters.  The
 * clusters are rendered by hand-written formatters (no printf in the
 * per-member path) into buffers, a group of clusters at a time on the
 * index's threads, while one more thread (with more than one asked for)
 * writes the previous group in order: nothing like a DOM is built, the memory is two groups'
 * output, and the bytes do not depend on the thread count.  Numbers are printed with fixed formats
 * so the output is byte-identical across runs.
 */
#include "newsclust.h"

#include "json_escape.h"
#include "parallel.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void put_time(FILE *f, int64_t t)
{
    char buf[32];
    if (t == NC_TIME_UNKNOWN)
        fputs("null", f);
    else
        fprintf(f, "\"%s\"", nc_time_format(t, buf));
}

static void put_num(FILE *f, double x)
{
    char buf[64];
    nc__json_num_text(x, buf);
    fputs(buf, f);
}

/* ---- the cluster output, rendered into buffers */

static void buf_str(nc_buf *b, const char *s)
{
    nc__buf_put(b, s, strlen(s));
}

static void buf_time(nc_buf *b, int64_t t)
{
    char tb[34];
    if (t == NC_TIME_UNKNOWN) {
        nc__buf_put(b, "null", 4);
        return;
    }
    tb[0] = '"';
    size_t n = strlen(nc_time_format(t, tb + 1));
    tb[n + 1] = '"';
    nc__buf_put(b, tb, n + 2);
}

static void buf_num(nc_buf *b, double x)
{
    char tb[64];
    nc__buf_put(b, tb, nc__json_num_text(x, tb));
}

static void buf_uint(nc_buf *b, uint64_t v)
{
    char tb[24];
    size_t k = sizeof tb;
    do {
        tb[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    nc__buf_put(b, tb + k, sizeof tb - k);
}

static void put_member(nc_buf *b, const nc_member *m)
{
    buf_str(b, "{\"id\":");
    nc__json_buf_string(b, m->doc.id);
    buf_str(b, ",\"title\":");
    nc__json_buf_string(b, m->doc.title);
    buf_str(b, ",\"source\":");
    nc__json_buf_string(b, m->doc.source);
    buf_str(b, ",\"link\":");
    nc__json_buf_string(b, m->doc.link);
    buf_str(b, ",\"published\":");
    buf_time(b, m->doc.published);
    buf_str(b, ",\"duplicate_of\":");
    nc__json_buf_string(b, m->duplicate_of);
    buf_str(b, ",\"score\":");
    buf_num(b, m->score);
    nc__buf_putc(b, '}');
}

/* Distinct sources of a cluster, sorted (bytewise). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Cluster @p i as one JSON object appended to @p b; @p scratch holds the
 * sources while they are sorted.  @return NC_OK or NC_ERR_NOMEM. */
static nc_status put_cluster(const nc_index *ix, size_t i, nc_buf *b, const char ***scratch,
                             size_t *scap)
{
    nc_cluster c;
    nc_status st = nc_index_cluster_get(ix, i, &c);
    if (st != NC_OK) return st;
    buf_str(b, "{\"id\":");
    if (c.id < 0) nc__buf_putc(b, '-');
    buf_uint(b, c.id < 0 ? 0 - (uint64_t)c.id : (uint64_t)c.id);
    buf_str(b, ",\"size\":");
    buf_uint(b, c.size);
    buf_str(b, ",\"headline\":");
    nc__json_buf_string(b, c.headline);
    buf_str(b, ",\"first_published\":");
    buf_time(b, c.first_published);
    buf_str(b, ",\"last_published\":");
    buf_time(b, c.last_published);
    buf_str(b, ",\"keywords\":[");
    for (size_t k = 0; k < c.n_keywords; k++) {
        if (k) nc__buf_putc(b, ',');
        nc__json_buf_string(b, c.keywords[k]);
    }
    buf_str(b, "],\"sources\":[");
    if (c.size > *scap) {
        const char **p = realloc((void *)*scratch, c.size * sizeof *p);
        if (!p) return NC_ERR_NOMEM;
        *scratch = p;
        *scap = c.size;
    }
    size_t ns = 0;
    for (size_t j = 0; j < c.size; j++) {
        nc_member m;
        if (nc_index_member_get(ix, i, j, &m) == NC_OK && m.doc.source && *m.doc.source)
            (*scratch)[ns++] = m.doc.source;
    }
    qsort((void *)*scratch, ns, sizeof **scratch, cmp_str);
    for (size_t j = 0, out = 0; j < ns; j++) {
        if (j && strcmp((*scratch)[j], (*scratch)[j - 1]) == 0) continue;
        if (out++) nc__buf_putc(b, ',');
        nc__json_buf_string(b, (*scratch)[j]);
    }
    buf_str(b, "],\"members\":[");
    for (size_t j = 0; j < c.size; j++) {
        nc_member m;
        st = nc_index_member_get(ix, i, j, &m);
        if (st != NC_OK) return st;
        if (j) nc__buf_putc(b, ',');
        put_member(b, &m);
    }
    buf_str(b, "]}");
    return b->oom ? NC_ERR_NOMEM : NC_OK;
}

/* The clusters are rendered a group at a time: the group's units (runs of
 * clusters of about NC_UNIT_DOCS members; a bigger cluster is a unit of its
 * own) are split between the threads, each rendering its contiguous share
 * into its own buffer, while one more thread (unless one thread was asked
 * for: nc__parallel_roles) writes the previous group's buffers in order (copying into the page
 * cache is a third of the stage: it overlaps the rendering).  The bytes are those of one thread;
 * memory stays at two groups' output (a few MB). */
#define NC_UNIT_DOCS 2048
#define NC_GROUP_UNITS 8 /* units a thread gets in a group */

typedef struct render_ctx {
    const nc_index *ix;
    const size_t *unit; /* unit u is clusters [unit[u], unit[u + 1]) */
    size_t base, len;   /* the group: units [base, base + len) */
    size_t nc;
    int jsonl;
    unsigned np;      /* rendering roles; role np writes */
    nc_buf *buf;      /* np buffers: this group's */
    const nc_buf *wr; /* nwr buffers: the previous group's, to write */
    unsigned nwr;
    FILE *f;
    nc_status st[NC_MAX_THREADS];
} render_ctx;

static nc_status render_units(render_ctx *j, nc_buf *b, size_t u0, size_t u1)
{
    const char **scratch = NULL;
    size_t scap = 0;
    nc_status st = NC_OK;
    b->len = 0;
    for (size_t i = j->unit[u0]; i < j->unit[u1] && st == NC_OK; i++) {
        st = put_cluster(j->ix, i, b, &scratch, &scap);
        if (!j->jsonl && i + 1 < j->nc) nc__buf_putc(b, ',');
        nc__buf_putc(b, '\n');
        if (b->oom) st = NC_ERR_NOMEM;
    }
    free((void *)scratch);
    return st;
}

static int render_role(void *arg, unsigned role)
{
    render_ctx *j = arg;
    nc_status st = NC_OK;
    if (role == j->np) { /* the writer */
        for (unsigned t = 0; t < j->nwr && st == NC_OK; t++)
            if (j->wr[t].len && fwrite(j->wr[t].p, 1, j->wr[t].len, j->f) != j->wr[t].len)
                st = NC_ERR_IO;
    } else {
        size_t u0 = j->base + j->len * role / j->np, u1 = j->base + j->len * (role + 1) / j->np;
        st = render_units(j, &j->buf[role], u0, u1);
    }
    j->st[role] = st;
    return st == NC_OK ? 0 : -1;
}

/* Render and write all clusters; @return NC_OK, NC_ERR_NOMEM or NC_ERR_IO. */
static nc_status write_clusters(const nc_index *ix, FILE *f, int jsonl)
{
    size_t nc = nc_index_cluster_count(ix);
    nc_params p;
    nc_index_get_params(ix, &p);
    unsigned parts = nc__thread_count(p.threads);
    if (parts > NC_MAX_THREADS - 1) parts = NC_MAX_THREADS - 1;
    size_t *unit = malloc((nc + 2) * sizeof *unit), nu = 0, docs = 0;
    nc_buf *buf = calloc(2 * (size_t)parts, sizeof *buf); /* two sets, alternating */
    nc_status st = unit && buf ? NC_OK : NC_ERR_NOMEM;
    for (size_t i = 0; i < nc && st == NC_OK; i++) {
        nc_cluster c;
        nc_index_cluster_get(ix, i, &c);
        if (docs == 0) unit[nu++] = i;
        docs += c.size;
        if (docs >= NC_UNIT_DOCS) docs = 0;
    }
    if (st == NC_OK) unit[nu] = nc;
    render_ctx ctx = {.ix = ix, .unit = unit, .nc = nc, .jsonl = jsonl, .f = f};
    size_t step = (size_t)parts * NC_GROUP_UNITS;
    for (size_t g = 0, r = 0; st == NC_OK && (g < nu || ctx.nwr); g += step, r++) {
        ctx.base = g;
        ctx.len = g < nu ? (nu - g < step ? nu - g : step) : 0;
        ctx.np = ctx.len < parts ? (unsigned)ctx.len : parts;
        ctx.buf = buf + (r % 2) * parts;
        if (nc__parallel_roles(parts, ctx.np + 1, render_role, &ctx)) {
            for (unsigned t = 0; t <= ctx.np; t++)
                if (ctx.st[t] != NC_OK) st = ctx.st[t];
        }
        ctx.wr = ctx.buf; /* written in the next round */
        ctx.nwr = ctx.np;
    }
    for (unsigned t = 0; buf && t < 2 * parts; t++)
        free(buf[t].p);
    free(buf);
    free(unit);
    return st;
}

nc_status nc_index_write_json(const nc_index *ix, FILE *f, unsigned flags, size_t skipped)
{
    if (!ix || !f) return NC_ERR_INVALID_ARG;
    size_t nc = nc_index_cluster_count(ix);
    if (nc == 0 && nc_index_size(ix) > 0) return NC_ERR_STATE;
    if (!(flags & NC_OUT_JSONL)) {
        nc_params p;
        nc_index_info info;
        nc_index_get_params(ix, &p);
        nc_index_get_info(ix, &info);
        fprintf(f, "{\"schema_version\":1,\"generator\":\"newsclust %s\",\n", nc_version());
        fprintf(f, "\"params\":{\"num_perm\":%u,\"bands\":%u,\"rows\":%u,", p.num_perm,
                info.story_bands, info.story_rows);
        fprintf(f, "\"dup_bands\":%u,\"dup_rows\":%u,\"dup_threshold\":", info.dup_bands,
                info.dup_rows);
        put_num(f, p.dup_threshold);
        fputs(",\"story_threshold\":", f);
        put_num(f, p.story_threshold);
        fputs(",\"window_hours\":", f);
        put_num(f, p.window_hours);
        fprintf(f, ",\"seed\":%" PRIu64 ",\"background\":%s},\n", p.seed,
                info.background_used ? "true" : "false");
        fprintf(f,
                "\"stats\":{\"documents\":%zu,\"clusters\":%zu,\"duplicate_groups\":%zu,"
                "\"skipped\":%zu,\"candidate_pairs\":%zu},\n\"clusters\":[\n",
                nc_index_size(ix), nc, info.duplicate_groups, skipped, info.candidate_pairs);
    }
    nc_status st = write_clusters(ix, f, (flags & NC_OUT_JSONL) != 0);
    if (!(flags & NC_OUT_JSONL)) fputs("]}\n", f);
    if (st == NC_OK && (ferror(f) || fflush(f) != 0)) st = NC_ERR_IO;
    return st;
}

/* A dropped copy: the survivor it duplicates, its own id, its member position. */
typedef struct copy_ref {
    const char *of, *id;
    size_t pos;
} copy_ref;

static int cmp_copy(const void *x, const void *y)
{
    const copy_ref *a = x, *b = y;
    int c = strcmp(a->of, b->of);
    if (c) return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

nc_status nc_index_write_dedup(const nc_index *ix, FILE *f)
{
    if (!ix || !f) return NC_ERR_INVALID_ARG;
    size_t nc = nc_index_cluster_count(ix);
    if (nc == 0 && nc_index_size(ix) > 0) return NC_ERR_STATE;
    copy_ref *copies = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < nc; i++) {
        nc_cluster c;
        nc_index_cluster_get(ix, i, &c);
        /* the dropped copies of the cluster, grouped by survivor (in member
         * order): one sort instead of a scan of the cluster per survivor */
        if (c.size > cap) {
            copy_ref *p = realloc(copies, c.size * sizeof *p);
            if (!p) {
                free(copies);
                return NC_ERR_NOMEM;
            }
            copies = p;
            cap = c.size;
        }
        size_t nd = 0;
        for (size_t j = 0; j < c.size; j++) {
            nc_member m;
            nc_index_member_get(ix, i, j, &m);
            if (m.duplicate_of) copies[nd++] = (copy_ref){m.duplicate_of, m.doc.id, j};
        }
        qsort(copies, nd, sizeof *copies, cmp_copy);
        for (size_t j = 0; j < c.size; j++) {
            nc_member m;
            nc_index_member_get(ix, i, j, &m);
            if (m.duplicate_of) continue;
            fputs("{\"id\":", f);
            nc__json_put_string(f, m.doc.id);
            fputs(",\"title\":", f);
            nc__json_put_string(f, m.doc.title);
            fputs(",\"summary\":", f);
            nc__json_put_string(f, m.doc.summary);
            fputs(",\"source\":", f);
            nc__json_put_string(f, m.doc.source);
            fputs(",\"link\":", f);
            nc__json_put_string(f, m.doc.link);
            fputs(",\"published\":", f);
            put_time(f, m.doc.published);
            fprintf(f, ",\"cluster\":%" PRId64 ",\"duplicates\":[", c.id);
            size_t lo = 0, hi = nd; /* first copy of this survivor */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(copies[mid].of, m.doc.id) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t q = lo; q < nd && strcmp(copies[q].of, m.doc.id) == 0; q++) {
                if (q > lo) fputc(',', f);
                nc__json_put_string(f, copies[q].id);
            }
            fputs("]}\n", f);
        }
    }
    free(copies);
    if (ferror(f) || fflush(f) != 0) return NC_ERR_IO;
    return NC_OK;
}
