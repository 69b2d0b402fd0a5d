/* model.c: the migration set: discover, then each migration's load. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "paths.h"
#include "script.h"
#include "xalloc.h"

/* Which tool's markers a V_desc.sql file's directives carry. */
static enum layout markers_of(const struct directive_list *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        switch (dl->items[i].kind) {
        case DIRECTIVE_DBMATE_UP:
        case DIRECTIVE_DBMATE_DOWN: return LAYOUT_DBMATE;
        case DIRECTIVE_GOOSE_UP:
        case DIRECTIVE_GOOSE_DOWN: return LAYOUT_GOOSE;
        default: break;
        }
    return LAYOUT_PLAIN;
}

/* V_desc.sql files are plain, dbmate or goose migrations: the markers in
 * them decide, the same for the whole directory. Reads every file once
 * for its markers only (the files are checked when each is loaded);
 * excluded[i] is set for a file of the other tool's layout. */
static enum layout detect_sections(struct model *m, char *excluded,
                                   struct diags *d)
{
    unsigned char *kind = xcalloc(m->n ? m->n : 1, 1);
    size_t first[LAYOUT_COUNT] = {0}, count[LAYOUT_COUNT] = {0};
    for (size_t i = 0; i < m->n; i++) {
        char *bytes;
        size_t len;
        struct directive_list dl = {0};
        if (source_read_all(m->files.files[i].path, &bytes, &len) == 0) {
            directives_scan(bytes, len, &dl);
            free(bytes);
        }
        enum layout l = markers_of(&dl);
        directive_list_free(&dl);
        kind[i] = (unsigned char)l;
        if (count[l]++ == 0)
            first[l] = i;
    }
    enum layout layout = count[LAYOUT_DBMATE] >= count[LAYOUT_GOOSE]
                             ? LAYOUT_DBMATE
                             : LAYOUT_GOOSE;
    if (count[layout] == 0) {
        free(kind);
        return LAYOUT_PLAIN;
    }
    enum layout other = layout == LAYOUT_DBMATE ? LAYOUT_GOOSE : LAYOUT_DBMATE;
    for (size_t i = 0; count[other] && i < m->n; i++) {
        if (kind[i] != other)
            continue;
        diag_add(d, m->files.files[i].path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "mixed layouts: this file is of the %s layout but %s is of "
                 "the %s layout; a directory holds one layout (--layout "
                 "forces one)",
                 layout_id(other), m->files.files[first[layout]].path,
                 layout_id(layout));
        excluded[i] = 1; /* not read as the other tool's file */
    }
    free(kind);
    return layout;
}

/* dbmate applies its files in the order of their names and keeps a
 * version as text; migc orders versions as numbers. The two agree when
 * every version has one number of digits (dbmate writes 14-digit time
 * stamps); when they do not (10_b before 9_a for dbmate), migc cannot
 * follow: refused once, naming the pair. */
static void check_dbmate_order(const struct migration_list *l,
                               struct diags *d)
{
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->files[i - 1].name, l->files[i].name) > 0) {
            diag_add(d, l->files[i - 1].path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "dbmate applies %s before this migration (it orders "
                     "files by name), but its version is the larger "
                     "number; migc orders versions as numbers: give the "
                     "versions one number of digits",
                     l->files[i].path);
            return;
        }
}

/* goose runs Go migrations (V_desc.go, compiled into the program that
 * calls goose), postgres-migrations JavaScript ones (ID-name.js), in order
 * among the SQL ones. migc reads SQL only: said once, since such a
 * migration between two SQL ones changes the schema the later ones meet. */
static void report_code_migrations(size_t n, const char *example,
                                   const char *what, const char *tool,
                                   const char *order, struct diags *d)
{
    if (n == 1)
        diag_add(d, example, 0, 0, DIAG_WARNING, DIAG_LAYOUT,
                 "a %s migration: %s runs it in %s order among the SQL "
                 "migrations, but migc reads SQL only; what it does to the "
                 "schema is not seen, and migc's runtime will not run it, "
                 "so a later SQL migration meets the schema without it",
                 what, tool, order);
    else
        diag_add(d, example, 0, 0, DIAG_WARNING, DIAG_LAYOUT,
                 "%zu %s migrations (this one and %zu more): %s runs them "
                 "in %s order among the SQL migrations, but migc reads SQL "
                 "only; what they do to the schema is not seen, and migc's "
                 "runtime will not run them, so a later SQL migration meets "
                 "the schema without them",
                 n, what, n - 1, tool, order);
}

int model_open(const struct model_options *opts, struct model *m,
               struct diags *d)
{
    *m = (struct model){0};
    size_t errors_before = d->errors;
    if (discover(opts->dir, opts->layout, opts->skip, &m->files, d) != 0)
        return -1;
    m->layout = m->files.layout;
    m->n = m->files.n;
    m->migrations = xcalloc(m->n ? m->n : 1, sizeof *m->migrations);
    m->excluded = xcalloc(m->n ? m->n : 1, 1);
    m->source_dir = path_embedded(opts->dir, opts->source_root, "migrations");
    if (m->layout == LAYOUT_PLAIN && opts->layout == LAYOUT_AUTO)
        m->layout = detect_sections(m, m->excluded, d);
    if (m->layout == LAYOUT_DBMATE)
        check_dbmate_order(&m->files, d);
    if (m->layout == LAYOUT_GOOSE && m->files.n_go)
        report_code_migrations(m->files.n_go, m->files.go_example, "goose Go",
                               "goose", "version", d);
    if (m->layout == LAYOUT_PGMIG && m->files.n_js)
        report_code_migrations(m->files.n_js, m->files.js[0].path,
                               "postgres-migrations JavaScript",
                               "postgres-migrations", "id", d);
    return d->errors > errors_before ? -1 : 0;
}

