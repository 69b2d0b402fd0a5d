/* trace.c: round trips counted from libpq's protocol trace. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include "trace.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

FILE *trace_start(PGconn *conn)
{
    FILE *trace = tmpfile();
    if (trace) {
        PQtrace(conn, trace);
        PQsetTraceFlags(conn, PQTRACE_SUPPRESS_TIMESTAMPS);
    }
    return trace;
}

long trace_stop(PGconn *conn, FILE *trace)
{
    PQuntrace(conn);
    if (fflush(trace) != 0 || fseek(trace, 0, SEEK_SET) != 0) {
        fclose(trace);
        return -1;
    }
    long n = 0;
    char *line = NULL;
    size_t cap = 0;
    /* "B\t5\tReadyForQuery\t I": a message from the server (B). */
    while (getline(&line, &cap, trace) != -1)
        if (line[0] == 'B' && strstr(line, "\tReadyForQuery"))
            n++;
    free(line);
    fclose(trace);
    return n;
}
