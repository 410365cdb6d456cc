/*
 * reader_xml.c - RSS 2.0 / RSS 1.0 (RDF) and Atom 1.0 feeds, streamed with
 * libxml2's xmlTextReader: one <item> / <entry> at a time, never the whole
 * tree.  The root element decides RSS or Atom, whatever the caller asked.
 *
 * Fields: title; description / summary (summary) and content:encoded /
 * content (text); link (Atom: rel="alternate" href, else the first link;
 * RSS: <link>, else a permalink guid); guid / id; published > pubDate >
 * dc:date > updated; source (<source>, Atom source/title, dc:publisher),
 * dc:creator / Atom author (a publisher only if it looks like one), and the
 * channel / feed title as the default source.
 *
 * Encoding: libxml2 handles any encoding a document declares.  A document
 * without a declaration (or declaring UTF-8) is filtered on its way into the
 * parser: if its first 64 KiB are not valid UTF-8 the whole document is
 * Windows-1252 and converted; otherwise any stray invalid byte is taken as
 * Windows-1252, so one bad byte does not lose the rest of a feed.
 *
 * Security: no XML_PARSE_NOENT (entities are not substituted; entity
 * reference nodes are skipped), no XML_PARSE_DTDLOAD (external DTDs and
 * external entities are never fetched), no XML_PARSE_HUGE (libxml2's size and
 * amplification limits stay on), XML_PARSE_NONET.  libxml2's messages go to a
 * structured error handler, never to stderr.
 */
#include "reader_impl.h"

#include "normalize.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* item fields collected as text */
enum {
    S_TITLE,
    S_LINK,
    S_SUMMARY,
    S_CONTENT,
    S_ID,
    S_PUBLISHED,
    S_PUBDATE,
    S_DCDATE,
    S_UPDATED,
    S_SOURCE,
    S_PUBLISHER,
    S_CREATOR,
    S_ATOM_LINK,  /* href of the rel="alternate" link */
    S_ATOM_LINK1, /* href of the first link */
    S_CHANNEL,    /* channel / feed title (kept across items) */
    S_FALLBACK_ID,
    S_COUNT
};

enum { C_NONE, C_SOURCE, C_AUTHOR }; /* Atom containers inside an entry */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int set;
} sbuf;

typedef struct xml_state {
    nc_reader *r;
    xmlTextReaderPtr xr;
    int filter; /* 0: bytes as they are; 1: all Windows-1252; 2: repair UTF-8 */
    unsigned char *xbuf;
    size_t xlen, xpos, xcap;
    unsigned char carry[4];
    size_t ncarry;
    unsigned char raw[4 + 16384];

    int root_seen, atom, finished;
    int feed_depth; /* depth of <channel> / <feed>, -1 until seen */
    int in_item, item_depth, item_empty;
    char *item_ns;
    int field, field_depth, field_xhtml;
    int container;
    int guid_permalink;
    size_t n_items;
    sbuf s[S_COUNT];

    /* the event being handled, and the salvage walk after a fatal error */
    xmlNodePtr ev_node; /* set while handling a salvaged (tree) event */
    xmlNodePtr last_node;
    int last_entered; /* the last event entered an element (children next) */
    int last_depth;
    int salvage;
    xmlDocPtr doc; /* taken from the reader for the salvage walk; freed by us */
    /* the parser's open elements when the error was raised (compared by
       address only, never dereferenced): what is not on it was closed */
    xmlNodePtr open[64];
    int open_n, open_ok, use_stack;
    xmlDocPtr err_doc;
    int eof; /* the input has been read to its end */

    char err[300];
    int err_line, err_level, err_code;
} xml_state;

/* One parse event, from the reader or from the salvage walk. */
typedef struct xev {
    int type; /* XML_READER_TYPE_ELEMENT, _END_ELEMENT, _TEXT (any text) */
    const xmlChar *name, *ns, *value;
    int depth, empty;
} xev;

/* ------------------------------------------------------------------ buffers */

