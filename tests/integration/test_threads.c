/* test_threads.c: libmigc from several threads at once (docs/runtime.md,
 * "Threads"): each thread with its own connection, to a database of its
 * own or all to one; migc_migrate(), migc_check() and migc_status() at the
 * same time on the same const generated schema; the callbacks run on the
 * calling thread; a status list freed by another thread than made it.
 *
 * cmocka's assertions jump out of the test and are for the main thread
 * only: a worker writes what happened into its struct worker, and the main
 * thread asserts after joining it. */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migc.h>

#include "dbtest.h"
#include "fixture_ok.h"

enum { N_THREADS = 8, N_READS = 10 };

#define DEFAULT_LEDGER "public.migc_migrations"

enum role {
    MIGRATOR, /* migc_migrate(), reads, migc_migrate() again */
    READER    /* reads while the migrators work, until they are done */
};

/* One thread's work and what it saw. */
struct worker {
    pthread_t thread;
    int index;
    enum role role;
    const char *conninfo;
    const struct migc_options *opts; /* NULL: the worker's own (below) */
    pthread_barrier_t *start;
    atomic_int *migrators_left; /* READER stops when it is 0 */

    struct migc_options own_opts;
    /* Outcome */
    char failure[1200];      /* "" when everything went as expected */
    size_t applied;          /* report.applied of its first migc_migrate() */
    size_t applied_again;    /* ... and of its second */
    size_t applied_events;   /* MIGC_EVENT_APPLIED seen by its callback */
    size_t log_lines;
    size_t reads;            /* migc_check() and migc_status() calls */
    int foreign_callbacks;   /* callbacks run on another thread */
    struct migc_status *status; /* its last list, freed by the main thread */
};

/* The worker running on this thread: how a callback knows its caller. */
static _Thread_local struct worker *me;

/* Callbacks given one ctx per worker. */
static void own_event(const struct migc_event *e, void *ctx)
{
    struct worker *w = ctx;
    if (w != me)
        w->foreign_callbacks++;
    if (e->kind == MIGC_EVENT_APPLIED)
        w->applied_events++;
}

static void own_log(enum migc_log_level level, const char *message,
                    void *ctx)
{
    (void)level;
    (void)message;
    struct worker *w = ctx;
    if (w != me)
        w->foreign_callbacks++;
    w->log_lines++;
}

/* Callbacks of one options struct shared by every worker: the ctx is
 * shared too, so it has a lock; the worker is the thread's own. */
struct shared {
    pthread_mutex_t mutex;
    size_t events;
    size_t log_lines;
    int foreign; /* callbacks run on a thread that is no worker */
};

static void shared_event(const struct migc_event *e, void *ctx)
{
    struct shared *sh = ctx;
    pthread_mutex_lock(&sh->mutex);
    sh->events++;
    sh->foreign += !me;
    pthread_mutex_unlock(&sh->mutex);
    if (me && e->kind == MIGC_EVENT_APPLIED)
        me->applied_events++;
}

static void shared_log(enum migc_log_level level, const char *message,
                       void *ctx)
{
    (void)level;
    (void)message;
    struct shared *sh = ctx;
    pthread_mutex_lock(&sh->mutex);
    sh->log_lines++;
    sh->foreign += !me;
    pthread_mutex_unlock(&sh->mutex);
    if (me)
        me->log_lines++;
}

/* First failure wins, as in struct migc_error. */
static int note_failure(struct worker *w, const char *what, enum migc_code rc,
                const struct migc_error *err)
{
    if (!w->failure[0])
        snprintf(w->failure, sizeof w->failure, "thread %d: %s: %s: %s",
                 w->index, what, migc_strerror(rc),
                 err ? err->message : "");
    return -1;
}

/* migc_check() then migc_status(), both read-only; with the ledger up to
 * date when settled. */
