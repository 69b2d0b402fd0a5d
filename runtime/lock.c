/* lock.c: the migration lock and waiting for other processes.
 *
 * The lock is a transaction-scoped advisory lock, only ever tried
 * (pg_try_advisory_xact_lock), never waited for inside a statement: a
 * backend blocked in a lock wait holds a snapshot, and CREATE INDEX
 * CONCURRENTLY run by another process waits for every older snapshot to
 * go away. Waiting happens here, between tries, with the connection idle,
 * which also lets the wait be logged and bounded. */
#include "lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "sql.h"

enum {
    DEFAULT_WAIT_MS = 10 * 60 * 1000,
    FIRST_PAUSE_MS = 5,
    LAST_PAUSE_MS = 250
};

/* Inside our own transactions only: IF NOT EXISTS chatter is not news, and
 * the caller's connection settings outlive us unchanged. */
static const char quiet[] = "SET LOCAL client_min_messages = warning";

enum migc_code waiter_pause(struct session *s, struct waiter *w,
                            const char *what, struct migc_error *err)
{
    int64_t now = pq_now_ms();
    if (w->attempt == 0)
        w->started_ms = w->mark_ms = now;
    /* What the caller waited: every pause, and the busy tries after them
     * (which a loaded server makes long), in wall time. */
    s->waited_ms += now - w->mark_ms;
    int64_t limit = s->opts->lock_wait_ms ? s->opts->lock_wait_ms
                                          : DEFAULT_WAIT_MS;
    if (limit >= 0 && now - w->started_ms >= limit) {
        migc_error_set(err, MIGC_ERR_LOCK_TIMEOUT,
                       "timed out after %.1f s waiting for %s",
                       (double)(now - w->started_ms) / 1000.0, what);
        return MIGC_ERR_LOCK_TIMEOUT;
    }
    int64_t pause = FIRST_PAUSE_MS;
    for (unsigned i = 0; i < w->attempt && pause < LAST_PAUSE_MS; i++)
        pause *= 2;
    if (pause > LAST_PAUSE_MS)
        pause = LAST_PAUSE_MS;
    /* Some jitter, so that processes that started together drift apart. */
    pause += (int64_t)((unsigned)getpid() * 7919u + w->attempt * 31u) %
             (pause / 2 + 1);
    if (limit >= 0 && now + pause - w->started_ms > limit)
        pause = limit - (now - w->started_ms);
    w->attempt++;
    pq_sleep_ms(pause);
    w->mark_ms = pq_now_ms();
    s->waited_ms += w->mark_ms - now;
    return MIGC_OK;
}

/* The lock's holder, by its key in pg_locks. Advisory locks belong to a
 * database: the same key held in another database of the server (another
 * service's ledger of the same name) is not this lock. */
#define HOLDER_FROM                                                         \
    " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"             \
    " WHERE l.locktype = 'advisory' AND l.granted"                          \
    " AND l.database = (SELECT oid FROM pg_database"                        \
    " WHERE datname = current_database())"                                  \
    " AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1"

/* The lock's key as pg_locks shows it: classid and objid. */
struct key_text {
    char hi[16], lo[16];
};

static void key_text(const struct session *s, struct key_text *t)
{
    uint64_t key = (uint64_t)s->lock_key;
    snprintf(t->hi, sizeof t->hi, "%lu", (unsigned long)(key >> 32));
    snprintf(t->lo, sizeof t->lo, "%lu", (unsigned long)(key & 0xffffffffu));
}

/* Log once who holds the lock and what it runs. */
static void tell_holder(struct session *s)
{
    if (s->told_waiting || !s->opts->log)
        return;
    s->told_waiting = 1;
    struct key_text k;
    key_text(s, &k);
    const char *params[2] = {k.hi, k.lo};
    struct pg_result *res = pq_exec(
        &s->db,
        "SELECT a.pid, coalesce(nullif(a.application_name, ''), '-'),"
        " coalesce(a.state, '?'),"
        " coalesce(extract(epoch FROM now() - a.xact_start)::numeric(10,1),"
        " 0), left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200)"
        HOLDER_FROM,
        2, params);
    if (pq_has_rows(res) && pq_rows(res) > 0)
        session_log(s, MIGC_LOG_INFO,
                    "waiting for the migration lock, held by server process "
                    "%s (application %s, %s for %s s): %s",
                    pq_value(res, 0, 0), pq_value(res, 0, 1),
                    pq_value(res, 0, 2), pq_value(res, 0, 3),
                    pq_value(res, 0, 4));
    else
        session_log(s, MIGC_LOG_INFO,
                    "waiting for the migration lock, held by another "
                    "process");
    pq_clear(res);
}

