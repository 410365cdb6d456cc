/*
 * html_text.c - HTML fragments to plain text, and the Google News
 * related-coverage list, with libxml2's HTML parser.
 *
 * Input is first made valid UTF-8 (invalid sequences -> U+FFFD, NUL bytes
 * dropped) and parsed as UTF-8 with network access off, error reports off and
 * recovery on.  libxml2's global state is only touched once (xmlInitParser,
 * through pthread_once); each call uses its own parser context, so several
 * threads may convert at the same time.  libxml2's nesting limit (256) is
 * lifted with XML_PARSE_HUGE, since beyond it the parser drops the rest of
 * the document: libxml2 builds and frees the tree without recursion and the
 * walk here is iterative, so 10^6 nested tags cost time, not stack.
 *
 * The text: one line per block (p, div, li, br, h1-h6, tr, ...), table cells
 * separated by a space, script/style/noscript/head and other non-text
 * elements dropped, attributes (img alt) ignored, white space collapsed
 * (outside <pre>), lines trimmed, no empty lines.  Input without any tag
 * takes a fast path that never starts the parser: entities are decoded and
 * its own line breaks are kept.
 */
#include "normalize.h"
#include "normalize_priv.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- parsing */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

/* Is there anything that looks like markup: '<' followed by a letter, '/',
 * '!' or '?' */
static int has_markup(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (++p == end) break;
        unsigned char c = (unsigned char)*p;
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '/' || c == '!' || c == '?') return 1;
    }
    return 0;
}

/* Parse @p html; *doc is NULL (with NC_OK) for a document without content. */
static nc_status parse_html(const char *html, size_t len, htmlDocPtr *doc)
{
    nc_buf rep = {0};
    const char *src = html;
    size_t n = len;

    *doc = NULL;
    pthread_once(&xml_once, xml_init);
    if (memchr(html, 0, len) || !nc__utf8_valid(html, len)) {
        nc__buf_put_repaired(&rep, html, len);
        if (rep.oom) {
            free(rep.p);
            return NC_ERR_NOMEM;
        }
        src = rep.p ? rep.p : "";
        n = rep.len;
    }
    if (n > INT_MAX) {
        free(rep.p);
        return NC_ERR_LIMIT;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) {
        free(rep.p);
        return NC_ERR_NOMEM;
    }
    /* NOERROR/NOWARNING clear this context's error callbacks, so libxml2
     * reports nothing (unless the application installed its own handler). */
    *doc = htmlCtxtReadMemory(ctxt, src, (int)n, NULL, "UTF-8",
                              HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                  HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
                                  XML_PARSE_HUGE);
    int nomem = ctxt->errNo == XML_ERR_NO_MEMORY;
    htmlFreeParserCtxt(ctxt);
    free(rep.p);
    if (nomem) {
        xmlFreeDoc(*doc);
        *doc = NULL;
        return NC_ERR_NOMEM;
    }
    return NC_OK;
}

/* ---------------------------------------------------------------- elements */

enum { EL_INLINE, EL_BLOCK, EL_CELL, EL_SKIP };

typedef struct el_kind {
    const char *name;
    int kind;
} el_kind;

/* Sorted by strcmp (bsearch).  Unlisted elements are inline. */
static const el_kind elements[] = {
    {"address", EL_BLOCK},  {"article", EL_BLOCK},    {"aside", EL_BLOCK},
    {"audio", EL_SKIP},     {"blockquote", EL_BLOCK}, {"body", EL_BLOCK},
    {"br", EL_BLOCK},       {"canvas", EL_SKIP},      {"caption", EL_BLOCK},
    {"center", EL_BLOCK},   {"dd", EL_BLOCK},         {"details", EL_BLOCK},
    {"dialog", EL_BLOCK},   {"dir", EL_BLOCK},        {"div", EL_BLOCK},
    {"dl", EL_BLOCK},       {"dt", EL_BLOCK},         {"embed", EL_SKIP},
    {"fieldset", EL_BLOCK}, {"figcaption", EL_BLOCK}, {"figure", EL_BLOCK},
    {"footer", EL_BLOCK},   {"form", EL_BLOCK},       {"h1", EL_BLOCK},
    {"h2", EL_BLOCK},       {"h3", EL_BLOCK},         {"h4", EL_BLOCK},
    {"h5", EL_BLOCK},       {"h6", EL_BLOCK},         {"head", EL_SKIP},
    {"header", EL_BLOCK},   {"hgroup", EL_BLOCK},     {"hr", EL_BLOCK},
    {"html", EL_BLOCK},     {"iframe", EL_SKIP},      {"legend", EL_BLOCK},
    {"li", EL_BLOCK},       {"main", EL_BLOCK},       {"math", EL_SKIP},
    {"menu", EL_BLOCK},     {"nav", EL_BLOCK},        {"noscript", EL_SKIP},
    {"object", EL_SKIP},    {"ol", EL_BLOCK},         {"option", EL_BLOCK},
    {"p", EL_BLOCK},        {"pre", EL_BLOCK},        {"script", EL_SKIP},
    {"section", EL_BLOCK},  {"style", EL_SKIP},       {"summary", EL_BLOCK},
    {"svg", EL_SKIP},       {"table", EL_BLOCK},      {"tbody", EL_BLOCK},
    {"td", EL_CELL},        {"template", EL_SKIP},    {"tfoot", EL_BLOCK},
    {"th", EL_CELL},        {"thead", EL_BLOCK},      {"title", EL_SKIP},
    {"tr", EL_BLOCK},       {"ul", EL_BLOCK},         {"video", EL_SKIP},
};