static int read_once(struct worker *w, PGconn *conn, int settled)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_check(conn, &fixture_ok, w->opts, &rep, &err);
    if (rc != MIGC_OK)
        return note_failure(w, "migc_check", rc, &err);
    if (rep.pending > fixture_ok.n_migrations || (settled && rep.pending))
        return note_failure(w, "migc_check: pending", rc, &err);
    /* One round trip; two while the ledger is absent (everything pending):
     * the look for another tool's ledger (docs/adopting.md). */
    if (rep.round_trips != 1 &&
        !(rep.round_trips == 2 && rep.pending == fixture_ok.n_migrations))
        return note_failure(w, "migc_check: round trips", rc, &err);

    struct migc_status *st = NULL;
    err = (struct migc_error)MIGC_ERROR_INIT;
    rc = migc_status(conn, &fixture_ok, w->opts, &st, &err);
    if (rc != MIGC_OK) {
        migc_status_free(st);
        return note_failure(w, "migc_status", rc, &err);
    }
    int wrong = st->n_entries != fixture_ok.n_migrations;
    for (size_t i = 0; !wrong && i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        wrong = e->migration != &fixture_ok.migrations[i] ||
                (e->state != MIGC_STATE_APPLIED &&
                 (settled || e->state != MIGC_STATE_PENDING));
    }
    if (wrong || (settled && st->n_pending != 0)) {
        migc_status_free(st);
        return note_failure(w, "migc_status: entries", rc, &err);
    }
    /* Kept for the main thread to free: a list is plain memory. */
    migc_status_free(w->status);
    w->status = st;
    w->reads += 2;
    return 0;
}

static int migrate(struct worker *w, PGconn *conn, size_t *applied)
{
    struct migc_report rep = MIGC_REPORT_INIT;
    struct migc_error err = MIGC_ERROR_INIT;
    enum migc_code rc = migc_migrate(conn, &fixture_ok, w->opts, &rep, &err);
    *applied = rep.applied;
    if (rc != MIGC_OK)
        return note_failure(w, "migc_migrate", rc, &err);
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        return note_failure(w, "migc_migrate left the connection busy", rc, &err);
    return 0;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    me = w;
    if (!w->opts) {
        w->own_opts = (struct migc_options)MIGC_OPTIONS(
            .on_event = own_event, .event_ctx = w, .log = own_log,
            .log_ctx = w);
        w->opts = &w->own_opts;
    }
    /* Each thread its own connection: a PGconn is never shared. */
    PGconn *conn = PQconnectdb(w->conninfo);
    int ok = PQstatus(conn) == CONNECTION_OK;
    if (!ok)
        snprintf(w->failure, sizeof w->failure, "thread %d: connect: %s",
                 w->index, PQerrorMessage(conn));
    pthread_barrier_wait(w->start); /* all at once */
    if (w->role == MIGRATOR) {
        ok = ok && migrate(w, conn, &w->applied) == 0;
        atomic_fetch_sub(w->migrators_left, 1); /* done, or failed */
        /* Then nothing is left to do: up to date, every time. */
        for (int i = 0; ok && i < N_READS; i++)
            ok = read_once(w, conn, 1) == 0;
        if (ok && migrate(w, conn, &w->applied_again) == 0 &&
            w->applied_again != 0)
            note_failure(w, "a second migc_migrate applied something", MIGC_OK,
                 NULL);
    } else {
        /* While the migrators work: every read succeeds, seeing migrations
         * applied or pending, never anything else. */
        while (ok && atomic_load(w->migrators_left) > 0)
            ok = read_once(w, conn, 0) == 0;
        ok = ok && read_once(w, conn, 1) == 0;
    }
    PQfinish(conn);
    return NULL;
}

/* Start the workers together, wait for all. */
static void run(struct worker *workers, int n)
{
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
    atomic_int migrators_left = 0;
    for (int i = 0; i < n; i++)
        migrators_left += workers[i].role == MIGRATOR;
    for (int i = 0; i < n; i++) {
        workers[i].index = i;
        workers[i].start = &start;
        workers[i].migrators_left = &migrators_left;
        assert_int_equal(
            pthread_create(&workers[i].thread, NULL, work, &workers[i]), 0);
    }
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_join(workers[i].thread, NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < n; i++)
        if (workers[i].failure[0])
            print_error("%s\n", workers[i].failure);
    for (int i = 0; i < n; i++) {
        assert_string_equal(workers[i].failure, "");
        assert_int_equal(workers[i].foreign_callbacks, 0);
        assert_non_null(workers[i].status);
        assert_int_equal(workers[i].status->n_pending, 0);
        migc_status_free(workers[i].status); /* made by another thread */
        workers[i].status = NULL;
    }
}

/* The ledger holds the schema's migrations once each, applied; the seed
 * rows of migration 3 were inserted once. */
