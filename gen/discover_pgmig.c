/* discover_pgmig.c: read a postgres-migrations (npm) directory as that
 * tool does: ID-name.sql files, ids 1, 2, 3... without a hole. */
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "discover_int.h"
#include "xalloc.h"

/* The tool runs a file without a transaction when its text holds this,
 * anywhere (run-migration.ts: migration.sql.includes(...)). */
static const char disable_transaction[] =
    "-- postgres-migrations disable-transaction";

static int holds(const char *bytes, size_t len, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= len; i++)
        if (bytes[i] == text[0] && memcmp(bytes + i, text, n) == 0)
            return 1;
    return 0;
}

/* dbmate's or goose's section markers: dbmate reads V-name.sql too. */
static int has_sections(const char *bytes, size_t len)
{
    struct directive_list dl = {0};
    int found = 0;
    directives_scan(bytes, len, &dl);
    for (size_t i = 0; i < dl.n && !found; i++)
        found = dl.items[i].kind == DIRECTIVE_DBMATE_UP ||
                dl.items[i].kind == DIRECTIVE_DBMATE_DOWN ||
                dl.items[i].kind == DIRECTIVE_GOOSE_UP ||
                dl.items[i].kind == DIRECTIVE_GOOSE_DOWN;
    directive_list_free(&dl);
    return found;
}

enum layout settle_pgmig(struct entries *es, const struct discover_fs *fs,
                         int forced)
{
    unsigned char *marked = xcalloc(es->n ? es->n : 1, 1);
    for (size_t i = 0; i < es->n; i++) {
        char *bytes;
        size_t len;
        if (fs->read_all(fs->ctx, es->items[i].path, &bytes, &len) != 0)
            continue; /* reported when the model loads it */
        if (!forced && has_sections(bytes, len)) {
            /* a dbmate (or goose) directory: the model tells which */
            free(bytes);
            free(marked);
            return LAYOUT_PLAIN;
        }
        marked[i] = (unsigned char)holds(bytes, len, disable_transaction);
        free(bytes);
    }
    for (size_t i = 0; i < es->n; i++)
        if (marked[i])
            es->items[i].flags |= MIGRATION_FILE_UP_NO_TRANSACTION;
    free(marked);
    return LAYOUT_PGMIG;
}

/* The tool loads its own migration 0 (the migrations table) with the
 * directory's files, sorts them by id and refuses the whole directory
 * unless each id equals its index (validation.ts): the ids are 1, 2,
 * 3..., its JavaScript migrations' ids among them. A duplicate SQL id is
 * reported by pair(); here the first hole (or an id a .js file shares). */
void check_pgmig_ids(const struct migration_list *l, struct diags *d)
{
    /* the SQL files and the JavaScript ones, both in ascending order */
    size_t i = 0, j = 0;
    for (int64_t want = 1; i < l->n || j < l->n_js; want++) {
        int sql = j == l->n_js ||
                  (i < l->n && l->files[i].version <= l->js[j].version);
        int64_t got = sql ? l->files[i].version : l->js[j].version;
        const char *path = sql ? l->files[i].path : l->js[j].path;
        if (got != want) {
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "postgres-migrations refuses this directory: its ids "
                     "must be 1, 2, 3... without a hole (0 is the tool's "
                     "own), but this file's id is %lld where %lld is "
                     "expected; renumber the files",
                     (long long)got, (long long)want);
            return;
        }
        if (sql)
            i++;
        else
            j++;
    }
}
