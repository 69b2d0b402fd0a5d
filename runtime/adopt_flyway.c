/* adopt_flyway.c: Flyway's ledger flyway_schema_history read for `adopt`
 * (docs/adopting.md, "Flyway"). Flyway writes one row an event (applied,
 * undone, deleted by `flyway repair`, a baseline, the schema's creation)
 * in installed_rank order; this folds them into the adopt rows adopt.c
 * maps: one a version Flyway last applied, one for its baseline, one a
 * repeatable script. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adopt.h"

/* Part i of a version ("1.02_3": "1", "02", "3"), without leading zeros. */
static const char *part(const char *v, size_t i, size_t *len)
{
    const char *p = v;
    for (size_t k = 0; k < i; k++) {
        p += strcspn(p, "._");
        if (!*p)
            return NULL;
        p++;
    }
    while (*p == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    *len = strcspn(p, "._");
    return p;
}

int adopt_flyway_cmp(const char *a, const char *b)
{
    for (size_t i = 0;; i++) {
        size_t la = 0, lb = 0;
        const char *pa = part(a, i, &la), *pb = part(b, i, &lb);
        if (!pa && !pb)
            return 0;
        /* a missing part is 0 */
        if (!pa)
            pa = "0", la = 1;
        if (!pb)
            pb = "0", lb = 1;
        if (la != lb)
            return la < lb ? -1 : 1;
        int c = memcmp(pa, pb, la);
        if (c)
            return c < 0 ? -1 : 1;
    }
}

static void copy(char *dst, size_t size, PGresult *r, int row, int col)
{
    snprintf(dst, size, "%s", PQgetvalue(r, row, col));
}

/* Columns of the query below. */
enum { C_RANK, C_VERSION, C_DESC, C_TYPE, C_SCRIPT, C_SUM, C_ON, C_OK };

static const char read_sql[] =
    "SELECT installed_rank::text, version, description, type, script,"
    " checksum::text, to_char(installed_on::timestamptz,"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF'), success FROM %s"
    " ORDER BY installed_rank";

/* Row i of r as an adopt row of state s. */
static void fill(struct adopt_row *a, PGresult *r, int i, char s)
{
    *a = (struct adopt_row){.state = s};
    int repeatable = PQgetisnull(r, i, C_VERSION);
    copy(a->key, sizeof a->key, r, i, repeatable ? C_SCRIPT : C_VERSION);
    copy(a->description, sizeof a->description, r, i, C_DESC);
    copy(a->type, sizeof a->type, r, i, C_TYPE);
    copy(a->applied_at, sizeof a->applied_at, r, i, C_ON);
    copy(a->checksum, sizeof a->checksum, r, i, C_SUM);
    snprintf(a->label, sizeof a->label, "%s%s (%s)",
             repeatable ? "" : "version ",
             PQgetvalue(r, i, repeatable ? C_SCRIPT : C_VERSION),
             PQgetvalue(r, i, C_DESC));
}

static int is(PGresult *r, int i, const char *type)
{
    return strcmp(PQgetvalue(r, i, C_TYPE), type) == 0;
}

/* The row of this version (or repeatable script) among rows[0..n), or
 * NULL. */
static struct adopt_row *same(struct adopt_row *rows, size_t n, const char *key,
                              int repeatable)
{
    for (size_t k = 0; k < n; k++) {
        int rep = rows[k].state == 'R' || rows[k].state == '=';
        if (rep != repeatable || rows[k].state == 'B')
            continue;
        if (repeatable ? strcmp(rows[k].key, key) == 0
                       : adopt_flyway_cmp(rows[k].key, key) == 0)
            return &rows[k];
    }
    return NULL;
}

/* One event: a version applied, undone or deleted; a repeatable run or
 * deleted; a baseline. Row states: 'a', 'R', 'B', or none (undone,
 * deleted): '-' a version's, '=' a repeatable's, dropped at the end. */
static void fold(struct adopt_ledger *l, PGresult *r, int i)
{
    int repeatable = PQgetisnull(r, i, C_VERSION);
    const char *key = PQgetvalue(r, i, repeatable ? C_SCRIPT : C_VERSION);
    if (is(r, i, "SCHEMA"))
        return; /* << Flyway Schema Creation >> */
    if (is(r, i, "BASELINE") || is(r, i, "SQL_BASELINE")) {
        struct adopt_row *b = NULL;
        for (size_t k = 0; k < l->n && !b; k++)
            if (l->rows[k].state == 'B')
                b = &l->rows[k];
        if (repeatable)
            return;
        if (!b || adopt_flyway_cmp(key, b->key) > 0)
            fill(b ? b : &l->rows[l->n++], r, i, 'B');
        return;
    }
    struct adopt_row *a = same(l->rows, l->n, key, repeatable);
    char state = repeatable ? 'R' : 'a';
    /* `flyway repair` deletes a missing migration; undo reverts one */
    if (is(r, i, "DELETE") ||
        strncmp(PQgetvalue(r, i, C_TYPE), "UNDO_", 5) == 0)
        state = repeatable ? '=' : '-';
    if (!a && (state == '-' || state == '='))
        return;
    fill(a ? a : &l->rows[l->n++], r, i, state);
}

static int by_version(const void *x, const void *y)
{
    const struct adopt_row *a = x, *b = y;
    /* versions ascending, then the baseline, then repeatable scripts */
    int ka = a->state == 'a' ? 0 : a->state == 'B' ? 1 : 2;
    int kb = b->state == 'a' ? 0 : b->state == 'B' ? 1 : 2;
    if (ka != kb)
        return ka - kb;
    return ka == 0 ? adopt_flyway_cmp(a->key, b->key) : strcmp(a->key, b->key);
}

/* Flyway's failed row: on PostgreSQL only a script run outside a
 * transaction leaves one; `flyway repair` removes it once the schema is
 * fixed. */
static int refuse_failed(const struct adopt_ledger *l, PGresult *r, int i,
                         struct adopt_fail *f)
{
    struct adopt_row a;
    fill(&a, r, i, 'f');
    return adopt_failf(f, EXIT_DRIFT,
                       "flyway's row %s (installed_rank %s, script %s) in %s "
                       "is recorded as failed (success = false): nothing "
                       "written; fix the schema by hand, run `flyway "
                       "repair` (which removes failed rows), then adopt",
                       a.label, PQgetvalue(r, i, C_RANK),
                       PQgetvalue(r, i, C_SCRIPT), l->shown);
}

int adopt_flyway_read(struct pg_conn *conn, struct adopt_ledger *l,
                      struct adopt_fail *f)
{
    char sql[1024];
    snprintf(sql, sizeof sql, read_sql, l->quoted);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        const char *m = PQresultErrorMessage(r);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", m && *m ? m : "no answer");
        msg[strcspn(msg, "\n")] = '\0';
        PQclear(r);
        return adopt_failf(f, EXIT_FAIL, "cannot read flyway's ledger %s: %s",
                           l->shown, msg);
    }
    int n = PQntuples(r);
    l->n_read = (size_t)n;
    l->rows = calloc(n ? (size_t)n : 1, sizeof *l->rows);
    if (!l->rows) {
        PQclear(r);
        return adopt_failf(f, EXIT_FAIL, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        if (PQgetvalue(r, i, C_OK)[0] != 't') {
            refuse_failed(l, r, i, f);
            PQclear(r);
            return -1;
        }
        fold(l, r, i);
    }
    PQclear(r);
    size_t kept = 0;
    for (size_t k = 0; k < l->n; k++)
        if (l->rows[k].state != '-' && l->rows[k].state != '=')
            l->rows[kept++] = l->rows[k];
    l->n = kept;
    qsort(l->rows, l->n, sizeof *l->rows, by_version);
    return 0;
}

int adopt_flyway_usable(const struct migc_schema *s,
                        const struct adopt_ledger *l, struct adopt_fail *f)
{
    if (s->format < 7)
        return adopt_failf(
            f, EXIT_DRIFT,
            "this binary's schema (format %u) carries no Flyway versions or "
            "checksums (format 7 does), so flyway's ledger %s can be neither "
            "mapped nor checked: nothing written; build the service again "
            "with this migc, then adopt",
            (unsigned)s->format, l->shown);
    if (!s->flyway)
        return adopt_failf(
            f, EXIT_DRIFT,
            "this binary's migrations are not in Flyway's layout (V1__x.sql), "
            "so its schema carries no Flyway versions or checksums to map "
            "flyway's ledger %s to: nothing written; compile the directory "
            "Flyway ran, then adopt",
            l->shown);
    return 0;
}

/* Flyway's description as its ledger holds it: cut to 197 characters and
 * "..." when longer than 200 (AbbreviationUtils); characters counted as
 * code points, which Java's UTF-16 units are for all but the rarest. */
static void abbreviated(const char *d, char *out, size_t size)
{
    size_t chars = 0, cut = 0;
    for (size_t i = 0; d[i]; i++)
        if (((unsigned char)d[i] & 0xC0) != 0x80 && ++chars == 198)
            cut = i;
    if (chars <= 200)
        snprintf(out, size, "%s", d);
    else
        snprintf(out, size, "%.*s...", (int)cut, d);
}

int adopt_flyway_check(const struct adopt_ledger *l, const struct adopt_row *r,
                       const struct migc_migration *m,
                       const struct migc_flyway *fw, struct adopt_fail *f)
{
    if (!r->checksum[0] && strcmp(r->type, "SQL") != 0)
        return adopt_failf(
            f, EXIT_DRIFT,
            "flyway's %s in %s is a %s migration with no checksum (a Java "
            "migration, which migc cannot run or check), but this binary "
            "embeds %s for it: nothing written; once that file does what the "
            "Java migration did, run `flyway repair` to record its checksum "
            "and type, then adopt",
            r->label, l->shown, r->type, m->up.path);
    if (!r->checksum[0])
        return adopt_failf(f, EXIT_DRIFT,
                           "flyway's %s in %s has no checksum: nothing "
                           "written; run `flyway repair` to record it, then "
                           "adopt",
                           r->label, l->shown);
    char want[sizeof r->description];
    abbreviated(fw->description, want, sizeof want);
    /* Flyway writes an empty description so on the databases that need
     * one; PostgreSQL does not, but a ledger may hold either */
    if (strcmp(r->description, want) != 0 &&
        !(!*want && strcmp(r->description, "<< no description >>") == 0))
        return adopt_failf(
            f, EXIT_DRIFT,
            "flyway's %s in %s has description \"%s\", but %s's is \"%s\" "
            "(Flyway's validate refuses this too): nothing written; rename "
            "the file back, or run `flyway repair` to record the new "
            "description, then adopt",
            r->label, l->shown, r->description, m->up.path, want);
    return 0;
}
