/*
 * direct_out.c - an output file written past the page cache (see
 * direct_out.h).
 *
 * The clusters of a million documents are 300 MB of JSON.  Written through
 * the page cache, each byte is first copied into a page that the kernel has
 * to find and zero, and fsync then writes the pages out.  On a virtual
 * machine that hands its free memory back to the host (this one does: free
 * page reporting), a fresh page costs about 2 s a GB, so the copy, not the
 * disk, was the write stage's cost: at 1M documents, 2 threads, the stage
 * took 1.02-1.14 s into a file against 0.45-0.59 s into /dev/null, and dd
 * wrote the 304 MB in 0.22 s with O_DIRECT against 0.26-1.29 s buffered
 * with fsync.  So the bytes are gathered in one resident, aligned buffer
 * and written from it with O_DIRECT, a whole buffer at a time.
 *
 * Direct I/O wants the buffer's address, the length and the file offset
 * aligned to the device's blocks: the buffer is NC_DIRECT_ALIGN-aligned and
 * every direct write is a whole buffer, so the offset stays aligned; the
 * last, partial buffer is written after O_DIRECT is cleared (fcntl).  Where
 * the file system refuses O_DIRECT (tmpfs: EINVAL at open, or at a write),
 * or a direct write comes back short, the rest goes through the page cache.
 * The stream is a glibc cookie stream (fopencookie); elsewhere it is a plain
 * fopen() stream, synced at close.
 */
#define _GNU_SOURCE /* fopencookie, O_DIRECT */
#include "direct_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__GLIBC__) && defined(O_DIRECT)

#define NC_DIRECT_ALIGN 4096            /* the largest logical block size in use */
#define NC_DIRECT_BUF ((size_t)4 << 20) /* bytes a direct write (a multiple of the alignment) */

typedef struct direct_out {
    int fd;
    int direct; /* O_DIRECT is set on fd */
    char *buf;  /* NC_DIRECT_BUF bytes, NC_DIRECT_ALIGN-aligned */
    size_t len;
} direct_out;

/* Write all of p[0..n) to fd through the page cache.  @return 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Clear O_DIRECT on the stream's file.  @return 0 or -1. */
static int direct_off(direct_out *d)
{
    int fl = fcntl(d->fd, F_GETFL);
    if (fl < 0 || fcntl(d->fd, F_SETFL, fl & ~O_DIRECT) < 0) return -1;
    d->direct = 0;
    return 0;
}

/* Write the buffer (d->len bytes) and empty it: with one direct write when
 * O_DIRECT is on and the length is whole blocks; what is left (a partial
 * block, or everything after a refusal, or the rest of a short direct
 * write) through the page cache, O_DIRECT cleared.  @return 0 or -1. */
static int flush_buf(direct_out *d)
{
    const char *p = d->buf;
    size_t n = d->len;
    if (d->direct && n % NC_DIRECT_ALIGN == 0) {
        ssize_t w;
        do
            w = write(d->fd, p, n);
        while (w < 0 && errno == EINTR);
        if (w < 0 && errno != EINVAL) return -1;
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        }
    }
    if (n && d->direct && direct_off(d)) return -1;
    if (write_all(d->fd, p, n)) return -1;
    d->len = 0;
    return 0;
}

static ssize_t cookie_write(void *c, const char *p, size_t n)
{
    direct_out *d = c;
    size_t done = 0;
    while (done < n) {
        size_t k = NC_DIRECT_BUF - d->len < n - done ? NC_DIRECT_BUF - d->len : n - done;
        memcpy(d->buf + d->len, p + done, k);
        d->len += k;
        done += k;
        if (d->len == NC_DIRECT_BUF && flush_buf(d)) return -1;
    }
    return (ssize_t)n;
}

/* The stream's close: the partial last buffer, fsync, close.  An error is
 * kept in errno through the clean-up. */
static int cookie_close(void *c)
{
    direct_out *d = c;
    int rc = 0, err = 0;
    if ((d->len && flush_buf(d)) || fsync(d->fd)) {
        rc = -1;
        err = errno;
    }
    if (close(d->fd) && !rc) {
        rc = -1;
        err = errno;
    }
    free(d->buf);
    free(d);
    if (rc) errno = err;
    return rc;
}

/* Undo a direct_out_open() that failed: close @p fd (when open), free the
 * rest, and keep errno.  @return NULL. */
static FILE *open_failed(direct_out *d, char *buf, int fd)
{
    int err = errno;
    if (fd >= 0) close(fd);
    free(d);
    free(buf);
    errno = err;
    return NULL;
}

FILE *direct_out_open(const char *path, int direct, int *is_direct)
{
    if (is_direct) *is_direct = 0;
    direct_out *d = calloc(1, sizeof *d);
    char *buf = aligned_alloc(NC_DIRECT_ALIGN, NC_DIRECT_BUF);
    if (!d || !buf) {
        errno = ENOMEM;
        return open_failed(d, buf, -1);
    }
    int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    int fd = direct ? open(path, flags | O_DIRECT, 0666) : -1;
    if (fd < 0 && direct && errno != EINVAL) return open_failed(d, buf, -1);
    d->direct = fd >= 0; /* EINVAL: no O_DIRECT on this file system */
    if (fd < 0) fd = open(path, flags, 0666);
    if (fd < 0) return open_failed(d, buf, -1);
    d->fd = fd;
    d->buf = buf;
    cookie_io_functions_t io = {.write = cookie_write, .close = cookie_close};
    FILE *f = fopencookie(d, "w", io);
    if (!f) return open_failed(d, buf, fd);
    setvbuf(f, NULL, _IONBF, 0); /* the cookie's buffer is the only one */
    if (is_direct) *is_direct = d->direct;
    return f;
}

/* The cookie stream's close syncs the file itself. */
static int sync_plain(FILE *f)
{
    (void)f;
    return 0;
}

#else /* no cookie streams or no O_DIRECT: a plain stream, synced at close */

FILE *direct_out_open(const char *path, int direct, int *is_direct)
{
    (void)direct;
    if (is_direct) *is_direct = 0;
    return fopen(path, "wb");
}

static int sync_plain(FILE *f)
{
    return fsync(fileno(f));
}

#endif

int direct_out_close(FILE *f)
{
    int rc = fflush(f) != 0 || ferror(f) || sync_plain(f) != 0 ? -1 : 0;
    int err = errno;
    if (fclose(f) != 0 && !rc) {
        rc = -1;
        err = errno;
    }
    if (rc) errno = err;
    return rc;
}
