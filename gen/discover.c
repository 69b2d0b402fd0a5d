/* discover.c: list a migrations directory into migrations, by layout. */
#define _DEFAULT_SOURCE /* lstat */
#include "discover.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover_int.h"
#include "names.h"
#include "paths.h"
#include "source.h"
#include "xalloc.h"

static const struct {
    const char *id, *text;
} layouts[] = {
#define LAYOUT_X_ROW(name, id, text) {id, text},
    LAYOUT_MAP(LAYOUT_X_ROW)
#undef LAYOUT_X_ROW
};

const char *layout_id(enum layout layout) { return layouts[layout].id; }
const char *layout_text(enum layout layout) { return layouts[layout].text; }

int layout_from_id(const char *id, enum layout *out)
{
    for (int i = 0; i < LAYOUT_COUNT; i++)
        if (strcmp(id, layouts[i].id) == 0) {
            *out = (enum layout)i;
            return 0;
        }
    if (strcmp(id, "golang-migrate") == 0) {
        *out = LAYOUT_UP_DOWN;
        return 0;
    }
    if (strcmp(id, "popx") == 0) {
        *out = LAYOUT_POP;
        return 0;
    }
    return -1;
}

/* The bad names one directory error shows. */
#define BAD_NAMES_SHOWN 3

/* Files and folders discover does not read as migrations: counted, so
 * that the directory gets one error instead of one per file. */
struct foreign {
    /* folders named V_desc that hold no script migc reads (a folder of
     * migration.ts files, another runner's): one error for all of them */
    size_t n_folders;
    char *folder_example;
    /* goose's Go migrations, V_desc.go: reported by the model once it
     * knows the layout is goose's */
    size_t n_go;
    char *go_example;
    /* postgres-migrations' JavaScript migrations, ID-name.js: reported by
     * the model once it knows the layout is that tool's */
    struct js_migration *js;
    size_t n_js, cap_js;
    /* .sql files named like no migration: one error for the directory
     * when there are several (report_bad_names) */
    size_t n_bad;
    char *bad[BAD_NAMES_SHOWN];
};

static int by_version_then_name(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Parse a version: digits, and in a folder name dashes, which are dropped
 * (as diesel drops them). -1 when it does not fit in int64. */
static int parse_version(const char *text, size_t n, int64_t *out,
                         const char **problem)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '-')
            continue; /* diesel drops every dash */
        int dgt = text[i] - '0';
        if (v > (INT64_MAX - dgt) / 10) {
            *problem = "does not fit in a 64-bit integer";
            return -1;
        }
        v = v * 10 + dgt;
    }
    *out = v;
    return 0;
}

struct entry *add_entry(struct entries *es)
{
    es->items = xgrow(es->items, es->n, &es->cap, sizeof *es->items);
    struct entry *e = &es->items[es->n++];
    *e = (struct entry){0};
    return e;
}

void entry_free(struct entry *e)
{
    free(e->name);
    free(e->path);
    free(e->description);
    free(e->down_name);
    free(e->down_path);
    free(e->flyway_version);
}

/* diesel's metadata.toml: only run_in_transaction = false matters. A line
 * is "key = value", blanks allowed, '#' starts a comment. */
static unsigned read_diesel_metadata(const struct discover_fs *fs,
                                     const char *path, struct diags *d)
{
    char *bytes;
    size_t len;
    if (fs->read_all(fs->ctx, path, &bytes, &len) != 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 source_strerror(errno));
        return 0;
    }
    unsigned flags = 0;
    for (char *line = bytes; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char key[64], value[64];
        if (sscanf(line, " %63[A-Za-z_] = %63[a-z]", key, value) == 2 &&
            strcmp(key, "run_in_transaction") == 0 &&
            strcmp(value, "false") == 0)
            flags |= MIGRATION_FILE_NO_TRANSACTION;
        line = next;
    }
    free(bytes);
    return flags;
}