static void assert_ledger(struct fixture *f)
{
    char want[1024] = "";
    size_t len = 0;
    for (size_t i = 0; i < fixture_ok.n_migrations; i++) {
        const struct migc_migration *m = &fixture_ok.migrations[i];
        len += (size_t)snprintf(want + len, sizeof want - len,
                                "%s%lld|%s|t", i ? "\n" : "",
                                (long long)m->version, m->up.checksum);
        assert_true(len < sizeof want);
    }
    assert_string_equal(rows(f, "SELECT version, checksum, success FROM "
                                DEFAULT_LEDGER " ORDER BY version"),
                        want);
    assert_string_equal(value(f, "SELECT count(*) FROM tags"), "1");
    assert_string_equal(value(f, "SELECT count(*) FROM items"), "1");
}

/* ---- Tests ------------------------------------------------------------- */

/* Eight threads, eight databases: each applies everything on its own. */
static void test_thread_per_database(void **state)
{
    (void)state;
    struct fixture dbs[N_THREADS];
    struct worker workers[N_THREADS];
    memset(dbs, 0, sizeof dbs);
    memset(workers, 0, sizeof workers);
    for (int i = 0; i < N_THREADS; i++) {
        /* pgtest is not thread-safe: the databases are made here. */
        assert_int_equal(pgtest_db_create(&dbs[i].db, "threads_own"), 0);
        workers[i].role = MIGRATOR;
        workers[i].conninfo = dbs[i].db.conninfo;
    }
    run(workers, N_THREADS);
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(workers[i].applied, fixture_ok.n_migrations);
        assert_int_equal(workers[i].applied_again, 0);
        assert_int_equal(workers[i].applied_events,
                         fixture_ok.n_migrations);
        assert_int_equal(workers[i].reads, 2 * N_READS);
        dbs[i].conn = pgtest_connect(dbs[i].db.conninfo);
        assert_non_null(dbs[i].conn);
        assert_ledger(&dbs[i]);
        PQfinish(dbs[i].conn);
        assert_int_equal(pgtest_db_drop(&dbs[i].db), 0);
    }
}

/* Eight threads, eight connections, one database, one options struct: the
 * migration lock lets exactly one apply each migration; every call
 * succeeds. */
static void test_threads_share_a_database(void **state)
{
    struct fixture *f = *state;
    struct shared sh = {.mutex = PTHREAD_MUTEX_INITIALIZER};
    const struct migc_options opts =
        MIGC_OPTIONS(.on_event = shared_event, .event_ctx = &sh,
                     .log = shared_log, .log_ctx = &sh);
    struct worker workers[N_THREADS];
    memset(workers, 0, sizeof workers);
    for (int i = 0; i < N_THREADS; i++) {
        workers[i].role = MIGRATOR;
        workers[i].conninfo = f->db.conninfo;
        workers[i].opts = &opts;
    }
    run(workers, N_THREADS);
    size_t applied = 0, events = 0, lines = 0;
    for (int i = 0; i < N_THREADS; i++) {
        applied += workers[i].applied;
        events += workers[i].applied_events;
        lines += workers[i].log_lines;
        assert_int_equal(workers[i].applied_again, 0);
    }
    assert_int_equal(applied, fixture_ok.n_migrations);
    assert_int_equal(events, fixture_ok.n_migrations);
    assert_int_equal(lines, sh.log_lines); /* every line on a worker */
    /* APPLYING events may repeat (a thread that lost the race skips the
     * migration); every APPLIED one ran on a worker. */
    assert_true(sh.events >= events);
    assert_int_equal(sh.foreign, 0);
    assert_ledger(f);
}

/* Four threads migrate while four read with migc_check() and
 * migc_status() on their own connections to the same database. */
static void test_reads_while_migrating(void **state)
{
    struct fixture *f = *state;
    struct worker workers[N_THREADS];
    memset(workers, 0, sizeof workers);
    for (int i = 0; i < N_THREADS; i++) {
        workers[i].role = i % 2 ? READER : MIGRATOR;
        workers[i].conninfo = f->db.conninfo;
    }
    run(workers, N_THREADS);
    size_t applied = 0, events = 0;
    for (int i = 0; i < N_THREADS; i++) {
        applied += workers[i].applied;
        events += workers[i].applied_events;
        assert_true(workers[i].reads >= 2);
    }
    assert_int_equal(applied, fixture_ok.n_migrations);
    assert_int_equal(events, fixture_ok.n_migrations);
    assert_ledger(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_per_database),
        DB_TEST(test_threads_share_a_database),
        DB_TEST(test_reads_while_migrating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
