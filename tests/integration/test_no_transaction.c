/* test_no_transaction.c: libmigc against a real PostgreSQL for scripts that
 * run without a transaction of migc's (format 2): a lone CREATE INDEX
 * CONCURRENTLY, a declared `-- migc:no-transaction` script that fails
 * half-way, scripts of their own BEGIN ... COMMIT blocks, a whole-file
 * wrapper (which does run in migc's transaction), concurrent processes on a
 * CONCURRENTLY migration, and the down scripts the up-down layout embeds.
 *
 * Fixtures (tests/integration/schemas/notx_*):
 *   notx_index      up-down layout: 1 table (down: DROP TABLE), 2 CREATE
 *                   INDEX CONCURRENTLY (down: DROP INDEX CONCURRENTLY),
 *                   3 ALTER TABLE (no down)
 *   notx_partial    1 table, 2 `-- migc:no-transaction` whose second
 *                   statement fails, 3 a table never reached
 *   notx_blocks     1 table, 2 two BEGIN ... COMMIT blocks
 *   notx_blocks_bad the same, the second block fails
 *   notx_wrapped    1 table, 2 a wrapped script that applies, 3 a wrapped
 *                   script whose third statement fails */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, waitpid */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <migc.h>

#include "fixture_notx_blocks.h"
#include "fixture_notx_blocks_bad.h"
#include "fixture_notx_index.h"
#include "fixture_notx_partial.h"
#include "fixture_notx_wrapped.h"
#include "fixture_squash_new.h"
#include "fixture_squash_old.h"
#include "dbtest.h"

#define LEDGER "public.migc_migrations"
#define SCHEMAS "tests/integration/schemas/"

/* ---- Helpers ----------------------------------------------------------- */

/* pg_locks is the server's: other test programs share the server. */
#define THIS_DB                                                               \
    " AND database = (SELECT oid FROM pg_database"                            \
    " WHERE datname = current_database())"

/* The session-level advisory lock of the no-transaction path is released
 * on every path: no session holds or waits for an advisory lock. */
static void assert_no_advisory_locks(struct fixture *f)
{
    assert_string_equal(value(f, "SELECT count(*) FROM pg_locks"
                                 " WHERE locktype = 'advisory'" THIS_DB),
                        "0");
}

/* "version|success|failed_statement" for every ledger row. */
static const char *ledger(struct fixture *f)
{
    return rows(f, "SELECT version, success, failed_statement FROM " LEDGER
                   " ORDER BY version");
}

static void migrate_ok(struct fixture *f, const struct migc_schema *s,
                       const struct migc_options *opts,
                       struct migc_report *rep)
{
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_migrate(f->conn, s, opts, rep, &err);
    if (rc != MIGC_OK)
        print_error("migc_migrate(%s): %s\n", s->name, err.message);
    assert_int_equal(rc, MIGC_OK);
    assert_string_equal(err.message, "");
    assert_idle(f->conn);
    assert_no_advisory_locks(f);
}

/* Events as text: "+V" applying, "=V" applied. */
struct events {
    char log[256];
    unsigned applied_mask; /* bit V set when version V was applied */
};

static void record(const struct migc_event *e, void *ctx)
{
    struct events *ev = ctx;
    size_t n = strlen(ev->log);
    snprintf(ev->log + n, sizeof ev->log - n, "%s%c%lld", n ? " " : "",
             e->kind == MIGC_EVENT_APPLYING ? '+' : '=',
             (long long)e->migration->version);
    if (e->kind == MIGC_EVENT_APPLIED && e->migration->version < 32)
        ev->applied_mask |= 1u << e->migration->version;
}

/* ---- Round trips ------------------------------------------------------- */
/* From the protocol of runtime/apply.c (docs/ledger.md), on a fresh
 * database where nothing fails:
 *   read the ledger                                  1
 *   create it (lock, then the tables and COMMIT)     2
 *   a transactional migration: BEGIN, the lock's
 *     try, the check, statements, ledger INSERT and
 *     COMMIT, pipelined                              1
 *   a no-transaction migration of n statements:
 *     claim (lock + recheck, then the running row
 *     and COMMIT)                                    2
 *     each statement alone                           n
 *     the progress after each but the last       n - 1
 *     the final row                                  1  -> 2n + 2
 * A statement that fails in a no-transaction script ends the loop: the
 * statements run are the ones before it and itself; the connection is in
 * autocommit (idle) after it unless the failure is inside the script's own
 * BEGIN, which costs one ROLLBACK more. */
