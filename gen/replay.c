/* replay.c: migrations applied as the runtime applies them, from an
 * in-memory struct migc_schema built as emit.c writes one. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "retry.h"
#include "scratch.h"
#include "xalloc.h"

/* What the in-memory schema owns besides the model's bytes. */
struct built {
    struct migc_migration *migrations;
    struct migc_statement **stmts; /* one array a migration */
    size_t n;
};

static struct migc_statement *build_statements(const struct model_script *sc)
{
    struct migc_statement *out = xcalloc(sc->n_stmts + 1, sizeof *out);
    for (size_t j = 0; j < sc->n_stmts; j++) {
        const struct model_statement *s = &sc->stmts[j];
        struct retry r = {.flags = s->flags};
        retry_annotate(s->node, &r);
        out[j] = (struct migc_statement){
            /* the runtime sends sql as a C string: its own copy, ended */
            .sql = xstrndup(sc->src->bytes + s->off, s->len),
            .len = s->len,
            .line = s->line,
            .column = s->col,
            .flags = r.flags,
            .checksum = s->checksum,
            .canonical = s->canonical,
            .index = r.index,     /* freed in built_free */
            .cleanup = r.cleanup,
        };
    }
    return out;
}

static void build(struct built *b, const struct model_migration *const *list,
                  size_t n)
{
    b->n = n;
    b->migrations = xcalloc(n + 1, sizeof *b->migrations);
    b->stmts = xcalloc(n + 1, sizeof *b->stmts);
    for (size_t i = 0; i < n; i++) {
        const struct model_migration *mm = list[i];
        b->stmts[i] = build_statements(&mm->up);
        b->migrations[i] = (struct migc_migration){
            .version = mm->file->version,
            .name = mm->file->name,
            .description = mm->file->description,
            .flags = mm->flags,
            .squash_from = mm->squash_from,
            .squash_to = mm->squash_to,
            .up = {.path = mm->up.source_path,
                   .flags = mm->up.flags,
                   .checksum = mm->up.checksum,
                   .canonical = mm->up.canonical,
                   .statements = b->stmts[i],
                   .n_statements = mm->up.n_stmts},
            .down = NULL,
            .lock_timeout = mm->lock_timeout,
            .statement_timeout = mm->statement_timeout,
        };
    }
}

static void built_free(struct built *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (size_t j = 0; j < b->migrations[i].up.n_statements; j++) {
            free((char *)b->stmts[i][j].sql);
            free((char *)b->stmts[i][j].index);
            free((char *)b->stmts[i][j].cleanup);
        }
        free(b->stmts[i]);
    }
    free(b->stmts);
    free(b->migrations);
}

/* The failure as a finding at the statement's place: the runtime's
 * message less its own "path:line:col: " prefix. */
static void report(const struct migc_error *e, struct diags *d)
{
    const char *msg = e->message;
    if (e->path && e->line) {
        const char *p = strstr(msg, ": ");
        if (strncmp(msg, e->path, strlen(e->path)) == 0 && p)
            msg = p + 2;
    }
    char *text = xasprintf("the chain does not replay: %s%s%s%s%s", msg,
                           e->detail[0] ? "; DETAIL: " : "", e->detail,
                           e->hint[0] ? "; HINT: " : "", e->hint);
    diag_add(d, e->path && e->line ? e->path : NULL, e->line, e->column,
             DIAG_ERROR, DIAG_SQUASH, "%s", text);
    free(text);
}

int replay_run(struct pg_conn *conn, const struct model_migration *const *list,
               size_t n, struct diags *d)
{
    struct built b;
    build(&b, list, n);
    struct migc_schema schema = {
        .format = MIGC_FORMAT_VERSION,
        .name = "replay",
        .generator = "migc " MIGC_VERSION_STRING,
        .fingerprint = "0000000000000000000000000000000000000000000000000000000000000000",
        .migrations = b.migrations,
        .n_migrations = n,
    };
    struct migc_options opts = MIGC_OPTIONS(.ledger_schema = REPLAY_SCHEMA,
                                            .ledger_table = "ledger",
                                            .progress_ms = -1);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_migrate(conn, &schema, &opts, &rep, &err);
    if (rc != MIGC_OK)
        report(&err, d);
    char *done = scratch_query(conn, "DROP SCHEMA IF EXISTS " REPLAY_SCHEMA
                                     " CASCADE", d);
    free(done);
    built_free(&b);
    return rc == MIGC_OK && done ? 0 : -1;
}
