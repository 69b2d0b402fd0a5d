/* pack_sql.c: the SQL of a pack: a growing string and SQL quoting, each
 * row's upsert keyed by ref with its checksum and canonical tokens, tables
 * in dependency order, and the queries that find and prune rows the pack's
 * files no longer hold. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"
#include "parse.h"
#include "xalloc.h"

/* ---- A growing string ---------------------------------------------------- */

void sb_addn(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void sb_add(struct sb *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

void sb_addf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(b, s);
    free(s);
}

char *sb_take(struct sb *b)
{
    char *p = b->p ? b->p : xstrdup("");
    *b = (struct sb){0};
    return p;
}

/* ---- SQL text ------------------------------------------------------------ */

void sql_ident(struct sb *b, const char *s)
{
    sb_add(b, "\"");
    for (; *s; s++)
        sb_addn(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    sb_add(b, "\"");
}

void sql_literal(struct sb *b, const char *s, size_t len)
{
    if (memchr(s, '\\', len))
        sb_add(b, "E");
    sb_add(b, "'");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            sb_add(b, "''");
        else if (s[i] == '\\')
            sb_add(b, "\\\\");
        else
            sb_addn(b, s + i, 1);
    }
    sb_add(b, "'");
}

char *pack_sql_literal(const char *s, size_t len)
{
    struct sb b = {0};
    sql_literal(&b, s, len);
    return sb_take(&b);
}

/* "schema"."name" */
char *sql_qname(const char *schema, const char *name)
{
    struct sb b = {0};
    sql_ident(&b, schema);
    sb_add(&b, ".");
    sql_ident(&b, name);
    return sb_take(&b);
}

/* ---- Upserts ------------------------------------------------------------ */

/* The upsert of one row. */
static char *upsert_sql(const struct prow *r)
{
    const struct tinfo *ti = r->ti;
    const struct cat_object *t = ti->t;
    struct sb s = {0}, set = {0}, mine = {0}, theirs = {0};
    sb_addf(&s, "INSERT INTO %s AS \"t\" (", ti->qname);
    size_t n = 0, n_set = 0;
    for (size_t i = 0; i < t->n_cols; i++)
        if (r->vals[i]) {
            sb_add(&s, n++ ? ", " : "");
            sql_ident(&s, t->cols[i].name);
        }
    sb_add(&s, ")\nVALUES (");
    n = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        if (!r->vals[i])
            continue;
        sb_addf(&s, "%s%s", n++ ? ",\n        " : "", r->vals[i]);
        if ((long)i == ti->ref_col)
            continue;
        const char *cast = ti->types[i].json ? "::jsonb" : "";
        sb_add(&set, n_set ? ",\n    " : "");
        sql_ident(&set, t->cols[i].name);
        sb_add(&set, " = EXCLUDED.");
        sql_ident(&set, t->cols[i].name);
        sb_add(&mine, n_set ? ", " : "");
        sb_add(&mine, "\"t\".");
        sql_ident(&mine, t->cols[i].name);
        sb_add(&mine, cast);
        sb_add(&theirs, n_set ? ", " : "");
        sb_add(&theirs, "EXCLUDED.");
        sql_ident(&theirs, t->cols[i].name);
        sb_add(&theirs, cast);
        n_set++;
    }
    sb_add(&s, ")\nON CONFLICT (\"ref\") ");
    if (n_set == 0)
        sb_add(&s, "DO NOTHING");
    else
        /* an unchanged row is not rewritten: its updated stays */
        sb_addf(&s, "DO UPDATE SET\n    %s\nWHERE (%s) IS DISTINCT FROM (%s)",
                set.p, mine.p, theirs.p);
    free(set.p);
    free(mine.p);
    free(theirs.p);
    return sb_take(&s);
}

/* Tables in dependency order: a table after the ones its foreign keys
 * reach (the pack table first); ties by name. Returns the order. */
