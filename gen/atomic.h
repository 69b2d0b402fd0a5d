/* atomic.h: write files whole or not at all (temporary file + rename). */
#ifndef MIGC_GEN_ATOMIC_H
#define MIGC_GEN_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* Open a new temporary file beside path (same directory, so that a rename
 * is atomic), with the permissions a new file would get, for writing.
 * *tmp receives its name. Returns NULL after reporting [io] (no temporary
 * is left then, *tmp is NULL). */
FILE *atomic_open_temp(const char *path, char **tmp, struct diags *d);

/* atomic_open_temp, for the one temporary written for long: it is removed
 * if SIGINT, SIGTERM, SIGHUP, SIGPIPE, a crash (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGABRT) or exit() (out of memory) ends the process before
 * atomic_guard(NULL), from the moment it exists. */
FILE *atomic_open_guarded(const char *path, char **tmp, struct diags *d);

/* Guard tmp instead (NULL: stop guarding). */
void atomic_guard(const char *tmp);

/* Close f, opened by atomic_open_temp. With keep, returns 0 when every
 * write succeeded (the caller renames *tmp into place and frees it), or
 * -1 after reporting [io]. Without keep (nothing is to be written after
 * all), or after a failure, the temporary is removed, *tmp freed and set
 * to NULL, and -1 returned. */
int atomic_close_temp(FILE *f, const char *path, char **tmp, int keep,
                      struct diags *d);

/* Write data to a new temporary file beside path (same directory, so that a
 * rename is atomic), with the permissions a new file would get. Returns its
 * name (free it), or NULL after reporting [io]; no temporary is left then. */
char *atomic_write_temp(const char *path, const char *data, size_t len,
                        struct diags *d);

/* Replace path with data atomically: readers see the old file or the new
 * one, never a part. Returns 0, or -1 after reporting [io] (path is then
 * untouched). */
int atomic_write_file(const char *path, const char *data, size_t len,
                      struct diags *d);

#endif
