/* record.c: every statement that reads or writes the ledger and the pack
 * ledger.
 *
 * The ledger (docs/ledger.md) holds a row per migration applied, running or
 * failed; the pack ledger beside it a row per pack synchronised. Reading
 * both is one round trip: the up-to-date path. Writes join the caller's
 * pipelines (a migration's row commits with its statements) or make their
 * own round trip. Statements are built in growing buffers: a ledger name
 * of any length arrives whole. */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ledger_sql.h"
#include "lock.h"

/* The columns of this runtime's ledger and what ledger_upgrade adds to a
 * ledger of an older runtime: ledger_sql.h, shared with `adopt` (the cli
 * library), which creates the same ledger. */
static const char ledger_columns[] = MIGC_LEDGER_COLUMNS;
static const char ledger_upgrade[] = MIGC_LEDGER_UPGRADE;
static const char pack_columns[] = MIGC_PACK_COLUMNS;

static enum migc_code nomem(struct migc_error *err)
{
    return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
}

/* An integer as the text of a query parameter. */
enum { NUMBER_SIZE = 24 };

static const char *number(char out[NUMBER_SIZE], long long value)
{
    snprintf(out, NUMBER_SIZE, "%lld", value);
    return out;
}

/* ---- Reading the ledger ------------------------------------------------- */

/* A column of a result row into a buffer, cut to fit; NULL reads as "".
 * memcpy, not snprintf: this runs for every column of every ledger row on
 * the up-to-date path. */
static void copy(char *dst, size_t size, const struct pg_result *res, int row,
                 int col)
{
    size_t n = pq_length(res, row, col);
    if (n >= size)
        n = size - 1;
    memcpy(dst, pq_value(res, row, col), n);
    dst[n] = '\0';
}

static int absent(const struct pg_result *res)
{
    const char *st = pq_sqlstate(res);
    return strcmp(st, "42P01") == 0 || strcmp(st, "3F000") == 0;
}

/* The relation the server found missing is named before byte offset at
 * of the query. The server's position counts characters, fewer than bytes
 * only within quoted names, by less than the length of what separates the
 * two tables' names. A missing schema is missing for both tables. */
static int missing_before(const struct pg_result *res, long at)
{
    if (strcmp(pq_sqlstate(res), "3F000") == 0)
        return 1;
    long p = pq_position(res);
    return p > 0 && p < at;
}

/* The ledger's columns in the read, by mode: the same eleven, but when
 * deciding an applied row leaves out what only status shows (the time
 * through to_char(), the duration, the progress and the error). A row
 * that is running or failed keeps them: whether it may be retried and the
 * refusal quoting its error depend on them. The name stays on every row:
 * the warnings and errors about a version the binary does not know quote
 * it, and which versions it knows is found out here, not on the server. */
static const char *const read_columns[] = {
    [LEDGER_READ_DECIDE] =
        "version, name, checksum, canonical, success,"
        " CASE WHEN NOT success THEN"
        " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF') END,"
        " CASE WHEN NOT success THEN duration_us END,"
        " CASE WHEN NOT success THEN completed END,"
        " CASE WHEN NOT success THEN failed_statement END,"
        " CASE WHEN NOT success THEN sqlstate END,"
        " CASE WHEN NOT success THEN error END,"
        " CASE WHEN NOT success THEN holder IS NOT NULL END,"
        " down_completed, CASE WHEN NOT success THEN adopted_from END",
    [LEDGER_READ_FULL] =
        "version, name, checksum, canonical, success,"
        " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF'), duration_us,"
        " completed, failed_statement, sqlstate, error,"
        " holder IS NOT NULL, down_completed, adopted_from",
};

/* The columns of the read's result: its kind ('m' a migration, 'p' a
 * pack), then those of either table. */
