/* model.c: discover -> load -> parse, into the checked migration set. */
#define _DEFAULT_SOURCE /* realpath */
#include "model.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "script.h"
#include "xalloc.h"

/* The path a binary carries for a migration: relative to source_root when
 * the directory lies under it, else as given when relative, else only the
 * directory's last component. Never absolute, so output is reproducible. */
static char *embedded_dir(const char *dir, const char *source_root)
{
    char real_dir[PATH_MAX], real_root[PATH_MAX];
    if (realpath(dir, real_dir) &&
        realpath(source_root ? source_root : ".", real_root)) {
        size_t n = strlen(real_root);
        if (strcmp(real_dir, real_root) == 0)
            return xstrdup(".");
        if (strncmp(real_dir, real_root, n) == 0 && real_dir[n] == '/')
            return xstrdup(real_dir + n + 1);
        if (strcmp(real_root, "/") == 0)
            return xstrdup(real_dir + 1);
    }
    if (dir[0] != '/') {
        while (dir[0] == '.' && dir[1] == '/')
            dir += 2;
        char *s = xstrdup(dir);
        for (size_t n = strlen(s); n > 1 && s[n - 1] == '/'; n--)
            s[n - 1] = '\0';
        return s;
    }
    const char *slash = strrchr(dir, '/');
    return xstrdup(slash && slash[1] ? slash + 1 : "migrations");
}

/* Load the migration's files and scan their directive lines. */
static void load_migration(struct model_migration *mm,
                           const struct migration_file *f, const char *emb_dir,
                           int no_down, struct diags *d)
{
    mm->file = f;
    mm->up.source_path = strcmp(emb_dir, ".") == 0
                             ? xstrdup(f->name)
                             : xasprintf("%s/%s", emb_dir, f->name);
    if (source_load(&mm->src, f->path, d) == 0) {
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
    if (f->down_name && !no_down && source_load(&mm->down_src, f->down_path, d) == 0) {
        mm->down.present = 1;
        mm->down.src = &mm->down_src;
        mm->down.off = 0;
        mm->down.end = mm->down_src.len;
        directives_scan(mm->down_src.bytes, mm->down_src.len, &mm->down_dirs);
    }
}

/* Which tool's markers a V_desc.sql file carries. */
static enum layout markers_of(const struct model_migration *mm)
{
    for (size_t i = 0; i < mm->up_dirs.n; i++)
        switch (mm->up_dirs.items[i].kind) {
        case DIRECTIVE_DBMATE_UP:
        case DIRECTIVE_DBMATE_DOWN: return LAYOUT_DBMATE;
        case DIRECTIVE_GOOSE_UP:
        case DIRECTIVE_GOOSE_DOWN: return LAYOUT_GOOSE;
        default: break;
        }
    return LAYOUT_PLAIN;
}

/* V_desc.sql files are plain, dbmate or goose migrations: the markers in
 * them decide, the same for the whole directory. */
static enum layout detect_sections(struct model *m, struct diags *d)
{
    const struct model_migration *first[LAYOUT_COUNT] = {0};
    size_t count[LAYOUT_COUNT] = {0};
    for (size_t i = 0; i < m->n; i++) {
        enum layout l = markers_of(&m->migrations[i]);
        count[l]++;
        if (!first[l])
            first[l] = &m->migrations[i];
    }
    enum layout layout = count[LAYOUT_DBMATE] >= count[LAYOUT_GOOSE]
                             ? LAYOUT_DBMATE
                             : LAYOUT_GOOSE;
    if (count[layout] == 0)
        return LAYOUT_PLAIN;
    enum layout other = layout == LAYOUT_DBMATE ? LAYOUT_GOOSE : LAYOUT_DBMATE;
    for (size_t i = 0; count[other] && i < m->n; i++) {
        struct model_migration *mm = &m->migrations[i];
        if (markers_of(mm) != other)
            continue;
        diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "mixed layouts: this file is of the %s layout but %s is of "
                 "the %s layout; a directory holds one layout (--layout "
                 "forces one)",
                 layout_id(other), first[layout]->file->path,
                 layout_id(layout));
        mm->up.src = NULL; /* not read as the other tool's file */
    }
    return layout;
}

/* One hash over every migration's identity and content: two binaries carry
 * the same schema exactly when their fingerprints are equal. */
static void fingerprint(struct model *m)
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

int model_build(const struct model_options *opts, struct model *m,
                struct diags *d)
{
    *m = (struct model){0};
    size_t errors_before = d->errors;
    if (discover(opts->dir, opts->layout, &m->files, d) != 0)
        return -1;
    m->layout = m->files.layout;
    char *emb_dir = embedded_dir(opts->dir, opts->source_root);
    m->n = m->files.n;
    m->migrations = xcalloc(m->n ? m->n : 1, sizeof *m->migrations);
    for (size_t i = 0; i < m->n; i++)
        load_migration(&m->migrations[i], &m->files.files[i], emb_dir,
                       opts->no_down, d);
    free(emb_dir);
    if (m->layout == LAYOUT_PLAIN && opts->layout == LAYOUT_AUTO)
        m->layout = detect_sections(m, d);
    for (size_t i = 0; i < m->n; i++)
        script_build(&m->migrations[i], m->layout, opts->no_down, d);
    fingerprint(m);
    return d->errors > errors_before ? -1 : 0;
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
    }
    free(m->migrations);
    migration_list_free(&m->files);
    *m = (struct model){0};
}
