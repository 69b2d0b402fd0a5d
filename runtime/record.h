/* record.h: every statement that reads or writes the ledger and the pack
 * ledger (docs/ledger.md), returning typed rows. */
#ifndef MIGC_RUNTIME_RECORD_H
#define MIGC_RUNTIME_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "migc.h"
#include "pq.h"
#include "session.h"
#include "sql.h"

/* The state of a ledger row. */
enum row_state {
    ROW_ABSENT,  /* no row (only from a re-read under the lock) */
    ROW_APPLIED,
    ROW_RUNNING, /* outside a transaction: in progress or abandoned */
    ROW_FAILED,
    ROW_REVERTING /* applied, its down script stopped part-way outside a
                     transaction (down_completed statements done) */
};

/* ---- Reading the ledger: the up-to-date path and status ------------------ */

/* What record_read fetches of each row. */
enum ledger_read_mode {
    /* What the checks before applying decide on (the up-to-date path):
     * the fields marked (full) below only of a row that is not applied
     * (running or failed); an applied row has them empty ("", 0, -1). */
    LEDGER_READ_DECIDE,
    LEDGER_READ_FULL /* every field of every row, for status */
};

struct ledger_row {
    int64_t version;
    enum row_state state;
    char name[256];
    char checksum[80];
    char canonical[80];     /* "" when not recorded */
    char applied_at[64];    /* (full) */
    int64_t duration_us;    /* (full) */
    int completed;          /* (full) statements done (running, failed) */
    int failed_statement;   /* (full) -1 when none */
    char sqlstate[6];       /* (full) */
    char error[512];        /* (full) */
    int resolved;           /* running, but no run holds it: cleared by
                               resolve, to be resumed by the next up */
    int down_completed;     /* reverting: down statements done */
    char adopted_from[32];  /* the tool `adopt` took it from, "" when none */
};

struct pack_row {
    char name[256];
    char checksum[80];
    char synced_at[64];
};

struct ledger_rows {
    int exists;  /* the ledger table exists */
    int outdated; /* it lacks columns or the pack table of this version */
    struct ledger_row *rows; /* ascending by version */
    size_t n;
    struct pack_row *packs;
    size_t n_packs;
};

/* Read the ledger and the pack ledger in one round trip, what mode says
 * of each row (a ledger of an older runtime costs a second round trip and
 * is read whole). A missing ledger (table or schema) is not an error:
 * rows->exists is 0. */
enum migc_code record_read(struct session *s, enum ledger_read_mode mode,
                           struct ledger_rows *rows, struct migc_error *err);
void record_rows_free(struct ledger_rows *rows);

/* The row of a version, or NULL. */
const struct ledger_row *record_find(const struct ledger_rows *rows,
                                     int64_t version);
const struct pack_row *record_find_pack(const struct ledger_rows *rows,
                                        const char *name);

/* Checks vet_query's rows, read under the lock before anything is
 * created; an error code refuses (nothing is created). */
typedef enum migc_code record_vet_fn(struct session *s,
                                     const struct pg_result *rows,
                                     struct migc_error *err);

/* Create the ledger and the pack ledger if absent, or add the columns an
 * older runtime's ledger lacks, under the lock. With vet (may be NULL),
 * vet_query is read in the lock's round trip and vet decides on its rows
 * first: the foreign-ledger check of a fresh database costs no round
 * trip. */
enum migc_code record_create(struct session *s, const struct pq_query *vet_query,
                             record_vet_fn *vet, struct migc_error *err);

/* ---- Re-read under the lock ---------------------------------------------
 * Each takes the migration lock (lock_take) with its re-read in the same
 * round trip. On MIGC_OK the locked transaction is open and the rows are
 * the caller's, until their clear function; on error the connection is
 * idle. Strings are borrowed from the server's answer. */

/* A migration's ledger row. */
struct ledger_check {
    const char *clock;      /* the server's clock at the re-read */
    enum row_state state;   /* ROW_ABSENT when the ledger has no row */
    const char *checksum;
    const char *canonical;  /* "" when not recorded */
    int completed;          /* statements done */
    int failed_statement;   /* -1 when none */
    const char *sqlstate;   /* "" when none */
    const char *holder;     /* the run that marked it running, "" when none */
    int holder_alive;       /* that run's server process exists and its
                               heartbeat is younger than the stale limit */
    const char *error;      /* "" when none */
    int down_completed;     /* ROW_REVERTING: down statements done */
    struct pg_result *res;
};

enum migc_code record_lock_row(struct session *s, int64_t version,
                               struct ledger_check *row,
                               struct migc_error *err);
void record_check_clear(struct ledger_check *row);