enum read_column {
    C_KIND,
    C_VERSION,
    C_NAME,       /* the pack's name too */
    C_CHECKSUM,   /* the pack's checksum too */
    C_CANONICAL,
    C_SUCCESS,
    C_APPLIED_AT, /* the pack's synced_at too */
    C_DURATION,
    C_COMPLETED,
    C_FAILED,
    C_SQLSTATE,
    C_ERROR,
    C_HELD, /* a run holds the row (false: resolved, waiting for up) */
    C_DOWN, /* down statements done of a down script that stopped */
    C_ADOPTED /* the tool whose ledger `adopt` took the row from */
};

/* A migration row of the result, for sorting them by version. */
struct row_order {
    int64_t version;
    int row;
};

static int by_version(const void *a, const void *b)
{
    int64_t x = ((const struct row_order *)a)->version;
    int64_t y = ((const struct row_order *)b)->version;
    return (x > y) - (x < y);
}

static void fill_migration(struct ledger_row *r, int64_t version,
                           const struct pg_result *res, int i)
{
    r->version = version;
    copy(r->name, sizeof r->name, res, i, C_NAME);
    copy(r->checksum, sizeof r->checksum, res, i, C_CHECKSUM);
    copy(r->canonical, sizeof r->canonical, res, i, C_CANONICAL);
    int success = pq_value(res, i, C_SUCCESS)[0] == 't';
    copy(r->applied_at, sizeof r->applied_at, res, i, C_APPLIED_AT);
    r->duration_us = strtoll(pq_value(res, i, C_DURATION), NULL, 10);
    r->completed = atoi(pq_value(res, i, C_COMPLETED));
    r->failed_statement = pq_isnull(res, i, C_FAILED)
                              ? -1
                              : atoi(pq_value(res, i, C_FAILED));
    copy(r->sqlstate, sizeof r->sqlstate, res, i, C_SQLSTATE);
    int has_error = !pq_isnull(res, i, C_ERROR);
    copy(r->error, sizeof r->error, res, i, C_ERROR);
    copy(r->adopted_from, sizeof r->adopted_from, res, i, C_ADOPTED);
    r->state = success     ? ROW_APPLIED
               : has_error ? ROW_FAILED
                           : ROW_RUNNING;
    if (success && !pq_isnull(res, i, C_DOWN)) {
        r->state = ROW_REVERTING;
        r->down_completed = atoi(pq_value(res, i, C_DOWN));
    }
    /* Left part-way, then cleared by resolve: no run holds it. */
    r->resolved = r->state == ROW_RUNNING && !pq_isnull(res, i, C_HELD) &&
                  pq_value(res, i, C_HELD)[0] == 'f';
}

static int fill_rows(const struct pg_result *res, struct ledger_rows *rows)
{
    int n = pq_rows(res);
    size_t migrations = 0, packs = 0;
    for (int i = 0; i < n; i++)
        if (pq_value(res, i, C_KIND)[0] == 'p')
            packs++;
        else
            migrations++;
    rows->rows = calloc(migrations ? migrations : 1, sizeof *rows->rows);
    rows->packs = calloc(packs ? packs : 1, sizeof *rows->packs);
    struct row_order *order =
        malloc((migrations ? migrations : 1) * sizeof *order);
    if (!rows->rows || !rows->packs || !order) {
        free(order);
        return -1;
    }
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (pq_value(res, i, C_KIND)[0] != 'p') {
            order[k++] = (struct row_order){
                strtoll(pq_value(res, i, C_VERSION), NULL, 10), i};
            continue;
        }
        struct pack_row *p = &rows->packs[rows->n_packs++];
        copy(p->name, sizeof p->name, res, i, C_NAME);
        copy(p->checksum, sizeof p->checksum, res, i, C_CHECKSUM);
        copy(p->synced_at, sizeof p->synced_at, res, i, C_APPLIED_AT);
    }
    /* Sorted here rather than by the server, where sorting the rows, wide
     * as they are, took a quarter of the up-to-date check's time. */
    qsort(order, migrations, sizeof *order, by_version);
    for (k = 0; k < migrations; k++)
        fill_migration(&rows->rows[rows->n++], order[k].version, res,
                       order[k].row);
    free(order);
    return 0;
}

