/* adopt_verify.c: `adopt --verify-schema` (docs/adopting.md "Verifying
 * the schema"): before recording another tool's rows, prove the live
 * schema is what those migrations build, by replaying them on a scratch
 * database of the same server and comparing the two through schema.h. The
 * proof a checksum gives for the tools that keep one. */
#define _POSIX_C_SOURCE 200809L /* sigaction */
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adopt.h"
#include "schema.h"

/* SIGINT/SIGTERM while the scratch database exists: cancel what runs on
 * it, drop it, then die of the signal as the caller would have. */
static volatile sig_atomic_t caught;
static PGcancel *volatile cancel_scratch;

static void on_signal(int sig)
{
    caught = sig;
    char buf[64];
    if (cancel_scratch)
        (void)PQcancel(cancel_scratch, buf, sizeof buf);
}

struct guard {
    struct sigaction old_int, old_term;
};

static void guard_on(struct guard *g)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    caught = 0;
    sigaction(SIGINT, &sa, &g->old_int);
    sigaction(SIGTERM, &sa, &g->old_term);
}

static void guard_off(struct guard *g)
{
    sigaction(SIGINT, &g->old_int, NULL);
    sigaction(SIGTERM, &g->old_term, NULL);
    if (caught)
        raise(caught);
}

int adopt_verify_wanted(const struct cli *c, const struct adopt_ledger *l)
{
    if (c->verify_schema)
        return c->verify_schema > 0;
    switch (l->tool) {
    case FT_PRISMA: return 0;
    case FT_FLYWAY: return l->unproven; /* its baseline, repeatables */
    case FT_SQLX:
    case FT_POSTGRATOR: return c->schema->format < 6; /* no digests */
    default: return 1;
    }
}

static FILE *out_of(const struct cli *c)
{
    return c->format == CLI_JSON ? stderr : stdout;
}

/* conn's connection parameters with dbname replaced: a conninfo string. */
static char *conninfo_for(PGconn *conn, const char *dbname)
{
    PQconninfoOption *opts = PQconninfo(conn);
    if (!opts)
        return NULL;
    size_t cap = 64 + strlen(dbname);
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (o->val)
            cap += strlen(o->keyword) + 2 * strlen(o->val) + 4;
    char *s = malloc(cap), *p = s;
    for (PQconninfoOption *o = opts; s && o->keyword; o++) {
        if (!o->val || strcmp(o->keyword, "dbname") == 0)
            continue;
        p += sprintf(p, "%s='", o->keyword);
        for (const char *v = o->val; *v; v++) {
            if (*v == '\'' || *v == '\\')
                *p++ = '\\';
            *p++ = *v;
        }
        p += sprintf(p, "' ");
    }
    if (s)
        sprintf(p, "dbname='%s'", dbname);
    PQconninfoFree(opts);
    return s;
}

static int query_failed(struct adopt_fail *f, PGresult *r, PGconn *conn,
                        const char *what)
{
    char msg[600];
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    snprintf(msg, sizeof msg, "%s", m && *m ? m : "no answer");
    msg[strcspn(msg, "\n")] = '\0';
    PQclear(r);
    return adopt_failf(f, EXIT_FAIL, "%s: %s", what, msg);
}

/* CREATE DATABASE name; -1 with the refusal of a role without CREATEDB. */
static int create_scratch(PGconn *conn, const char *name, struct adopt_fail *f)
{
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        PQclear(r);
        return 0;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (state && strcmp(state, "42501") == 0) {
        PQclear(r);
        return adopt_failf(
            f, EXIT_DRIFT,
            "verifying the schema replays the adopted migrations on a "
            "scratch database, but role %s may not create one (it lacks "
            "the CREATEDB privilege): nothing written; grant it (ALTER "
            "ROLE %s CREATEDB) or adopt as a role that has it, or skip the "
            "comparison with --no-verify-schema",
            PQuser(conn), PQuser(conn));
    }
    return query_failed(f, r, conn, "creating the scratch database");
}

