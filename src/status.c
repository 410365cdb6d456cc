/*
 * status.c - names of status codes and formats, and the library version.
 */
#include "newsclust.h"

#include <string.h>

const char *nc_strerror(nc_status s)
{
    switch (s) {
    case NC_OK:
        return "ok";
    case NC_DONE:
        return "done";
    case NC_ERR_NOMEM:
        return "out of memory";
    case NC_ERR_IO:
        return "input/output error";
    case NC_ERR_PARSE:
        return "malformed input";
    case NC_ERR_ENCODING:
        return "bad text encoding";
    case NC_ERR_INVALID_ARG:
        return "invalid argument";
    case NC_ERR_FORMAT:
        return "unknown input format";
    case NC_ERR_LIMIT:
        return "input exceeds a safety limit";
    case NC_ERR_STATE:
        return "call not valid in this state";
    case NC_ERR_CORRUPT:
        return "corrupt or incompatible file";
    }
    return "unknown status";
}

const char *nc_version(void)
{
    return NC_VERSION_STRING;
}

static const char *const format_names[] = {"auto", "rss", "atom", "jsonl", "markdown", "text"};

nc_status nc_format_from_name(const char *name, nc_format *out)
{
    if (!name || !out) return NC_ERR_INVALID_ARG;
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (nc_format)i;
            return NC_OK;
        }
    }
    return NC_ERR_INVALID_ARG;
}

const char *nc_format_name(nc_format f)
{
    if ((unsigned)f < sizeof format_names / sizeof format_names[0]) return format_names[f];
    return "unknown";
}