/* A folder V_desc: diesel (up.sql) or prisma (migration.sql). */
static void add_folder(struct entries *es, const struct discover_fs *fs,
                       const char *dir, const char *name,
                       const struct name_parts *p, struct foreign *fo,
                       struct diags *d)
{
    char *folder = xasprintf("%s/%s", dir, name);
    char *up = xasprintf("%s/up.sql", folder);
    char *prisma = xasprintf("%s/migration.sql", folder);
    enum layout family;
    const char *script;
    if (fs->is_file(fs->ctx, up)) {
        family = LAYOUT_DIESEL;
        script = "up.sql";
    } else if (fs->is_file(fs->ctx, prisma)) {
        family = LAYOUT_PRISMA;
        script = "migration.sql";
    } else if (fs->exists(fs->ctx, up) || fs->exists(fs->ctx, prisma)) {
        diag_add(d, fs->exists(fs->ctx, up) ? up : prisma, 0, 0, DIAG_ERROR,
                 DIAG_LAYOUT, "a migration script must be a regular file");
        free(folder), free(up), free(prisma);
        return;
    } else {
        if (fo->n_folders++ == 0)
            fo->folder_example = xstrdup(folder);
        free(folder), free(up), free(prisma);
        return;
    }
    struct entry *e = add_entry(es);
    e->family = family;
    e->name = xasprintf("%s/%s", name, script);
    e->path = xasprintf("%s/%s", folder, script);
    e->description = xstrndup(name + p->desc_off, p->desc_len);
    if (family == LAYOUT_DIESEL) {
        char *down = xasprintf("%s/down.sql", folder);
        if (fs->is_file(fs->ctx, down)) {
            e->down_name = xasprintf("%s/down.sql", name);
            e->down_path = down;
        } else {
            free(down);
        }
        char *meta = xasprintf("%s/metadata.toml", folder);
        if (fs->is_file(fs->ctx, meta))
            e->flags = read_diesel_metadata(fs, meta, d);
        free(meta);
    }
    free(folder), free(up), free(prisma);
}

/* prisma applies every folder of its directory and diesel reads every
 * folder holding up.sql: such a folder that migc cannot number would be
 * a migration left out without a word. */
static void check_unnamed_folder(const struct discover_fs *fs,
                                 const char *folder, struct diags *d)
{
    char *up = xasprintf("%s/up.sql", folder);
    char *prisma = xasprintf("%s/migration.sql", folder);
    int is_up = fs->exists(fs->ctx, up);
    if (is_up || fs->exists(fs->ctx, prisma))
        diag_add(d, folder, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "this folder holds %s, so %s would apply it, but its name "
                 "is not VERSION_description (VERSION: digits, and dashes "
                 "in diesel's): migc cannot tell its place; rename it",
                 is_up ? "up.sql" : "migration.sql",
                 is_up ? "diesel" : "prisma");
    free(up), free(prisma);
}

/* The folders named like migrations that hold no script migc reads: one
 * error, whatever their number (a prisma folder of 25 migration.ts
 * folders is one problem). */
static void report_scriptless_folders(const struct foreign *fo,
                                      struct diags *d)
{
    if (fo->n_folders == 1)
        diag_add(d, fo->folder_example, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "folder named like a migration holds neither up.sql "
                 "(diesel) nor migration.sql (prisma)");
    else if (fo->n_folders)
        diag_add(d, fo->folder_example, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "%zu folders named like migrations (this one and %zu "
                 "more) hold neither up.sql (diesel) nor migration.sql "
                 "(prisma): another runner's migrations (such as "
                 "migration.ts files), which migc does not read; what they "
                 "do to the schema is not seen, and migc's runtime would "
                 "not run them",
                 fo->n_folders, fo->n_folders - 1);
}

static void add_file(struct entries *es, const char *dir, const char *name,
                     enum name_kind kind, const struct name_parts *p)
{
    struct entry *e = add_entry(es);
    e->family = kind == NAME_SQL                      ? LAYOUT_PLAIN
                : kind == NAME_UP || kind == NAME_DOWN ? LAYOUT_UP_DOWN
                : kind == NAME_POPX                    ? LAYOUT_POP
                : kind == NAME_DASH                    ? LAYOUT_PGMIG
                : kind == NAME_FLYWAY                  ? LAYOUT_FLYWAY
                                                       : LAYOUT_POSTGRATOR;
    e->down = kind == NAME_DOWN || kind == NAME_UNDO;
    e->name = xstrdup(name);
    e->path = xasprintf("%s/%s", dir, name);
    e->description = xstrndup(name + p->desc_off, p->desc_len);
}