/* Both ledgers in one query. A missing ledger: *res NULL. */
static enum migc_code read_result(struct session *s,
                                  enum ledger_read_mode mode,
                                  struct ledger_rows *rows,
                                  struct pg_result **res,
                                  struct migc_error *err)
{
    *res = NULL;
    struct sql q = SQL_INIT;
    /* The pack ledger's half is the same in both modes: it keeps what
     * separates the two tables' names as long as missing_before needs. */
    sql_addf(&q,
             "SELECT 'm', %s FROM %s"
             " UNION ALL SELECT 'p', NULL, name, checksum, '', NULL,"
             " to_char(synced_at, 'YYYY-MM-DD HH24:MI:SSOF'), NULL, NULL,"
             " NULL, '', NULL, NULL, NULL, NULL FROM %s",
             read_columns[mode], s->table, s->packs_table);
    const char *sql = sql_text(&q);
    if (!sql)
        return nomem(err);
    struct pg_result *r = pq_exec(&s->db, sql, 0, NULL);
    if (!pq_has_rows(r) && absent(r) &&
        missing_before(r, (long)(strstr(sql, " UNION ALL ") - sql))) {
        pq_clear(r);
        sql_free(&q);
        return MIGC_OK; /* no ledger yet: everything is pending */
    }
    if (!pq_has_rows(r) &&
        (absent(r) || strcmp(pq_sqlstate(r), "42703") == 0)) {
        /* No ledger, or one of an older runtime: the columns every ledger
         * has, in either mode. Not the up-to-date path. */
        pq_clear(r);
        sql_free(&q);
        sql_addf(&q,
                 "SELECT 'm', version, name, checksum, '', success,"
                 " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF'),"
                 " duration_us, coalesce(failed_statement, 0),"
                 " failed_statement, '', CASE WHEN NOT success THEN"
                 " coalesce(error, 'failed') END, NULL, NULL, NULL FROM %s",
                 s->table);
        if (!sql_text(&q))
            return nomem(err);
        r = pq_exec(&s->db, sql_text(&q), 0, NULL);
        if (!pq_has_rows(r) && absent(r)) {
            pq_clear(r);
            sql_free(&q);
            return MIGC_OK; /* no ledger yet: everything is pending */
        }
        rows->outdated = 1;
    }
    sql_free(&q);
    if (!pq_has_rows(r)) {
        enum migc_code rc = pq_error(err, MIGC_ERR_QUERY, r, &s->db,
                                     "cannot read the migration ledger");
        pq_clear(r);
        return rc;
    }
    *res = r;
    return MIGC_OK;
}

enum migc_code record_read(struct session *s, enum ledger_read_mode mode,
                           struct ledger_rows *rows, struct migc_error *err)
{
    *rows = (struct ledger_rows){0};
    struct pg_result *res;
    enum migc_code rc = read_result(s, mode, rows, &res, err);
    if (rc != MIGC_OK || !res)
        return rc;
    rows->exists = 1;
    int failed = fill_rows(res, rows);
    pq_clear(res);
    if (failed) {
        record_rows_free(rows);
        return nomem(err);
    }
    return MIGC_OK;
}

void record_rows_free(struct ledger_rows *rows)
{
    free(rows->rows);
    free(rows->packs);
    *rows = (struct ledger_rows){0};
}

const struct ledger_row *record_find(const struct ledger_rows *rows,
                                     int64_t version)
{
    size_t lo = 0, hi = rows->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows->rows[mid].version == version)
            return &rows->rows[mid];
        if (rows->rows[mid].version < version)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct pack_row *record_find_pack(const struct ledger_rows *rows,
                                        const char *name)
{
    for (size_t i = 0; i < rows->n_packs; i++)
        if (strcmp(rows->packs[i].name, name) == 0)
            return &rows->packs[i];
    return NULL;
}

/* ---- Creating the ledger ------------------------------------------------ */