/* Every version the ledger records. */
struct ledger_versions {
    const char *clock; /* the server's clock at the re-read */
    struct pg_result *res;
};

enum migc_code record_lock_versions(struct session *s,
                                    struct ledger_versions *out,
                                    struct migc_error *err);
int record_versions_hold(const struct ledger_versions *v, int64_t version);
void record_versions_clear(struct ledger_versions *v);

/* The pack ledger's checksums. */
struct pack_checksums {
    struct pg_result *res;
};

enum migc_code record_lock_packs(struct session *s,
                                 struct pack_checksums *out,
                                 struct migc_error *err);
/* The checksum recorded for a pack, or NULL. */
const char *record_pack_checksum(const struct pack_checksums *c,
                                 const char *name);
void record_pack_checksums_clear(struct pack_checksums *c);

/* ---- Rows written in a pipeline of the caller ---------------------------- */

/* The text of a migration's parameters, in place until the pipeline that
 * uses them has run. */
struct row_text {
    char version[24];
    char count[24];
};

/* The INSERT of a migration applied in a transaction, appended to out. */
void record_applied_sql(const struct session *s, struct sql *out);

/* The parameters of m's row for that INSERT (q->sql): started is the
 * server time it started, NULL for the start of its transaction. */
void record_applied_params(struct pq_query *q, const struct migc_migration *m,
                           const char *started, struct row_text *t);

/* The check, in a migration's own pipeline after the lock's try, that the
 * ledger holds no row of version $1 (record_found() tells its failure:
 * the server aborts the transaction, skipping the rest of the pipeline,
 * when it does). */
void record_absent_sql(const struct session *s, struct sql *out);
int record_found(const struct pg_result *res);

/* The DELETE of a reverted migration's row (migc_down), appended to out,
 * and its parameters. */
void record_removed_sql(const struct session *s, struct sql *out);
void record_removed_params(struct pq_query *q, const struct migc_migration *m,
                           struct row_text *t);

/* The upsert of a pack's row in the pack ledger, appended to out. */
void record_pack_sql(const struct session *s, struct sql *out);
void record_pack_params(struct pq_query *q, const struct migc_pack *pk);

/* ---- A migration applied outside a transaction --------------------------- */
/* Each in the transaction of record_lock_row, committing it: mark m's row
 * running for this run, new (record_claim) or taken over from a dead
 * process or a resolved failure (record_take_over). A take-over holds only
 * while the row is still as row read it (its holder and statements done):
 * a holder does not take the lock to record its progress or its end, and
 * one that finished and quit between the read and the look for its server
 * process seems dead. *taken 0: the row changed, read it again. */
enum migc_code record_claim(struct session *s, const struct migc_migration *m,
                            const char *started, struct migc_error *err);
enum migc_code record_take_over(struct session *s,
                                const struct migc_migration *m,
                                const struct ledger_check *row, int *taken,
                                struct migc_error *err);

/* The row's progress, only while this run holds it (else MIGC_ERR_RUNNING:
 * another process took it over): statements done; the failure of
 * statement (0-based); the outcome, n statements done in duration_us. */
enum migc_code record_progress(struct session *s,
                               const struct migc_migration *m, size_t done,
                               struct migc_error *err);
enum migc_code record_failure(struct session *s,
                              const struct migc_migration *m, int statement,
                              const char *sqlstate, const char *message,
                              struct migc_error *err);
enum migc_code record_finish(struct session *s, const struct migc_migration *m,
                             size_t n, int64_t duration_us,
                             struct migc_error *err);

/* A down script that runs outside a transaction (migc_down), the row's
 * progress recorded as the up path records it: in the transaction of
 * record_lock_row, committing it, mark m's row reverting for this run and
 * set *start to the down statements already done (a run that stopped
 * part-way is resumed); then, while this run holds it, the statements done
 * and a failure. */
enum migc_code record_down_claim(struct session *s,
                                 const struct migc_migration *m, int *start,
                                 struct migc_error *err);
enum migc_code record_down_progress(struct session *s,
                                    const struct migc_migration *m,
                                    size_t done, struct migc_error *err);
enum migc_code record_down_failure(struct session *s,
                                   const struct migc_migration *m,
                                   const char *sqlstate, const char *message,
                                   struct migc_error *err);

/* In the transaction of record_lock_row, committing it: a failed or
 * part-way row resolved, to continue at statement completed, or applied
 * (success); only while it is still as row read it (MIGC_ERR_RUNNING: its
 * holder finished or moved on meanwhile, as record_take_over). */
enum migc_code record_resolve(struct session *s, int64_t version,
                              const struct ledger_check *row, int completed,
                              int success, struct migc_error *err);

#endif