/* Whether a name shape belongs to a layout (a forced one, or the family of
 * the detected one). */
static int fits(enum layout family, enum layout layout)
{
    if (family == LAYOUT_PLAIN) /* postgres-migrations reads ID_name.sql */
        return layout == LAYOUT_PLAIN || layout == LAYOUT_DBMATE ||
               layout == LAYOUT_GOOSE || layout == LAYOUT_PGMIG;
    if (family == LAYOUT_PGMIG && layout == LAYOUT_DBMATE)
        return 1; /* dbmate reads every DIGITS....sql */
    if (family == LAYOUT_UP_DOWN && layout == LAYOUT_POP)
        return 1; /* pop reads V_name.up.sql as its dialect-less script */
    return family == layout;
}

static const char *expected_shape(enum layout layout)
{
    switch (layout) {
    case LAYOUT_PLAIN:
    case LAYOUT_DBMATE:
    case LAYOUT_GOOSE: return "VERSION_description.sql";
    case LAYOUT_UP_DOWN:
        return "VERSION_description.up.sql or VERSION_description.down.sql";
    case LAYOUT_DIESEL: return "a folder VERSION_description/ with up.sql";
    case LAYOUT_PRISMA:
        return "a folder VERSION_description/ with migration.sql";
    case LAYOUT_POSTGRATOR:
        return "VERSION.do.description.sql or VERSION.undo.description.sql";
    case LAYOUT_POP:
        return "VERSION_name[.DIALECT][.autocommit].up.sql or .down.sql";
    case LAYOUT_PGMIG: return "ID-name.sql or ID_name.sql";
    case LAYOUT_FLYWAY:
        return "V<version>__<description>.sql or U<version>__<description>"
               ".sql";
    default: return "?";
    }
}

/* The layout most entries have (the first of equals, in name order); pop
 * where a pop-only name (a dialect, .autocommit, fizz) sits among
 * V_name.up.sql files, which pop reads as its dialect-less scripts. */
static enum layout detect(const struct entries *es)
{
    size_t count[LAYOUT_COUNT] = {0};
    enum layout best = LAYOUT_AUTO;
    for (size_t i = 0; i < es->n; i++)
        count[es->items[i].family]++;
    if (count[LAYOUT_POP] &&
        count[LAYOUT_POP] + count[LAYOUT_UP_DOWN] == es->n)
        return LAYOUT_POP;
    /* ID-name.sql among ID_name.sql: postgres-migrations reads both */
    if (count[LAYOUT_PGMIG] &&
        count[LAYOUT_PGMIG] + count[LAYOUT_PLAIN] == es->n)
        return LAYOUT_PGMIG;
    for (size_t i = 0; i < es->n; i++) {
        enum layout f = es->items[i].family;
        if (best == LAYOUT_AUTO || count[f] > count[best])
            best = f;
    }
    return best;
}

/* An example of the layout for messages: an up script when there is one. */
static const struct entry *first_of(const struct entries *es,
                                    enum layout layout)
{
    const struct entry *any = NULL;
    for (size_t i = 0; i < es->n; i++)
        if (fits(es->items[i].family, layout)) {
            if (!es->items[i].down)
                return &es->items[i];
            if (!any)
                any = &es->items[i];
        }
    return any;
}

/* Keep the entries of the directory's layout; report the others. */
static void settle_layout(struct entries *es, enum layout forced,
                          enum layout *layout, struct diags *d)
{
    *layout = forced != LAYOUT_AUTO ? forced : detect(es);
    const struct entry *example = first_of(es, *layout);
    size_t kept = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        if (fits(e->family, *layout)) {
            es->items[kept++] = *e;
            continue;
        }
        if (forced != LAYOUT_AUTO)
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                     "not a migration of the %s layout (it expects %s)",
                     layout_id(*layout), expected_shape(*layout));
        else
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                     "mixed layouts: this file is of the %s layout but %s "
                     "is of the %s layout; a directory holds one layout "
                     "(--layout forces one)",
                     layout_id(e->family), example->path,
                     layout_id(example->family));
        entry_free(e);
    }
    es->n = kept;
}