enum migc_code record_create(struct session *s, const struct pq_query *vet_query,
                             record_vet_fn *vet, struct migc_error *err)
{
    struct sql schema = SQL_INIT, create = SQL_INIT, upgrade = SQL_INIT,
               packs = SQL_INIT;
    sql_addf(&schema, "CREATE SCHEMA IF NOT EXISTS %s", s->schema_quoted);
    sql_addf(&create, "CREATE TABLE IF NOT EXISTS %s (%s)", s->table,
             ledger_columns);
    sql_addf(&upgrade, "ALTER TABLE %s%s", s->table, ledger_upgrade);
    sql_addf(&packs, "CREATE TABLE IF NOT EXISTS %s (%s)", s->packs_table,
             pack_columns);
    enum migc_code rc = MIGC_OK;
    if (schema.nomem || create.nomem || upgrade.nomem || packs.nomem)
        rc = nomem(err);
    struct pg_result *vetted = NULL;
    if (rc == MIGC_OK)
        rc = lock_take(s, vet ? vet_query : NULL, vet ? &vetted : NULL, err);
    if (rc == MIGC_OK && vet) {
        rc = vet(s, vetted, err);
        pq_clear(vetted);
        if (rc != MIGC_OK)
            pq_rollback(&s->db);
    }
    if (rc == MIGC_OK) {
        struct pq_query q[5];
        size_t n = 0;
        if (!s->schema_is_public)
            q[n++] = (struct pq_query){.sql = sql_text(&schema)};
        q[n++] = (struct pq_query){.sql = sql_text(&create)};
        q[n++] = (struct pq_query){.sql = sql_text(&upgrade)};
        q[n++] = (struct pq_query){.sql = sql_text(&packs)};
        q[n++] = (struct pq_query){.sql = "COMMIT"};
        struct pipeline p;
        if (pipeline_run(&s->db, q, n, &p) != 0)
            rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), &s->db,
                          "cannot create the migration ledger");
        pipeline_clear(&p);
        pq_rollback(&s->db);
    }
    sql_free(&schema);
    sql_free(&create);
    sql_free(&upgrade);
    sql_free(&packs);
    return rc;
}

/* ---- Re-read under the lock --------------------------------------------- */

/* The columns of the re-read of one version. */
enum check_column {
    K_CLOCK,
    K_CHECKSUM,
    K_CANONICAL,
    K_STATE,     /* a: applied, r: running, f: failed; NULL: no row */
    K_COMPLETED,
    K_FAILED,
    K_SQLSTATE,
    K_HOLDER,
    K_ALIVE,
    K_ERROR,
    K_DOWN
};

/* pg_stat_get_activity(pid), not the pg_stat_activity view: the view costs
 * more to plan than the rest of the query, on every migration. */
static const char check_sql[] =
    "SELECT clock_timestamp()::text, l.checksum,"
    " coalesce(l.canonical, ''),"
    " CASE WHEN l.version IS NULL THEN NULL WHEN l.success AND"
    " l.down_completed IS NOT NULL THEN 'v' WHEN l.success THEN 'a'"
    " WHEN l.error IS NOT NULL THEN 'f' ELSE 'r' END,"
    " l.completed, l.failed_statement, coalesce(l.sqlstate, ''),"
    " coalesce(l.holder, ''),"
    " l.holder IS NOT NULL AND l.heartbeat > now() - $2::bigint *"
    " interval '1 millisecond' AND EXISTS (SELECT 1 FROM"
    " pg_stat_get_activity(l.holder_pid) a"
    " WHERE a.pid = l.holder_pid),"
    " coalesce(l.error, ''), coalesce(l.down_completed, 0)"
    " FROM (SELECT 1) AS one LEFT JOIN %s AS l ON l.version = $1";

static enum row_state state_of(const struct pg_result *res)
{
    if (pq_isnull(res, 0, K_STATE))
        return ROW_ABSENT;
    switch (pq_value(res, 0, K_STATE)[0]) {
    case 'a': return ROW_APPLIED;
    case 'v': return ROW_REVERTING;
    case 'f': return ROW_FAILED;
    default: return ROW_RUNNING;
    }
}

