/* atomic.c: write files whole or not at all (temporary file + rename). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fchmod */
#include "atomic.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* The temporary being written while the migrations are checked, removed
 * when the process is interrupted or terminated: a build stopped halfway
 * leaves no OUT.c.tmp.XXXXXX behind. */
static char guarded[PATH_MAX];
static volatile sig_atomic_t guarding;

static void remove_guarded(int sig)
{
    if (guarding)
        unlink(guarded); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void atomic_guard(const char *tmp)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    if (!tmp) {
        guarding = 0;
        return;
    }
    if (strlen(tmp) >= sizeof guarded)
        return; /* not guarded; mkstemp made it, so this cannot happen */
    strcpy(guarded, tmp);
    guarding = 1;
    struct sigaction sa = {.sa_handler = remove_guarded};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

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