/* prisma folders that share a time stamp: at most this many, numbered by
 * rank (settle_prisma). */
#define PRISMA_SAME_VERSION 100

/* diesel sorts versions as strings of digits (dashes dropped), so a short
 * one sorts before a longer one it begins: 20260527120000 before
 * 2026-05-27-120000-0000. migc's versions are numbers; a diesel version
 * becomes its digits padded with zeros to 18, times ten, plus one when it
 * has all 18 digits. That keeps diesel's order for the versions diesel
 * writes (14 digits, or 14 and a 4-digit counter) and never changes when
 * migrations are added. -1 when the digits do not fit. */
#define DIESEL_DIGITS 18

static int diesel_version(const char *text, size_t n, int64_t *out,
                          const char **problem)
{
    int64_t v = 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '-')
            continue;
        if (++digits > DIESEL_DIGITS) {
            *problem = "has more than 18 digits";
            return -1;
        }
        v = v * 10 + (text[i] - '0');
    }
    for (size_t i = digits; i < DIESEL_DIGITS; i++)
        v *= 10;
    if (v > (INT64_MAX - 1) / 10) {
        *problem = "does not fit in a 64-bit integer";
        return -1;
    }
    *out = v * 10 + (digits == DIESEL_DIGITS);
    return 0;
}

/* Versions from the names; entries whose version is unusable are dropped,
 * reported once: a directory of 20-digit versions (ory/popx writes them)
 * gets one error, not one per file. */
static void settle_versions(struct entries *es, struct diags *d)
{
    size_t kept = 0, refused = 0;
    const struct entry *first = NULL;
    const char *first_problem = NULL;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        /* the version is the name's first digits-and-dashes run */
        const char *name = e->name;
        size_t n = strspn(name, "0123456789-");
        if (e->family == LAYOUT_FLYWAY) { /* settle_flyway's */
            es->items[kept++] = *e;
            continue;
        }
        if (e->family != LAYOUT_DIESEL && e->family != LAYOUT_PRISMA)
            n = strspn(name, "0123456789");
        e->version_len = n;
        const char *problem = NULL;
        int rc = e->family == LAYOUT_DIESEL
                     ? diesel_version(name, n, &e->version, &problem)
                     : parse_version(name, n, &e->version, &problem);
        if (rc == 0 && e->family == LAYOUT_PRISMA &&
            e->version > (INT64_MAX - (PRISMA_SAME_VERSION - 1)) /
                             PRISMA_SAME_VERSION) {
            rc = -1;
            problem = "does not fit in a 64-bit integer once multiplied by "
                      "100 (prisma's versions are VERSION * 100 + rank)";
        }
        if (rc != 0) {
            if (refused++ == 0) {
                first = e;
                first_problem = problem;
                es->items[kept++] = *e; /* freed below, after the report */
            } else {
                entry_free(e);
            }
            continue;
        }
        es->items[kept++] = *e;
    }
    es->n = kept;
    if (!refused)
        return;
    size_t n = first->version_len;
    if (refused == 1)
        diag_add(d, first->path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "version %.*s %s", (int)n, first->name, first_problem);
    else
        diag_add(d, first->path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "version %.*s %s, nor %s of %zu more file%s; migc's "
                 "ledger stores a version as bigint",
                 (int)n, first->name, first_problem,
                 refused == 2 ? "does the version" : "do the versions",
                 refused - 1, refused == 2 ? "" : "s");
    /* drop the kept first one */
    size_t at = (size_t)(first - es->items);
    entry_free(&es->items[at]);
    memmove(&es->items[at], &es->items[at + 1],
            (es->n - at - 1) * sizeof *es->items);
    es->n--;
}

/* Whether prisma places folder a before folder b: the folder names
 * (name up to its '/') compared byte by byte, a prefix first. */
static int prisma_before(const struct entry *a, const struct entry *b)
{
    size_t la = strcspn(a->name, "/"), lb = strcspn(b->name, "/");
    int c = memcmp(a->name, b->name, la < lb ? la : lb);
    return c < 0 || (c == 0 && la < lb);
}

static int by_prisma_folder(const void *a, const void *b)
{
    return prisma_before(a, b) ? -1 : prisma_before(b, a) ? 1 : 0;
}

