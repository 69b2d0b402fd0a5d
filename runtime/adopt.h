/* adopt.h: `adopt`, taking over another tool's ledger (docs/adopting.md):
 * find and read it (adopt_read.c), map its rows to the embedded
 * migrations and print the plan (adopt.c), write migc's ledger under the
 * lock (adopt_write.c). Part of the cli library; libpq only. */
#ifndef MIGC_RUNTIME_ADOPT_H
#define MIGC_RUNTIME_ADOPT_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "foreign.h"

struct pg_conn;

/* One foreign row, as its tool knows it (several events of one version
 * already folded into one by the read). */
struct adopt_row {
    char key[256];       /* the tool's identity: a version or a name */
    char label[320];     /* how messages name it: "version 2 (add b)" */
    char applied_at[64]; /* ISO time, "" when the tool keeps none */
    char checksum[160];  /* hex, "" when none */
    char state;          /* 'a' applied; refused: 'f' failed, 'd' dirty,
                            'u' unfinished, 'r' rolled back, 'x' last
                            event not an apply; Flyway's: 'B' a baseline
                            (key: its version), 'R' a repeatable
                            migration (never adopted) */
    /* Flyway only: the row's description and type ("SQL", "JDBC") */
    char description[640];
    char type[24];
    const struct migc_migration *m; /* what it maps to, or NULL */
};

/* The foreign ledger found. */
struct adopt_ledger {
    enum foreign_tool tool;
    char schema[128], table[128];
    char shown[300];  /* schema.table as messages print it */
    char quoted[300]; /* "schema"."table" */
    struct adopt_row *rows;
    size_t n;
    size_t n_read; /* the table's rows, when rows[] folds them (Flyway) */
    /* Flyway: migrations adopted through its baseline, or repeatable
     * rows: nothing proves them, so the schema is compared by default */
    int unproven;
};

/* A message and the exit code it carries (EXIT_DRIFT for a refusal). */
struct adopt_fail {
    int code;
    char message[1024];
};

/* ---- adopt_read.c ------------------------------------------------------ */

/* Find the ledger (--from, --ledger-table): 1 found, 0 none, -1 failed
 * or refused (f filled). */
int adopt_find(struct pg_conn *conn, const struct cli *c,
               struct adopt_ledger *out, struct adopt_fail *f);

/* Read its rows; -1 on a failure or a row the tool left unfinished. */
int adopt_read_rows(struct pg_conn *conn, struct adopt_ledger *l,
                    struct adopt_fail *f);

/* Set f; returns -1. */
int adopt_failf(struct adopt_fail *f, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- adopt_flyway.c ---------------------------------------------------- */

/* Read Flyway's flyway_schema_history: its events in installed_rank order
 * folded into one row a version ('a', the last apply; undone and deleted
 * versions left out), one 'B' row for its baseline, one 'R' row a
 * repeatable script; -1 on a failure or a failed row. */
int adopt_flyway_read(struct pg_conn *conn, struct adopt_ledger *l,
                      struct adopt_fail *f);

/* Can this binary's schema adopt Flyway's ledger l? It must carry Flyway's
 * identities (format 7, a chain in Flyway's layout); -1 (f filled, exit
 * 4) when not. */
int adopt_flyway_usable(const struct migc_schema *s,
                        const struct adopt_ledger *l, struct adopt_fail *f);

/* Row r of Flyway's ledger l against migration m (fw its identity): a
 * row with no checksum (a Java migration's) or another description is
 * refused (-1, f filled); the checksum itself is compared by the
 * caller. */
int adopt_flyway_check(const struct adopt_ledger *l, const struct adopt_row *r,
                       const struct migc_migration *m,
                       const struct migc_flyway *fw, struct adopt_fail *f);

/* Flyway's version order: parts split at '.' or '_', compared as numbers,
 * missing parts 0 ("1.0" equals "1"); <0, 0, >0. */
int adopt_flyway_cmp(const char *a, const char *b);

/* ---- adopt_write.c ----------------------------------------------------- */

/* One migration to record, from row (whose applied_at it keeps). */
struct adopt_record {
    const struct migc_migration *m;
    const struct adopt_row *row;
};

/* Under migc's lock, in one transaction: 1 written, 0 already adopted (the
 * ledger holds rows: nothing written), -1 failed. */
int adopt_write(struct pg_conn *conn, const struct cli *c,
                const struct adopt_ledger *l, const struct adopt_record *rec,
                size_t n, struct adopt_fail *f);

/* The rows migc's ledger holds: 0 when it is absent or empty, -1 failed. */
int adopt_migc_rows(struct pg_conn *conn, const struct cli *c,
                    struct adopt_fail *f);

/* migc's ledger as messages print it (schema.table). */
void adopt_ledger_name(const struct cli *c, char *out, size_t size);

/* ---- adopt_verify.c ---------------------------------------------------- */

/* Is the schema compared for this ledger? --verify-schema, or by default
 * for the tools that keep no checksum this binary can check. */
int adopt_verify_wanted(const struct cli *c, const struct adopt_ledger *l);

/* When wanted: replay rec (n, ascending) on a scratch database of conn's
 * server, compare its schema with conn's, print the verdict (and each
 * difference) and set *verdict ("verified", "differs", "failed",
 * "skipped" for --no-verify-schema, "not_needed"); 0 equal (or not wanted), -1 refused or failed (f filled;
 * EXIT_DRIFT for a difference or a role without CREATEDB). The scratch
 * database is dropped in every case, SIGINT and SIGTERM included. */
int adopt_verify(struct pg_conn *conn, const struct cli *c,
                 const struct adopt_ledger *l, const struct adopt_record *rec,
                 size_t n, const char **verdict, struct adopt_fail *f);

/* ---- adopt_json.c ------------------------------------------------------ */

/* An embedded migration still pending after adopting; baseline: the
 * baseline it was replaced by (a carried original), else 0. */
struct adopt_pending {
    const struct migc_migration *m;
    int64_t baseline;
};

/* What `adopt` found and did, for its JSON document. */
struct adopt_outcome {
    const struct adopt_ledger *l; /* NULL when none was found or read */
    const struct adopt_record *rec; /* recorded (or to be), ascending */
    size_t n;
    const struct adopt_pending *pending;
    size_t n_pending;
    size_t n_ahead;        /* rows newer than the binary, left out */
    size_t n_repeatable;   /* Flyway's repeatable rows, not adopted */
    size_t n_baseline;     /* adopted through Flyway's baseline row */
    const char *checksums; /* "verified", "not_checked" or "none" */
    const char *algorithm; /* "SHA-384", "MD5", "SHA-256", or NULL */
    size_t verified;
    const char *schema_check; /* adopt_verify's verdict, NULL before */
    const char *result; /* "dry_run", "adopted", "already_adopted", NULL */
    size_t held;        /* already adopted: the rows migc's ledger holds */
};

/* `adopt --format=json`: one JSON document on stdout (the text plan went
 * to stderr); fail: the refusal or failure, NULL when none. */
void adopt_print_json(const struct cli *c, const struct adopt_outcome *a,
                      const struct adopt_fail *fail);

/* ---- adopt.c ----------------------------------------------------------- */

/* `adopt`: EXIT_OK when adopted (or already), EXIT_DRIFT refused, else
 * EXIT_FAIL. then_up: `up --adopt`: no foreign ledger is not an error, and
 * the caller goes on to `up`. */
int cli_adopt(struct pg_conn *conn, struct cli *c, int then_up);

#endif