enum {
    RT_READ = 1,
    RT_CREATE = 2,        /* lock, then the tables and COMMIT */
    RT_TRANSACTIONAL = 1, /* BEGIN, the lock's try, the check, the
                             statements, the row, COMMIT: one pipeline */
    RT_ROLLBACK = 1,
    RT_FLUSH = 1, /* a run that stopped after an asynchronous commit (group
                     commit) ends with a synchronous one (apply_flush) */
};

/* Outside a transaction: claiming the row (lock and recheck, then the
 * running row and COMMIT), each statement, the progress after each but the
 * last, and the final row; when statement k (0-based) fails: the statements
 * up to it, the progress after each before it, and the failed row. */
#define RT_OUTSIDE_OK(n) (2 + 2 * (n))
#define RT_OUTSIDE_FAILED(k) (4 + 2 * (k))

/* ---- 1. A lone CREATE INDEX CONCURRENTLY ------------------------------- */

static void test_concurrent_index_applies(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *s = &fixture_notx_index;
    /* 2 is the CONCURRENTLY one: a script of one statement that PostgreSQL
     * refuses in a transaction block. */
    assert_int_equal(s->n_migrations, 3);
    assert_int_equal(s->migrations[1].up.flags, MIGC_SCRIPT_NO_TRANSACTION);
    assert_int_equal(s->migrations[1].up.n_statements, 1);
    assert_int_equal(s->migrations[0].up.flags, MIGC_SCRIPT_NONE);
    assert_int_equal(s->migrations[2].up.flags, MIGC_SCRIPT_NONE);

    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    struct migc_report rep = MIGC_REPORT_INIT;
    memset(&rep, 0xff, sizeof rep);
    migrate_ok(f, s, &opts, &rep);
    assert_int_equal(rep.pending, 3);
    assert_int_equal(rep.applied, 3);
    assert_string_equal(ev.log, "+1 =1 +2 =2 +3 =3");
    /* read 1 + create 2 + migration 1: 1 + migration 2 (1 statement): 4
     * + migration 3: 1 = 9 */
    assert_int_equal(rep.round_trips, RT_READ + RT_CREATE + RT_TRANSACTIONAL +
                                          RT_OUTSIDE_OK(1) +
                                          RT_TRANSACTIONAL);
    assert_int_equal(rep.round_trips, 9);

    /* The index exists, once, and is valid and ready. */
    assert_string_equal(
        value(f, "SELECT indexdef FROM pg_indexes"
                 " WHERE indexname = 'events_kind_idx'"),
        "CREATE INDEX events_kind_idx ON public.events USING btree (kind)");
    assert_string_equal(rows(f, "SELECT indisvalid, indisready FROM pg_index"
                                " WHERE indexrelid = 'events_kind_idx'"
                                "::regclass"),
                        "t|t");
    assert_string_equal(value(f, "SELECT count(*) FROM pg_index"
                                 " WHERE indrelid = 'events'::regclass"),
                        "2"); /* the primary key's and events_kind_idx */
    /* Migration 3 ran after it. */
    assert_string_equal(value(f, "SELECT count(*) FROM information_schema"
                                 ".columns WHERE table_name = 'events'"
                                 " AND column_name = 'note'"),
                        "1");

    /* Every row successful, with the embedded checksum; 2's row like the
     * others (no failed statement, no error, a duration). */
    char want[1024];
    snprintf(want, sizeof want, "1|%s|t\n2|%s|t\n3|%s|t",
             s->migrations[0].up.checksum, s->migrations[1].up.checksum,
             s->migrations[2].up.checksum);
    assert_string_equal(rows(f, "SELECT version, checksum, success FROM "
                                LEDGER " ORDER BY version"),
                        want);
    assert_string_equal(rows(f, "SELECT name, success, failed_statement,"
                                " error, duration_us >= 0 FROM " LEDGER
                                " WHERE version = 2"),
                        "0002_events_kind_idx.up.sql|t|<null>|<null>|t");

    /* Up to date: one round trip, nothing applied. */
    migrate_ok(f, s, NULL, &rep);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, RT_READ);
}

/* ---- 2. A declared no-transaction script that fails half-way ------------ */

