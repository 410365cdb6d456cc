/*
 * html_entities.c - HTML character references without the HTML parser:
 * named ones from a table of the common HTML 4/5 names (libxml2's static
 * HTML 4 table as a fallback, a plain lookup with no parser state), decimal
 * and hex numeric ones (a ';' is optional there; C1 values are read as
 * Windows-1252, as browsers do; 0, surrogates and values above U+10FFFF give
 * U+FFFD).  Named references need their ';' ("AT&T" stays); anything that is
 * not a known reference is copied as is; decoding is done once.
 */
#include "normalize.h"
#include "normalize_priv.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

typedef struct entity {
    const char *name;
    uint32_t cp;
} entity;

/* Sorted by strcmp (bsearch). */
static const entity entities[] = {
    {"AElig", 0x00C6},  {"AMP", 0x0026},       {"Aacute", 0x00C1},
    {"Acirc", 0x00C2},  {"Agrave", 0x00C0},    {"Aring", 0x00C5},
    {"Atilde", 0x00C3}, {"Auml", 0x00C4},      {"COPY", 0x00A9},
    {"Ccaron", 0x010C}, {"Ccedil", 0x00C7},    {"Dagger", 0x2021},
    {"ETH", 0x00D0},    {"Eacute", 0x00C9},    {"Ecaron", 0x011A},
    {"Ecirc", 0x00CA},  {"Egrave", 0x00C8},    {"Euml", 0x00CB},
    {"GT", 0x003E},     {"Gbreve", 0x011E},    {"Hat", 0x005E},
    {"Iacute", 0x00CD}, {"Icirc", 0x00CE},     {"Idot", 0x0130},
    {"Igrave", 0x00CC}, {"Iuml", 0x00CF},      {"LT", 0x003C},
    {"Lstrok", 0x0141}, {"NewLine", 0x000A},   {"NonBreakingSpace", 0x00A0},
    {"Ntilde", 0x00D1}, {"OElig", 0x0152},     {"Oacute", 0x00D3},
    {"Ocirc", 0x00D4},  {"Ograve", 0x00D2},    {"Oslash", 0x00D8},
    {"Otilde", 0x00D5}, {"Ouml", 0x00D6},      {"Prime", 0x2033},
    {"QUOT", 0x0022},   {"REG", 0x00AE},       {"Rcaron", 0x0158},
    {"Scaron", 0x0160}, {"Scedil", 0x015E},    {"THORN", 0x00DE},
    {"Tab", 0x0009},    {"ThinSpace", 0x2009}, {"Uacute", 0x00DA},
    {"Ucirc", 0x00DB},  {"Ugrave", 0x00D9},    {"Uuml", 0x00DC},
    {"Yacute", 0x00DD}, {"Yuml", 0x0178},      {"Zcaron", 0x017D},
    {"aacute", 0x00E1}, {"acirc", 0x00E2},     {"acute", 0x00B4},
    {"aelig", 0x00E6},  {"agrave", 0x00E0},    {"amp", 0x0026},
    {"apos", 0x0027},   {"aring", 0x00E5},     {"ast", 0x002A},
    {"atilde", 0x00E3}, {"auml", 0x00E4},      {"bdquo", 0x201E},
    {"brvbar", 0x00A6}, {"bsol", 0x005C},      {"bull", 0x2022},
    {"bullet", 0x2022}, {"ccaron", 0x010D},    {"ccedil", 0x00E7},
    {"cedil", 0x00B8},  {"cent", 0x00A2},      {"centerdot", 0x00B7},
    {"circ", 0x02C6},   {"colon", 0x003A},     {"comma", 0x002C},
    {"commat", 0x0040}, {"copy", 0x00A9},      {"curren", 0x00A4},
    {"dagger", 0x2020}, {"darr", 0x2193},      {"dash", 0x2010},
    {"deg", 0x00B0},    {"divide", 0x00F7},    {"dollar", 0x0024},
    {"dot", 0x02D9},    {"eacute", 0x00E9},    {"ecaron", 0x011B},
    {"ecirc", 0x00EA},  {"egrave", 0x00E8},    {"emsp", 0x2003},
    {"ensp", 0x2002},   {"equals", 0x003D},    {"eth", 0x00F0},
    {"euml", 0x00EB},   {"euro", 0x20AC},      {"excl", 0x0021},
    {"fnof", 0x0192},   {"frac12", 0x00BD},    {"frac14", 0x00BC},
    {"frac34", 0x00BE}, {"frasl", 0x2044},     {"gbreve", 0x011F},
    {"grave", 0x0060},  {"gt", 0x003E},        {"hairsp", 0x200A},
    {"half", 0x00BD},   {"hellip", 0x2026},    {"horbar", 0x2015},
    {"hyphen", 0x2010}, {"iacute", 0x00ED},    {"icirc", 0x00EE},
    {"iexcl", 0x00A1},  {"igrave", 0x00EC},    {"imath", 0x0131},
    {"inodot", 0x0131}, {"iquest", 0x00BF},    {"iuml", 0x00EF},
    {"laquo", 0x00AB},  {"larr", 0x2190},      {"lcub", 0x007B},
    {"ldquo", 0x201C},  {"ldquor", 0x201E},    {"lowbar", 0x005F},
    {"lpar", 0x0028},   {"lrm", 0x200E},       {"lsaquo", 0x2039},
    {"lsqb", 0x005B},   {"lsquo", 0x2018},     {"lstrok", 0x0142},
    {"lt", 0x003C},     {"macr", 0x00AF},      {"mdash", 0x2014},
    {"micro", 0x00B5},  {"middot", 0x00B7},    {"minus", 0x2212},
    {"mldr", 0x2026},   {"nbsp", 0x00A0},      {"ndash", 0x2013},
    {"nldr", 0x2025},   {"not", 0x00AC},       {"ntilde", 0x00F1},
    {"num", 0x0023},    {"numero", 0x2116},    {"numsp", 0x2007},
    {"oacute", 0x00F3}, {"ocirc", 0x00F4},     {"oelig", 0x0153},
    {"ograve", 0x00F2}, {"oline", 0x203E},     {"ordf", 0x00AA},
    {"ordm", 0x00BA},   {"oslash", 0x00F8},    {"otilde", 0x00F5},
    {"ouml", 0x00F6},   {"para", 0x00B6},      {"percent", 0x0025},
    {"period", 0x002E}, {"permil", 0x2030},    {"plus", 0x002B},
    {"plusmn", 0x00B1}, {"pound", 0x00A3},     {"prime", 0x2032},
    {"puncsp", 0x2008}, {"quest", 0x003F},     {"quot", 0x0022},
    {"raquo", 0x00BB},  {"rarr", 0x2192},      {"rcaron", 0x0159},
    {"rcub", 0x007D},   {"rdquo", 0x201D},     {"rdquor", 0x201D},
    {"reg", 0x00AE},    {"rlm", 0x200F},       {"rpar", 0x0029},
    {"rsaquo", 0x203A}, {"rsqb", 0x005D},      {"rsquo", 0x2019},
    {"rsquor", 0x2019}, {"sbquo", 0x201A},     {"scaron", 0x0161},
    {"scedil", 0x015F}, {"sect", 0x00A7},      {"semi", 0x003B},
    {"shy", 0x00AD},    {"sol", 0x002F},       {"sup1", 0x00B9},
    {"sup2", 0x00B2},   {"sup3", 0x00B3},      {"szlig", 0x00DF},
    {"thinsp", 0x2009}, {"thorn", 0x00FE},     {"tilde", 0x02DC},
    {"times", 0x00D7},  {"trade", 0x2122},     {"uacute", 0x00FA},
    {"uarr", 0x2191},   {"ucirc", 0x00FB},     {"ugrave", 0x00F9},
    {"uml", 0x00A8},    {"uuml", 0x00FC},      {"verbar", 0x007C},
    {"vert", 0x007C},   {"yacute", 0x00FD},    {"yen", 0x00A5},
    {"yuml", 0x00FF},   {"zcaron", 0x017E},    {"zwj", 0x200D},
    {"zwnj", 0x200C},
};

