/*
 * index_store.c - nc_index_save and nc_index_load: an index as a JSON Lines
 * file.
 *
 * What is stored is what cannot be recomputed: the parameters, the documents
 * as added (the fields the index keeps) and each document's cluster id, with
 * the next fresh id.  Features, IDF and clusters are recomputed on load (one
 * nc_index_cluster, deterministic), and the stored ids are carried over by
 * the stable-id rule (index_live.c): the clusters of a saved index come back
 * under the same ids.  Line 1 is a header:
 *
 *   {"format":"newsclust-index","version":1,"params":{...},"documents":N,
 *    "next_cluster":K,"live":true}
 *
 * ("live": the index was clustered, even if its last clustering failed, so
 * the loaded one is clustered), then one line a document: {"id":..,
 * "title":..,"summary":..,"source":..,"link":..,"parent":..,
 * "published":SECONDS|null,"cluster":ID}.  Numbers the
 * JSON reader holds as doubles stay exact: the seed is written as a string,
 * thresholds with 17 significant digits.  The file is written under a
 * temporary name in the same directory, synced and renamed over @p path.
 */
#include "index_impl.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_escape.h"

#define NC_STORE_FORMAT "newsclust-index"
#define NC_STORE_VERSION 1

/* ---------------------------------------------------------------- save */

static int put_field(FILE *f, const char *name, const char *v, int first)
{
    if (fprintf(f, "%s\"%s\":", first ? "" : ",", name) < 0) return -1;
    return nc__json_put_string(f, v);
}

static int write_all(const nc_index *ix, FILE *f)
{
    const nc_params *p = &ix->p;
    if (fprintf(f,
                "{\"format\":\"" NC_STORE_FORMAT
                "\",\"version\":%d,\"params\":{\"num_perm\":%" PRIu32
                ",\"dup_threshold\":%.17g,\"story_threshold\":%.17g,\"window_hours\":%.17g,"
                "\"seed\":\"%" PRIu64 "\",\"background\":%d},\"documents\":%zu,"
                "\"next_cluster\":%" PRId64 ",\"live\":%s}\n",
                NC_STORE_VERSION, p->num_perm, p->dup_threshold, p->story_threshold,
                p->window_hours, p->seed, p->background ? 1 : 0, ix->docs.n, ix->next_id,
                ix->live || ix->doc_cluster.a ? "true" : "false") < 0)
        return -1;
    for (size_t i = 0; i < ix->docs.n; i++) {
        const nc_doc *d = &ix->docs.a[i].d;
        if (fputc('{', f) == EOF || put_field(f, "id", d->id, 1) ||
            put_field(f, "title", d->title, 0) || put_field(f, "summary", d->summary, 0) ||
            put_field(f, "source", d->source, 0) || put_field(f, "link", d->link, 0) ||
            put_field(f, "parent", d->parent, 0))
            return -1;
        int64_t c = ix->doc_cluster.a ? ix->doc_cluster.a[i] : -1;
        int rc = d->published == NC_TIME_UNKNOWN
                     ? fprintf(f, ",\"published\":null,\"cluster\":%" PRId64 "}\n", c)
                     : fprintf(f, ",\"published\":%" PRId64 ",\"cluster\":%" PRId64 "}\n",
                               d->published, c);
        if (rc < 0) return -1;
    }
    return 0;
}

nc_status nc_index_save(const nc_index *ix, const char *path)
{
    if (!ix || !path || !*path) return NC_ERR_INVALID_ARG;
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (!tmp) return NC_ERR_NOMEM;
    snprintf(tmp, len, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return NC_ERR_IO;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        remove(tmp);
        free(tmp);
        return NC_ERR_IO;
    }
    int ok = write_all(ix, f) == 0;
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) ok = 0;
    if (fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) remove(tmp);
    free(tmp);
    return ok ? NC_OK : NC_ERR_IO;
}

/* ---------------------------------------------------------------- load */

static const char *str_of(const cJSON *o, const char *name, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v || cJSON_IsNull(v)) return NULL;
    if (!cJSON_IsString(v)) *bad = 1;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number that must be an integer in [lo, hi]; @return 0 or -1. */
static int int_of(const cJSON *o, const char *name, double lo, double hi, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v)) return -1;
    double x = v->valuedouble;
    if (!(x >= lo && x <= hi) || x != (double)(int64_t)x) return -1;
    *out = (int64_t)x;
    return 0;
}

static int num_of(const cJSON *o, const char *name, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v)) return -1;
    *out = v->valuedouble;
    return 0;
}

