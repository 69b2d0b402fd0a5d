/* uptodate.c: the up-to-date rows of bench/run. In one process and on one
 * connection, times the read-only check and a no-op migc_migrate() of an up
 * to date database next to one `SELECT 1` round trip (the floor), and counts
 * the round trips each makes twice: as the library reports them, and
 * independently from libpq's protocol trace (one ReadyForQuery message from
 * the server ends every round trip, simple query or pipeline sync).
 *
 * usage: uptodate_SET CONNINFO RUNS WARMUP
 *   The database must hold every migration of the set (bench/run applies
 *   them first with service_SET). The three operations run interleaved,
 *   WARMUP rounds untimed, then RUNS timed rounds.
 * Output, one line per operation, tab-separated:
 *   NAME  MEDIAN_US  MIN_US  MAX_US  ROUND_TRIPS_LIBRARY  ROUND_TRIPS_TRACE
 *   (ROUND_TRIPS_LIBRARY is "-" for SELECT 1)
 * Exit status: 0, 1 on a failed operation, 2 usage. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <migc.h>

#include "trace.h"

#include BENCH_SCHEMA_HEADER

/* One timed operation: returns 0 on success and sets *round_trips to the
 * library's own count (-1 when it keeps none). */
typedef int op_fn(PGconn *conn, long *round_trips, char *why, size_t size);

/* The read-only check a readiness probe makes. */
static int op_check(PGconn *conn, long *round_trips, char *why, size_t size)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_report rep = MIGC_REPORT_INIT;
    if (migc_check(conn, &BENCH_SCHEMA, NULL, &rep, &err) != MIGC_OK) {
        snprintf(why, size, "migc_check: %s", err.message);
        return -1;
    }
    if (rep.pending != 0) {
        snprintf(why, size, "migc_check: %zu pending", rep.pending);
        return -1;
    }
    *round_trips = (long)rep.round_trips;
    return 0;
}

static int op_migrate(PGconn *conn, long *round_trips, char *why,
                      size_t size)
{
    struct migc_error err = MIGC_ERROR_INIT;
    struct migc_report rep = MIGC_REPORT_INIT;
    if (migc_migrate(conn, &BENCH_SCHEMA, NULL, &rep, &err) != MIGC_OK) {
        snprintf(why, size, "migc_migrate: %s", err.message);
        return -1;
    }
    if (rep.applied != 0) {
        snprintf(why, size, "migc_migrate applied %zu: not up to date",
                 rep.applied);
        return -1;
    }
    *round_trips = (long)rep.round_trips;
    return 0;
}

static int op_select1(PGconn *conn, long *round_trips, char *why,
                      size_t size)
{
    PGresult *res = PQexec(conn, "SELECT 1");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(why, size, "SELECT 1: %s", PQerrorMessage(conn));
    PQclear(res);
    *round_trips = -1;
    return ok ? 0 : -1;
}

struct op {
    const char *name;
    op_fn *fn;
    double *us; /* RUNS timings */
    long rt_library, rt_trace;
};

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n sorted values. */
static double median(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Run op once under libpq's trace and count its round trips. Returns -1
 * when the trace could not be taken, -2 when op failed. */
static long traced_round_trips(PGconn *conn, struct op *op, char *why,
                               size_t size)
{
    FILE *trace = trace_start(conn);
    if (!trace)
        return -1;
    long ignored;
    int rc = op->fn(conn, &ignored, why, size);
    long n = trace_stop(conn, trace);
    return rc != 0 ? -2 : n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s CONNINFO RUNS WARMUP\n", argv[0]);
        return 2;
    }
    long runs = strtol(argv[2], NULL, 10), warmup = strtol(argv[3], NULL, 10);
    if (runs < 1 || warmup < 0) {
        fprintf(stderr, "%s: RUNS must be 1 or more, WARMUP 0 or more\n",
                argv[0]);
        return 2;
    }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "%s: %s", argv[0], PQerrorMessage(conn));
        PQfinish(conn);
        return 1;
    }
    struct op ops[] = {
        {"check", op_check, NULL, 0, 0},
        {"migrate", op_migrate, NULL, 0, 0},
        {"select1", op_select1, NULL, 0, 0},
    };
    enum { N_OPS = sizeof ops / sizeof ops[0] };
    char why[1200] = "";
    int rc = 0;
    for (size_t k = 0; k < N_OPS; k++) {
        ops[k].us = calloc((size_t)runs, sizeof *ops[k].us);
        if (!ops[k].us) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            rc = 1;
        }
    }
    /* Rounds rotate the order, so no operation always follows another. */
    for (long i = 0; rc == 0 && i < warmup + runs; i++) {
        for (size_t j = 0; rc == 0 && j < N_OPS; j++) {
            struct op *op = &ops[(j + (size_t)i) % N_OPS];
            double t0 = now_us();
            if (op->fn(conn, &op->rt_library, why, sizeof why) != 0)
                rc = 1;
            double t = now_us() - t0;
            if (i >= warmup)
                op->us[i - warmup] = t;
        }
    }
    for (size_t k = 0; rc == 0 && k < N_OPS; k++) {
        ops[k].rt_trace = traced_round_trips(conn, &ops[k], why, sizeof why);
        if (ops[k].rt_trace == -2)
            rc = 1;
    }
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", argv[0], why);
    for (size_t k = 0; rc == 0 && k < N_OPS; k++) {
        struct op *op = &ops[k];
        qsort(op->us, (size_t)runs, sizeof *op->us, cmp_double);
        char library[32] = "-";
        if (op->rt_library >= 0)
            snprintf(library, sizeof library, "%ld", op->rt_library);
        printf("%s\t%.1f\t%.1f\t%.1f\t%s\t%ld\n", op->name,
               median(op->us, (size_t)runs), op->us[0],
               op->us[runs - 1], library, op->rt_trace);
    }
    for (size_t k = 0; k < N_OPS; k++)
        free(ops[k].us);
    PQfinish(conn);
    return rc;
}
