/* squash_job.c: one squash run's statements (those left out, those that
 * write rows) and the rows it carries. */
#include <stdlib.h>
#include <string.h>

#include "scratch.h"
#include "squash_int.h"
#include "xalloc.h"

void squash_job_skip(struct squash_job *j, size_t mig, size_t stmt)
{
    j->skips = xgrow(j->skips, j->n_skips + 1, &j->cap_skips,
                     sizeof *j->skips);
    j->skips[j->n_skips].mig = mig;
    j->skips[j->n_skips++].stmt = stmt;
}

void squash_job_writes(struct squash_job *j, size_t mig, size_t stmt,
                       const char *table, const char *volatile_fn)
{
    j->writes = xgrow(j->writes, j->n_writes + 1, &j->cap_writes,
                      sizeof *j->writes);
    j->writes[j->n_writes++] =
        (struct squash_write){mig, stmt, xstrdup(table), volatile_fn};
}

static int skipped(const struct squash_job *j, size_t mig, size_t stmt)
{
    for (size_t k = 0; k < j->n_skips; k++)
        if (j->skips[k].mig == mig && j->skips[k].stmt == stmt)
            return 1;
    return 0;
}

struct model_migration *squash_job_list(const struct squash_job *j,
                                        const struct model *m, size_t a,
                                        size_t b,
                                        const struct model_migration **list)
{
    size_t n = b - a + 1;
    struct model_migration *copies = xcalloc(n, sizeof *copies);
    for (size_t i = a; i <= b; i++) {
        const struct model_migration *mm = &m->migrations[i];
        list[i - a] = mm;
        int any = 0;
        for (size_t k = 0; k < mm->up.n_stmts; k++)
            any |= skipped(j, i, k);
        if (!any)
            continue;
        /* a shallow copy whose statement list leaves the allowed out */
        struct model_migration *c = &copies[i - a];
        *c = *mm;
        c->up.stmts = xcalloc(mm->up.n_stmts + 1, sizeof *c->up.stmts);
        c->up.n_stmts = 0;
        for (size_t k = 0; k < mm->up.n_stmts; k++)
            if (!skipped(j, i, k))
                c->up.stmts[c->up.n_stmts++] = mm->up.stmts[k];
        list[i - a] = c;
    }
    return copies;
}

void squash_job_list_free(struct model_migration *copies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(copies[i].up.stmts);
    free(copies);
}

/* Tables with rows that the range made: "quoted\tplain" lines. Neither an
 * extension's (pg_dump carries its configuration tables itself) nor a
 * partitioned parent's (the rows are its partitions'). */
static const char rows_sql[] =
    "SELECT '\"' || replace(n.nspname, '\"', '\"\"') || '\".\"' || "
    "replace(c.relname, '\"', '\"\"') || '\"', n.nspname || '.' || c.relname "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', "
    "'information_schema', 'migc_replay') AND n.nspname NOT LIKE 'pg_toast%' "
    "AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = "
    "'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e') "
    "ORDER BY 2";

static int has_line(const char *lines, const char *s, size_t len)
{
    for (const char *p = lines; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l == len && strncmp(p, s, len) == 0)
            return 1;
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

static int pack_owned(const struct pack_set *ps, const char *quoted,
                      size_t len)
{
    /* the tables its rows go to (the pack table among them) */
    for (size_t i = 0; ps && i < ps->n; i++)
        for (size_t k = 0; k < ps->packs[i].n_rows; k++)
            if (strlen(ps->packs[i].rows[k].table) == len &&
                strncmp(ps->packs[i].rows[k].table, quoted, len) == 0)
                return 1;
    return 0;
}

/* "-t PATTERN" arguments for one table with rows, and for its sequences
 * that moved. Returns 1 when the table has rows. */
static int add_table(struct pg_conn *conn, const char *quoted,
                     char ***args, size_t *n, struct diags *d)
{
    char *sql = xasprintf("SELECT EXISTS (SELECT FROM %s)", quoted);
    char *any = scratch_query(conn, sql, d);
    free(sql);
    int rows = any && any[0] == 't';
    free(any);
    if (!rows)
        return 0;
    sql = xasprintf(
        "SELECT '\"' || replace(ps.schemaname, '\"', '\"\"') || '\".\"' || "
        "replace(ps.sequencename, '\"', '\"\"') || '\"' FROM pg_depend dp "
        "JOIN pg_class s ON s.oid = dp.objid JOIN pg_namespace sn ON "
        "sn.oid = s.relnamespace JOIN pg_sequences ps ON ps.schemaname = "
        "sn.nspname AND ps.sequencename = s.relname WHERE dp.classid = "
        "'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass AND "
        "dp.deptype IN ('a', 'i') AND s.relkind = 'S' AND dp.refobjid = "
        "'%s'::regclass AND ps.last_value IS NOT NULL ORDER BY 1",
        quoted);
    char *seqs = scratch_query(conn, sql, d);
    free(sql);
    *args = xrealloc(*args, (*n + 8) * sizeof **args);
    (*args)[(*n)++] = xasprintf("--table=%s", quoted);
    for (char *p = seqs; p && *p;) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        *args = xrealloc(*args, (*n + 8) * sizeof **args);
        (*args)[(*n)++] = xasprintf("--table=%s", p);
        p = nl + 1;
    }
    free(seqs);
    return 1;
}

