/* cli_fleet.h: up and status over a fleet of targets (databases, or
 * schemas of one database): the list and the workers in cli_fleet.c, what
 * they print in cli_fleet_report.c (docs/fleets.md). Internal to the
 * command-line library. */
#ifndef MIGC_RUNTIME_CLI_FLEET_H
#define MIGC_RUNTIME_CLI_FLEET_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

enum fleet_outcome {
    FLEET_UP_TO_DATE, /* up: nothing to do; status: nothing pending */
    FLEET_APPLIED,    /* up: this run applied migrations or packs */
    FLEET_FAILED,     /* up: failed; status: could not be read */
    FLEET_PENDING,    /* status: migrations or packs wait */
    FLEET_DRIFT       /* status: the ledger disagrees with the binary */
};

struct fleet_target {
    char *conninfo; /* what is connected to (search_path set for a schema) */
    char *shown;    /* for people and reports: never the password */
    char *schema;   /* the target's --schema, or NULL */
    enum fleet_outcome outcome;
    int64_t before, after; /* newest applied version; -1 unknown */
    size_t applied, pending;
    int64_t duration_us;
    char drift[256]; /* status: the states that disagree, "" when none */
    struct migc_error err;
    int64_t *versions; /* up: what this run applied */
    size_t n_versions, cap_versions;
    const struct cli *c;
};

struct fleet {
    struct cli *c;
    struct fleet_target *t;
    size_t n, cap;
    size_t next;        /* the next target a worker takes */
    size_t jobs;        /* workers */
    int status;         /* status --fleet, else up --fleet */
    int64_t duration_us;
    pthread_mutex_t mu; /* next, and the lines printed */
};

/* ---- cli_fleet.c ----------------------------------------------------- */

/* up or status over the fleet c names; conninfo is the database the
 * command line chose (--fleet-query and --fleet-schemas run there), or
 * NULL. Returns the exit status. */
int cli_fleet(struct cli *c, const char *conninfo);

/* base with its dbname replaced (when dbname is not NULL) and search_path
 * set to schema (when not NULL), as a connection string; shown (when not
 * NULL) gets the same without the password, for people. NULL when base is
 * not a connection string (why in why[size]) or memory ran out. */
char *cli_conninfo_with(const char *base, const char *dbname,
                        const char *schema, char **shown, char *why,
                        size_t size);

/* ---- cli_fleet_report.c ---------------------------------------------- */

/* One target's line as it finishes (up; status prints the matrix at the
 * end). Called under f->mu. */
void fleet_report_target(const struct fleet *f, const struct fleet_target *t);

/* The summary (up), the matrix (status), or the JSON document. Returns
 * the exit status. */
int fleet_report_end(const struct fleet *f);

#endif