static size_t *dependency_order(struct pack_build *b)
{
    size_t *order = xcalloc(b->n_tables ? b->n_tables : 1, sizeof *order);
    for (size_t k = 0; k < b->n_tables; k++)
        b->tables[k].done = 0;
    for (size_t placed = 0; placed < b->n_tables; placed++) {
        long pick = -1, fallback = -1;
        for (size_t k = 0; k < b->n_tables; k++) {
            struct ptable *pt = &b->tables[k];
            if (pt->done)
                continue;
            int ready = 1;
            for (size_t j = 0; j < pt->ti->n_fks; j++)
                for (size_t u = 0; u < b->n_tables; u++)
                    if (u != k && !b->tables[u].done &&
                        b->tables[u].ti->t == pt->ti->fks[j].target)
                        ready = 0;
            /* the pack table comes first, whatever it references */
            if (k == 0)
                ready = 1;
            const char *name = pt->ti->t->name;
            if (ready && (pick < 0 ||
                          strcmp(name, b->tables[pick].ti->t->name) < 0))
                pick = (long)k;
            if (fallback < 0 ||
                strcmp(name, b->tables[fallback].ti->t->name) < 0)
                fallback = (long)k;
            if (k == 0) {
                pick = 0;
                break;
            }
        }
        if (pick < 0)
            pick = fallback; /* a cycle: broken by name */
        b->tables[pick].done = 1;
        order[placed] = (size_t)pick;
    }
    return order;
}

static char *where_pack_rows(const struct ptable *pt, const char *pack)
{
    struct sb s = {0};
    sb_add(&s, "WHERE ");
    if (pt->ti->pack_ref_col >= 0)
        sb_add(&s, "\"pack_ref\" = ");
    else
        sb_add(&s, "split_part(\"ref\", '.', 1) = ");
    sql_literal(&s, pack, strlen(pack));
    sb_add(&s, " AND \"ref\" <> ALL (ARRAY[");
    for (size_t i = 0; i < pt->n; i++) {
        sb_add(&s, i ? ", " : "");
        sql_literal(&s, pt->rows[i].ref, strlen(pt->rows[i].ref));
    }
    sb_add(&s, "]::text[])");
    return sb_take(&s);
}

static int cmp_rel(const void *a, const void *b)
{
    return strcmp(((const struct prow *)a)->rel, ((const struct prow *)b)->rel);
}

/* The pack's output, once every file fits. */
int pack_build_output(struct pack_build *b, const char *emb_dir,
                      struct pack *out, struct diags *d)
{
    size_t *order = dependency_order(b);
    out->name = xstrdup(b->name);
    out->path = pack_join(emb_dir, b->name);
    for (size_t k = 0; k < b->n_tables; k++)
        out->n_rows += b->tables[k].n;
    out->rows = xcalloc(out->n_rows ? out->n_rows : 1, sizeof *out->rows);
    out->tables = xcalloc(b->n_tables ? b->n_tables : 1, sizeof *out->tables);
    size_t n = 0;
    int rc = 0;
    for (size_t o = 0; o < b->n_tables; o++) {
        struct ptable *pt = &b->tables[order[o]];
        if (pt->n > 1) /* a table without rows has no array */
            qsort(pt->rows, pt->n, sizeof *pt->rows, cmp_rel);
        for (size_t i = 0; i < pt->n; i++) {
            const struct prow *r = &pt->rows[i];
            struct pack_row *pr = &out->rows[n++];
            pr->path = pack_join(out->path, r->rel);
            pr->table = xstrdup(pt->ti->qname);
            pr->ref = xstrdup(r->ref);
            pr->sql = upsert_sql(r);
            pr->len = strlen(pr->sql);
            pr->line = r->line;
            pr->col = r->col;
            hash_sha256_hex(pr->sql, pr->len, pr->checksum);
            struct parse_result pres;
            if (parse_sql(pr->sql, pr->len, &pres) != 0 || pres.n_stmts != 1) {
                diag_add(d, r->shown, r->line, r->col, DIAG_ERROR,
                         DIAG_PACK_SCHEMA,
                         "internal error: the upsert migc wrote for this row "
                         "does not parse: %s",
                         pres.error ? pres.error : "not one statement");
                rc = -1;
            } else
                memcpy(pr->canonical, pres.stmts[0].canonical,
                       sizeof pr->canonical);
            parse_result_free(&pres);
        }
    }
    /* children before parents: the reverse of the insert order */
    for (size_t o = b->n_tables; o-- > 1;) {
        struct ptable *pt = &b->tables[order[o]];
        struct pack_table *t = &out->tables[out->n_tables++];
        char *where = where_pack_rows(pt, b->name);
        t->table = xstrdup(pt->ti->qname);
        t->orphans = xasprintf("SELECT \"ref\" FROM %s %s ORDER BY \"ref\"",
                               pt->ti->qname, where);
        t->prune = xasprintf("DELETE FROM %s %s", pt->ti->qname, where);
        free(where);
    }
    free(order);
    return rc;
}

