/*
 * direct_out.h - an output file written past the page cache (CLI only).
 */
#ifndef NC_DIRECT_OUT_H
#define NC_DIRECT_OUT_H

#include <stdio.h>

/** Open @p path for writing (created, or truncated; mode 0666 less the
 *  umask) as a stdio stream.  With @p direct 1 its bytes go to the disk
 *  with O_DIRECT where the file system allows it (else, and with 0, through
 *  the page cache as fopen(path, "wb")'s would); the file's bytes are the
 *  same either way.  *@p is_direct (when not NULL) says whether O_DIRECT
 *  was taken.  Close it with direct_out_close() only.
 *  @return the stream, or NULL with errno set. */
FILE *direct_out_open(const char *path, int direct, int *is_direct);

/** Flush @p f (from direct_out_open()), write what is left, fsync the file
 *  and close it; the stream is gone in any case.
 *  @return 0, or -1 with errno set when any of that failed. */
int direct_out_close(FILE *f);

#endif