static void fill_check(struct ledger_check *row, struct pg_result *res)
{
    row->res = res;
    row->clock = pq_value(res, 0, K_CLOCK);
    row->state = state_of(res);
    row->checksum = pq_value(res, 0, K_CHECKSUM);
    row->canonical = pq_value(res, 0, K_CANONICAL);
    row->completed = atoi(pq_value(res, 0, K_COMPLETED));
    row->failed_statement = pq_isnull(res, 0, K_FAILED)
                                ? -1
                                : atoi(pq_value(res, 0, K_FAILED));
    row->sqlstate = pq_value(res, 0, K_SQLSTATE);
    row->holder = pq_value(res, 0, K_HOLDER);
    row->holder_alive = pq_value(res, 0, K_ALIVE)[0] == 't';
    row->error = pq_value(res, 0, K_ERROR);
    row->down_completed = atoi(pq_value(res, 0, K_DOWN));
}

/* Take the lock with reread's query (its text in q, freed here) read
 * under it; its rows into *out. */
static enum migc_code lock_reading(struct session *s, struct sql *q,
                                   struct pq_query *reread,
                                   struct pg_result **out,
                                   struct migc_error *err)
{
    reread->sql = sql_text(q);
    enum migc_code rc = reread->sql ? lock_take(s, reread, out, err)
                                    : nomem(err);
    sql_free(q);
    return rc;
}

enum migc_code record_lock_row(struct session *s, int64_t version,
                               struct ledger_check *row,
                               struct migc_error *err)
{
    *row = (struct ledger_check){.failed_statement = -1};
    struct sql q = SQL_INIT;
    sql_addf(&q, check_sql, s->table);
    char v[NUMBER_SIZE], stale[NUMBER_SIZE];
    struct pq_query reread = {.n_params = 2};
    reread.params[0] = number(v, version);
    reread.params[1] =
        number(stale, s->opts->stale_ms > 0 ? s->opts->stale_ms : 60000);
    struct pg_result *res;
    enum migc_code rc = lock_reading(s, &q, &reread, &res, err);
    if (rc == MIGC_OK)
        fill_check(row, res);
    return rc;
}

void record_check_clear(struct ledger_check *row)
{
    pq_clear(row->res);
    *row = (struct ledger_check){.failed_statement = -1};
}

enum migc_code record_lock_versions(struct session *s,
                                    struct ledger_versions *out,
                                    struct migc_error *err)
{
    *out = (struct ledger_versions){0};
    /* The server clock, and every version recorded (one row with a NULL
     * version when none is). */
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "SELECT clock_timestamp()::text, l.version::text FROM"
             " (SELECT 1) AS one LEFT JOIN %s AS l ON true",
             s->table);
    struct pq_query reread = {0};
    enum migc_code rc = lock_reading(s, &q, &reread, &out->res, err);
    if (rc == MIGC_OK)
        out->clock = pq_value(out->res, 0, 0);
    return rc;
}

int record_versions_hold(const struct ledger_versions *v, int64_t version)
{
    char text[NUMBER_SIZE];
    number(text, version);
    for (int i = 0; i < pq_rows(v->res); i++)
        if (!pq_isnull(v->res, i, 1) &&
            strcmp(pq_value(v->res, i, 1), text) == 0)
            return 1;
    return 0;
}

void record_versions_clear(struct ledger_versions *v)
{
    pq_clear(v->res);
    *v = (struct ledger_versions){0};
}

enum migc_code record_lock_packs(struct session *s,
                                 struct pack_checksums *out,
                                 struct migc_error *err)
{
    *out = (struct pack_checksums){0};
    struct sql q = SQL_INIT;
    sql_addf(&q, "SELECT name, checksum FROM %s", s->packs_table);
    struct pq_query reread = {0};
    return lock_reading(s, &q, &reread, &out->res, err);
}

const char *record_pack_checksum(const struct pack_checksums *c,
                                 const char *name)
{
    for (int i = 0; i < pq_rows(c->res); i++)
        if (!pq_isnull(c->res, i, 0) &&
            strcmp(pq_value(c->res, i, 0), name) == 0)
            return pq_value(c->res, i, 1);
    return NULL;
}

