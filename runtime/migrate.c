/* migrate.c: migc_migrate(), migc_check() and migc_resolve(): compare the
 * ledger with the embedded list, then apply what is pending. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "baseline.h"
#include "error.h"
#include "packs.h"
#include "plan.h"
#include "pq.h"
#include "record.h"
#include "session.h"

/* --single-transaction applies no migration that runs outside one. */
static enum migc_code refuse_outside(const struct migc_migration *const *list,
                                     size_t n, struct migc_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct migc_migration *m = list[i];
        if (!(m->up.flags & MIGC_SCRIPT_NO_TRANSACTION))
            continue;
        migc_error_set(err, MIGC_ERR_ARG,
                       "cannot apply everything in one transaction: "
                       "migration %lld (%s) runs outside a transaction (%s); "
                       "apply without --single-transaction",
                       (long long)m->version, m->name,
                       (m->up.flags & MIGC_SCRIPT_OWN_TRANSACTIONS)
                           ? "it holds BEGIN ... COMMIT blocks of its own"
                           : "PostgreSQL refuses one of its statements in a "
                             "transaction block, or it says so");
        if (err) {
            err->version = m->version;
            err->path = m->up.path;
        }
        return MIGC_ERR_ARG;
    }
    return MIGC_OK;
}

/* Read the ledger and check it against the binary: the start of every
 * call. *pending: the migrations to apply. */
static enum migc_code survey(struct session *s,
                             const struct migc_schema *schema,
                             struct ledger_rows *rows,
                             const struct migc_migration ***pending,
                             struct migc_report *rep, int look_foreign,
                             struct migc_error *err)
{
    *pending = NULL;
    enum migc_code rc = record_read(s, LEDGER_READ_DECIDE, rows, err);
    if (rc == MIGC_OK && look_foreign)
        rc = plan_refuse_foreign(s, rows, err);
    if (rc == MIGC_OK)
        rc = plan_verify(s, schema, rows, rep, err);
    if (rc == MIGC_OK)
        rc = plan_refuse_reverting(schema, rows, err);
    if (rc == MIGC_OK)
        rc = plan_pending(schema, rows, pending, &rep->pending, err);
    return rc;
}

static enum migc_code migrate(struct pg_conn *conn,
                              const struct migc_schema *schema,
                              const struct migc_options *options,
                              struct migc_report *rep, struct migc_error *error)
{
    struct session s;
    enum migc_code rc = plan_open(&s, conn, schema, options, error);
    if (rc != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    const struct migc_migration **pending = NULL;
    /* Another tool's ledger is looked for under the lock, before the
     * ledger is created: a fresh database costs no extra round trip. */
    rc = survey(&s, schema, &rows, &pending, rep, 0, error);
    /* up --to: what is pending after the target waits, and so do the
     * packs, which belong to the whole schema. */
    int64_t target = s.opts->target_version;
    size_t beyond = 0;
    while (target > 0 && rep->pending > 0 &&
           pending[rep->pending - 1]->version > target) {
        rep->pending--;
        beyond++;
    }
    size_t packs =
        rc == MIGC_OK && beyond == 0 ? plan_packs_pending(schema, &rows) : 0;
    /* --prune-packs is a request to look, synchronised or not. */
    if (rc == MIGC_OK && beyond == 0 &&
        (s.opts->flags & MIGC_OPT_PRUNE_PACKS))
        packs = schema->n_packs;
    /* Nothing applied yet: no long statement on big tables to name in a
     * progress line, and the server's work is what a fresh apply costs. */
    s.script = rc == MIGC_OK && (!rows.exists || rows.n == 0);
    int single = (s.opts->flags & MIGC_OPT_SINGLE_TRANSACTION) != 0;
    if (rc == MIGC_OK && single)
        rc = refuse_outside(pending, rep->pending, error);
    /* Nothing to do: one round trip, no lock. A ledger an older runtime
     * wrote is brought up to date once, pending or not: read in its old
     * shape every check would cost a second round trip. */
    if (rc == MIGC_OK &&
        (rows.outdated || (!rows.exists && (rep->pending > 0 || packs > 0)))) {
        char tables[512];
        struct pq_query q;
        plan_foreign_query(&q, tables);
        rc = record_create(&s, &q,
                           rows.exists ? NULL : plan_refuse_foreign_rows,
                           error);
    }
    if (rc == MIGC_OK && single && rep->pending > 0) {
        size_t n = rep->pending;
        for (size_t i = 0; i < n; i++)
            session_emit(&s, MIGC_EVENT_APPLYING, pending[i], NULL, 0, i + 1,
                         n);
        rc = apply_all_at_once(&s, pending, n, &rep->applied, error);
        for (size_t i = 0; rc == MIGC_OK && i < n; i++)
            session_emit(&s, MIGC_EVENT_APPLIED, pending[i], NULL, 0, i + 1,
                         n);
    }
    for (size_t i = 0; rc == MIGC_OK && !single && i < rep->pending; i++) {
        const struct migc_migration *m = pending[i];
        int applied;
        int64_t us;
        size_t n = rep->pending;
        session_emit(&s, MIGC_EVENT_APPLYING, m, NULL, 0, i + 1, n);
        /* Group commit: the run's last commit, synchronous, makes every
         * earlier one durable (docs/ledger.md). */
        s.async_commit = i + 1 < n && !(s.opts->flags &
                                        MIGC_OPT_SYNCHRONOUS_COMMIT);
        rc = apply_migration(&s, m, &applied, &us, error);
        if (rc == MIGC_OK && applied) {
            rep->applied++;
            session_emit(&s, MIGC_EVENT_APPLIED, m, NULL, us, i + 1, n);
        }
    }
    if (rc == MIGC_OK && packs > 0)
        rc = packs_sync(&s, schema, rep, error);
    apply_flush(&s);
    free(pending);
    record_rows_free(&rows);
    rep->round_trips = s.db.round_trips;
    rep->waited_ms = s.waited_ms;
    session_end(&s);
    return rc;
}

enum migc_code migc_migrate(struct pg_conn *conn,
                            const struct migc_schema *schema,
                            const struct migc_options *options,
                            struct migc_report *report,
                            struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, report, error);
    if (rc == MIGC_OK)
        rc = migrate(conn, schema, &a.options, &a.report, a.err);
    session_args_out(&a, report, error);
    return rc;
}

