/* atomic.c: write files whole or not at all (temporary file + rename). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fchmod */
#include "atomic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

char *atomic_write_temp(const char *path, const char *data, size_t len,
                        struct diags *d)
{
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot create: %s",
                 strerror(errno));
        free(tmp);
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    int ok = fchmod(fd, 0666 & ~mask) == 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    int saved = errno;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot write: %s",
                 strerror(saved ? saved : errno));
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    return tmp;
}

int atomic_write_file(const char *path, const char *data, size_t len,
                      struct diags *d)
{
    char *tmp = atomic_write_temp(path, data, len, d);
    if (!tmp)
        return -1;
    int rc = 0;
    if (rename(tmp, path) != 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot rename: %s",
                 strerror(errno));
        unlink(tmp);
        rc = -1;
    }
    free(tmp);
    return rc;
}
