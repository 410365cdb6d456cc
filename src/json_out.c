/*
 * json_out.c - writing clusters as schema_version 1 JSON, and the dedup
 * JSON Lines.  Streamed with fprintf from the index's results through the
 * public getters: nothing is built in memory, so a million-document output
 * needs no DOM.  Numbers are printed with fixed formats so the output is
 * byte-identical across runs.
 */
#include "newsclust.h"

#include "json_escape.h"

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

/* A double with at most 4 decimals, trailing zeros trimmed ("1.0", "0.9313"). */
static void put_num(FILE *f, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.4f", x);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '0' && buf[n - 2] != '.')
        buf[--n] = 0;
    fputs(buf, f);
}

static void put_member(FILE *f, const nc_member *m)
{
    fputs("{\"id\":", f);
    nc__json_put_string(f, m->doc.id);
    fputs(",\"title\":", f);
    nc__json_put_string(f, m->doc.title);
    fputs(",\"source\":", f);
    nc__json_put_string(f, m->doc.source);
    fputs(",\"link\":", f);
    nc__json_put_string(f, m->doc.link);
    fputs(",\"published\":", f);
    put_time(f, m->doc.published);
    fputs(",\"duplicate_of\":", f);
    nc__json_put_string(f, m->duplicate_of);
    fputs(",\"score\":", f);
    put_num(f, m->score);
    fputc('}', f);
}

/* Distinct sources of a cluster, sorted (bytewise). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static nc_status put_cluster(const nc_index *ix, size_t i, FILE *f, const char *indent,
                             const char ***scratch, size_t *scap)
{
    nc_cluster c;
    nc_status st = nc_index_cluster_get(ix, i, &c);
    if (st != NC_OK) return st;
    fprintf(f, "%s{\"id\":%" PRId64 ",\"size\":%zu,\"headline\":", indent, c.id, c.size);
    nc__json_put_string(f, c.headline);
    fputs(",\"first_published\":", f);
    put_time(f, c.first_published);
    fputs(",\"last_published\":", f);
    put_time(f, c.last_published);
    fputs(",\"keywords\":[", f);
    for (size_t k = 0; k < c.n_keywords; k++) {
        if (k) fputc(',', f);
        nc__json_put_string(f, c.keywords[k]);
    }
    fputs("],\"sources\":[", f);
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
        if (out++) fputc(',', f);
        nc__json_put_string(f, (*scratch)[j]);
    }
    fputs("],\"members\":[", f);
    for (size_t j = 0; j < c.size; j++) {
        nc_member m;
        st = nc_index_member_get(ix, i, j, &m);
        if (st != NC_OK) return st;
        if (j) fputc(',', f);
        put_member(f, &m);
    }
    fputs("]}", f);
    return NC_OK;
}

nc_status nc_index_write_json(const nc_index *ix, FILE *f, unsigned flags, size_t skipped)
{
    if (!ix || !f) return NC_ERR_INVALID_ARG;
    size_t nc = nc_index_cluster_count(ix);
    if (nc == 0 && nc_index_size(ix) > 0) return NC_ERR_STATE;
    const char **scratch = NULL;
    size_t scap = 0;
    nc_status st = NC_OK;
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
    for (size_t i = 0; i < nc && st == NC_OK; i++) {
        st = put_cluster(ix, i, f, "", &scratch, &scap);
        if (!(flags & NC_OUT_JSONL) && i + 1 < nc) fputc(',', f);
        fputc('\n', f);
    }
    if (!(flags & NC_OUT_JSONL)) fputs("]}\n", f);
    free((void *)scratch);
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