void record_pack_checksums_clear(struct pack_checksums *c)
{
    pq_clear(c->res);
    *c = (struct pack_checksums){0};
}

/* ---- Rows written in a pipeline of the caller ---------------------------- */

/* $1 version, $2 name, $3 checksum, $4 canonical, $5 the server time it
 * started (NULL: the transaction's start), $6 the number of statements. */
void record_applied_sql(const struct session *s, struct sql *out)
{
    sql_addf(out,
             "INSERT INTO %s (version, name, checksum, canonical,"
             " applied_at, duration_us, success, completed) VALUES ($1, $2,"
             " $3, $4, coalesce($5::timestamptz, now()),"
             " (extract(epoch FROM clock_timestamp() - coalesce("
             "$5::timestamptz, now())) * 1000000)::bigint, true, $6)",
             s->table);
}

/* The text the check of a migration's row in its pipeline fails with (a
 * cast to an integer, as lock_try_sql's). */
static const char recorded_mark[] =
    "migc: another process recorded this migration";

void record_absent_sql(const struct session *s, struct sql *out)
{
    sql_addf(out,
             "SELECT (CASE WHEN EXISTS (SELECT FROM %s WHERE version = $1)"
             " THEN '%s' END)::integer",
             s->table, recorded_mark);
}

int record_found(const struct pg_result *res)
{
    const char *msg = pq_message(res);
    return strcmp(pq_sqlstate(res), "22P02") == 0 && msg &&
           strstr(msg, recorded_mark) != NULL;
}

void record_applied_params(struct pq_query *q, const struct migc_migration *m,
                           const char *started, struct row_text *t)
{
    q->n_params = 6;
    q->params[0] = number(t->version, m->version);
    q->params[1] = m->name;
    q->params[2] = m->up.checksum;
    q->params[3] = m->up.canonical ? m->up.canonical : "";
    q->params[4] = started; /* NULL: now() */
    q->params[5] = number(t->count, (long long)m->up.n_statements);
}

void record_removed_sql(const struct session *s, struct sql *out)
{
    /* The row re-read as applied under the lock, which every writer of
     * the ledger takes. */
    sql_addf(out, "DELETE FROM %s WHERE version = $1 AND success", s->table);
}

void record_removed_params(struct pq_query *q, const struct migc_migration *m,
                           struct row_text *t)
{
    q->n_params = 1;
    q->params[0] = number(t->version, m->version);
}

void record_pack_sql(const struct session *s, struct sql *out)
{
    sql_addf(out,
             "INSERT INTO %s (name, checksum) VALUES ($1, $2) ON CONFLICT"
             " (name) DO UPDATE SET checksum = EXCLUDED.checksum,"
             " synced_at = now()",
             s->packs_table);
}

void record_pack_params(struct pq_query *q, const struct migc_pack *pk)
{
    q->n_params = 2;
    q->params[0] = pk->name;
    q->params[1] = pk->checksum;
}

/* ---- A migration applied outside a transaction --------------------------- */

/* One statement and COMMIT: one round trip. *rows (when given): the rows
 * the statement returned (an UPDATE ... RETURNING: the rows it changed). */
static enum migc_code commit_counting(struct session *s, const struct sql *sql,
                                      int n_params, const char *const *params,
                                      const char *what, int *rows,
                                      struct migc_error *err)
{
    if (!sql_text(sql))
        return nomem(err);
    struct pq_query q[2] = {{.sql = sql_text(sql), .n_params = n_params},
                            {.sql = "COMMIT"}};
    for (int i = 0; i < n_params; i++)
        q[0].params[i] = params[i];
    enum migc_code rc = MIGC_OK;
    struct pipeline p;
    if (pipeline_run(&s->db, q, 2, &p) != 0)
        rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), &s->db, what);
    else if (rows)
        *rows = pq_rows(pipeline_rows(&p, 0));
    pipeline_clear(&p);
    return rc;
}

