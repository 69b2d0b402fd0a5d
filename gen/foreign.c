/* foreign.c: a migration's stem, SHA-384 and MD5 as other tools record
 * them (foreign.h). */
#include "foreign.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* name without suffix, or all of it when it does not end so. */
static char *without(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    if (n > s && strcmp(name + n - s, suffix) == 0)
        n -= s;
    return xstrndup(name, n);
}

char *foreign_stem(const char *name, enum layout layout)
{
    switch (layout) {
    case LAYOUT_DIESEL:
    case LAYOUT_PRISMA: {
        /* FOLDER/up.sql, FOLDER/migration.sql: the tools record FOLDER */
        const char *slash = strrchr(name, '/');
        return slash ? xstrndup(name, (size_t)(slash - name)) : xstrdup(name);
    }
    case LAYOUT_UP_DOWN:
        return without(name, ".up.sql");
    case LAYOUT_POP:
        /* V_name[.DIALECT][.autocommit].up.sql: pop's name has no dot */
        return xstrndup(name, strcspn(name, "."));
    default:
        /* plain, dbmate, goose, postgres-migrations, and postgrator, whose
         * V.do.desc.sql keeps `.do.desc`: what a tool keying on the file's
         * base name (Kysely, node-pg-migrate) recorded for it */
        return without(name, ".sql");
    }
}

void foreign_compute(struct model_foreign *f, const char *name,
                     enum layout layout, const char *bytes, size_t len)
{
    foreign_free(f);
    f->stem = foreign_stem(name, layout);
    if (bytes) {
        hash_sha384_hex(bytes, len, f->sha384);
        hash_md5_hex(bytes, len, f->md5);
    }
}

void foreign_free(struct model_foreign *f)
{
    free(f->stem);
    *f = (struct model_foreign){0};
}
