/* foreign_dump.c: prints the foreign identities (data format 6) of the
 * schema test_schema, built with it by foreign.sh: one line a migration
 * ("m NAME STEM SHA384 MD5 ..."), then one an original ("o ..."), tab
 * separated; checks that the arrays are NULL exactly when empty. Then,
 * when the schema carries Flyway's identities (format 7), one line each
 * ("fm NAME VERSION DESCRIPTION SCRIPT CHECKSUM", "fo ..."). */
#include <stdio.h>

#include "schema.h"

static int dump(const char *kind, const struct migc_migration *m,
                const struct migc_foreign *f, size_t n)
{
    if ((n == 0) != (f == NULL)) {
        fprintf(stderr, "foreign_dump: %s: %zu entries but array %s\n", kind,
                n, f ? "set" : "NULL");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kind, m[i].name,
               f[i].stem, f[i].sha384, f[i].md5, f[i].sha256_lf,
               f[i].sha256_crlf);
    return 0;
}

static void dump_flyway(const char *kind, const struct migc_migration *m,
                        const struct migc_flyway *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        printf("%s\t%s\t%s\t%s\t%s\t%ld\n", kind, m[i].name, f[i].version,
               f[i].description, f[i].script, (long)f[i].checksum);
}

int main(void)
{
    const struct migc_schema *s = &test_schema;
    if (s->format != MIGC_FORMAT_VERSION || s->format < 6) {
        fprintf(stderr, "foreign_dump: format %u\n", (unsigned)s->format);
        return 1;
    }
    int bad = dump("m", s->migrations, s->foreign, s->n_migrations);
    bad |= dump("o", s->originals, s->foreign_originals, s->n_originals);
    dump_flyway("fm", s->migrations, s->flyway, s->n_migrations);
    dump_flyway("fo", s->originals, s->flyway_originals, s->n_originals);
    if (s->flyway_originals && !s->flyway) {
        fprintf(stderr, "foreign_dump: flyway_originals without flyway\n");
        bad = 1;
    }
    return bad;
}