/* The header's parameters into @p p.  @return 0, or -1 (missing or bad). */
static int read_params(const cJSON *h, nc_params *p, int64_t *ndocs, int64_t *next, int *live)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(h, "format");
    int64_t version, v;
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, NC_STORE_FORMAT) != 0 ||
        int_of(h, "version", 0, 1e9, &version) || version != NC_STORE_VERSION)
        return -1;
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(h, "params");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(ps, "seed");
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(h, "live");
    nc_params_default(p);
    if (!cJSON_IsObject(ps) || int_of(ps, "num_perm", 1, UINT32_MAX, &v)) return -1;
    p->num_perm = (uint32_t)v;
    if (num_of(ps, "dup_threshold", &p->dup_threshold) ||
        num_of(ps, "story_threshold", &p->story_threshold) ||
        num_of(ps, "window_hours", &p->window_hours) || int_of(ps, "background", 0, 1, &v))
        return -1;
    p->background = (int)v;
    if (!cJSON_IsString(seed) || !*seed->valuestring) return -1;
    char *end;
    p->seed = strtoull(seed->valuestring, &end, 10);
    if (*end || seed->valuestring[0] == '-') return -1;
    p->threads = 0;
    if (int_of(h, "documents", 0, UINT32_MAX - 2.0, ndocs) ||
        int_of(h, "next_cluster", 0, 9007199254740992.0, next) || !cJSON_IsBool(lv))
        return -1;
    *live = cJSON_IsTrue(lv);
    return 0;
}

/* Read the lines of @p f into a new index.  @return NC_OK or an error. */
static nc_status read_all(FILE *f, nc_index **out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = getline(&line, &cap, f);
    if (got < 0) {
        free(line);
        return ferror(f) ? NC_ERR_IO : NC_ERR_CORRUPT;
    }
    nc_params p;
    int64_t ndocs = 0, next = 0;
    int live = 0;
    cJSON *h = cJSON_ParseWithLength(line, (size_t)got);
    int bad = !h || read_params(h, &p, &ndocs, &next, &live);
    cJSON_Delete(h);
    nc_index *ix = NULL;
    nc_status st = bad ? NC_ERR_CORRUPT : nc_index_create(&p, &ix);
    if (st == NC_ERR_INVALID_ARG) st = NC_ERR_CORRUPT; /* parameters out of range */
    NC_VEC(int64_t) ids = {0};
    while (st == NC_OK && (got = getline(&line, &cap, f)) >= 0) {
        if (ids.n == (size_t)ndocs) {
            st = NC_ERR_CORRUPT; /* more lines than the header says */
            break;
        }
        cJSON *o = cJSON_ParseWithLength(line, (size_t)got);
        int b = !cJSON_IsObject(o);
        nc_doc d = {0};
        d.id = str_of(o, "id", &b);
        d.title = str_of(o, "title", &b);
        d.summary = str_of(o, "summary", &b);
        d.source = str_of(o, "source", &b);
        d.link = str_of(o, "link", &b);
        d.parent = str_of(o, "parent", &b);
        const cJSON *pub = cJSON_GetObjectItemCaseSensitive(o, "published");
        d.published = NC_TIME_UNKNOWN;
        int64_t c = -1;
        if (!cJSON_IsNull(pub) && int_of(o, "published", -9.2e18, 9.2e18, &d.published)) b = 1;
        if (int_of(o, "cluster", -1, (double)next - 1.0, &c)) b = 1;
        if (!b && !d.id) b = 1;
        if (!b) {
            st = nc_index_add(ix, &d, NULL);
            if (st == NC_ERR_INVALID_ARG || st == NC_ERR_LIMIT) st = NC_ERR_CORRUPT;
        }
        cJSON_Delete(o);
        if (b) st = NC_ERR_CORRUPT;
        if (st == NC_OK && NC_VEC_PUSH(&ids, c)) st = NC_ERR_NOMEM;
    }
    free(line);
    if (st == NC_OK && ferror(f)) st = NC_ERR_IO;
    if (st == NC_OK && ids.n != (size_t)ndocs) st = NC_ERR_CORRUPT; /* cut short */
    if (st == NC_OK && live) { /* the saved ids become the priors of one clustering */
        ix->doc_cluster.a = ids.a;
        ix->doc_cluster.n = ids.n;
        ix->doc_cluster.cap = ids.cap;
        ids.a = NULL;
        ix->next_id = next;
        st = nc_index_cluster(ix);
    }
    free(ids.a);
    if (st != NC_OK) {
        nc_index_free(ix);
        return st;
    }
    *out = ix;
    return NC_OK;
}

nc_status nc_index_load(const char *path, nc_index **out)
{
    if (out) *out = NULL;
    if (!path || !out) return NC_ERR_INVALID_ARG;
    FILE *f = fopen(path, "rb");
    if (!f) return NC_ERR_IO;
    nc_status st = read_all(f, out);
    fclose(f);
    return st;
}