/* prisma identifies a migration by its folder name and applies them in
 * the order of the names; two folders may share a time stamp. migc's
 * versions must be distinct and ascend in that order: a folder's version
 * is its time stamp times 100 plus its rank among the folders of that
 * time stamp, in name order (20240101000000_a: 2024010100000000, then
 * 20240101000000_b: 2024010100000001). A new folder, with a later time
 * stamp, never changes an earlier folder's version. Time stamps of
 * different widths can order differently as text and as numbers
 * (10_b before 9_a for prisma): refused, once, naming the pair. */
static void settle_prisma(struct entries *es, struct diags *d)
{
    if (es->n > 1)
        qsort(es->items, es->n, sizeof *es->items, by_prisma_folder);
    int64_t rank = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i], *prev = i ? e - 1 : NULL;
        int64_t stamp = e->version;
        if (prev && stamp < prev->version / PRISMA_SAME_VERSION) {
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "prisma applies %s before this migration (it orders "
                     "folders by name), but its version is the larger "
                     "number; migc orders versions as numbers: give the "
                     "folders' versions one number of digits",
                     prev->path);
            /* Refused once; the rest of the check still sees prisma's
             * order (the folders' places), not a cascade of duplicate
             * versions and of objects used before the folder creating
             * them. No artifact is built from these versions. */
            for (size_t j = 0; j < es->n; j++)
                es->items[j].version = (int64_t)j + 1;
            return;
        }
        rank = prev && stamp == prev->version / PRISMA_SAME_VERSION
                   ? rank + 1
                   : 0;
        if (rank == PRISMA_SAME_VERSION) {
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_DUPLICATE_VERSION,
                     "more than %d prisma folders share the time stamp "
                     "%.*s; migc numbers at most %d of them",
                     PRISMA_SAME_VERSION, (int)e->version_len, e->name,
                     PRISMA_SAME_VERSION);
            return;
        }
        e->version = stamp * PRISMA_SAME_VERSION + rank;
    }
}

/* Ups become migrations; each down joins the up of its version. */
static void pair(struct entries *es, struct migration_list *out,
                 struct diags *d)
{
    enum layout layout = out->layout;
    if (es->n > 1) /* an empty folder has no array to sort */
        qsort(es->items, es->n, sizeof *es->items, by_version_then_name);
    out->files = xcalloc(es->n ? es->n : 1, sizeof *out->files);
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        if (e->down)
            continue;
        const struct migration_file *prev = out->n ? &out->files[out->n - 1]
                                                   : NULL;
        if (prev && prev->version == e->version && layout == LAYOUT_FLYWAY) {
            int spelled = strcmp(prev->flyway_version, e->flyway_version);
            if (spelled)
                diag_add(d, e->path, 0, 0, DIAG_ERROR,
                         DIAG_DUPLICATE_VERSION,
                         "Flyway version %s is also used by %s (Flyway "
                         "reads %s and %s as one version: it compares "
                         "versions part by part as numbers, a missing part "
                         "0)",
                         e->flyway_version, prev->path, prev->flyway_version,
                         e->flyway_version);
            else
                diag_add(d, e->path, 0, 0, DIAG_ERROR,
                         DIAG_DUPLICATE_VERSION,
                         "Flyway version %s is also used by %s",
                         e->flyway_version, prev->path);
            continue;
        }
        if (prev && prev->version == e->version) {
            /* 01_a and 1_b: dbmate (versions as text) reads two versions;
             * postgres-migrations reads one id and refuses the directory */
            size_t pl = strspn(prev->name, "0123456789-");
            int pgmig = layout == LAYOUT_PGMIG;
            int spelled = e->family != LAYOUT_PRISMA && !pgmig &&
                          (pl != e->version_len ||
                           memcmp(prev->name, e->name, pl) != 0);
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_DUPLICATE_VERSION,
                     "version %lld is also used by %s%s",
                     (long long)e->version, prev->path,
                     spelled ? " (migc reads versions as numbers, so two "
                               "spellings of one number are one version)"
                     : pgmig ? " (postgres-migrations refuses two files of "
                               "one id)"
                             : "");
            continue;
        }
        out->files[out->n++] = (struct migration_file){
            .version = e->version,
            .name = e->name,
            .description = e->description,
            .path = e->path,
            .down_name = e->down_name,
            .down_path = e->down_path,
            .flags = e->flags,
            .flyway_version = e->flyway_version,
        };
        *e = (struct entry){.down = 1, .version = e->version};
    }
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        if (!e->name)
            continue; /* moved into out */
        struct migration_file *up = NULL;
        for (size_t k = 0; k < out->n && !up; k++)
            if (out->files[k].version == e->version)
                up = &out->files[k];
        if (!up && layout == LAYOUT_FLYWAY)
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                     "undo migration %s has no versioned migration "
                     "(V%s__...)",
                     e->flyway_version, e->flyway_version);
        else if (!up)
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                     "down migration %lld has no up migration",
                     (long long)e->version);
        else if (!e->down)
            ; /* a duplicate up, reported above */
        else if (up->down_name && layout == LAYOUT_FLYWAY)
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_DUPLICATE_VERSION,
                     "a second undo migration for Flyway version %s (the "
                     "first is %s)",
                     e->flyway_version, up->down_path);
        else if (up->down_name)
            diag_add(d, e->path, 0, 0, DIAG_ERROR, DIAG_DUPLICATE_VERSION,
                     "a second down migration for version %lld (the first "
                     "is %s)",
                     (long long)e->version, up->down_path);
        else {
            up->down_name = e->name;
            up->down_path = e->path;
            up->flags |= e->flags; /* pop's .autocommit.down.sql */
            e->name = e->path = NULL;
        }
        entry_free(e);
    }
}

