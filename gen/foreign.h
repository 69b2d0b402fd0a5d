/* foreign.h: a migration as other tools identify it (data format 6's
 * struct migc_foreign): the name name-keyed tools record, and the
 * digests sqlx and postgrator record, for `adopt`. */
#ifndef MIGC_GEN_FOREIGN_H
#define MIGC_GEN_FOREIGN_H

#include <stddef.h>

#include "discover.h"
#include "hash.h"

struct model_foreign {
    char *stem; /* NULL until computed */
    char sha384[HASH_SHA384_HEX_LEN + 1]; /* "" when the file was unread */
    char md5[HASH_MD5_HEX_LEN + 1];
};

/* The stem of the up script `name` (its path within the directory, as
 * struct migration_file holds it) in `layout`: the folder for diesel and
 * prisma; the file name without `.up.sql` for up-down, without everything
 * from the first dot for pop; otherwise without `.sql` (postgrator keeps
 * its `.do.`: docs/generated-data.md, "Foreign identities"). Free it. */
char *foreign_stem(const char *name, enum layout layout);

/* The stem, and the digests of the up file's len bytes (bytes NULL: left
 * empty). */
void foreign_compute(struct model_foreign *f, const char *name,
                     enum layout layout, const char *bytes, size_t len);

/* Freeing a zeroed or freed one is a no-op. */
void foreign_free(struct model_foreign *f);

#endif
