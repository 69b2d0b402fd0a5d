/* trace.h: round trips counted from libpq's protocol trace, for the bench
 * programs: independent of the library's own count. */
#ifndef BENCH_TRACE_H
#define BENCH_TRACE_H

#include <stdio.h>

struct pg_conn;

/* Start tracing conn into a new temporary file; NULL when none could be
 * made (nothing is traced then). */
FILE *trace_start(struct pg_conn *conn);

/* Stop tracing conn and count the server's ReadyForQuery messages in the
 * trace (one ends every round trip: a simple query's or a pipeline's
 * sync). Closes trace; returns -1 when it could not be read. */
long trace_stop(struct pg_conn *conn, FILE *trace);

#endif
