/* discover_int.h: the directory entries discover.c and discover_pop.c
 * share while they settle a directory's layout and versions. */
#ifndef MIGC_GEN_DISCOVER_INT_H
#define MIGC_GEN_DISCOVER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "discover.h"

/* One directory entry that names a migration script. */
struct entry {
    enum layout family; /* PLAIN for every V_desc.sql */
    int down;           /* a down script (V_desc.down.sql, V.undo.sql) */
    int64_t version;
    size_t version_len; /* the digits (and diesel's dashes) in name */
    char *name, *path, *description;
    char *down_name, *down_path; /* diesel's down.sql */
    unsigned flags;              /* enum migration_file_flags */
    char *flyway_version;        /* migration_file's */
};

struct entries {
    struct entry *items;
    size_t n, cap;
};

struct entry *add_entry(struct entries *es);
void entry_free(struct entry *e);

/* The pop layout (discover_pop.c): keep the scripts pop runs on
 * PostgreSQL, one per version and direction; report fizz files (one
 * error), files with Go template actions (one error) and files pop
 * ignores for a dialect it does not know (one warning). Runs before the
 * versions are parsed. */
void settle_pop(struct entries *es, const struct discover_fs *fs,
                struct diags *d);

/* pop orders versions as text; refused once where that differs from
 * migc's numeric order. list is ascending by version. */
void check_pop_order(const struct migration_list *list, struct diags *d);

/* The postgres-migrations layout (discover_pgmig.c): flags the files
 * holding the tool's disable-transaction marker. Returns LAYOUT_PGMIG, or,
 * unless the layout was forced, LAYOUT_PLAIN when a file carries dbmate's
 * or goose's markers (dbmate reads V-name.sql too; the model tells which
 * of the two). Runs before the versions are parsed. */
enum layout settle_pgmig(struct entries *es, const struct discover_fs *fs,
                         int forced);

/* The tool refuses a directory whose ids are not 1, 2, 3...: the first
 * hole, once. list is ascending by version, without duplicates. */
void check_pgmig_ids(const struct migration_list *list, struct diags *d);

/* Flyway's layout (discover_flyway.c): whether a sub-folder of dir holds
 * a Flyway name (a directory of sub-folders only). */
int flyway_below(const struct discover_fs *fs, const char *dir,
                 char *const *names, size_t n);

/* Read the Flyway entries: add those of dir's sub-folders (names: dir's
 * entries), refuse repeatable, baseline and callback scripts (one error
 * each kind), set the versions (one error for those that do not fit), read
 * each script's .sql.conf and refuse files with placeholders. The entries
 * left are versioned (V) and undo (U, down) scripts with their versions. */
void settle_flyway(struct entries *es, const struct discover_fs *fs,
                   const char *dir, char *const *names, size_t n,
                   struct diags *d);

#endif
