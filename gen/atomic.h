/* atomic.h: write files whole or not at all (temporary file + rename). */
#ifndef MIGC_GEN_ATOMIC_H
#define MIGC_GEN_ATOMIC_H

#include <stddef.h>

#include "diag.h"

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
