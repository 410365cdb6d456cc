/*
 * xxhash_inline.h - Debian's xxhash.h with XXH_INLINE_ALL (internal): the
 * same XXH3 functions, compiled into the caller instead of called through
 * the shared library's PLT.  The engine hashes tens of millions of short
 * keys (words, shingle pairs, band rows); inlined, the calls lose the
 * PLT and the library's dispatch, and a constant length (a 16-byte
 * shingle pair) compiles to XXH3's one path for it.  The values are the
 * library's own (xxHash's inline and linked builds are one code).
 */
#ifndef NC_XXHASH_INLINE_H
#define NC_XXHASH_INLINE_H

#define XXH_INLINE_ALL
#include <xxhash.h>

#endif