#define PARTIAL_PATH SCHEMAS "notx_partial/0002_partial.sql"
#define PARTIAL_MESSAGE                                                       \
    PARTIAL_PATH ":5:15: 42703 column \"missing_column\" does not exist"

static void test_declared_no_transaction_fails_half_way(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *s = &fixture_notx_partial;
    assert_int_equal(s->migrations[1].up.flags,
                     MIGC_SCRIPT_NO_TRANSACTION |
                         MIGC_SCRIPT_DECLARED_NO_TRANSACTION);
    assert_int_equal(s->migrations[1].up.n_statements, 3);

    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, &opts, &rep, &err),
                     MIGC_ERR_MIGRATION);
    /* The failing statement (the second, an UPDATE over lines 3-4) at the
     * server's position: line 4, column 15. */
    assert_int_equal(err.code, MIGC_ERR_MIGRATION);
    assert_string_equal(err.message, PARTIAL_MESSAGE);
    assert_non_null(err.path);
    assert_string_equal(err.path, PARTIAL_PATH);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 15);
    assert_string_equal(err.sqlstate, "42703");
    assert_int_equal(err.version, 2);
    assert_int_equal(err.statement, 1);
    assert_int_equal(rep.pending, 3);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(ev.log, "+1 =1 +2");
    /* read 1 + create 2 + migration 1: 1 + migration 2: claim 2, two
     * statements (the second fails, in autocommit: no ROLLBACK), the
     * progress after the first, the failed row = 10 (the claim's commit
     * was synchronous: no flush after) */
    assert_int_equal(rep.round_trips, RT_READ + RT_CREATE + RT_TRANSACTIONAL +
                                          RT_OUTSIDE_FAILED(1));
    assert_int_equal(rep.round_trips, 10);
    assert_idle(f->conn);
    assert_no_advisory_locks(f);

    /* The first statement ran outside any transaction: it stays. The third
     * never ran, nor did migration 3. */
    assert_string_equal(rows(f, "SELECT id, name FROM accounts ORDER BY id"),
                        "1|first");
    assert_string_equal(relation(f, "public.after_partial"), "<null>");

    /* The ledger records the failure: the statement's index and the error. */
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|1");
    assert_string_equal(
        value(f, "SELECT error FROM " LEDGER " WHERE version = 2"),
        PARTIAL_MESSAGE);
    assert_string_equal(
        value(f, "SELECT checksum FROM " LEDGER " WHERE version = 2"),
        s->migrations[1].up.checksum);

    /* A second run refuses before applying anything. */
    ev = (struct events){"", 0};
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, &opts, &rep, &err),
                     MIGC_ERR_FAILED);
    assert_int_equal(err.version, 2);
    assert_non_null(strstr(err.message, "0002_partial.sql"));
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.round_trips, RT_READ);
    assert_string_equal(ev.log, "");
    assert_idle(f->conn);
    assert_string_equal(rows(f, "SELECT id, name FROM accounts ORDER BY id"),
                        "1|first");
    assert_string_equal(relation(f, "public.after_partial"), "<null>");
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|1");

    /* Status says so too. */
    struct migc_status *st = NULL;
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_status(f->conn, s, NULL, &st, &err), MIGC_OK);
    assert_int_equal(st->n_entries, 3);
    assert_int_equal(migc_status_entry_at(st, 0)->state, MIGC_STATE_APPLIED);
    assert_int_equal(migc_status_entry_at(st, 1)->state, MIGC_STATE_FAILED);
    assert_int_equal(migc_status_entry_at(st, 2)->state, MIGC_STATE_PENDING);
    migc_status_free(st);
}

/* The ledger's error text does not depend on the caller passing an error
 * struct (the row is what an operator reads later). */
static void test_failed_row_without_error_struct(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    assert_int_equal(
        migc_migrate(f->conn, &fixture_notx_partial, NULL, &rep, NULL),
        MIGC_ERR_MIGRATION);
    assert_int_equal(rep.applied, 1);
    assert_idle(f->conn);
    assert_no_advisory_locks(f);
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|1");
    assert_string_equal(
        value(f, "SELECT error FROM " LEDGER " WHERE version = 2"),
        PARTIAL_MESSAGE);
}

/* ---- 3. A script of its own BEGIN ... COMMIT blocks --------------------- */

