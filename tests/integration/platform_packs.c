/* platform_packs.c: print the pack statements a generated schema embeds, as
 * a psql script, so that a test runs exactly the bytes the binary carries.
 *   platform_packs upserts   every row's upsert, in order, each ending ";"
 *   platform_packs orphans   every table's orphans query
 *   platform_packs prune     every table's prune statement
 *   platform_packs rows      per row: pack, table, ref, path, tab-separated
 * Linked against a schema given by MIGC_TEST_SCHEMA at compile time. */
#include <stdio.h>
#include <string.h>

#include <migc.h>

#define STR2(x) #x
#define STR(x) STR2(x)
#include STR(MIGC_TEST_SCHEMA.h)

static void statement(const char *sql, size_t len)
{
    fwrite(sql, 1, len, stdout);
    fputs(";\n", stdout);
}

int main(int argc, char **argv)
{
    const struct migc_schema *s = &MIGC_TEST_SCHEMA;
    const char *what = argc == 2 ? argv[1] : "";
    int known = !strcmp(what, "upserts") || !strcmp(what, "orphans") ||
                !strcmp(what, "prune") || !strcmp(what, "rows");
    if (!known) {
        fputs("usage: platform_packs upserts|orphans|prune|rows\n", stderr);
        return 2;
    }
    for (size_t i = 0; i < s->n_packs; i++) {
        const struct migc_pack *p = &s->packs[i];
        for (size_t j = 0; j < p->n_rows; j++) {
            const struct migc_pack_row *r = &p->rows[j];
            if (!strcmp(what, "upserts"))
                statement(r->upsert.sql, r->upsert.len);
            else if (!strcmp(what, "rows"))
                printf("%s\t%s\t%s\t%s\n", p->name, r->table, r->ref,
                       r->path);
        }
        for (size_t j = 0; j < p->n_tables; j++) {
            const struct migc_pack_table *t = &p->tables[j];
            if (!strcmp(what, "orphans"))
                statement(t->orphans, strlen(t->orphans));
            else if (!strcmp(what, "prune"))
                statement(t->prune, strlen(t->prune));
        }
    }
    return 0;
}
