/*
 * prefetch.h - NC_PREFETCH(p): ask the cache for the line at p ahead of its
 * use (internal).  Only a hint: no fault on any address, nothing on compilers
 * without the builtin.  The engine's loops over pairs and neighbour lists
 * read records at random places in memory; asking a few iterations ahead
 * overlaps those misses instead of adding them up.
 */
#ifndef NC_PREFETCH_H
#define NC_PREFETCH_H

#if defined(__GNUC__) || defined(__clang__)
#define NC_PREFETCH(p) __builtin_prefetch(p)
#else
#define NC_PREFETCH(p) ((void)0)
#endif

#endif