static void test_own_transactions_apply(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *s = &fixture_notx_blocks;
    const struct migc_script *up = &s->migrations[1].up;
    assert_int_equal(up->flags, MIGC_SCRIPT_NO_TRANSACTION |
                                    MIGC_SCRIPT_OWN_TRANSACTIONS);
    /* Run as written: both blocks' BEGIN and COMMIT are statements. */
    assert_int_equal(up->n_statements, 8);
    assert_string_equal(up->statements[0].sql, "BEGIN");
    assert_string_equal(up->statements[7].sql, "COMMIT");

    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, s, NULL, &rep);
    assert_int_equal(rep.applied, 2);
    /* read 1 + create 2 + migration 1: 1 + migration 2: 2 + 8 + 7 + 1 */
    assert_int_equal(rep.round_trips, RT_READ + RT_CREATE + RT_TRANSACTIONAL +
                                          RT_OUTSIDE_OK(8));
    assert_string_equal(rows(f, "SELECT id, note FROM entries ORDER BY id"),
                        "1|block one\n2|block two");
    assert_string_equal(relation(f, "public.block_one"), "block_one");
    assert_string_equal(relation(f, "public.block_two"), "block_two");
    assert_string_equal(ledger(f), "1|t|<null>\n2|t|<null>");
}

#define BLOCKS_BAD_PATH SCHEMAS "notx_blocks_bad/0002_two_blocks.sql"

static void test_own_transactions_second_block_fails(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *s = &fixture_notx_blocks_bad;
    assert_int_equal(s->migrations[1].up.flags,
                     MIGC_SCRIPT_NO_TRANSACTION |
                         MIGC_SCRIPT_OWN_TRANSACTIONS);
    assert_int_equal(s->migrations[1].up.n_statements, 9);

    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, NULL, &rep, &err),
                     MIGC_ERR_MIGRATION);
    /* The duplicate INSERT: statement 6 (BEGIN INSERT CREATE COMMIT BEGIN
     * INSERT *INSERT*), line 9; the server gives no position. */
    assert_string_equal(err.message,
                        BLOCKS_BAD_PATH ":9:1: 23505 duplicate key value "
                                        "violates unique constraint "
                                        "\"entries_pkey\"");
    assert_string_equal(err.sqlstate, "23505");
    assert_int_equal(err.statement, 6);
    assert_int_equal(err.version, 2);
    assert_int_equal(err.line, 9);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.detail, "(id)=(1)"));
    assert_int_equal(rep.applied, 1);
    /* read 1 + create 2 + migration 1: 1 + migration 2: failing at its
     * 7th statement, and the ROLLBACK of the script's open block */
    assert_int_equal(rep.round_trips, RT_READ + RT_CREATE + RT_TRANSACTIONAL +
                                          RT_OUTSIDE_FAILED(6) + RT_ROLLBACK);
    /* The script's open transaction was rolled back: the connection is
     * idle and usable. */
    assert_int_equal(PQtransactionStatus(f->conn), PQTRANS_IDLE);
    assert_idle(f->conn);
    assert_no_advisory_locks(f);

    /* The first block committed and stays; the second left nothing. */
    assert_string_equal(rows(f, "SELECT id, note FROM entries ORDER BY id"),
                        "1|block one");
    assert_string_equal(relation(f, "public.block_one"), "block_one");
    assert_string_equal(relation(f, "public.block_two"), "<null>");
    /* Recorded as failed (outside the script's rolled-back block). */
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|6");
    assert_string_equal(
        value(f, "SELECT error FROM " LEDGER " WHERE version = 2"),
        err.message);

    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, NULL, &rep, &err),
                     MIGC_ERR_FAILED);
    assert_int_equal(rep.applied, 0);
    assert_idle(f->conn);
}

/* ---- 4. A whole-file wrapper runs in migc's transaction ---------------- */

#define WRAPPED_FAILS_PATH SCHEMAS "notx_wrapped/0003_wrapped_fails.sql"