void model_load(struct model *m, size_t i, int no_down, struct diags *d)
{
    struct model_migration *mm = &m->migrations[i];
    const struct migration_file *f = &m->files.files[i];
    const char *emb_dir = m->source_dir;
    mm->file = f;
    mm->up.source_path = strcmp(emb_dir, ".") == 0
                             ? xstrdup(f->name)
                             : xasprintf("%s/%s", emb_dir, f->name);
    int up_read = (m->layout == LAYOUT_FLYWAY
                       ? source_load_skip_bom(&mm->src, f->path, d)
                       : source_load(&mm->src, f->path, d)) == 0;
    /* The other tools' identities, while the whole up file is at hand
     * (model_release frees it before the emitter writes them). */
    foreign_compute(&mm->foreign, f->name, m->layout,
                    up_read ? mm->src.bytes : NULL, mm->src.len);
    if (f->flyway_version) /* Flyway's layout: data format 7 */
        foreign_flyway(&mm->foreign, f->flyway_version, f->name,
                       up_read ? mm->src.bytes : NULL, mm->src.len);
    if (up_read) {
        mm->up.present = 1;
        mm->up.src = &mm->src;
        directives_scan(mm->src.bytes, mm->src.len, &mm->up_dirs);
    }
    /* A down script of its own file; dbmate and goose find theirs in the
     * up file (script.c). */
    const char *down = f->down_name ? f->down_name : f->name;
    mm->down.source_path = strcmp(emb_dir, ".") == 0
                               ? xstrdup(down)
                               : xasprintf("%s/%s", emb_dir, down);
    if (f->down_name && !no_down &&
        (m->layout == LAYOUT_FLYWAY
             ? source_load_skip_bom(&mm->down_src, f->down_path, d)
             : source_load(&mm->down_src, f->down_path, d)) == 0) {
        mm->down.present = 1;
        mm->down.src = &mm->down_src;
        mm->down.off = mm->down_src.bom;
        mm->down.end = mm->down_src.len;
        directives_scan(mm->down_src.bytes, mm->down_src.len, &mm->down_dirs);
    }
    if (m->excluded[i])
        mm->up.src = NULL;
}

void model_parse(struct model *m, size_t i, int no_down, struct diags *d)
{
    struct model_migration *mm = &m->migrations[i];
    model_load(m, i, no_down, d);
    struct script_input in = {.file = mm->file,
                              .up_dirs = &mm->up_dirs,
                              .down_dirs = &mm->down_dirs,
                              .layout = m->layout,
                              .no_down = no_down};
    struct script_decl decl = {0};
    script_build(&in, &mm->up, &mm->down, &decl, d);
    mm->flags = decl.flags;
    mm->squash_from = decl.squash_from;
    mm->squash_to = decl.squash_to;
    mm->lock_timeout = decl.lock_timeout;
    mm->statement_timeout = decl.statement_timeout;
}

void model_release(struct model *m, size_t i)
{
    struct model_migration *mm = &m->migrations[i];
    script_release(&mm->up);
    script_release(&mm->down);
    directive_list_free(&mm->up_dirs);
    directive_list_free(&mm->down_dirs);
    source_release(&mm->src);
    source_release(&mm->down_src);
}

void model_fingerprint(struct model *m)
{
    struct hash_ctx h;
    hash_init(&h);
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        char *line = xasprintf(
            "%lld %s %s %x %s %x %x %lld %lld\n",
            (long long)mm->file->version, mm->file->name, mm->up.checksum,
            mm->up.flags, mm->down.present ? mm->down.checksum : "-",
            mm->down.flags, mm->flags, (long long)mm->squash_from,
            (long long)mm->squash_to);
        hash_update(&h, line, strlen(line));
        free(line);
    }
    hash_final_hex(&h, m->fingerprint);
}

void model_free(struct model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        struct model_migration *mm = &m->migrations[i];
        script_free(&mm->up);
        script_free(&mm->down);
        directive_list_free(&mm->up_dirs);
        directive_list_free(&mm->down_dirs);
        source_free(&mm->src);
        source_free(&mm->down_src);
        free(mm->lock_timeout);
        free(mm->statement_timeout);
        foreign_free(&mm->foreign);
    }
    for (size_t i = 0; i < m->n_archives; i++) {
        model_free(&m->archives[i].originals);
        free(m->archives[i].path);
    }
    free(m->archives);
    free(m->migrations);
    free(m->excluded);
    free(m->source_dir);
    migration_list_free(&m->files);
    *m = (struct model){0};
}