static enum migc_code check(struct pg_conn *conn,
                            const struct migc_schema *schema,
                            const struct migc_options *options,
                            struct migc_report *rep, struct migc_error *error)
{
    struct session s;
    enum migc_code rc = plan_open(&s, conn, schema, options, error);
    if (rc != MIGC_OK)
        return rc;
    struct ledger_rows rows;
    const struct migc_migration **pending = NULL;
    rc = survey(&s, schema, &rows, &pending, rep, 1, error);
    if (rc == MIGC_OK)
        rep->pending += plan_packs_pending(schema, &rows);
    free(pending);
    record_rows_free(&rows);
    rep->round_trips = s.db.round_trips;
    session_end(&s);
    return rc;
}

enum migc_code migc_check(struct pg_conn *conn,
                          const struct migc_schema *schema,
                          const struct migc_options *options,
                          struct migc_report *report, struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, report, error);
    if (rc == MIGC_OK)
        rc = check(conn, schema, &a.options, &a.report, a.err);
    session_args_out(&a, report, error);
    return rc;
}

static const char *how_name(enum migc_resolve_how how)
{
    switch (how) {
    case MIGC_RESOLVE_RETRY: return "retry";
    case MIGC_RESOLVE_SKIP: return "skip";
    case MIGC_RESOLVE_APPLIED: return "applied";
    }
    return "?";
}

static enum migc_code resolve(struct pg_conn *conn,
                              const struct migc_schema *schema,
                              const struct migc_options *options,
                              int64_t version, enum migc_resolve_how how,
                              struct migc_error *error)
{
    enum migc_code rc = plan_validate(schema, error);
    if (rc != MIGC_OK)
        return rc;
    if (!conn)
        return migc_error_set(error, MIGC_ERR_ARG, "no connection given");
    if (how != MIGC_RESOLVE_RETRY && how != MIGC_RESOLVE_SKIP &&
        how != MIGC_RESOLVE_APPLIED)
        return migc_error_set(error, MIGC_ERR_ARG, "unknown way to resolve");
    const struct migc_migration *m = plan_find(schema, version);
    if (!m) /* an archived original a part-way database failed in */
        m = baseline_original(schema, version);
    if (!m)
        return migc_error_set(error, MIGC_ERR_ARG,
                              "this binary embeds no migration %lld",
                              (long long)version);
    struct session s;
    if ((rc = session_begin(&s, conn, options, error)) != MIGC_OK)
        return rc;
    struct ledger_check row;
    rc = record_lock_row(&s, version, &row, error);
    /* at a baseline's own version, the row of the original it replaced
     * (1..3 squashed into 1) is resolved as that original */
    const struct migc_squashed *sq = baseline_replaced_at(schema, version);
    if (rc == MIGC_OK && row.state != ROW_ABSENT && sq && sq->checksum &&
        row.checksum && strcmp(row.checksum, sq->checksum) == 0 &&
        baseline_original(schema, version))
        m = baseline_original(schema, version);
    if (rc == MIGC_OK &&
        (row.state == ROW_ABSENT || row.state == ROW_APPLIED))
        rc = migc_error_set(error, MIGC_ERR_ARG,
                            "migration %lld (%s) is not recorded as failed "
                            "or left part-way: nothing to resolve",
                            (long long)version, m->name);
    else if (rc == MIGC_OK && row.state == ROW_RUNNING && row.holder_alive)
        rc = migc_error_set(error, MIGC_ERR_RUNNING,
                            "migration %lld (%s) is being applied by another "
                            "process right now",
                            (long long)version, m->name);
    if (rc == MIGC_OK) {
        int at = row.failed_statement < 0 ? row.completed
                                          : row.failed_statement;
        int next = how == MIGC_RESOLVE_RETRY  ? at
                   : how == MIGC_RESOLVE_SKIP ? at + 1
                                              : (int)m->up.n_statements;
        int done = next >= (int)m->up.n_statements;
        rc = record_resolve(&s, version, &row,
                            done ? (int)m->up.n_statements : next, done,
                            error);
        if (rc == MIGC_OK && done)
            session_log(&s, MIGC_LOG_INFO,
                        "resolved migration %lld (%s) (%s): recorded as "
                        "applied",
                        (long long)version, m->name, how_name(how));
        else if (rc == MIGC_OK)
            session_log(&s, MIGC_LOG_INFO,
                        "resolved migration %lld (%s) (%s): the next `up` "
                        "continues at statement %d",
                        (long long)version, m->name, how_name(how),
                        next + 1);
    }
    record_check_clear(&row);
    pq_rollback(&s.db);
    session_end(&s);
    return rc;
}

enum migc_code migc_resolve(struct pg_conn *conn,
                            const struct migc_schema *schema,
                            const struct migc_options *options, int64_t version,
                            enum migc_resolve_how how, struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, NULL, error);
    if (rc == MIGC_OK)
        rc = resolve(conn, schema, &a.options, version, how, a.err);
    session_args_out(&a, NULL, error);
    return rc;
}