static void test_wrapper_runs_in_migc_transaction(void **state)
{
    struct fixture *f = *state;
    const struct migc_schema *s = &fixture_notx_wrapped;
    /* The wrapper is left out of the statements; the scripts are
     * transactional. */
    const struct migc_script *ok = &s->migrations[1].up;
    const struct migc_script *bad = &s->migrations[2].up;
    assert_int_equal(ok->flags, MIGC_SCRIPT_WRAPPED);
    assert_int_equal(bad->flags, MIGC_SCRIPT_WRAPPED);
    assert_int_equal(ok->n_statements, 2);
    assert_int_equal(bad->n_statements, 3);
    assert_string_equal(ok->statements[0].sql,
                        "INSERT INTO things (id) VALUES (1)");
    assert_string_equal(ok->statements[1].sql,
                        "CREATE TABLE wrapped_ok (id integer)");
    assert_string_equal(bad->statements[0].sql,
                        "INSERT INTO things (id) VALUES (10)");

    struct events ev = {"", 0};
    struct migc_options opts =
        MIGC_OPTIONS(.on_event = record, .event_ctx = &ev);
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, &opts, &rep, &err),
                     MIGC_ERR_MIGRATION);
    assert_string_equal(err.message,
                        WRAPPED_FAILS_PATH ":5:13: 42P01 relation "
                                           "\"missing_table\" does not "
                                           "exist");
    /* Index among the statements without the wrapper. */
    assert_int_equal(err.statement, 2);
    assert_int_equal(err.version, 3);
    assert_int_equal(rep.applied, 2);
    assert_string_equal(ev.log, "+1 =1 +2 =2 +3");
    /* read 1 + create 2 + three transactional migrations: 1 each, the
     * ROLLBACK of 3's aborted transaction, and the synchronous commit that
     * makes 1 and 2 durable (their commits were asynchronous) = 8. Sent as
     * written, the wrapper's COMMIT would have ended migc's transaction
     * early. */
    assert_int_equal(rep.round_trips, RT_READ + RT_CREATE +
                                          3 * RT_TRANSACTIONAL + RT_ROLLBACK +
                                          RT_FLUSH);
    assert_idle(f->conn);
    assert_no_advisory_locks(f);

    /* 2 applied whole, in migc's transaction with its ledger row. */
    assert_string_equal(relation(f, "public.wrapped_ok"), "wrapped_ok");
    /* 3 left nothing: not its first statement, not its second, and no
     * ledger row (a transactional failure is rolled back, not recorded). */
    assert_string_equal(rows(f, "SELECT id FROM things ORDER BY id"), "1");
    assert_string_equal(relation(f, "public.wrapped_half"), "<null>");
    assert_string_equal(ledger(f), "1|t|<null>\n2|t|<null>");

    /* So a later run tries it again (not MIGC_ERR_FAILED). */
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_migrate(f->conn, s, NULL, &rep, &err),
                     MIGC_ERR_MIGRATION);
    assert_int_equal(rep.pending, 1);
    assert_int_equal(rep.applied, 0);
    assert_int_equal(err.statement, 2);
    assert_idle(f->conn);
    assert_string_equal(ledger(f), "1|t|<null>\n2|t|<null>");
}

/* What a child process reports; one write() of less than PIPE_BUF is
 * atomic. */
struct outcome {
    int rc;
    int pid;
    unsigned applied_mask;
    size_t applied;
    char message[1024]; /* as in struct migc_error */
    char detail[512];
};

/* ---- A failure recorded while a process waits for the lock ------------ */

/* In the child: tell the parent, once, that it waits for the lock. */
static int waiting_fd = -1;

static void tell_waiting(enum migc_log_level level, const char *message,
                         void *ctx)
{
    (void)level;
    (void)ctx;
    if (waiting_fd >= 0 && strncmp(message, "waiting for", 11) == 0) {
        if (write(waiting_fd, "w", 1) != 1) {
            /* the parent's assertion fails on its side */
        }
        close(waiting_fd);
        waiting_fd = -1;
    }
}

/* Apply the first n_first migrations of s; hold the ledger lock; start a
 * process that migrates s (it reads the ledger, then waits for the lock to
 * apply migration n_first + 1); record that migration as failed, as another
 * process whose no-transaction script failed would have; release the lock.
 * The waiting process must refuse it like a fresh run (MIGC_ERR_FAILED),
 * not take the failed row for an applied one and go on past it. */