static int sb_reserve(sbuf *b, size_t extra)
{
    if (b->cap - b->len > extra) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

static int sb_add(sbuf *b, const char *s, size_t n)
{
    if (sb_reserve(b, n) != 0) return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static void sb_clear(sbuf *b)
{
    b->len = 0;
    b->set = 0;
    if (b->p) b->p[0] = '\0';
}

/* The trimmed content, or NULL if unset or blank (trims in place). */
static const char *sb_get(sbuf *b)
{
    if (!b->set || !b->p) return NULL;
    char *p = b->p;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
        p[--n] = '\0';
    return *p ? p : NULL;
}

/* ------------------------------------------------------------------ input filter */

/* Length of the valid UTF-8 sequence at p (n bytes available): > 0 valid,
   0 invalid, -1 cut short by the end of the buffer. */
static int utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    int k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    for (int i = 1; i < k; i++) {
        if ((size_t)i >= n) return -1;
        unsigned char b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    }
    return k;
}

static int xb_add(xml_state *s, const void *p, size_t n)
{
    if (s->xcap - s->xlen < n) {
        size_t cap = s->xcap ? s->xcap : 65536;
        while (cap - s->xlen < n)
            cap *= 2;
        unsigned char *b = realloc(s->xbuf, cap);
        if (!b) return -1;
        s->xbuf = b;
        s->xcap = cap;
    }
    memcpy(s->xbuf + s->xlen, p, n);
    s->xlen += n;
    return 0;
}

/* Append bytes taken as Windows-1252. */
static int xb_add_cp1252(xml_state *s, const unsigned char *p, size_t n)
{
    char *u = NULL;
    if (nc__cp1252_to_utf8((const char *)p, n, &u) != NC_OK) return -1;
    int rc = xb_add(s, u, strlen(u));
    free(u);
    return rc;
}

/* Refill s->xbuf from the input through the filter.  @return bytes, 0 at end,
   -1 on error. */
static int refill(xml_state *s)
{
    s->xlen = s->xpos = 0;
    while (s->xlen == 0) {
        /* raw[0..4) is room for the carried bytes of a cut sequence */
        size_t n = nc__in_read(s->r, s->raw + 4, sizeof s->raw - 4);
        if (n == 0) {
            if (nc__in_error(s->r)) return -1;
            if (!s->ncarry) return 0;
            /* a sequence cut off by the end of the input */
            if (xb_add_cp1252(s, s->carry, s->ncarry) != 0) return -1;
            s->ncarry = 0;
            continue;
        }
        if (s->filter == 1) {
            if (xb_add_cp1252(s, s->raw + 4, n) != 0) return -1;
            continue;
        }
        /* repair mode: valid UTF-8 passes, an invalid byte is Windows-1252 */
        unsigned char *p = s->raw + 4 - s->ncarry;
        memcpy(p, s->carry, s->ncarry);
        size_t len = n + s->ncarry, i = 0, run = 0;
        s->ncarry = 0;
        while (i < len) {
            if (p[i] < 0x80) {
                i++;
                continue;
            }
            int k = utf8_seq(p + i, len - i);
            if (k > 0) {
                i += (size_t)k;
                continue;
            }
            if (i > run && xb_add(s, p + run, i - run) != 0) return -1;
            if (k < 0) { /* cut by the end of the chunk (<= 3 bytes): carry over */
                s->ncarry = len - i;
                memcpy(s->carry, p + i, s->ncarry);
                run = i = len;
                break;
            }
            if (xb_add_cp1252(s, p + i, 1) != 0) return -1;
            run = ++i;
        }
        if (i > run && xb_add(s, p + run, i - run) != 0) return -1;
    }
    return (int)s->xlen;
}

static int xml_read(void *ctx, char *buf, int len)
{
    xml_state *s = ctx;
    if (len <= 0) return 0;
    if (s->filter == 0) {
        size_t n = nc__in_read(s->r, buf, (size_t)len);
        if (n == 0 && nc__in_error(s->r)) return -1;
        if (n == 0) s->eof = 1;
        return (int)n;
    }
    if (s->xpos == s->xlen) {
        int rc = refill(s);
        if (rc == 0) s->eof = 1;
        if (rc <= 0) return rc;
    }
    size_t n = s->xlen - s->xpos;
    if (n > (size_t)len) n = (size_t)len;
    memcpy(buf, s->xbuf + s->xpos, n);
    s->xpos += n;
    return (int)n;
}

/* Choose the filter from the XML declaration in the first bytes. */
static int choose_filter(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) return 0;
    int bom = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0;
    const unsigned char *q = p + (bom ? 3 : 0), *end = p + n;
    if (end - q >= 5 && memcmp(q, "<?xml", 5) == 0) {
        const unsigned char *e = q;
        while (e + 1 < end && !(e[0] == '?' && e[1] == '>'))
            e++;
        for (const unsigned char *a = q; a + 8 < e; a++) {
            if (memcmp(a, "encoding", 8) != 0) continue;
            a += 8;
            while (a < e && (*a == ' ' || *a == '=' || *a == '"' || *a == '\''))
                a++;
            const unsigned char *v = a;
            while (a < e && *a != '"' && *a != '\'')
                a++;
            size_t k = (size_t)(a - v);
            int utf8 = (k == 5 || k == 4) && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' &&
                       (v[2] | 0x20) == 'f' && (k == 4 ? v[3] == '8' : v[3] == '-' && v[4] == '8');
            return utf8 ? 2 : 0; /* any other declared encoding: libxml2's job */
        }
    }
    if (bom) return 2;
    /* no declaration: UTF-8 if the start is; else a legacy 8-bit document */
    size_t i = 0;
    while (i < n) {
        int k = utf8_seq(p + i, n - i);
        if (k == 0) return 1;
        if (k < 0) break;
        i += (size_t)k;
    }
    return 2;
}

