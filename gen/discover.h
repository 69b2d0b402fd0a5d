/* discover.h: list a migrations directory into versioned files. */
#ifndef MIGC_GEN_DISCOVER_H
#define MIGC_GEN_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct migration_file {
    char *name;        /* file name within the directory */
    char *path;        /* directory as given + "/" + name (diagnostics) */
    int64_t version;
    char *description;
};

struct migration_list {
    struct migration_file *files; /* ascending by version */
    size_t n;
};

/* List dir. Files that are not .sql are ignored; a .sql file not named
 * V_description.sql, a directory named like a migration and a version used
 * twice are reported. Returns 0 when the directory could be read (the list
 * holds every well-named file even if diagnostics were added), -1 when not. */
int discover(const char *dir, struct migration_list *out, struct diags *d);

void migration_list_free(struct migration_list *list);

#endif