/* Versions below 10^7 are a sequence (001, 002...), not time stamps
 * (YYYYMMDD... or seconds since 1970): a hole in one is worth a look. */
#define SEQUENCE_LIMIT 10000000

void discover_report_gaps(const struct migration_list *list,
                          discover_gap_fn *squashed, void *ctx,
                          struct diags *d)
{
    if (list->layout == LAYOUT_PRISMA)
        return; /* time stamps times 100 (settle_prisma), never a sequence */
    if (list->layout == LAYOUT_PGMIG)
        return; /* a hole is an error there (check_pgmig_ids) */
    if (list->layout == LAYOUT_FLYWAY)
        return; /* MAJOR*10^4 + MINOR*100 + PATCH: never a sequence */
    if (list->n_go)
        return; /* goose's Go migrations may fill the holes */
    for (size_t i = 0; i < list->n; i++)
        if (list->files[i].version >= SEQUENCE_LIMIT)
            return;
    for (size_t i = 1; i < list->n; i++) {
        int64_t a = list->files[i - 1].version, b = list->files[i].version;
        if (b <= a + 1 || (squashed && squashed(ctx, a + 1, b - 1)))
            continue;
        if (b == a + 2)
            diag_add(d, list->files[i].path, 0, 0, DIAG_WARNING,
                     DIAG_VERSION_GAP,
                     "version %lld is missing from the sequence (%s is "
                     "followed by %lld)",
                     (long long)(a + 1), list->files[i - 1].name,
                     (long long)b);
        else
            diag_add(d, list->files[i].path, 0, 0, DIAG_WARNING,
                     DIAG_VERSION_GAP,
                     "versions %lld to %lld are missing from the sequence "
                     "(%s is followed by %lld)",
                     (long long)(a + 1), (long long)(b - 1),
                     list->files[i - 1].name, (long long)b);
    }
}

/* goose's Go migration: V_desc.go, its tests (_test.go) aside. */
static int is_go_migration(const char *name)
{
    size_t v = strspn(name, "0123456789"), n = strlen(name);
    return v > 0 && name[v] == '_' && n > v + 4 &&
           strcmp(name + n - 3, ".go") == 0 &&
           !(n >= 8 && strcmp(name + n - 8, "_test.go") == 0);
}

/* postgres-migrations' JavaScript migration: ID-name.js or ID_name.js (an
 * id of at most 18 digits: one the tool could hold). */
static int is_js_migration(const char *name)
{
    size_t v = strspn(name, "0123456789"), n = strlen(name);
    return v > 0 && v <= 18 && (name[v] == '-' || name[v] == '_') &&
           n > v + 4 &&
           strcmp(name + n - 3, ".js") == 0;
}