static void drop_scratch(PGconn *conn, const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s", name,
             PQserverVersion(conn) >= 130000 ? " WITH (FORCE)" : "");
    PQclear(PQexec(conn, sql));
}

/* The replay's schema: the migrations adopt records, as plain ones (a
 * baseline's carried originals included, which a fresh database would
 * otherwise skip for the baseline), no packs. */
struct replay {
    struct migc_schema s;
    struct migc_migration *m;
};

static int replay_build(struct replay *rp, const struct migc_schema *from,
                        const struct adopt_record *rec, size_t n)
{
    rp->m = calloc(n + 1, sizeof *rp->m);
    if (!rp->m)
        return -1;
    for (size_t i = 0; i < n; i++) {
        rp->m[i] = *rec[i].m;
        rp->m[i].flags &= ~(uint32_t)(MIGC_MIGRATION_SQUASHES |
                                      MIGC_MIGRATION_SQUASHED_LISTED);
        rp->m[i].squash_from = rp->m[i].squash_to = 0;
    }
    rp->s = (struct migc_schema){
        .format = from->format,
        .name = from->name,
        .generator = from->generator,
        .fingerprint = from->fingerprint,
        .migrations = rp->m,
        .n_migrations = n,
    };
    return 0;
}

/* What both reads leave out: the ledgers (the one adopted, every other
 * tool's beside it, migc's and its packs'), never the schema. */
enum { N_EXCLUDED = 2 * FT_COUNT + 3 };
struct excluded {
    char t[N_EXCLUDED][300];
    const char *tables[N_EXCLUDED + 1];
    const char *schemas[2];
};

static void exclusions(PGconn *conn, const struct cli *c,
                       const struct adopt_ledger *l, struct excluded *x)
{
    const char *ls = c->opts.ledger_schema && *c->opts.ledger_schema
                         ? c->opts.ledger_schema
                         : "public";
    const char *lt = c->opts.ledger_table && *c->opts.ledger_table
                         ? c->opts.ledger_table
                         : "migc_migrations";
    size_t k = 0;
    snprintf(x->t[k++], sizeof x->t[0], "%s.%s", l->schema, l->table);
    for (int i = 0; i < FT_COUNT; i++) {
        snprintf(x->t[k++], sizeof x->t[0], "%s.%s", l->schema,
                 foreign_tools[i].table);
        if (foreign_tools[i].also_drop)
            snprintf(x->t[k++], sizeof x->t[0], "%s.%s", l->schema,
                     foreign_tools[i].also_drop);
    }
    snprintf(x->t[k++], sizeof x->t[0], "%s.%s", ls, lt);
    snprintf(x->t[k++], sizeof x->t[0], "%s.%s_packs", ls, lt);
    for (size_t i = 0; i < k; i++)
        x->tables[i] = x->t[i];
    x->tables[k] = NULL;
    /* migc's ledger schema, when the replay alone has it. */
    const char *param[1] = {ls};
    PGresult *r =
        PQexecParams(conn, "SELECT 1 FROM pg_namespace WHERE nspname = $1", 1,
                     NULL, param, NULL, NULL, 0);
    int absent = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0;
    PQclear(r);
    x->schemas[0] = absent ? ls : NULL;
    x->schemas[1] = NULL;
}

struct lines {
    FILE *o;
};

static void print_line(void *ctx, const char *text)
{
    fprintf(((struct lines *)ctx)->o, "  %s\n", text);
}

/* Replay on the scratch database, read both, compare: the differences'
 * count, or -1 (f filled). */
