/* model.c: discover -> load -> parse, into the checked migration set. */
#define _DEFAULT_SOURCE /* realpath */
#include "model.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
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

static void report_syntax(const struct source *src, const struct parse_result *r,
                          struct diags *d)
{
    unsigned line = 1, col = 1;
    if (r->error_has_pos)
        source_position(src, source_char_offset(src, r->error_char), &line,
                        &col);
    diag_add(d, src->path, line, col, DIAG_ERROR, DIAG_SYNTAX, "%s", r->error);
}

static void load_migration(struct model_migration *mm,
                           const struct migration_file *f, const char *emb_dir,
                           struct diags *d)
{
    mm->file = f;
    mm->source_path = strcmp(emb_dir, ".") == 0
                          ? xstrdup(f->name)
                          : xasprintf("%s/%s", emb_dir, f->name);
    if (source_load(&mm->src, f->path, d) != 0)
        return;
    hash_sha256_hex(mm->src.bytes, mm->src.len, mm->checksum);

    struct parse_result r;
    if (parse_sql(mm->src.bytes, mm->src.len, &r) != 0) {
        report_syntax(&mm->src, &r, d);
        parse_result_free(&r);
        return;
    }
    if (r.n_stmts == 0)
        diag_add(d, f->path, 0, 0, DIAG_ERROR, DIAG_EMPTY_MIGRATION,
                 "migration holds no SQL statement (only whitespace or "
                 "comments)");
    mm->stmts = xcalloc(r.n_stmts, sizeof *mm->stmts);
    mm->n_stmts = r.n_stmts;
    for (size_t i = 0; i < r.n_stmts; i++) {
        struct model_statement *s = &mm->stmts[i];
        s->off = r.stmts[i].off;
        s->len = r.stmts[i].len;
        source_position(&mm->src, s->off, &s->line, &s->col);
        hash_sha256_hex(mm->src.bytes + s->off, s->len, s->checksum);
        memcpy(s->canonical, r.stmts[i].canonical, sizeof s->canonical);
    }
    memcpy(mm->canonical, r.canonical, sizeof mm->canonical);
    parse_result_free(&r);
}

/* One hash over every migration's identity and content: two binaries carry
 * the same schema exactly when their fingerprints are equal. */
static void fingerprint(struct model *m)
{
    size_t cap = 256, n = 0;
    char *buf = xmalloc(cap);
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        char *line = xasprintf("%lld %s %s\n", (long long)mm->file->version,
                               mm->file->name, mm->checksum);
        size_t len = strlen(line);
        if (n + len > cap) {
            cap = (n + len) * 2;
            buf = xrealloc(buf, cap);
        }
        memcpy(buf + n, line, len);
        n += len;
        free(line);
    }
    hash_sha256_hex(buf, n, m->fingerprint);
    free(buf);
}

int model_build(const struct model_options *opts, struct model *m,
                struct diags *d)
{
    *m = (struct model){0};
    size_t errors_before = d->errors;
    if (discover(opts->dir, &m->files, d) != 0)
        return -1;
    char *emb_dir = embedded_dir(opts->dir, opts->source_root);
    m->n = m->files.n;
    m->migrations = xcalloc(m->n, sizeof *m->migrations);
    for (size_t i = 0; i < m->n; i++)
        load_migration(&m->migrations[i], &m->files.files[i], emb_dir, d);
    free(emb_dir);
    fingerprint(m);
    return d->errors > errors_before ? -1 : 0;
}

void model_free(struct model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        source_free(&m->migrations[i].src);
        free(m->migrations[i].source_path);
        free(m->migrations[i].stmts);
    }
    free(m->migrations);
    migration_list_free(&m->files);
    *m = (struct model){0};
}