static enum migc_code commit_with(struct session *s, const struct sql *sql,
                                  int n_params, const char *const *params,
                                  const char *what, struct migc_error *err)
{
    return commit_counting(s, sql, n_params, params, what, NULL, err);
}

enum migc_code record_claim(struct session *s, const struct migc_migration *m,
                            const char *started, struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "INSERT INTO %s (version, name, checksum, canonical,"
             " applied_at, success, completed, holder, holder_pid,"
             " heartbeat) VALUES ($1, $2, $3, $5, $6::timestamptz,"
             " false, 0, $4, pg_backend_pid(), now())",
             s->table);
    char v[NUMBER_SIZE];
    const char *params[6] = {number(v, m->version), m->name, m->up.checksum,
                             s->holder, m->up.canonical ? m->up.canonical : "",
                             started};
    enum migc_code rc = commit_with(s, &q, 6, params,
                                    "cannot record the migration", err);
    sql_free(&q);
    return rc;
}

enum migc_code record_take_over(struct session *s,
                                const struct migc_migration *m,
                                const struct ledger_check *row, int *taken,
                                struct migc_error *err)
{
    *taken = 0;
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET holder = $2, holder_pid = pg_backend_pid(),"
             " heartbeat = now(), error = NULL, sqlstate = NULL,"
             " failed_statement = NULL WHERE version = $1 AND NOT success"
             " AND coalesce(holder, '') = $3 AND completed = $4"
             " RETURNING 1",
             s->table);
    char v[NUMBER_SIZE], done[NUMBER_SIZE];
    const char *params[4] = {number(v, m->version), s->holder, row->holder,
                             number(done, row->completed)};
    int rows = 0;
    enum migc_code rc = commit_counting(s, &q, 4, params,
                                        "cannot record the migration", &rows,
                                        err);
    *taken = rows == 1;
    sql_free(&q);
    return rc;
}

/* An update of m's row while this run holds it: 0 rows updated means
 * another process took it over. params[0] and [1] are filled here. */
static enum migc_code progress(struct session *s,
                               const struct migc_migration *m,
                               struct sql *sql, int n_params,
                               const char **params, struct migc_error *err)
{
    char v[NUMBER_SIZE];
    params[0] = number(v, m->version);
    params[1] = s->holder;
    if (!sql_text(sql)) {
        sql_free(sql);
        return nomem(err);
    }
    struct pg_result *res = pq_exec(&s->db, sql_text(sql), n_params, params);
    sql_free(sql);
    enum migc_code rc = MIGC_OK;
    if (!pq_ok(res))
        rc = pq_error(err, MIGC_ERR_QUERY, res, &s->db,
                      "cannot record the migration's progress");
    else if (pq_changed(res) != 1)
        rc = migc_error_set(err, MIGC_ERR_RUNNING,
                            "migration %lld (%s) was taken over by another "
                            "process while this one applied it",
                            (long long)m->version, m->name);
    pq_clear(res);
    return rc;
}

enum migc_code record_progress(struct session *s,
                               const struct migc_migration *m, size_t done,
                               struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET completed = $3, heartbeat = now(),"
             " holder_pid = pg_backend_pid() WHERE version = $1"
             " AND holder = $2",
             s->table);
    char n[NUMBER_SIZE];
    const char *params[3] = {NULL, NULL, number(n, (long long)done)};
    return progress(s, m, &q, 3, params, err);
}

enum migc_code record_failure(struct session *s,
                              const struct migc_migration *m, int statement,
                              const char *sqlstate, const char *message,
                              struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET failed_statement = $3, sqlstate = $4, error = $5,"
             " heartbeat = now() WHERE version = $1 AND holder = $2",
             s->table);
    char index[NUMBER_SIZE];
    const char *params[5] = {NULL, NULL, number(index, statement), sqlstate,
                             message};
    return progress(s, m, &q, 5, params, err);
}