static void fails_meanwhile(struct fixture *f, const struct migc_schema *s,
                            size_t n_first)
{
    struct migc_schema first = *s;
    first.n_migrations = n_first;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &first, NULL, &rep);
    const struct migc_migration *m = &s->migrations[n_first];

    value(f, "SELECT pg_advisory_lock(%lld)", ledger_lock_key());
    int out[2], wait[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(wait), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(out[0]);
        close(wait[0]);
        waiting_fd = wait[1];
        struct outcome o = {.rc = -1, .pid = (int)getpid()};
        PGconn *conn = PQconnectdb(f->db.conninfo);
        if (PQstatus(conn) == CONNECTION_OK) {
            struct migc_report r = MIGC_REPORT_INIT;
            struct migc_error err = MIGC_ERROR_INIT;
            struct migc_options opts = MIGC_OPTIONS(.log = tell_waiting);
            o.rc = (int)migc_migrate(conn, s, &opts, &r, &err);
            o.applied = r.applied;
            snprintf(o.message, sizeof o.message, "%s", err.message);
        }
        PQfinish(conn);
        _exit(write(out[1], &o, sizeof o) == (ssize_t)sizeof o ? 0 : 1);
    }
    close(out[1]);
    close(wait[1]);
    /* Until the process says it waits for the lock (it only tries the
     * lock, so pg_locks shows no waiter; 10 s at most). */
    struct pollfd pfd = {wait[0], POLLIN, 0};
    assert_int_equal(poll(&pfd, 1, 10000), 1);
    char w = 0;
    assert_int_equal(read(wait[0], &w, 1), 1);
    assert_int_equal(w, 'w');
    close(wait[0]);
    value(f, "INSERT INTO " LEDGER " (version, name, checksum, success,"
             " failed_statement, error) VALUES (%lld, '%s', '%s', false, 0,"
             " 'failed in another process')",
          (long long)m->version, m->name, m->up.checksum);
    value(f, "SELECT pg_advisory_unlock(%lld)", ledger_lock_key());

    struct outcome o;
    assert_int_equal(read(out[0], &o, sizeof o), (ssize_t)sizeof o);
    close(out[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (o.rc != MIGC_ERR_FAILED)
        print_error("the waiting process: %s (%s), %zu applied\n",
                    o.rc >= 0 ? migc_strerror(o.rc) : "failed", o.message,
                    o.applied);
    assert_int_equal(o.rc, MIGC_ERR_FAILED);
    assert_int_equal(o.applied, 0);
    assert_non_null(strstr(o.message, m->name));
    assert_no_advisory_locks(f);
}

static void test_failed_meanwhile_outside(void **state)
{
    struct fixture *f = *state;
    /* Waits in the no-transaction path (migration 2). */
    fails_meanwhile(f, &fixture_notx_partial, 1);
    assert_string_equal(value(f, "SELECT count(*) FROM accounts"), "0");
    assert_string_equal(relation(f, "public.after_partial"), "<null>");
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|0");
}

static void test_failed_meanwhile_transactional(void **state)
{
    struct fixture *f = *state;
    /* Waits in the transactional path (migration 2, wrapped). */
    fails_meanwhile(f, &fixture_notx_wrapped, 1);
    assert_string_equal(value(f, "SELECT count(*) FROM things"), "0");
    assert_string_equal(relation(f, "public.wrapped_ok"), "<null>");
    assert_string_equal(ledger(f), "1|t|<null>\n2|f|0");
}

/* ---- 6. Down scripts of the up-down layout ---------------------------- */

static void test_down_scripts_embedded(void **state)
{
    (void)state;
    const struct migc_schema *s = &fixture_notx_index;
    assert_int_equal(s->format, MIGC_FORMAT_VERSION);
    assert_int_equal(s->n_migrations, 3);

    const struct migc_migration *m1 = &s->migrations[0];
    assert_string_equal(m1->name, "0001_events.up.sql");
    assert_string_equal(m1->description, "events");
    assert_string_equal(m1->up.path, SCHEMAS "notx_index/0001_events.up.sql");
    assert_non_null(m1->down);
    assert_string_equal(m1->down->path,
                        SCHEMAS "notx_index/0001_events.down.sql");
    assert_int_equal(m1->down->flags, MIGC_SCRIPT_NONE);
    assert_int_equal(m1->down->n_statements, 1);
    assert_string_equal(m1->down->statements[0].sql, "DROP TABLE events");
    assert_int_equal(m1->down->statements[0].len, strlen("DROP TABLE events"));
    assert_int_equal(m1->down->statements[0].line, 1);
    assert_int_equal(m1->down->statements[0].column, 1);
    assert_int_equal(m1->down->statements[0].flags, MIGC_STMT_NONE);
    assert_int_equal(strlen(m1->down->checksum), 64);
    assert_string_not_equal(m1->down->checksum, m1->up.checksum);

    /* The down of the CONCURRENTLY migration is itself a no-transaction
     * script. */
    const struct migc_migration *m2 = &s->migrations[1];
    assert_non_null(m2->down);
    assert_string_equal(m2->down->path,
                        SCHEMAS "notx_index/0002_events_kind_idx.down.sql");
    assert_int_equal(m2->down->flags, MIGC_SCRIPT_NO_TRANSACTION);
    assert_int_equal(m2->down->n_statements, 1);
    assert_string_equal(m2->down->statements[0].sql,
                        "DROP INDEX CONCURRENTLY events_kind_idx");
    assert_int_equal(m2->down->statements[0].flags, MIGC_STMT_NO_TRANSACTION);
    /* A named index build: safe to repeat after dropping what a failed
     * build left; the drop without IF EXISTS is not. */
    assert_int_equal(m2->up.statements[0].flags,
                     MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE);
    assert_string_equal(m2->up.statements[0].index, "\"events_kind_idx\"");
    assert_string_equal(m2->up.statements[0].cleanup,
                        "DROP INDEX CONCURRENTLY IF EXISTS \"events_kind_idx\"");
    assert_null(m2->down->statements[0].index);
    assert_null(m2->down->statements[0].cleanup);

    /* No down file: no down script. */
    assert_null(s->migrations[2].down);

    /* The plain layout has none either. */
    for (size_t i = 0; i < fixture_notx_partial.n_migrations; i++)
        assert_null(fixture_notx_partial.migrations[i].down);
}

/* ---- A squash baseline ------------------------------------------------ */

/* A database that ran the released 1..3 does not run the baseline that
 * replaces them (-- migc:squashes 1..3), only what follows it; the squashed
 * versions are known, not an inconsistent ledger. */
static void test_squash_baseline_on_old_database(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_squash_old, NULL, &rep);
    assert_int_equal(rep.applied, 3);
    migrate_ok(f, &fixture_squash_new, NULL, &rep);
    assert_int_equal(rep.pending, 1);
    assert_int_equal(rep.applied, 1);
    assert_string_equal(ledger(f), "1|t|<null>\n2|t|<null>\n3|t|<null>\n"
                                   "5|t|<null>");
    assert_string_equal(relation(f, "public.sq5"), "sq5");

    struct migc_status *st = NULL;
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_status(f->conn, &fixture_squash_new, NULL, &st,
                                 &err),
                     MIGC_OK);
    assert_int_equal(st->n_entries, 5);
    assert_int_equal(st->n_pending, 0);
    const enum migc_state want[5] = {MIGC_STATE_SQUASHED, MIGC_STATE_SQUASHED,
                                     MIGC_STATE_SQUASHED, MIGC_STATE_APPLIED,
                                     MIGC_STATE_APPLIED};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(migc_status_entry_at(st, i)->state, want[i]);
    migc_status_free(st);

    /* Up to date: the one read of the ledger. */
    migrate_ok(f, &fixture_squash_new, NULL, &rep);
    assert_int_equal(rep.pending, 0);
    assert_int_equal(rep.round_trips, 1);
}

/* A fresh database runs the baseline, not the migrations it replaces. */
static void test_squash_baseline_on_fresh_database(void **state)
{
    struct fixture *f = *state;
    struct migc_report rep = MIGC_REPORT_INIT;
    migrate_ok(f, &fixture_squash_new, NULL, &rep);
    assert_int_equal(rep.applied, 2);
    assert_string_equal(ledger(f), "4|t|<null>\n5|t|<null>");
    assert_string_equal(relation(f, "public.sq3"), "sq3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_concurrent_index_applies),
        DB_TEST(test_declared_no_transaction_fails_half_way),
        DB_TEST(test_failed_row_without_error_struct),
        DB_TEST(test_own_transactions_apply),
        DB_TEST(test_own_transactions_second_block_fails),
        DB_TEST(test_wrapper_runs_in_migc_transaction),
        DB_TEST(test_failed_meanwhile_outside),
        DB_TEST(test_failed_meanwhile_transactional),
        cmocka_unit_test(test_down_scripts_embedded),
        DB_TEST(test_squash_baseline_on_old_database),
        DB_TEST(test_squash_baseline_on_fresh_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