/* The text the lock's try in a pipeline fails with: a cast of it to an
 * integer, so that the server aborts the transaction and skips the rest of
 * the pipeline (no function of ours in the database). */
static const char busy_mark[] =
    "migc: the migration lock is held by another process";

void lock_try_sql(const struct session *s, int async_commit, struct sql *out)
{
    sql_addf(out,
             "SELECT set_config('client_min_messages', 'warning', true),%s"
             " (CASE WHEN pg_try_advisory_xact_lock(%lld) THEN NULL"
             " ELSE '%s' END)::integer",
             async_commit ? " set_config('synchronous_commit', 'off', true),"
                          : "",
             (long long)s->lock_key, busy_mark);
}

enum { SIDE_WAIT_MS = 2000 };

int lock_activity(struct session *s, struct sql *out)
{
    if (s->side_failed)
        return -1;
    if (!s->side && !(s->side = pq_connect_like(s->db.pg, SIDE_WAIT_MS))) {
        s->side_failed = 1;
        return -1;
    }
    struct key_text k;
    key_text(s, &k);
    const char *params[2] = {k.hi, k.lo};
    struct pg_result *res = pq_exec_within(
        s->side, "SELECT a.query" HOLDER_FROM " AND a.state = 'active'", 2,
        params, SIDE_WAIT_MS);
    int found = pq_has_rows(res) && pq_rows(res) == 1;
    if (found)
        sql_add(out, pq_value(res, 0, 0));
    if (!res || !pq_ok(res)) {
        /* Slow (a pooler with no server to spare) or refused: a progress
         * line is not worth waiting for twice. */
        migc_disconnect(s->side);
        s->side = NULL;
        s->side_failed = 1;
    }
    pq_clear(res);
    return found ? 0 : -1;
}

int lock_busy(const struct pg_result *res)
{
    const char *msg = pq_message(res);
    return strcmp(pq_sqlstate(res), "22P02") == 0 && msg &&
           strstr(msg, busy_mark) != NULL;
}

enum migc_code lock_wait_turn(struct session *s, struct waiter *w,
                              struct migc_error *err)
{
    tell_holder(s);
    return waiter_pause(s, w, "the migration lock held by another process",
                        err);
}

enum migc_code lock_take(struct session *s, const struct pq_query *reread,
                         struct pg_result **out, struct migc_error *err)
{
    if (out)
        *out = NULL;
    struct sql lock = SQL_INIT;
    sql_addf(&lock, "SELECT pg_try_advisory_xact_lock(%lld)",
             (long long)s->lock_key);
    if (lock.nomem)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    struct pq_query q[4] = {{.sql = "BEGIN"}, {.sql = quiet},
                            {.sql = sql_text(&lock)}};
    if (reread)
        q[3] = *reread;
    size_t n = reread ? 4 : 3;
    struct waiter w = {0};
    enum migc_code rc = MIGC_OK;
    for (;;) {
        struct pipeline p;
        int failed = pipeline_run(&s->db, q, n, &p);
        const struct pg_result *got = pipeline_rows(&p, 2);
        if (failed || !got) {
            rc = pq_error(err, MIGC_ERR_QUERY, pipeline_error(&p), &s->db,
                          "cannot lock the migration ledger");
            pipeline_clear(&p);
            pq_rollback(&s->db);
            break;
        }
        if (pq_value(got, 0, 0)[0] == 't') {
            if (out && reread)
                *out = pipeline_take(&p, 3);
            pipeline_clear(&p);
            break;
        }
        pipeline_clear(&p);
        pq_rollback(&s->db);
        rc = lock_wait_turn(s, &w, err);
        if (rc != MIGC_OK)
            break;
    }
    sql_free(&lock);
    return rc;
}