static int el_cmp(const void *key, const void *elt)
{
    return strcmp((const char *)key, ((const el_kind *)elt)->name);
}

static int element_kind(const xmlNode *n)
{
    if (!n->name) return EL_INLINE;
    const el_kind *k = bsearch(n->name, elements, sizeof elements / sizeof elements[0],
                               sizeof elements[0], el_cmp);
    return k ? k->kind : EL_INLINE;
}

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* ---------------------------------------------------------------- text walk */

/* Append a text node; outside <pre> its line breaks are just spaces. */
static void put_text(nc_buf *b, const char *s, int pre)
{
    size_t n = strlen(s);
    if (!nc__buf_reserve(b, n)) return;
    char *d = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!pre && (c == '\n' || c == '\r' || c == '\f' || c == '\v')) c = ' ';
        d[i] = c;
    }
    b->len += n;
    b->p[b->len] = '\0';
}

/* Text of @p first, its following siblings and all their descendants, in
 * document order; block elements add '\n', table cells a space.  The walk
 * climbs back no higher than @p top (the parent of first). */
static void collect_text(nc_buf *b, xmlNodePtr first, const xmlNode *top)
{
    int pre = 0;
    xmlNodePtr cur = first;
    while (cur) {
        int descend = 0;
        if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
            if (cur->content) put_text(b, (const char *)cur->content, pre);
        } else if (cur->type == XML_ELEMENT_NODE) {
            int k = element_kind(cur);
            if (k == EL_BLOCK)
                nc__buf_putc(b, '\n');
            else if (k == EL_CELL)
                nc__buf_putc(b, ' ');
            if (k != EL_SKIP) {
                descend = cur->children != NULL;
                if (name_is(cur, "pre")) pre++;
            }
        }
        if (descend) {
            cur = cur->children;
            continue;
        }
        for (;;) { /* leave cur, then go to the next node */
            if (cur->type == XML_ELEMENT_NODE) {
                int k = element_kind(cur);
                if (k == EL_BLOCK)
                    nc__buf_putc(b, '\n');
                else if (k == EL_CELL)
                    nc__buf_putc(b, ' ');
                if (k != EL_SKIP && name_is(cur, "pre")) pre--;
            }
            if (cur->next) {
                cur = cur->next;
                break;
            }
            cur = cur->parent;
            if (!cur || cur == top) {
                cur = NULL;
                break;
            }
        }
    }
}

nc_status nc__html_to_text(const char *html, size_t len, char **out)
{
    if (!out || (!html && len)) return NC_ERR_INVALID_ARG;
    *out = NULL;
    nc_buf b = {0};

    if (!len || !has_markup(html, len)) { /* plain text: no parser */
        if (len && memchr(html, '&', len)) {
            nc_buf dec = {0};
            nc__buf_put_decoded(&dec, html, len);
            if (dec.oom) {
                free(dec.p);
                return NC_ERR_NOMEM;
            }
            nc__tidy(&b, dec.p, dec.len, NC_TIDY_LINES);
            free(dec.p);
        } else {
            nc__tidy(&b, html, len, NC_TIDY_LINES);
        }
        return nc__buf_finish(&b, out);
    }

    htmlDocPtr doc;
    nc_status st = parse_html(html, len, &doc);
    if (st != NC_OK) return st;
    nc_buf raw = {0};
    if (doc) collect_text(&raw, doc->children, (const xmlNode *)doc);
    xmlFreeDoc(doc);
    if (raw.oom) {
        free(raw.p);
        return NC_ERR_NOMEM;
    }
    nc__tidy(&b, raw.p ? raw.p : "", raw.len, NC_TIDY_LINES);
    free(raw.p);
    return nc__buf_finish(&b, out);
}

/* ---------------------------------------------------------------- Google News */

/* Next node in document order within the subtree of @p root. */
static xmlNodePtr next_in(xmlNodePtr cur, const xmlNode *root)
{
    if (cur->children && cur->type == XML_ELEMENT_NODE) return cur->children;
    while (cur && cur != root) {
        if (cur->next) return cur->next;
        cur = cur->parent;
    }
    return NULL;
}