/* ------------------------------------------------------------------ errors */

static void on_error(void *arg, xmlErrorPtr e)
{
    xml_state *s = arg;
    if (!e || e->level < XML_ERR_ERROR) return;
    /* keep the last of the most severe errors: the one that stopped the
       parser (earlier ones may be inside entity text, with its own lines) */
    if ((int)e->level < s->err_level) return;
    s->err_level = (int)e->level;
    s->err_line = e->line;
    s->err_code = e->code;
    s->open_ok = 0;
    if (e->domain == XML_FROM_PARSER && e->ctxt) {
        const xmlParserCtxt *c = e->ctxt;
        if (c->nodeNr >= 0 && c->nodeNr <= 64 && (c->nodeNr == 0 || c->nodeTab)) {
            for (int i = 0; i < c->nodeNr; i++)
                s->open[i] = c->nodeTab[i];
            s->open_n = c->nodeNr;
            s->open_ok = 1;
            s->err_doc = c->myDoc;
        }
    }
    const char *m = e->message ? e->message : "XML error";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (n >= sizeof s->err) n = sizeof s->err - 1;
    memcpy(s->err, m, n);
    s->err[n] = '\0';
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ------------------------------------------------------------------ element handling */

static int name_is(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* An attribute of the current element (xmlFree it). */
static xmlChar *get_attr(xml_state *s, const char *name)
{
    if (s->ev_node) return xmlGetProp(s->ev_node, (const xmlChar *)name);
    return xmlTextReaderGetAttribute(s->xr, (const xmlChar *)name);
}

static void start_field(xml_state *s, int slot, int depth, int empty)
{
    if (s->s[slot].set) {
        s->field = -1; /* the first one wins; this one's text is ignored */
        return;
    }
    sb_clear(&s->s[slot]);
    s->s[slot].set = 1;
    if (sb_reserve(&s->s[slot], 1) == 0) s->s[slot].p[0] = '\0';
    xmlChar *type = get_attr(s, "type");
    s->field_xhtml = name_is(type, "xhtml");
    xmlFree(type);
    s->field = empty ? -1 : slot;
    s->field_depth = depth;
}

static void store_attr(xml_state *s, int slot, const char *attr)
{
    if (s->s[slot].set) return;
    xmlChar *v = get_attr(s, attr);
    if (v && *v) {
        sb_clear(&s->s[slot]);
        if (sb_add(&s->s[slot], (const char *)v, strlen((const char *)v)) == 0) s->s[slot].set = 1;
    }
    xmlFree(v);
}

/* An element inside an item at depth item+1 (or +2 in an Atom container). */
static void item_child(xml_state *s, const xmlChar *name, const xmlChar *ns, int depth, int empty)
{
    int rel = depth - s->item_depth, slot = -1;
    int core = !ns || (s->item_ns && strcmp((const char *)ns, s->item_ns) == 0);
    if (rel == 1) {
        s->container = C_NONE;
        if (core) {
            if (name_is(name, "title"))
                slot = S_TITLE;
            else if (name_is(name, "link")) {
                if (s->atom) {
                    xmlChar *rl = get_attr(s, "rel");
                    if (!rl || name_is(rl, "alternate")) store_attr(s, S_ATOM_LINK, "href");
                    xmlFree(rl);
                    store_attr(s, S_ATOM_LINK1, "href");
                    return;
                }
                slot = S_LINK;
            } else if (name_is(name, "description") || name_is(name, "summary"))
                slot = S_SUMMARY;
            else if (name_is(name, "content"))
                slot = S_CONTENT;
            else if (name_is(name, "guid") || name_is(name, "id")) {
                if (name_is(name, "guid")) {
                    xmlChar *pl = get_attr(s, "isPermaLink");
                    s->guid_permalink = !name_is(pl, "false");
                    xmlFree(pl);
                }
                slot = S_ID;
            } else if (name_is(name, "published") || name_is(name, "issued"))
                slot = S_PUBLISHED;
            else if (name_is(name, "pubDate"))
                slot = S_PUBDATE;
            else if (name_is(name, "updated") || name_is(name, "modified"))
                slot = S_UPDATED;
            else if (name_is(name, "source")) {
                if (s->atom)
                    s->container = empty ? C_NONE : C_SOURCE;
                else
                    slot = S_SOURCE;
            } else if (name_is(name, "author") && s->atom) {
                s->container = empty ? C_NONE : C_AUTHOR;
            }
        } else if (name_is(ns, NS_DC)) {
            if (name_is(name, "creator"))
                slot = S_CREATOR;
            else if (name_is(name, "date"))
                slot = S_DCDATE;
            else if (name_is(name, "publisher"))
                slot = S_PUBLISHER;
        } else if (name_is(ns, NS_CONTENT) && name_is(name, "encoded")) {
            slot = S_CONTENT;
        }
    } else if (rel == 2 && core) {
        if (s->container == C_SOURCE && name_is(name, "title"))
            slot = S_SOURCE;
        else if (s->container == C_AUTHOR && name_is(name, "name"))
            slot = S_CREATOR;
    }
    if (slot >= 0) start_field(s, slot, depth, empty);
}

/* @return NC_OK, or an error for a document that is not a feed. */
static nc_status on_start(xml_state *s, const xev *e)
{
    const xmlChar *name = e->name, *ns = e->ns;
    int depth = e->depth, empty = e->empty;

    if (!s->root_seen) {
        s->root_seen = 1;
        if (name_is(name, "rss") || name_is(name, "RDF")) {
            s->feed_depth = -1;
        } else if (name_is(name, "channel")) {
            s->feed_depth = depth;
        } else if (name_is(name, "feed")) {
            s->atom = 1;
            s->feed_depth = depth;
        } else {
            return nc__reader_fail(s->r, NC_ERR_FORMAT,
                                   s->ev_node ? (long)xmlGetLineNo(s->ev_node)
                                              : xmlTextReaderGetParserLineNumber(s->xr),
                                   "not an RSS or Atom feed (root element <%.40s>)",
                                   name ? (const char *)name : "?");
        }
        nc__reader_set_format(s->r, s->atom ? NC_FORMAT_ATOM : NC_FORMAT_RSS);
        return NC_OK;
    }
    if (s->in_item) {
        if (s->field >= 0) { /* markup inside a field: only Atom xhtml has it */
            if (s->field_xhtml) {
                sbuf *b = &s->s[s->field];
                if (sb_add(b, "<", 1) ||
                    sb_add(b, (const char *)name, strlen((const char *)name)) ||
                    sb_add(b, empty ? "/>" : ">", empty ? 2 : 1))
                    return NC_ERR_NOMEM;
            }
            return NC_OK;
        }
        item_child(s, name, ns, depth, empty);
        return NC_OK;
    }
    if (name_is(name, "channel") && s->feed_depth < 0) {
        s->feed_depth = depth;
        return NC_OK;
    }
    if ((!s->atom && name_is(name, "item")) || (s->atom && name_is(name, "entry"))) {
        for (int i = 0; i < S_COUNT; i++)
            if (i != S_CHANNEL) sb_clear(&s->s[i]);
        s->in_item = 1;
        s->item_depth = depth;
        s->item_empty = empty;
        s->field = -1;
        s->container = C_NONE;
        s->guid_permalink = 1;
        free(s->item_ns);
        s->item_ns = ns ? strdup((const char *)ns) : NULL;
        if (ns && !s->item_ns) return NC_ERR_NOMEM;
        s->n_items++;
        return NC_OK;
    }
    if (s->feed_depth >= 0 && depth == s->feed_depth + 1 && name_is(name, "title") && !empty &&
        !s->s[S_CHANNEL].set) {
        start_field(s, S_CHANNEL, depth, 0);
    }
    return NC_OK;
}

/* Fill the item from the collected fields. */
static nc_status finish_item(xml_state *s, nc__item *it)
{
    it->title = sb_get(&s->s[S_TITLE]);
    it->summary = sb_get(&s->s[S_SUMMARY]);
    it->text = sb_get(&s->s[S_CONTENT]);
    it->source = sb_get(&s->s[S_SOURCE]);
    if (!it->source) it->source = sb_get(&s->s[S_PUBLISHER]);
    it->creator = sb_get(&s->s[S_CREATOR]);
    it->default_source = sb_get(&s->s[S_CHANNEL]);
    const char *id = sb_get(&s->s[S_ID]);
    const char *link = sb_get(&s->s[S_LINK]);
    if (!link) link = sb_get(&s->s[S_ATOM_LINK]);
    if (!link) link = sb_get(&s->s[S_ATOM_LINK1]);
    if (!link && id && s->guid_permalink &&
        (strncmp(id, "http://", 7) == 0 || strncmp(id, "https://", 8) == 0))
        link = id;
    it->link = link;
    if (!id) id = link;
    if (!id) {
        char num[32];
        snprintf(num, sizeof num, "#%zu", s->n_items);
        sbuf *b = &s->s[S_FALLBACK_ID];
        sb_clear(b);
        const char *base = nc__reader_base(s->r);
        if (sb_add(b, base, strlen(base)) || sb_add(b, num, strlen(num))) return NC_ERR_NOMEM;
        b->set = 1;
        id = b->p;
    }
    it->id = id;
    static const int dates[] = {S_PUBLISHED, S_PUBDATE, S_DCDATE, S_UPDATED};
    it->published = NC_TIME_UNKNOWN;
    for (size_t i = 0; i < 4 && it->published == NC_TIME_UNKNOWN; i++)
        it->published = nc__parse_date(sb_get(&s->s[dates[i]]));
    it->gnews_html[0] = it->summary;
    it->gnews_html[1] = it->text;
    return NC_OK;
}

/* ------------------------------------------------------------------ events */

/* Has the element @p n been closed (its end tag parsed)?  It has if it was
   not open when the error was raised; without that record, if it has a next
   sibling (libxml2 links one only after the end tag) or a closed parent. */
static int closed(const xml_state *s, xmlNodePtr n)
{
    if (s->use_stack) {
        for (int i = 0; i < s->open_n; i++)
            if (s->open[i] == n) return 0;
        return 1;
    }
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (n->next) return 1;
    return 0;
}

/* Is the recorded stack the main parser's (not an entity sub-parser's)?
   Then it is empty (all closed) or holds an ancestor of @p n. */
static int stack_usable(const xml_state *s, xmlNodePtr n)
{
    if (!s->open_ok || !n || n->doc != s->err_doc) return 0;
    if (s->open_n == 0) return 1;
    for (; n; n = n->parent)
        for (int i = 0; i < s->open_n; i++)
            if (s->open[i] == n) return 1;
    return 0;
}

static int tree_event(xml_state *s, xmlNodePtr n, int depth, xev *e)
{
    memset(e, 0, sizeof *e);
    e->depth = depth;
    s->ev_node = n;
    s->last_node = n;
    s->last_depth = depth;
    s->last_entered = 0;
    if (n->type == XML_ELEMENT_NODE) {
        e->type = XML_READER_TYPE_ELEMENT;
        e->name = n->name;
        e->ns = n->ns ? n->ns->href : NULL;
        e->empty = n->children == NULL;
        s->last_entered = !e->empty;
        return 1;
    }
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        e->type = XML_READER_TYPE_TEXT;
        e->value = n->content;
        return 1;
    }
    return 0; /* comments, PIs, entity references (never expanded): skipped */
}

/* The next event of the salvage walk: document order through the tree
   libxml2 built before the error, from the reader's last node on.  It stops
   (returns 0) at the first element that was never closed. */
static int salvage_step(xml_state *s, xev *e)
{
    xmlNodePtr n = s->last_node;
    int depth = s->last_depth;
    if (s->last_entered && n->children) {
        n = n->children;
        depth++;
        if (tree_event(s, n, depth, e)) return 1;
    }
    for (;;) {
        if (n->next) {
            n = n->next;
            if (tree_event(s, n, depth, e)) return 1;
            continue;
        }
        n = n->parent;
        depth--;
        if (!n || n->type != XML_ELEMENT_NODE || !closed(s, n)) return 0;
        memset(e, 0, sizeof *e);
        e->type = XML_READER_TYPE_END_ELEMENT;
        e->name = n->name;
        e->depth = depth;
        s->ev_node = n;
        s->last_node = n;
        s->last_depth = depth;
        s->last_entered = 0;
        return 1;
    }
}

/* Start the salvage walk after xmlTextReaderRead() failed.  Where the reader
   stopped decides where to go on: before its first node, the whole tree;
   on the node it last returned, after that node; on a text node it moved to
   but did not return (it failed completing it, and may have freed the node
   before it), at that text node. */
static int salvage_begin(xml_state *s, xev *e)
{
    if (!s->last_node) {
        s->doc = xmlTextReaderCurrentDoc(s->xr); /* ours to free from now on */
        xmlNodePtr root = s->doc ? xmlDocGetRootElement(s->doc) : NULL;
        s->use_stack = stack_usable(s, root);
        return root ? tree_event(s, root, 0, e) : 0;
    }
    xmlNodePtr cur = xmlTextReaderCurrentNode(s->xr);
    s->use_stack = stack_usable(s, cur);
    if (cur && cur == s->last_node) return salvage_step(s, e);
    if (cur && (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE))
        return tree_event(s, cur, xmlTextReaderDepth(s->xr), e);
    s->last_node = NULL;
    return 0;
}

/* The next event: 1, 0 at the end, -1 after an error (salvage done). */
static int next_event(xml_state *s, xev *e)
{
    if (s->salvage) return s->last_node && salvage_step(s, e) ? 1 : -1;
    for (;;) {
        int ret = xmlTextReaderRead(s->xr);
        if (ret == 0) return 0;
        if (ret < 0) {
            /* the reader parses ahead: elements already closed in the tree
               before the damage are still handed out */
            s->salvage = 1;
            return salvage_begin(s, e) ? 1 : -1;
        }
        int type = xmlTextReaderNodeType(s->xr);
        memset(e, 0, sizeof *e);
        e->depth = xmlTextReaderDepth(s->xr);
        s->ev_node = NULL;
        s->last_node = xmlTextReaderCurrentNode(s->xr);
        s->last_depth = e->depth;
        s->last_entered = 0;
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
            e->type = type;
            e->name = xmlTextReaderConstLocalName(s->xr);
            e->ns = xmlTextReaderConstNamespaceUri(s->xr);
            e->empty = xmlTextReaderIsEmptyElement(s->xr) == 1;
            s->last_entered = !e->empty;
            return 1;
        case XML_READER_TYPE_END_ELEMENT:
            e->type = type;
            e->name = xmlTextReaderConstLocalName(s->xr);
            return 1;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            e->type = XML_READER_TYPE_TEXT;
            e->value = xmlTextReaderConstValue(s->xr);
            return 1;
        default:
            /* entity references are not expanded: their text is left out */
            continue;
        }
    }
}

