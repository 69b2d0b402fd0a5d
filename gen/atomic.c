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

FILE *atomic_open_temp(const char *path, char **tmp, struct diags *d)
{
    *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot create: %s",
                 strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot write: %s",
                 strerror(errno));
        close(fd);
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

int atomic_close_temp(FILE *f, const char *path, char **tmp, int keep,
                      struct diags *d)
{
    int failed = ferror(f);
    int saved = failed ? errno : 0;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed && keep)
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot write: %s",
                 strerror(saved ? saved : EIO));
    if (failed || !keep) {
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
        return -1;
    }
    return 0;
}

char *atomic_write_temp(const char *path, const char *data, size_t len,
                        struct diags *d)
{
    char *tmp;
    FILE *f = atomic_open_temp(path, &tmp, d);
    if (!f)
        return NULL;
    fwrite(data, 1, len, f);
    atomic_close_temp(f, path, &tmp, 1, d);
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