static int js_by_version(const void *a, const void *b)
{
    const struct js_migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* Whether a folder holds a diesel or prisma script. */
static int holds_script(const struct discover_fs *fs, const char *folder)
{
    char *up = xasprintf("%s/up.sql", folder);
    char *prisma = xasprintf("%s/migration.sql", folder);
    int holds = fs->exists(fs->ctx, up) || fs->exists(fs->ctx, prisma);
    free(up), free(prisma);
    return holds;
}

static void scan_entries(const struct discover_fs *fs, const char *dir,
                         char *const *names, size_t n_names,
                         struct entries *es, struct foreign *fo,
                         struct diags *d)
{
    for (size_t i = 0; i < n_names; i++) {
        const char *name = names[i];
        struct name_parts parts;
        enum name_kind kind = name_classify(name, &parts);
        char *path = xasprintf("%s/%s", dir, name);
        int folder = fs->is_dir(fs->ctx, path);
        /* The name is recorded in the ledger as text, which a UTF-8
         * database refuses when it is not UTF-8: at every deploy, naming
         * no file. Refused here instead. */
        if ((folder || kind != NAME_OTHER) && !utf8_valid(name)) {
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_ENCODING,
                     "the name is not valid UTF-8: the ledger records it as "
                     "text, which a UTF-8 database refuses; rename it");
            free(path);
            continue;
        }
        if (!folder && kind == NAME_OTHER && is_go_migration(name)) {
            if (fo->n_go++ == 0)
                fo->go_example = xstrdup(path);
        } else if (!folder && kind == NAME_OTHER && is_js_migration(name)) {
            fo->js = xgrow(fo->js, fo->n_js, &fo->cap_js, sizeof *fo->js);
            fo->js[fo->n_js++] = (struct js_migration){
                strtoll(name, NULL, 10), xstrdup(path)};
        } else if (folder) {
            /* prisma and diesel apply a folder by what it holds, whatever
             * its name ends with (a folder V_desc.sql holding
             * migration.sql is a prisma migration). */
            if (kind != NAME_OTHER && !holds_script(fs, path))
                diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                         "a directory is named like a migration file");
            else if (name_classify_dir(name, &parts) == NAME_DIR)
                add_folder(es, fs, dir, name, &parts, fo, d);
            else
                check_unnamed_folder(fs, path, d);
        } else if (kind == NAME_BAD) {
            if (fo->n_bad < BAD_NAMES_SHOWN)
                fo->bad[fo->n_bad] = xstrdup(path);
            fo->n_bad++;
        } else if (kind != NAME_OTHER) {
            add_file(es, dir, name, kind, &parts);
        }
        free(path);
    }
}

/* .sql files of no migration name: an error for one; for several, one
 * error for the directory naming how many and the first few (a directory
 * of another tool's names is one problem, not one per file). */
static void report_bad_names(const char *dir, struct foreign *fo,
                             enum layout layout, struct diags *d)
{
    const char *expected =
        layout == LAYOUT_FLYWAY
            ? "V<version>__<description>.sql (Flyway's; version: digits "
              "with '.' or '_' between parts)"
            : "VERSION_description.sql, VERSION_description.up.sql or "
              ".down.sql, or VERSION.do.description.sql (VERSION: digits)";
    size_t shown = fo->n_bad < BAD_NAMES_SHOWN ? fo->n_bad : BAD_NAMES_SHOWN;
    if (fo->n_bad == 1)
        diag_add(d, fo->bad[0], 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "not a migration file name: expected %s", expected);
    else if (fo->n_bad) {
        char list[512] = "";
        for (size_t i = 0; i < shown; i++) {
            const char *base = strrchr(fo->bad[i], '/');
            size_t at = strlen(list);
            snprintf(list + at, sizeof list - at, "%s%s",
                     i == 0 ? "" : ", ", base ? base + 1 : fo->bad[i]);
        }
        diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "%zu .sql files are not migration file names (%s%s): "
                 "expected %s; this directory may be another tool's layout, "
                 "which migc does not read",
                 fo->n_bad, list, fo->n_bad > shown ? ", ..." : "",
                 expected);
    }
    for (size_t i = 0; i < shown; i++)
        free(fo->bad[i]);
}

