/* platform_notify.c: one connection LISTENs on a channel, a second one runs
 * a statement; prints the payload of the first notification the listener
 * receives on that channel.
 *   platform_notify CONNINFO CHANNEL SQL
 * Exit status: 0 a notification arrived (its payload on stdout), 1 none
 * within 10 seconds or a database error, 2 usage. */
#define _POSIX_C_SOURCE 200809L /* select */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include <libpq-fe.h>

static int run(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
             PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "platform_notify: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: platform_notify CONNINFO CHANNEL SQL\n", stderr);
        return 2;
    }
    PGconn *listener = PQconnectdb(argv[1]), *writer = PQconnectdb(argv[1]);
    if (PQstatus(listener) != CONNECTION_OK ||
        PQstatus(writer) != CONNECTION_OK) {
        fprintf(stderr, "platform_notify: cannot connect: %s",
                PQerrorMessage(PQstatus(listener) != CONNECTION_OK ? listener
                                                                   : writer));
        return 1;
    }
    char *quoted = PQescapeIdentifier(listener, argv[2], strlen(argv[2]));
    char listen[600];
    snprintf(listen, sizeof listen, "LISTEN %s", quoted ? quoted : "\"\"");
    PQfreemem(quoted);
    int rc = 1;
    if (run(listener, listen) == 0 && run(writer, argv[3]) == 0) {
        time_t until = time(NULL) + 10;
        while (rc != 0 && time(NULL) < until) {
            PGnotify *n;
            PQconsumeInput(listener);
            while ((n = PQnotifies(listener)) != NULL) {
                if (rc != 0 && strcmp(n->relname, argv[2]) == 0) {
                    printf("%s\n", n->extra);
                    rc = 0;
                }
                PQfreemem(n);
            }
            if (rc == 0)
                break;
            int sock = PQsocket(listener);
            fd_set in;
            FD_ZERO(&in);
            FD_SET(sock, &in);
            struct timeval tv = {1, 0};
            if (select(sock + 1, &in, NULL, NULL, &tv) < 0)
                break;
        }
        if (rc != 0)
            fprintf(stderr, "platform_notify: no notification on %s\n",
                    argv[2]);
    }
    PQfinish(writer);
    PQfinish(listener);
    return rc;
}