/* ------------------------------------------------------------------ module */

static nc_status xml_loop(xml_state *s, nc__item *it)
{
    xev e;
    for (;;) {
        int ret = next_event(s, &e);
        if (ret == 0) {
            s->finished = 1;
            if (!s->root_seen)
                return nc__reader_fail(s->r, NC_ERR_PARSE, 0, "no XML element found");
            return NC_DONE;
        }
        if (ret < 0) {
            s->finished = 1;
            if (s->err_level) {
                nc_status st = NC_ERR_PARSE;
                if (strstr(s->err, "ncoding") || strstr(s->err, "UTF-8")) st = NC_ERR_ENCODING;
                int early = s->err_code == XML_ERR_DOCUMENT_END ||
                            s->err_code == XML_ERR_TAG_NOT_FINISHED ||
                            s->err_code == XML_ERR_DOCUMENT_EMPTY ||
                            s->err_code == XML_ERR_LTSLASH_REQUIRED ||
                            s->err_code == XML_ERR_GT_REQUIRED;
                const char *why = !s->eof || !early ? ""
                                  : s->in_item      ? " (the input ends inside an item: truncated?)"
                                                    : " (the input ends early: truncated?)";
                return nc__reader_fail(s->r, st, s->err_line, "XML error: %s%s", s->err, why);
            }
            if (nc__in_error(s->r)) return nc__reader_fail(s->r, NC_ERR_IO, 0, "read error");
            return nc__reader_fail(s->r, NC_ERR_PARSE, xmlTextReaderGetParserLineNumber(s->xr),
                                   "XML error");
        }
        switch (e.type) {
        case XML_READER_TYPE_ELEMENT: {
            nc_status st = on_start(s, &e);
            if (st == NC_ERR_NOMEM) return nc__reader_fail(s->r, st, 0, "out of memory");
            if (st != NC_OK) {
                s->finished = 1;
                return st;
            }
            if (s->in_item && s->item_empty) { /* <item/> */
                s->in_item = 0;
                continue;
            }
            break;
        }
        case XML_READER_TYPE_END_ELEMENT:
            if (s->field >= 0 && e.depth == s->field_depth) {
                s->field = -1;
            } else if (s->field >= 0 && s->field_xhtml) {
                sbuf *b = &s->s[s->field];
                if (sb_add(b, "</", 2) ||
                    sb_add(b, (const char *)e.name, strlen((const char *)e.name)) ||
                    sb_add(b, ">", 1))
                    return nc__reader_fail(s->r, NC_ERR_NOMEM, 0, "out of memory");
            }
            if (s->in_item && e.depth == s->item_depth + 1) s->container = C_NONE;
            if (s->in_item && e.depth == s->item_depth) {
                s->in_item = 0;
                if (finish_item(s, it) != NC_OK)
                    return nc__reader_fail(s->r, NC_ERR_NOMEM, 0, "out of memory");
                return NC_OK;
            }
            break;
        default: /* text */
            if (s->field >= 0 && e.value) {
                const char *v = (const char *)e.value;
                sbuf *b = &s->s[s->field];
                int rc = 0;
                if (s->field_xhtml) { /* re-escape: the field is markup */
                    for (const char *p = v; *p && rc == 0; p++) {
                        if (*p == '<')
                            rc = sb_add(b, "&lt;", 4);
                        else if (*p == '&')
                            rc = sb_add(b, "&amp;", 5);
                        else
                            rc = sb_add(b, p, 1);
                    }
                } else {
                    rc = sb_add(b, v, strlen(v));
                }
                if (rc) return nc__reader_fail(s->r, NC_ERR_NOMEM, 0, "out of memory");
            }
            break;
        }
    }
}

