/* atomic.c: write files whole or not at all (temporary file + rename). */
#define _XOPEN_SOURCE 700 /* mkstemp, fchmod, SA_ONSTACK */
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
 * when the process is interrupted, terminated or crashes: a build stopped
 * halfway leaves no OUT.c.tmp.XXXXXX behind. mkstemp() fills in this very
 * buffer after the handlers are in place, so that there is no moment when
 * the file exists and a signal would leave it. */
static char guarded[PATH_MAX];
static volatile sig_atomic_t guarding;

static void remove_guarded(int sig)
{
    if (guarding)
        unlink(guarded); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* exit() while guarding: out of memory (xalloc exits 2) halfway. */
static void remove_guarded_at_exit(void)
{
    if (guarding)
        unlink(guarded);
}

/* The signals that end the process, the crashes among them (run on the
 * alternate stack where a thread set one: a stack overflow leaves no room
 * on its own), and exit(). */
static void install_guard(void)
{
    static int at_exit;
    if (!at_exit)
        at_exit = atexit(remove_guarded_at_exit) == 0;
    static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP, SIGPIPE, SIGSEGV,
                               SIGBUS,  SIGFPE,  SIGILL, SIGABRT};
    struct sigaction sa = {.sa_handler = remove_guarded,
                           .sa_flags = SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

void atomic_guard(const char *tmp)
{
    if (!tmp || strlen(tmp) >= sizeof guarded) {
        guarding = 0;
        return;
    }
    install_guard();
    guarding = 0;
    strcpy(guarded, tmp);
    guarding = 1;
}

/* fd, a new temporary, as a stream with the permissions a new file would
 * get; NULL after reporting [io] and removing it. */
static FILE *temp_stream(int fd, const char *path, const char *tmp,
                         struct diags *d)
{
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot write: %s",
                 strerror(errno));
        close(fd);
        unlink(tmp);
    }
    return f;
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
    FILE *f = temp_stream(fd, path, *tmp, d);
    if (!f) {
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

FILE *atomic_open_guarded(const char *path, char **tmp, struct diags *d)
{
    *tmp = NULL;
    int n = snprintf(NULL, 0, "%s.tmp.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof guarded) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot create: %s",
                 strerror(ENAMETOOLONG));
        return NULL;
    }
    install_guard();
    guarding = 0;
    snprintf(guarded, sizeof guarded, "%s.tmp.XXXXXX", path);
    guarding = 1;
    int fd = mkstemp(guarded);
    if (fd < 0) {
        guarding = 0;
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot create: %s",
                 strerror(errno));
        return NULL;
    }
    FILE *f = temp_stream(fd, path, guarded, d);
    if (!f) {
        guarding = 0;
        return NULL;
    }
    *tmp = xstrdup(guarded);
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