/* First descendant element of @p root named @p name (with attribute @p attr
 * if not NULL). */
static xmlNodePtr find_desc(xmlNodePtr root, const char *name, const char *attr)
{
    for (xmlNodePtr c = root->children; c; c = next_in(c, root))
        if (name_is(c, name) && (!attr || xmlHasProp(c, (const xmlChar *)attr))) return c;
    return NULL;
}

/* Is @p list an <ol>/<ul> with at least one <li> holding an <a href>? */
static int is_related_list(xmlNodePtr list)
{
    if (!name_is(list, "ol") && !name_is(list, "ul")) return 0;
    for (xmlNodePtr li = list->children; li; li = li->next)
        if (name_is(li, "li") && find_desc(li, "a", "href")) return 1;
    return 0;
}

/* Cleaned one-line text of the nodes from @p first on (siblings + subtrees). */
static char *text_of(xmlNodePtr first, const xmlNode *top, int *oom)
{
    nc_buf raw = {0}, b = {0};
    char *s = NULL;
    collect_text(&raw, first, top);
    if (!raw.oom) nc__tidy(&b, raw.p ? raw.p : "", raw.len, 0);
    free(raw.p);
    if (raw.oom || nc__buf_finish(&b, &s) != NC_OK) {
        *oom = 1;
        return NULL;
    }
    return s;
}

static char *dup_trimmed(const char *s, int *oom)
{
    size_t n;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (!n) return NULL;
    char *d = malloc(n + 1);
    if (!d) {
        *oom = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int starts_with_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if ((*s | 0x20) != (*prefix | 0x20)) return 0;
    return 1;
}

/* Fill @p it from one <li>; @return 0 if it is not a related item. */
static int read_item(xmlNodePtr li, nc_related *it, int *oom)
{
    xmlNodePtr a = find_desc(li, "a", "href");
    memset(it, 0, sizeof *it);
    if (!a) return 0;
    it->title = text_of(a->children, a, oom);
    if (!it->title || !it->title[0] || starts_with_ci(it->title, "view full coverage")) {
        free(it->title);
        it->title = NULL;
        return 0;
    }
    xmlChar *href = xmlGetProp(a, (const xmlChar *)"href");
    if (href) {
        it->link = dup_trimmed((const char *)href, oom);
        xmlFree(href);
    }
    xmlNodePtr font = find_desc(li, "font", NULL);
    if (font) {
        it->source = text_of(font->children, font, oom);
    } else { /* plain text after the anchor: "<a>T</a>&nbsp;&nbsp;Outlet" */
        xmlNodePtr top = a;
        while (top->parent && top->parent != li)
            top = top->parent;
        if (top->next) it->source = text_of(top->next, li, oom);
        if (it->source && strlen(it->source) > 80) {
            free(it->source);
            it->source = NULL;
        }
    }
    if (it->source && !it->source[0]) {
        free(it->source);
        it->source = NULL;
    }
    return 1;
}

void nc__related_free(nc_related *items, size_t n)
{
    if (!items) return;
    for (size_t i = 0; i < n; i++) {
        free(items[i].title);
        free(items[i].source);
        free(items[i].link);
    }
    free(items);
}

static int has_list_item(const char *s, size_t len)
{
    for (const char *p = s, *end = s + len; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++)
        if (end - p >= 3 && (p[1] | 0x20) == 'l' && (p[2] | 0x20) == 'i') return 1;
    return 0;
}

nc_status nc__gnews_split(const char *html, size_t len, nc_related **items, size_t *n)
{
    if (!items || !n) return NC_ERR_INVALID_ARG;
    *items = NULL;
    *n = 0;
    if (!html && len) return NC_ERR_INVALID_ARG;
    if (!len || !has_list_item(html, len)) return NC_OK;

    htmlDocPtr doc;
    nc_status st = parse_html(html, len, &doc);
    if (st != NC_OK || !doc) return st;

    xmlNodePtr list = NULL;
    for (xmlNodePtr c = doc->children; c; c = next_in(c, (const xmlNode *)doc))
        if (is_related_list(c)) {
            list = c;
            break;
        }
    nc_related *v = NULL;
    size_t count = 0, cap = 0;
    int oom = 0;
    for (xmlNodePtr li = list ? list->children : NULL; li && !oom; li = li->next) {
        nc_related it;
        if (!name_is(li, "li")) continue;
        int ok = read_item(li, &it, &oom);
        if (oom || !ok) {
            free(it.title);
            free(it.source);
            free(it.link);
            continue;
        }
        if (count == cap) {
            size_t nc = cap ? cap * 2 : 8;
            nc_related *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                free(it.title);
                free(it.source);
                free(it.link);
                oom = 1;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[count++] = it;
    }
    xmlFreeDoc(doc);
    if (oom) {
        nc__related_free(v, count);
        return NC_ERR_NOMEM;
    }
    *items = v;
    *n = count;
    return NC_OK;
}