static int entity_cmp(const void *key, const void *elt)
{
    return strcmp((const char *)key, ((const entity *)elt)->name);
}

/* @return the code point of named reference @p name (NUL-terminated), or 0. */
static uint32_t entity_lookup(const char *name)
{
    const entity *e = bsearch(name, entities, sizeof entities / sizeof entities[0],
                              sizeof entities[0], entity_cmp);
    if (e) return e->cp;
    const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name); /* static table */
    return d ? d->value : 0;
}

static int is_alpha(unsigned c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

static int hex_val(unsigned c)
{
    if (is_digit(c)) return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    return -1;
}

/* Decode the reference at s[0] == '&'; @return bytes consumed (0: not a
 * reference, copy the '&' literally) and the code point in *cp. */
static size_t decode_ref(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 1;
    if (i < len && p[i] == '#') {
        uint32_t v = 0;
        int hex = 0, nd = 0;
        i++;
        if (i < len && (p[i] | 0x20) == 'x') {
            hex = 1;
            i++;
        }
        for (; i < len; i++, nd++) {
            int d = hex ? hex_val(p[i]) : (is_digit(p[i]) ? p[i] - '0' : -1);
            if (d < 0) break;
            if (v <= 0x10FFFF) v = v * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (nd == 0) return 0;
        if (i < len && p[i] == ';') i++;
        if (v >= 0x80 && v <= 0x9F)
            v = nc__cp1252_char(v); /* as HTML does */
        else if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = v;
        return i;
    }
    char name[40];
    size_t n = 0;
    if (i >= len || !is_alpha(p[i])) return 0;
    while (i < len && (is_alpha(p[i]) || is_digit(p[i]))) {
        if (n + 1 >= sizeof name) return 0;
        name[n++] = (char)p[i++];
    }
    if (i >= len || p[i] != ';') return 0;
    name[n] = '\0';
    uint32_t v = entity_lookup(name);
    if (!v) return 0;
    *cp = v;
    return i + 1;
}

void nc__buf_put_decoded(nc_buf *b, const char *s, size_t len)
{
    size_t i = 0;
    if (!nc__buf_reserve(b, len)) return;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp) {
            nc__buf_put(b, s + i, len - i);
            return;
        }
        size_t k = (size_t)(amp - s);
        nc__buf_put(b, s + i, k - i);
        uint32_t cp;
        size_t n = decode_ref(amp, len - k, &cp);
        if (n) {
            nc__buf_put_cp(b, cp);
            i = k + n;
        } else {
            nc__buf_putc(b, '&');
            i = k + 1;
        }
    }
}