enum migc_code record_down_claim(struct session *s,
                                 const struct migc_migration *m, int *start,
                                 struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET down_completed = coalesce(down_completed, 0),"
             " holder = $2, holder_pid = pg_backend_pid(), heartbeat = now(),"
             " error = NULL, sqlstate = NULL WHERE version = $1"
             " RETURNING down_completed",
             s->table);
    char v[NUMBER_SIZE];
    const char *params[2] = {number(v, m->version), s->holder};
    enum migc_code rc = MIGC_OK;
    struct pq_query pq[2] = {{.sql = sql_text(&q), .n_params = 2},
                             {.sql = "COMMIT"}};
    pq[0].params[0] = params[0];
    pq[0].params[1] = params[1];
    struct pipeline p;
    if (!pq[0].sql)
        rc = nomem(err);
    else if (pipeline_run(&s->db, pq, 2, &p) != 0)
        rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), &s->db,
                      "cannot mark the migration as being reverted");
    else if (pq_rows(pipeline_rows(&p, 0)) != 1)
        rc = migc_error_set(err, MIGC_ERR_LEDGER,
                            "migration %lld (%s) is no longer recorded as "
                            "applied: another process reverted it",
                            (long long)m->version, m->name);
    else
        *start = atoi(pq_value(pipeline_rows(&p, 0), 0, 0));
    if (pq[0].sql)
        pipeline_clear(&p);
    sql_free(&q);
    return rc;
}

enum migc_code record_down_progress(struct session *s,
                                    const struct migc_migration *m,
                                    size_t done, struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET down_completed = $3, heartbeat = now()"
             " WHERE version = $1 AND holder = $2",
             s->table);
    char n[NUMBER_SIZE];
    const char *params[3] = {NULL, NULL, number(n, (long long)done)};
    return progress(s, m, &q, 3, params, err);
}

enum migc_code record_down_failure(struct session *s,
                                   const struct migc_migration *m,
                                   const char *sqlstate, const char *message,
                                   struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET sqlstate = $3, error = $4, holder = NULL,"
             " holder_pid = NULL, heartbeat = NULL WHERE version = $1"
             " AND holder = $2",
             s->table);
    const char *params[4] = {NULL, NULL, sqlstate, message};
    return progress(s, m, &q, 4, params, err);
}

enum migc_code record_finish(struct session *s, const struct migc_migration *m,
                             size_t n, int64_t duration_us,
                             struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET success = true, completed = $3, holder = NULL,"
             " holder_pid = NULL, heartbeat = NULL, duration_us = duration_us"
             " + $4::bigint WHERE version = $1 AND holder = $2",
             s->table);
    char count[NUMBER_SIZE], us[NUMBER_SIZE];
    const char *params[4] = {NULL, NULL, number(count, (long long)n),
                             number(us, duration_us)};
    return progress(s, m, &q, 4, params, err);
}

enum migc_code record_resolve(struct session *s, int64_t version,
                              const struct ledger_check *row, int completed,
                              int success, struct migc_error *err)
{
    struct sql q = SQL_INIT;
    sql_addf(&q,
             "UPDATE %s SET success = $3::boolean, completed = $2,"
             " error = NULL, sqlstate = NULL, failed_statement = NULL,"
             " holder = NULL, holder_pid = NULL, heartbeat = NULL"
             " WHERE version = $1 AND success = $6::boolean"
             " AND coalesce(holder, '') = $4 AND completed = $5"
             " RETURNING 1",
             s->table);
    char v[NUMBER_SIZE], n[NUMBER_SIZE], was[NUMBER_SIZE];
    const char *params[6] = {number(v, version), number(n, completed),
                             success ? "true" : "false", row->holder,
                             number(was, row->completed),
                             row->state == ROW_REVERTING ? "true" : "false"};
    int rows = 0;
    enum migc_code rc = commit_counting(
        s, &q, 6, params, "cannot resolve the migration", &rows, err);
    if (rc == MIGC_OK && rows != 1)
        rc = migc_error_set(err, MIGC_ERR_RUNNING,
                            "migration %lld changed while it was being "
                            "resolved (another process applied or took it "
                            "over): nothing was resolved; see status",
                            (long long)version);
    sql_free(&q);
    return rc;
}