static long compare(PGconn *conn, PGconn *scratch, const struct cli *c,
                    const struct adopt_ledger *l,
                    const struct adopt_record *rec, size_t n,
                    struct adopt_fail *f)
{
    struct replay rp = {0};
    if (replay_build(&rp, c->schema, rec, n) != 0)
        return adopt_failf(f, EXIT_FAIL, "out of memory");
    struct migc_options o =
        MIGC_OPTIONS(.ledger_schema = c->opts.ledger_schema,
                     .ledger_table = c->opts.ledger_table, .progress_ms = -1);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc =
        n ? migc_migrate(scratch, &rp.s, &o, &rep, &err) : MIGC_OK;
    free(rp.m);
    if (rc != MIGC_OK)
        return adopt_failf(f, EXIT_FAIL,
                           "replaying the adopted migrations on a scratch "
                           "database to compare the schema: %s (nothing "
                           "written; --no-verify-schema skips the "
                           "comparison)",
                           caught ? "interrupted" : err.message);
    struct excluded x;
    exclusions(conn, c, l, &x);
    struct schema_read_options ro = {.exclude_tables = x.tables,
                                     .exclude_schemas = x.schemas};
    struct schema_snapshot *live = NULL, *built = NULL;
    rc = schema_read(conn, &ro, &live, &err);
    if (rc == MIGC_OK && !caught)
        rc = schema_read(scratch, &ro, &built, &err);
    long diffs = -1;
    if (caught)
        adopt_failf(f, EXIT_FAIL, "interrupted");
    else if (rc != MIGC_OK)
        adopt_failf(f, EXIT_FAIL, "%s", err.message);
    else {
        diffs = (long)schema_diff(live, built, "the database", "the migrations",
                                  NULL, NULL);
        if (diffs) {
            struct lines ln = {out_of(c)};
            fprintf(ln.o,
                    "schema: %ld difference%s between the database and "
                    "a replay of the %zu adopted migration%s (the "
                    "database's side first):\n",
                    diffs, diffs == 1 ? "" : "s", n, n == 1 ? "" : "s");
            schema_diff(live, built, "the database", "the migrations",
                        print_line, &ln);
        }
    }
    schema_free(live);
    schema_free(built);
    return diffs;
}

static unsigned scratch_counter;

int adopt_verify(PGconn *conn, const struct cli *c,
                 const struct adopt_ledger *l, const struct adopt_record *rec,
                 size_t n, const char **verdict, struct adopt_fail *f)
{
    FILE *o = out_of(c);
    if (!adopt_verify_wanted(c, l)) {
        *verdict = c->verify_schema < 0 ? "skipped" : "not_needed";
        if (c->verify_schema < 0)
            fprintf(o, "schema: not verified (--no-verify-schema)\n");
        return 0;
    }
    *verdict = "failed";
    char name[64];
    snprintf(name, sizeof name, "migc_adopt_%ld_%u", (long)getpid(),
             ++scratch_counter);
    struct guard g;
    guard_on(&g);
    int rc = create_scratch(conn, name, f);
    if (rc != 0) {
        guard_off(&g);
        return -1;
    }
    char *info = conninfo_for(conn, name);
    struct migc_error err = MIGC_ERROR_INIT;
    PGconn *scratch =
        info && !caught ? migc_connect(info, "migc adopt", &err) : NULL;
    free(info);
    long diffs = -1;
    if (!scratch)
        adopt_failf(f, EXIT_FAIL, "connecting to the scratch database %s: %s",
                    name, caught ? "interrupted" : err.message);
    else {
        cancel_scratch = PQgetCancel(scratch);
        diffs = compare(conn, scratch, c, l, rec, n, f);
        PGcancel *cc = cancel_scratch;
        cancel_scratch = NULL;
        PQfreeCancel(cc);
        migc_disconnect(scratch);
    }
    drop_scratch(conn, name);
    guard_off(&g);
    if (diffs < 0)
        return -1;
    *verdict = diffs > 0 ? "differs" : "verified";
    if (diffs > 0)
        return adopt_failf(
            f, EXIT_DRIFT,
            "the database's schema is not what the %zu adopted migration%s "
            "(%ld difference%s, listed above): nothing written; make "
            "the database agree with the migrations (or the files with the "
            "database), or skip the comparison with --no-verify-schema",
            n, n == 1 ? " builds" : "s build", diffs, diffs == 1 ? "" : "s");
    fprintf(o,
            "schema: verified: the database's schema is what the %zu "
            "adopted migration%s (replayed on a scratch database)\n",
            n, n == 1 ? " builds" : "s build");
    return 0;
}
