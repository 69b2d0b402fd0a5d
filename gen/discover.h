/* discover.h: list a migrations directory into migrations, by layout. */
#ifndef MIGC_GEN_DISCOVER_H
#define MIGC_GEN_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* The migration layouts of docs/layouts.md. Plain, dbmate and goose files
 * share one name shape (V_desc.sql): discover reports them as LAYOUT_PLAIN
 * and the model tells them apart by their markers. */
#define LAYOUT_MAP(X)                                                         \
    X(AUTO, "auto", "detected from the directory")                           \
    X(PLAIN, "plain", "V_desc.sql, the whole file is the up migration")      \
    X(UP_DOWN, "up-down", "V_desc.up.sql and optional V_desc.down.sql")      \
    X(DBMATE, "dbmate", "V_desc.sql with -- migrate:up / -- migrate:down")   \
    X(GOOSE, "goose", "V_desc.sql with -- +goose Up / -- +goose Down")       \
    X(DIESEL, "diesel", "folders V_desc/ with up.sql and optional down.sql") \
    X(PRISMA, "prisma", "folders V_desc/ with migration.sql")                \
    X(POSTGRATOR, "postgrator", "V.do.desc.sql and optional V.undo.desc.sql") \
    X(POP, "pop", "V_name[.postgres][.autocommit].up.sql and .down.sql")   \
    X(PGMIG, "postgres-migrations", "ID-name.sql or ID_name.sql, ids 1, 2...") \
    X(FLYWAY, "flyway", "V1.1__desc.sql, U1.1__desc.sql, in sub-folders too")

enum layout {
#define LAYOUT_X_ENUM(name, id, text) LAYOUT_##name,
    LAYOUT_MAP(LAYOUT_X_ENUM)
#undef LAYOUT_X_ENUM
    LAYOUT_COUNT
};

const char *layout_id(enum layout layout);
const char *layout_text(enum layout layout);
/* The layout named id (also the aliases "golang-migrate" and "popx"); -1
 * when none. */
int layout_from_id(const char *id, enum layout *out);

enum migration_file_flags {
    /* diesel's metadata.toml run_in_transaction = false: both directions */
    MIGRATION_FILE_NO_TRANSACTION = 1u << 0,
    /* popx's V_name.autocommit.up.sql and .down.sql: one direction each */
    MIGRATION_FILE_UP_NO_TRANSACTION = 1u << 1,
    MIGRATION_FILE_DOWN_NO_TRANSACTION = 1u << 2,
    /* Flyway's V1__x.sql.conf (U1__x.sql.conf) sets executeInTransaction:
     * the script runs as it says, mixed statements or not */
    MIGRATION_FILE_UP_TXN_DECLARED = 1u << 3,
    MIGRATION_FILE_DOWN_TXN_DECLARED = 1u << 4
};

struct migration_file {
    int64_t version;
    char *name;        /* the up script's path within the directory:
                          "001_x.sql", "001_x.up.sql", "V_x/up.sql" */
    char *description;
    char *path;        /* directory as given + "/" + name (diagnostics) */
    char *down_name;   /* the down script's file, NULL when it has none or
                          shares the up file (dbmate, goose) */
    char *down_path;
    unsigned flags;    /* enum migration_file_flags */
    char *flyway_version; /* Flyway's version text, as it displays and
                             records it (flyway_schema_history.version):
                             the name's, '_' read as '.' ("001", "1.1");
                             NULL in other layouts */
};

/* A postgres-migrations JavaScript migration (ID-name.js): not read, but
 * its id counts among the tool's. */
struct js_migration {
    int64_t version;
    char *path;
};

struct migration_list {
    enum layout layout;           /* as detected or forced; PLAIN for the
                                     V_desc.sql family; AUTO when empty */
    struct migration_file *files; /* ascending by version */
    size_t n;
    size_t n_go;      /* goose's Go migrations (V_desc.go), not read */
    char *go_example; /* the path of the first of them */
    struct js_migration *js; /* postgres-migrations' JavaScript ones */
    size_t n_js;
};

/* Whether the versions from..to are a baseline's squashed range. */
typedef int discover_gap_fn(void *ctx, int64_t from, int64_t to);

/* A gap in a plain sequence (001, 002, 004), a warning [version-gap], once
 * the migrations are read: a gap that squashed(ctx, from, to) says a
 * baseline's range covers (1..3 squashed into 1, then 4) is none. */
void discover_report_gaps(const struct migration_list *list,
                          discover_gap_fn *squashed, void *ctx,
                          struct diags *d);

/* List dir. The layout is detected from the names unless forced (not
 * LAYOUT_AUTO). Reported: names of no layout, a mix of layouts, a folder
 * named like a migration file, a version used twice, a down without its up,
 * a version too big (gaps: discover_report_gaps). skip: an entry of dir
 * left out unseen (the archive root of baselines' originals, archive.h), or
 * NULL. Returns 0 when the directory could be read (the list holds every
 * usable migration even if diagnostics were added), -1 when not. */
int discover(const char *dir, enum layout forced, const char *skip,
             struct migration_list *out, struct diags *d);

/* What discover asks of the directory, so that tests can feed it a
 * listing from memory: a folder, a regular file, anything, and a file's
 * bytes (as source_read_all: 0, or -1 with errno set). */
struct discover_fs {
    int (*is_dir)(void *ctx, const char *path);
    int (*is_file)(void *ctx, const char *path);
    int (*exists)(void *ctx, const char *path);
    int (*read_all)(void *ctx, const char *path, char **bytes, size_t *len);
    /* A folder's entries as path_list gives them (sorted, hidden ones left
     * out; free each and the array): 0, or -1. Flyway's layout reads
     * sub-folders. */
    int (*list)(void *ctx, const char *path, char ***names, size_t *n);
    void *ctx;
};

/* discover over names, the directory's entries (sorted, hidden ones left
 * out, as path_list gives them), with fs for everything else. */
void discover_names(const char *dir, char *const *names, size_t n,
                    const struct discover_fs *fs, enum layout forced,
                    struct migration_list *out, struct diags *d);

void migration_list_free(struct migration_list *list);

#endif
