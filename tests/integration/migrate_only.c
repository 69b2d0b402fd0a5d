/* migrate_only.c: a service that runs its migrations at start-up with
 * migc_migrate() and calls nothing of the command line. Linked through
 * migc_embed() (both libraries), it must pull in neither argument parsing
 * nor the embedded cluster's fork/exec (migrate_only.sh checks its link
 * map and its imports). Prints what it applied and the application_name
 * its connection got from migc_connect(). */
#include <stdio.h>

#include <libpq-fe.h>
#include <migc.h>

extern const struct migc_schema MIGC_TEST_SCHEMA;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: migrate_only CONNINFO\n");
        return 2;
    }
    struct migc_error err = MIGC_ERROR_INIT;
    struct pg_conn *conn = migc_connect(argv[1], "migrate_only", &err);
    struct migc_report rep = MIGC_REPORT_INIT;
    if (conn && migc_migrate(conn, &MIGC_TEST_SCHEMA, NULL, &rep, &err) ==
                    MIGC_OK)
        printf("applied %zu of %zu pending; application_name %s\n",
               rep.applied, rep.pending,
               PQparameterStatus(conn, "application_name"));
    migc_disconnect(conn);
    if (err.code != MIGC_OK) {
        fprintf(stderr, "migrate_only: %s: %s\n", migc_strerror(err.code),
                err.message);
        return 1;
    }
    return 0;
}