/* The file system as discover sees it. */
static int real_is_dir(void *ctx, const char *path)
{
    (void)ctx;
    return path_is_dir(path);
}

static int real_is_file(void *ctx, const char *path)
{
    (void)ctx;
    return path_is_file(path);
}

static int real_exists(void *ctx, const char *path)
{
    (void)ctx;
    return access(path, F_OK) == 0;
}

static int real_read_all(void *ctx, const char *path, char **bytes,
                         size_t *len)
{
    (void)ctx;
    return source_read_all(path, bytes, len);
}

static int real_list(void *ctx, const char *path, char ***names, size_t *n)
{
    (void)ctx;
    struct path_names l;
    if (path_list(path, &l) != 0)
        return -1;
    *names = l.items;
    *n = l.n;
    return 0;
}

void discover_names(const char *dir, char *const *names, size_t n,
                    const struct discover_fs *fs, enum layout forced,
                    struct migration_list *out, struct diags *d)
{
    *out = (struct migration_list){.layout = forced};
    struct entries es = {0};
    struct foreign fo = {0};
    scan_entries(fs, dir, names, n, &es, &fo, d);
    out->n_go = fo.n_go;
    out->go_example = fo.go_example;
    if (fo.n_js) /* qsort() wants an array, even of none */
        qsort(fo.js, fo.n_js, sizeof *fo.js, js_by_version);
    out->js = fo.js;
    out->n_js = fo.n_js;
    settle_layout(&es, forced, &out->layout, d);
    /* Flyway reads sub-folders: a directory of them only is Flyway's */
    if (out->layout == LAYOUT_AUTO && es.n == 0 && fs->list &&
        flyway_below(fs, dir, names, n))
        out->layout = LAYOUT_FLYWAY;
    report_bad_names(dir, &fo, out->layout, d);
    if (out->layout == LAYOUT_FLYWAY)
        settle_flyway(&es, fs, dir, names, n, d); /* folders are read */
    else
        report_scriptless_folders(&fo, d);
    free(fo.folder_example);
    if (out->layout == LAYOUT_POP)
        settle_pop(&es, fs, d);
    if (out->layout == LAYOUT_PGMIG)
        out->layout = settle_pgmig(&es, fs, forced != LAYOUT_AUTO);
    settle_versions(&es, d);
    if (out->layout == LAYOUT_PRISMA)
        settle_prisma(&es, d);
    pair(&es, out, d);
    free(es.items);
    if (out->layout == LAYOUT_POP)
        check_pop_order(out, d);
    if (out->layout == LAYOUT_PGMIG)
        check_pgmig_ids(out, d);
}

int discover(const char *dir_arg, enum layout forced, const char *skip,
             struct migration_list *out, struct diags *d)
{
    static const struct discover_fs real = {
        real_is_dir, real_is_file, real_exists, real_read_all, real_list,
        NULL};
    *out = (struct migration_list){.layout = forced};
    /* "migrations/" names its files migrations/x.sql, not migrations//x.sql */
    char *dir = xstrdup(dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    struct path_names names;
    if (path_list(dir, &names) != 0) {
        diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot read migrations directory: %s", strerror(errno));
        free(dir);
        return -1;
    }
    size_t kept = 0; /* the archive root is no migration of dir */
    for (size_t i = 0; i < names.n; i++)
        if (skip && strcmp(names.items[i], skip) == 0)
            free(names.items[i]);
        else
            names.items[kept++] = names.items[i];
    names.n = kept;
    discover_names(dir, names.items, names.n, &real, forced, out, d);
    path_names_free(&names);
    free(dir);
    return 0;
}

void migration_list_free(struct migration_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        struct migration_file *f = &list->files[i];
        free(f->name);
        free(f->path);
        free(f->description);
        free(f->down_name);
        free(f->down_path);
        free(f->flyway_version);
    }
    free(list->files);
    free(list->go_example);
    for (size_t i = 0; i < list->n_js; i++)
        free(list->js[i].path);
    free(list->js);
    *list = (struct migration_list){0};
}