static nc_status xml_next(nc_reader *r, void *state, nc__item *it)
{
    (void)r;
    xml_state *s = state;
    if (s->finished) return NC_DONE;
    /* libxml2 reports a few errors (encoding conversion) through its
       thread-local generic handlers: silence them while we parse */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(s, on_error);
    nc_status st = xml_loop(s, it);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    return st;
}

static void xml_free(void *state)
{
    xml_state *s = state;
    if (!s) return;
    if (s->xr) xmlFreeTextReader(s->xr);
    if (s->doc) xmlFreeDoc(s->doc);
    for (int i = 0; i < S_COUNT; i++)
        free(s->s[i].p);
    free(s->xbuf);
    free(s->item_ns);
    free(s);
}

static const nc__module xml_module = {xml_next, xml_free};

nc_status nc__xml_open(nc_reader *r, const nc__module **mod, void **state)
{
    xml_state *s = calloc(1, sizeof *s);
    if (!s) return NC_ERR_NOMEM;
    s->r = r;
    s->feed_depth = -1;
    s->field = -1;
    size_t n;
    const unsigned char *p = nc__in_peek(r, &n);
    s->filter = choose_filter(p, n);
    /* never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: see above */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    s->xr = xmlReaderForIO(xml_read, NULL, s, NULL, NULL, opts);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    if (!s->xr) {
        xml_free(s);
        return NC_ERR_NOMEM;
    }
    xmlTextReaderSetStructuredErrorHandler(s->xr, on_error, s);
    *mod = &xml_module;
    *state = s;
    return NC_OK;
}