/* The statements that wrote the carried table plain ("schema.table")
 * with a volatile function: their rows are carried as this replay wrote
 * them, so every database the baseline builds gets this machine's values
 * where each database the originals built got its own. A warning, not a
 * refusal: the rows are often what later migrations need (a default
 * organisation with a random id). An UPDATE that found no row leaves
 * nothing to carry. */
static void warn_volatile(const struct model *m, const struct squash_job *j,
                          const char *plain, struct diags *d)
{
    for (size_t w = 0; w < j->n_writes; w++) {
        const struct squash_write *wr = &j->writes[w];
        if (!wr->volatile_fn || strcmp(wr->table, plain) != 0)
            continue;
        const struct model_script *sc = &m->migrations[wr->mig].up;
        const struct model_statement *st = &sc->stmts[wr->stmt];
        diag_add(d, sc->src->path, st->line, st->col, DIAG_WARNING,
                 DIAG_SQUASH_DATA,
                 "rows written into %s with %s are carried as the replay "
                 "wrote them: every database the baseline builds gets these "
                 "values, and two squashes write different bytes; write them "
                 "in a pack or a later migration if each database needs its "
                 "own, or leave them out with `-- migc:allow squash-data "
                 "REASON`",
                 wr->table, wr->volatile_fn);
    }
}

/* A table the packs fill, named in the summary when the range left rows
 * in it: the packs' sync writes them, not the baseline. */
static void note_pack_table(struct pg_conn *conn, const char *quoted,
                            const char *plain, struct squash_job *j,
                            struct diags *d)
{
    char *sql = xasprintf("SELECT EXISTS (SELECT FROM %s)", quoted);
    char *any = scratch_query(conn, sql, d);
    if (any && strcmp(any, "t\n") == 0) {
        char *was = j->packs_left;
        j->packs_left = was ? xasprintf("%s, %s", was, plain) : xstrdup(plain);
        free(was);
    }
    free(any);
    free(sql);
}

int squash_read_rows(struct scratch *s, struct pg_conn *conn, const char *db,
                     const char *before, const struct model *m,
                     struct squash_job *j, struct diags *d)
{
    char *tables = scratch_query(conn, rows_sql, d);
    if (!tables)
        return SQUASH_SERVER;
    size_t n = 0;
    char **args = xcalloc(8, sizeof *args);
    args[n++] = xstrdup("--data-only");
    args[n++] = xstrdup("--inserts");
    args[n++] = xstrdup("--column-inserts");
    args[n++] = xstrdup("--no-owner");
    size_t fixed = n;
    int server_failed = 0;
    for (char *p = tables; *p;) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        char *tab = strchr(p, '\t');
        *tab = '\0';
        size_t had = d->errors;
        int made_before = has_line(before, tab + 1, strlen(tab + 1));
        if (!made_before && pack_owned(j->packs, p, strlen(p))) {
            note_pack_table(conn, p, tab + 1, j, d);
        } else if (!made_before && add_table(conn, p, &args, &n, d)) {
            j->n_carried++;
            if (d->errors == had)
                warn_volatile(m, j, tab + 1, d);
            else
                server_failed = 1;
        }
        p = nl + 1;
    }
    free(tables);
    int rc = server_failed ? SQUASH_SERVER
             : d->errors   ? SQUASH_REFUSED
                           : SQUASH_OK;
    if (rc == SQUASH_OK && n > fixed) {
        args[n] = NULL;
        char *text = scratch_dump(s, db, (const char *const *)args, d);
        if (text)
            dump_parse(text, &j->data);
        else
            rc = SQUASH_SERVER;
        free(text);
    }
    for (size_t i = 0; i < n; i++)
        free(args[i]);
    free(args);
    return rc;
}

void squash_job_free(struct squash_job *j)
{
    free(j->skips);
    for (size_t i = 0; i < j->n_writes; i++)
        free(j->writes[i].table);
    free(j->writes);
    dump_free(&j->pre);
    dump_free(&j->post);
    dump_free(&j->data);
    free(j->keep_pre);
    free(j->packs_left);
    free(j->keep_post);
    free(j->archive);
    free(j->archive_v);
    free(j->base_name);
    free(j->base_top);
    for (size_t i = 0; i < j->n_moves; i++)
        free(j->moves[i]);
    free(j->moves);
    free(j->text);
}
