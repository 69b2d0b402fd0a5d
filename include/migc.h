/* migc.h: the migc runtime API and the types of generated schema data.
 *
 * This header is the whole public contract of migc's two libraries: libmigc
 * (migc::runtime, pkg-config migc), which applies a schema on a connection,
 * and libmigc_cli (migc::cli, pkg-config migc-cli), the command line
 * migc_main() and the embedded cluster it can run, built on libmigc's API
 * alone. A service that calls only migc_migrate() links no argument parsing
 * and no fork/exec. Everything named here starts with migc_ or MIGC_, and
 * the libraries define no other global symbol.
 *
 * Conventions:
 * - Functions return an enum migc_code (MIGC_OK is 0) and fill a caller-owned
 *   struct migc_error with the FIRST error that happened; a later error never
 *   overwrites an earlier one. Initialise it with MIGC_ERROR_INIT.
 * - Structs that can grow. Every struct the caller allocates and the library
 *   reads or fills (migc_options, migc_report, migc_error, migc_main_config)
 *   starts with `size_t size`, set to the sizeof the caller was compiled
 *   with by its initialiser: MIGC_OPTIONS_INIT, or MIGC_OPTIONS(.field =
 *   value, ...) with designated fields; MIGC_REPORT_INIT; MIGC_ERROR_INIT;
 *   MIGC_MAIN_CONFIG_INIT or MIGC_MAIN_CONFIG(...). Fields are only ever
 *   appended. The library reads and writes only the first `size` bytes: a
 *   caller built against an older, smaller struct gets defaults for the
 *   fields it does not know and never has memory written past its struct.
 *   A size of 0 (a struct zeroed, or left uninitialised, instead) is
 *   refused with MIGC_ERR_ARG; an error struct of size 0 is then left
 *   untouched, since nothing can be written into it. (The macros use C's
 *   designated initialisers; from C++, value-initialise the struct and set
 *   `s.size = sizeof s` yourself.)
 * - Structs the library allocates or fills for a callback (migc_status,
 *   migc_event) start with the size of the library's struct, so a caller
 *   can tell which fields exist. Status entries are read with
 *   migc_status_entry_at() and migc_status_pack_at(), never by indexing
 *   entries[] or packs[] with the caller's sizeof.
 * - The library never prints and never exits; migc_main() is the one function
 *   that writes to stdout/stderr, because it is a command line.
 * - Connections are libpq's PGconn (declared here as struct pg_conn so that
 *   this header does not need libpq-fe.h). The caller owns the connection.
 */
#ifndef MIGC_H
#define MIGC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libpq's connection (PGconn). */
struct pg_conn;

#define MIGC_VERSION_MAJOR 0
#define MIGC_VERSION_MINOR 1
#define MIGC_VERSION_PATCH 0
#define MIGC_VERSION_STRING "0.1.0"
/* One number to compare: MAJOR << 16 | MINOR << 8 | PATCH, each part below
 * 256 (0.1.0 is 0x000100, 1.2.3 is 0x010203); usable in #if. */
#define MIGC_VERSION_NUMBER                                                   \
    ((MIGC_VERSION_MAJOR << 16) | (MIGC_VERSION_MINOR << 8) |                 \
     MIGC_VERSION_PATCH)

/* Layout version of the generated data below. Bumped on any change to the
 * structs marked "generated data"; since format 4 a change only appends
 * fields to struct migc_schema (never to a struct the schema holds an array
 * of), so a newer library reads older schemas. A generated file refuses to
 * compile against a header older than its format; the runtime reads
 * schemas from MIGC_FORMAT_OLDEST to MIGC_FORMAT_VERSION (a schema of
 * format 3, compiled before squashed[] existed, is read without it; one of
 * format 4 without originals[] and retired[]; one of format 5 without
 * foreign[] and foreign_originals[]; one of format 6 without flyway[] and
 * flyway_originals[]) and refuses the others with MIGC_ERR_FORMAT. */
#define MIGC_FORMAT_VERSION 7
#define MIGC_FORMAT_OLDEST 3

#if defined(__GNUC__) || defined(__clang__)
#define MIGC_API __attribute__((visibility("default")))
#else
#define MIGC_API
#endif

/* ---- Status codes ------------------------------------------------------ */

/* X(name, value, description). Append only; never renumber or reuse. */
#define MIGC_CODE_MAP(X)                                                      \
    X(OK, 0, "success")                                                       \
    X(ERR_NOMEM, 1, "out of memory")                                          \
    X(ERR_ARG, 2, "invalid argument")                                         \
    X(ERR_CONNECT, 3, "cannot connect to the database")                       \
    X(ERR_QUERY, 4, "database query failed")                                  \
    X(ERR_MIGRATION, 5, "a migration statement failed")                       \
    X(ERR_CHECKSUM, 6, "an applied migration differs from the embedded one")  \
    X(ERR_FORMAT, 7, "embedded schema has an unsupported format")             \
    X(ERR_LEDGER, 8, "the migration ledger is inconsistent")                  \
    X(ERR_EMBEDDED, 9, "the embedded database could not be run")              \
    X(ERR_FAILED, 10, "a migration is recorded as failed in the ledger")     \
    X(ERR_AHEAD, 11, "the database holds migrations newer than this binary") \
    X(ERR_LOCK_TIMEOUT, 12,                                                   \
      "timed out waiting for another process's migration lock")               \
    X(ERR_RUNNING, 13, "a migration is being applied by another process")     \
    X(ERR_PACK, 14, "a pack could not be synchronised")                       \
    X(ERR_IRREVERSIBLE, 15,                                                   \
      "a migration in the way cannot be reverted")                            \
    X(ERR_PARTIAL_SQUASH, 16,                                                 \
      "the database applied only part of the migrations a baseline replaces")

enum migc_code {
#define MIGC_X_ENUM(name, value, text) MIGC_##name = value,
    MIGC_CODE_MAP(MIGC_X_ENUM)
#undef MIGC_X_ENUM
};

/* Static description of a code; never NULL ("unknown code" for others). */
MIGC_API const char *migc_strerror(int code);

/* Version of the linked library, e.g. "0.1.0"; compare with
 * MIGC_VERSION_STRING to catch a header/library mismatch. */
MIGC_API const char *migc_version(void);

/* MIGC_VERSION_NUMBER of the linked library: a service built against one
 * header and run with another library can compare the two. */
MIGC_API unsigned migc_version_number(void);

/* ---- Errors ------------------------------------------------------------ */

struct migc_error {
    size_t size;           /* sizeof(struct migc_error): MIGC_ERROR_INIT */
    enum migc_code code;   /* MIGC_OK when nothing failed */
    char message[1024];    /* one line, no trailing newline */
    char sqlstate[6];      /* server SQLSTATE, "" when none */
    char detail[512];      /* server DETAIL, "" when none */
    char hint[512];        /* server HINT, "" when none */
    int64_t version;       /* migration involved, 0 when none */
    int statement;         /* 0-based statement index, -1 when none */
    const char *path;      /* source path (static generated data) or NULL */
    uint32_t line;         /* 1-based source position of the failure, 0 when */
    uint32_t column;       /* unknown */
};

#define MIGC_ERROR_INIT                                                       \
    {sizeof(struct migc_error), MIGC_OK, "", "", "", "", 0, -1, NULL, 0, 0}

/* ---- Connections ------------------------------------------------------- */

/* Open a connection with libpq: conninfo is a connection string
 * ("host=... dbname=...") or a URL ("postgres://..."), as libpq takes them
 * (PQconnectdbParams with expand_dbname); "" or NULL leaves everything to
 * libpq's environment variables (PGHOST, PGDATABASE, ...) and defaults.
 * application_name is the fallback_application_name (what
 * pg_stat_activity shows unless conninfo or PGAPPNAME names one); NULL
 * sets none. Returns an open connection the caller owns and closes with
 * migc_disconnect(), or NULL with error filled (first error wins):
 * MIGC_ERR_CONNECT, whose message never contains the password, or
 * MIGC_ERR_NOMEM; nothing is left open then. The library's other functions
 * take any open connection; this one is a convenience. */
MIGC_API struct pg_conn *migc_connect(const char *conninfo,
                                      const char *application_name,
                                      struct migc_error *error);

/* Close a connection from migc_connect() (or any PGconn) and free it;
 * NULL is a no-op. */
MIGC_API void migc_disconnect(struct pg_conn *conn);

/* ---- Generated data ---------------------------------------------------- */
/* Written by `migc compile`; all pointers refer to static storage. */

enum migc_statement_flags {
    MIGC_STMT_NONE = 0,
    /* PostgreSQL refuses it in a transaction block (CREATE INDEX
     * CONCURRENTLY, VACUUM, ...): its script has MIGC_SCRIPT_NO_TRANSACTION */
    MIGC_STMT_NO_TRANSACTION = 1u << 0,
    /* Running it again after it failed part-way is safe (after running
     * `cleanup` when that is set): when its run was interrupted or its
     * failure was transient (SQLSTATE classes 08, 40, 53, 57, 55P03), the
     * runtime retries it by itself on the next run instead of asking for
     * `resolve`; any other failure still needs `resolve` (docs/ledger.md).
     * Set by the generator for
     * statements such as CREATE INDEX CONCURRENTLY of a named index, DROP
     * INDEX CONCURRENTLY IF EXISTS, ALTER TYPE ... ADD VALUE IF NOT EXISTS,
     * VALIDATE CONSTRAINT, VACUUM and ANALYZE. */
    MIGC_STMT_REPEATABLE = 1u << 1
};

enum migc_script_flags {
    MIGC_SCRIPT_NONE = 0,
    /* Run statement by statement, outside a transaction: declared, or
     * required by a MIGC_STMT_NO_TRANSACTION statement. */
    MIGC_SCRIPT_NO_TRANSACTION = 1u << 0,
    /* A directive declared it (-- migc:no-transaction, sqlx's
     * -- no-transaction, dbmate's transaction:false, goose's NO TRANSACTION,
     * diesel's run_in_transaction = false). */
    MIGC_SCRIPT_DECLARED_NO_TRANSACTION = 1u << 1,
    /* The file wrapped itself in BEGIN ... COMMIT; the wrapper is not among
     * the statements (the runtime's transaction replaces it). */
    MIGC_SCRIPT_WRAPPED = 1u << 2,
    /* The script holds complete BEGIN ... COMMIT blocks of its own: it runs
     * as written, without a transaction of the runtime's. */
    MIGC_SCRIPT_OWN_TRANSACTIONS = 1u << 3
};

enum migc_migration_flags {
    MIGC_MIGRATION_NONE = 0,
    /* A baseline (-- migc:squashes FROM..TO) that replaces the migrations
     * squash_from..squash_to: a database that applied all of them does not
     * apply it; one that applied part of them is refused
     * (MIGC_ERR_PARTIAL_SQUASH). */
    MIGC_MIGRATION_SQUASHES = 1u << 0,
    /* Format 4: the schema's squashed[] lists every released migration this
     * baseline replaced (from the lock file). Without it (a squash locked
     * by an older migc, or never locked) those versions are unknown, and a
     * database counts as having applied the range when its ledger holds
     * squash_to. */
    MIGC_MIGRATION_SQUASHED_LISTED = 1u << 1
};

struct migc_statement {
    const char *sql;       /* exactly len bytes of the source file */
    size_t len;
    uint32_t line;         /* 1-based line of the first byte in the file */
    uint32_t column;       /* 1-based column (in characters) of the first byte */
    uint32_t flags;        /* enum migc_statement_flags */
    const char *checksum;  /* SHA-256 of the bytes, 64 lowercase hex digits */
    const char *canonical; /* SHA-256 of its tokens (docs/lock-file.md) */
    /* CREATE INDEX CONCURRENTLY: the index it builds, schema-qualified and
     * quoted when the statement names it ("public"."t_c_idx" style), else
     * NULL. A failed build leaves this index INVALID. */
    const char *index;
    /* What removes the leftovers of a failed run before a retry
     * (DROP INDEX CONCURRENTLY IF EXISTS ... for `index`), or NULL. */
    const char *cleanup;
};

/* The up or the down half of a migration: a file, or a section of one. */
struct migc_script {
    const char *path;      /* source path relative to the project root */
    uint32_t flags;        /* enum migc_script_flags */
    const char *checksum;  /* SHA-256 of the script's bytes (the whole file,
                              or its section), hex */
    const char *canonical; /* SHA-256 of its tokens: equal when only
                              whitespace, comments or keyword case differ */
    const struct migc_statement *statements;
    size_t n_statements;
};

struct migc_migration {
    int64_t version;
    const char *name;        /* the up script's path within the migrations
                                directory, e.g. "0001_init.sql" */
    const char *description; /* e.g. "init" */
    uint32_t flags;          /* enum migc_migration_flags */
    int64_t squash_from;     /* MIGC_MIGRATION_SQUASHES: the versions it */
    int64_t squash_to;       /* replaces, inclusive; else 0 */
    struct migc_script up;   /* checksum: what the ledger records */
    const struct migc_script *down; /* NULL when it has none */
    /* -- migc:lock-timeout VALUE / -- migc:statement-timeout VALUE: the
     * server setting while this migration runs (a PostgreSQL duration such
     * as "5s"), overriding the run's options; NULL when not declared. */
    const char *lock_timeout;
    const char *statement_timeout;
};

/* Packs: rows of runtime metadata from packs/<pack>/ YAML files, applied
 * after the migrations as upserts keyed by ref. */
struct migc_pack_row {
    const char *path;              /* the YAML file, relative to the project */
    const char *table;             /* the table, quoted and schema-qualified */
    const char *ref;               /* the row's ref */
    struct migc_statement upsert;  /* INSERT ... ON CONFLICT (ref) DO UPDATE;
                                      line/column: the YAML document */
};

/* A table a pack fills: the pack's rows its YAML no longer holds. */
struct migc_pack_table {
    const char *table;   /* quoted, schema-qualified */
    const char *orphans; /* SELECT ref FROM ... of rows gone from the YAML */
    const char *prune;   /* DELETE of the same rows */
};

struct migc_pack {
    const char *name;      /* e.g. "core" */
    const char *path;      /* e.g. "packs/core" */
    const char *checksum;  /* SHA-256 over its files' paths and bytes, hex */
    const struct migc_pack_row *rows; /* the pack's own row first, then
                                         in dependency order */
    size_t n_rows;
    const struct migc_pack_table *tables; /* children before parents */
    size_t n_tables;
};

/* A released migration a baseline replaced, as the lock file recorded it
 * when `migc lock --squash` dropped it (format 4). */
struct migc_squashed {
    int64_t version;
    int64_t baseline;       /* the version of the baseline that replaced it;
                               equal to version: the baseline took the
                               version of this original, and the ledger row
                               of that version is this one's when it holds
                               this checksum */
    const char *name;       /* its file name within the directory */
    const char *checksum;   /* SHA-256 of its bytes, hex, as released */
};

/* A baseline whose archived originals were retired (`migc squash
 * --retire`, the lock file's "#retired" record, format 5): this binary
 * carries none of them, so a database part-way through its range can only
 * be brought through it by a build made before, whose chain ended at
 * version `last`. */
struct migc_retired {
    int64_t baseline;
    int64_t last; /* the newest released version when they were retired */
};

/* A migration as other migration tools identify it (format 6), for
 * adopting their ledgers (docs/generated-data.md, "Foreign identities"). */
struct migc_foreign {
    /* The name tools that key on names record: the up file's name without
     * .sql, .up.sql (up-down) or from its first dot (pop); the folder for
     * diesel and prisma ("20240101000000_init"). */
    const char *stem;
    const char *sha384; /* SHA-384 of the up file's exact bytes, 96 lowercase
                           hex digits (sqlx's checksum, as hex) */
    const char *md5;    /* MD5 of the same bytes, 32 lowercase hex digits
                           (postgrator's md5) */
    /* SHA-256 (64 lowercase hex digits) of the same bytes with every CR LF
     * made LF, and with every lone LF made CR LF: prisma accepts either
     * for the checksum it recorded (the exact bytes' is up.checksum) */
    const char *sha256_lf;
    const char *sha256_crlf;
};

/* A migration as Flyway identifies it (format 7), for adopting Flyway's
 * ledger flyway_schema_history (docs/adopting.md, "Flyway"). */
struct migc_flyway {
    const char *version;     /* Flyway's version text, `_` as `.`: "1.1" */
    const char *description; /* "add users": the name's `_` as spaces */
    const char *script;      /* the path relative to the directory, as
                                Flyway records it: "sub/V1.1__add_users.sql" */
    int32_t checksum; /* Flyway's CRC-32 of the file's lines without their
                         terminators (a leading BOM removed), signed */
};

struct migc_schema {
    uint32_t format;         /* MIGC_FORMAT_VERSION of the generator */
    const char *name;        /* the symbol name given to `migc compile` */
    const char *generator;   /* e.g. "migc 0.1.0" */
    const char *fingerprint; /* SHA-256 over every migration, hex */
    const struct migc_migration *migrations; /* ascending by version */
    size_t n_migrations;
    const struct migc_pack *packs; /* by name; NULL when none */
    size_t n_packs;
    /* Format 4 and later (the library reads them only from such a schema):
     * the released migrations replaced by the baselines flagged
     * MIGC_MIGRATION_SQUASHED_LISTED, ascending by version; NULL when
     * none. */
    const struct migc_squashed *squashed;
    size_t n_squashed;
    /* Format 5 and later: the released migrations the baselines replaced
     * that this binary carries (their archive, docs/ledger.md "Baselines"),
     * as ordinary migration records (version, name, checksum, statements,
     * flags; no down script), ascending by version; the baseline each
     * belongs to is its squashed[] entry's. A database part-way through a
     * baseline's range applies the ones it lacks, each recorded as itself.
     * NULL when none. */
    const struct migc_migration *originals;
    size_t n_originals;
    /* Format 5 and later: the baselines whose originals were retired,
     * ascending by baseline; NULL when none. */
    const struct migc_retired *retired;
    size_t n_retired;
    /* Format 6 and later: n_migrations entries, parallel to migrations[];
     * NULL when there are none, and in a schema not written by `migc
     * compile` (one built in memory, such as the generator's replay):
     * a reader takes NULL as "identities unknown". */
    const struct migc_foreign *foreign;
    /* Format 6 and later: n_originals entries, parallel to originals[];
     * NULL as foreign is. */
    const struct migc_foreign *foreign_originals;
    /* Format 7 and later: n_migrations entries, parallel to migrations[],
     * when the chain is in Flyway's layout; NULL otherwise (and as foreign
     * is). */
    const struct migc_flyway *flyway;
    /* Format 7 and later: n_originals entries, parallel to originals[];
     * NULL as flyway is, or when there are no originals. */
    const struct migc_flyway *flyway_originals;
};

/* ---- Running migrations ------------------------------------------------ */

enum migc_event_kind {
    MIGC_EVENT_APPLYING,  /* about to apply a migration */
    MIGC_EVENT_APPLIED,   /* applied and recorded; duration_us is set */
    MIGC_EVENT_PACK,      /* a pack was synchronised; pack is set */
    MIGC_EVENT_REVERTING, /* migc_down(): about to run a down script */
    MIGC_EVENT_REVERTED   /* reverted, its ledger row removed; duration_us */
};

/* Filled by the library for the duration of the callback; fields are only
 * ever appended: a field lies within the event when its offset is below
 * `size`. */
struct migc_event {
    size_t size;          /* sizeof(struct migc_event) in the library */
    enum migc_event_kind kind;
    const struct migc_migration *migration; /* NULL for MIGC_EVENT_PACK */
    int64_t duration_us;
    const struct migc_pack *pack;           /* MIGC_EVENT_PACK only */
    size_t index; /* migrations: 1-based place in this run's list */
    size_t total; /* migrations: how many this run means to apply (or
                     revert); 0 when not known */
};

/* Called synchronously from migc_migrate(); must not call back into libmigc
 * with the same connection. */
typedef void migc_event_fn(const struct migc_event *event, void *ctx);

enum migc_log_level {
    MIGC_LOG_INFO,    /* progress worth a line: waiting for a lock, a retry */
    MIGC_LOG_WARNING  /* allowed, but a person should know: the database is
                         ahead of this binary, an applied migration differs
                         only in whitespace or comments, stale pack rows */
};

/* Receives one line (no trailing newline) at a time; the library never
 * prints. message is valid during the call only. */
typedef void migc_log_fn(enum migc_log_level level, const char *message,
                         void *ctx);

enum migc_option_flags {
    MIGC_OPT_NONE = 0,
    /* Apply every pending migration in one transaction (refused with
     * MIGC_ERR_ARG when a pending migration runs outside a transaction). */
    MIGC_OPT_SINGLE_TRANSACTION = 1u << 0,
    /* Versions in the ledger newer than this binary (MIGC_ERR_AHEAD) and
     * applied migrations that differ only in whitespace or comments
     * (MIGC_ERR_CHECKSUM) are errors instead of warnings. */
    MIGC_OPT_STRICT = 1u << 1,
    /* Delete pack rows that vanished from the YAML (else: reported). */
    MIGC_OPT_PRUNE_PACKS = 1u << 2,
    /* Every migration's transaction commits with the session's
     * synchronous_commit. Without it each commit but the run's last is
     * asynchronous (group commit): the last one's flush makes them all
     * durable, and a crash loses a migration and its ledger row together
     * (docs/ledger.md). */
    MIGC_OPT_SYNCHRONOUS_COMMIT = 1u << 3
};

/* Initialise with MIGC_OPTIONS_INIT or MIGC_OPTIONS(.flags = ..., ...);
 * every field left out is 0, its default. */
struct migc_options {
    size_t size;               /* sizeof(struct migc_options) */
    const char *ledger_schema; /* NULL: "public" */
    const char *ledger_table;  /* NULL: "migc_migrations" */
    migc_event_fn *on_event;   /* NULL: no events */
    void *event_ctx;
    uint32_t flags;            /* enum migc_option_flags */
    /* lock_timeout and statement_timeout for the migrations' statements,
     * PostgreSQL durations ("5s", "10min"); NULL or "": the server's. A
     * migration's own directive wins over these. */
    const char *lock_timeout;
    const char *statement_timeout;
    /* How long to wait for another process that holds the migration lock,
     * in milliseconds: 0 means the default (10 minutes), -1 forever. */
    int64_t lock_wait_ms;
    /* A migration that runs outside a transaction marks its ledger row as
     * running and refreshes it between statements. A row not refreshed for
     * this long, whose statement no server process is running, was left by
     * a process that died: another process takes it over. Milliseconds; 0
     * means the default (60 s). */
    int64_t stale_ms;
    migc_log_fn *log;          /* NULL: no log lines */
    void *log_ctx;
    /* migc_migrate(): apply only the pending migrations up to this version
     * (inclusive), and the packs only when nothing is left pending after
     * it; 0: everything. */
    int64_t target_version;
    /* While a statement of a migration runs, a log line (MIGC_LOG_INFO)
     * every this many milliseconds names it (path:line:col) and the time
     * so far; 0: every 5 s; -1: never. Inside a transaction the server is
     * asked which statement it runs, on a second connection made like the
     * caller's (opened at the first such line, closed when the call
     * returns); when it cannot say, and on a fresh database (each
     * migration one query string), the line names the migration only. */
    int64_t progress_ms;
};

#define MIGC_OPTIONS_INIT {.size = sizeof(struct migc_options)}
#define MIGC_OPTIONS(...) {.size = sizeof(struct migc_options), __VA_ARGS__}

/* Filled by the library within its `size`; initialise with
 * MIGC_REPORT_INIT. A struct may be passed to several calls: each rewrites
 * it (size stays). */
struct migc_report {
    size_t size;          /* sizeof(struct migc_report) */
    size_t pending;       /* migrations pending when the run started */
    size_t applied;       /* migrations this run applied */
    unsigned round_trips; /* client/server round trips this run made */
    size_t ahead;         /* ledger versions newer than this binary */
    size_t cosmetic;      /* applied migrations differing only in
                             whitespace, comments or keyword case */
    size_t packs_synced;  /* packs whose rows this run wrote */
    size_t pack_orphans;  /* pack rows gone from the YAML (pruned with
                             MIGC_OPT_PRUNE_PACKS, else left) */
    int64_t waited_ms;    /* time spent waiting for another process */
};

#define MIGC_REPORT_INIT {.size = sizeof(struct migc_report)}

/* Bring the database on conn up to date with schema: read the ledger, and when
 * something is pending create the ledger if absent and apply each pending
 * migration in version order, each in its own transaction together with its
 * ledger row; then synchronise the packs whose checksum changed. Safe to run
 * from many processes at once, directly or through a transaction-pooling
 * PgBouncer. With nothing to do it makes one round trip and takes no lock.
 * Refuses (before applying anything) when an applied migration's checksum
 * differs from the embedded one, when the ledger holds a failed migration
 * (unless its failed statement is MIGC_STMT_REPEATABLE and failed
 * transiently: then it is retried),
 * when the ledger is absent and another migration tool's ledger is there
 * (MIGC_ERR_LEDGER, naming `adopt`: docs/adopting.md),
 * when it holds an unknown version older than the newest embedded one, or
 * when it applied only part of the migrations an embedded baseline replaces
 * (MIGC_ERR_PARTIAL_SQUASH, naming the versions it lacks).
 * options and report may be NULL; a NULL options means every default.
 * MIGC_ERR_ARG, before anything else is looked at, when options, report or
 * error has size 0 ("options->size is 0: initialise struct migc_options
 * with MIGC_OPTIONS_INIT or MIGC_OPTIONS(...)", and likewise for the
 * report). conn stays owned by the caller and is left idle (not in a
 * transaction) on return. */
MIGC_API enum migc_code migc_migrate(struct pg_conn *conn,
                                     const struct migc_schema *schema,
                                     const struct migc_options *options,
                                     struct migc_report *report,
                                     struct migc_error *error);

/* Read-only, one round trip, no lock: is the database up to date with
 * schema? (Two round trips when the ledger is absent: whether another
 * tool's ledger is there, which is refused with MIGC_ERR_LEDGER naming
 * `adopt`, as migc_migrate() refuses it.) MIGC_OK with report->pending == 0: up to date (packs included);
 * MIGC_OK with report->pending > 0: migrations or packs wait to be applied
 * (a migration being applied by another process counts as pending). A
 * ledger that disagrees with the binary returns the code migc_migrate()
 * would refuse with: MIGC_ERR_CHECKSUM, MIGC_ERR_LEDGER, MIGC_ERR_FAILED,
 * MIGC_ERR_PARTIAL_SQUASH, and with MIGC_OPT_STRICT MIGC_ERR_AHEAD. For readiness probes. report may
 * be NULL. */
MIGC_API enum migc_code migc_check(struct pg_conn *conn,
                                   const struct migc_schema *schema,
                                   const struct migc_options *options,
                                   struct migc_report *report,
                                   struct migc_error *error);

/* Revert applied migrations, newest first, each by its down script: the
 * newest `steps` ones (steps > 0), or else every one above to_version (0:
 * all). Each runs in its own transaction together with the removal of its
 * ledger row (a down script that runs outside a transaction: statement by
 * statement, then the row's removal), under the migration lock. Refused
 * with MIGC_ERR_IRREVERSIBLE before anything runs when a migration in the
 * way has no down script, is a baseline (a squash cannot be undone), or is
 * one the binary does not embed (the database is ahead of it); with
 * MIGC_ERR_FAILED when one in the way is failed or running; with the
 * codes of migc_migrate() when the ledger disagrees with the binary. Packs
 * are left as they are. report->applied counts the migrations reverted.
 * Emits MIGC_EVENT_REVERTING and MIGC_EVENT_REVERTED. */
MIGC_API enum migc_code migc_down(struct pg_conn *conn,
                                  const struct migc_schema *schema,
                                  const struct migc_options *options,
                                  size_t steps, int64_t to_version,
                                  struct migc_report *report,
                                  struct migc_error *error);

enum migc_resolve_how {
    /* The operator removed what blocked the failed statement (for example
     * the INVALID index a failed CREATE INDEX CONCURRENTLY left): the next
     * run retries the failed statement, then continues. */
    MIGC_RESOLVE_RETRY,
    /* The operator ran the failed statement by hand: the next run continues
     * after it. */
    MIGC_RESOLVE_SKIP,
    /* The operator finished the whole migration by hand: it is recorded as
     * applied. */
    MIGC_RESOLVE_APPLIED
};

/* Clear the failure of migration version recorded in the ledger, the way
 * `how` says; MIGC_ERR_ARG when the ledger holds no failed or abandoned row
 * for it. Takes the migration lock. */
MIGC_API enum migc_code migc_resolve(struct pg_conn *conn,
                                     const struct migc_schema *schema,
                                     const struct migc_options *options,
                                     int64_t version,
                                     enum migc_resolve_how how,
                                     struct migc_error *error);

/* ---- Status ------------------------------------------------------------ */

enum migc_state {
    MIGC_STATE_PENDING,  /* embedded, not in the ledger */
    MIGC_STATE_APPLIED,  /* in the ledger with the embedded checksum */
    MIGC_STATE_MODIFIED, /* in the ledger with another checksum */
    MIGC_STATE_FAILED,   /* in the ledger, marked as failed */
    MIGC_STATE_MISSING,  /* in the ledger, unknown to this binary */
    MIGC_STATE_SQUASHED, /* in the ledger, replaced in this binary by a
                            baseline (MIGC_MIGRATION_SQUASHES) that counts
                            as applied */
    MIGC_STATE_RUNNING,  /* outside a transaction, being applied (or left
                            part-way by a process that died) */
    MIGC_STATE_AHEAD,    /* in the ledger, unknown to this binary and newer
                            than every migration it embeds */
    MIGC_STATE_REFORMATTED, /* in the ledger with another checksum, but the
                              same tokens: only whitespace, comments or
                              keyword case differ */
    MIGC_STATE_REVERTING, /* its down script ran outside a transaction and
                             stopped part-way: run down again to finish */
    MIGC_STATE_PARTIAL,  /* a baseline whose replaced migrations the
                            database applied only part of: up refuses it
                            (MIGC_ERR_PARTIAL_SQUASH); error names what it
                            lacks */
    MIGC_STATE_PART_WAY  /* a baseline whose replaced migrations the
                            database applied only part of, and whose
                            archived originals this binary carries (format
                            5): up applies those it lacks (listed as
                            pending), then it counts as applied; error says
                            which */
};

/* Static lower-case name of a state ("pending", ...). */
MIGC_API const char *migc_state_name(enum migc_state state);

struct migc_status_entry {
    int64_t version;
    enum migc_state state;
    const struct migc_migration *migration; /* NULL when MISSING */
    char name[256];       /* file name (from the ledger when MISSING) */
    char applied_at[64];  /* server timestamp text of when it was applied
                             (started, when running or failed), "" when
                             pending */
    int64_t duration_us;  /* execution time recorded, 0 when not applied */
    int completed;        /* RUNNING, FAILED: statements done */
    int failed_statement; /* FAILED: 0-based index of the statement, else -1 */
    char error[512];      /* FAILED: the recorded error; PARTIAL: the
                             versions it lacks; a baseline without a row
                             of its own: how this database crosses it
                             ("fresh: ...", "crossed: ...", "part-way:
                             ..."); else "" */
    /* Appended for `adopt` (check entry_size): the tool whose ledger row
     * `adopt` recorded this row from ("sqlx", "dbmate", ...), "" when
     * migc applied it. */
    char adopted_from[32];
};

enum migc_pack_state {
    MIGC_PACK_SYNCED,  /* the database holds this checksum */
    MIGC_PACK_CHANGED, /* synchronised before, with another checksum */
    MIGC_PACK_NEW      /* never synchronised */
};

struct migc_pack_status {
    const struct migc_pack *pack;
    enum migc_pack_state state;
    char synced_at[64];   /* server timestamp text, "" when NEW */
};

/* Allocated by the library. entries[] and packs[] are arrays in THIS
 * version's layout: a caller built against another header must not index
 * them, but read them with migc_status_entry_at() and
 * migc_status_pack_at() (or step entry_size and pack_size bytes). */
struct migc_status {
    size_t size;        /* sizeof(struct migc_status) in the library */
    size_t n_entries;   /* ascending by version */
    struct migc_status_entry *entries;
    size_t n_pending;   /* migrations and packs waiting to be applied */
    unsigned round_trips;
    size_t n_packs;     /* in the schema's order */
    struct migc_pack_status *packs;
    size_t entry_size;  /* sizeof(struct migc_status_entry) in the library */
    size_t pack_size;   /* sizeof(struct migc_pack_status) in the library */
};

/* Entry i of status (0-based, ascending by version), or NULL when status is
 * NULL or i >= n_entries. Owned by status. */
MIGC_API const struct migc_status_entry *
migc_status_entry_at(const struct migc_status *status, size_t i);

/* Pack i of status (in the schema's order), or NULL when status is NULL or
 * i >= n_packs. Owned by status. */
MIGC_API const struct migc_pack_status *
migc_status_pack_at(const struct migc_status *status, size_t i);

/* Static lower-case name of a pack state ("synced", ...). */
MIGC_API const char *migc_pack_state_name(enum migc_pack_state state);

/* Read the ledger and describe every migration, embedded or recorded. Makes
 * no change to the database (a missing ledger means everything is pending).
 * On success *out is a new list to free with migc_status_free(). */
MIGC_API enum migc_code migc_status(struct pg_conn *conn,
                                    const struct migc_schema *schema,
                                    const struct migc_options *options,
                                    struct migc_status **out,
                                    struct migc_error *error);

/* Free a list from migc_status(); NULL is a no-op. */
MIGC_API void migc_status_free(struct migc_status *status);

/* ---- Databases for test suites ----------------------------------------- */
/* A test suite that wants a fresh database per test (or per worker) copies
 * a template holding the schema instead of replaying every migration
 * (docs/templates.md). The template is a database of the same server named
 * from the schema (migc_template_name()), built on first use and rebuilt
 * when the schema changes. Both calls open their own connections from
 * conninfo, a maintenance database of the server (usually "postgres"):
 * CREATE DATABASE runs there, never in a transaction. The role needs
 * CREATEDB. */

/* The template database of schema, as migc_create_database() names it:
 * "migc_tpl_<schema name, lower case, cut to 37 bytes>_<key>", where key
 * is 16 hex digits of a hash over the schema's name and fingerprint, its
 * packs' checksums and the ledger's names in options (NULL: the defaults); at
 * most 63 bytes. Written to buf (NUL-terminated); MIGC_ERR_ARG when buf is
 * NULL or size is below 64, or schema is NULL or of a format the library
 * does not read (MIGC_ERR_FORMAT). */
MIGC_API enum migc_code migc_template_name(const struct migc_schema *schema,
                                           const struct migc_options *options,
                                           char *buf, size_t size,
                                           struct migc_error *error);

/* Create database `name` on the server of conninfo as a copy of schema's
 * template (CREATE DATABASE name TEMPLATE tpl): up to date with schema,
 * migrations and packs, in the time the server takes to copy files. When
 * the template is absent, builds it first: under an advisory lock (session
 * scope) on the maintenance database, so that concurrent callers build it
 * once and the others wait for it; it is created, marked as migc's
 * (COMMENT ON DATABASE: "migc template <schema name> <key> <fingerprint>"),
 * brought up to date with migc_migrate() (options apply, except
 * target_version, which must be 0), then marked complete (IS_TEMPLATE
 * true, ALLOW_CONNECTIONS false). A template left unmarked by a build that
 * died is dropped and built again. After the copy, the templates migc made
 * for the same schema name with another key (a changed schema) are
 * dropped when no other process is building, unless one is being copied
 * or used right now (skipped, told through options->log, swept by a later
 * call); nothing else is touched. A copy refused because
 * another session uses the template is tried again (backing off) for up
 * to options->lock_wait_ms, which also bounds the wait for another
 * process's build.
 * report (may be NULL): applied and packs_synced count what the build
 * applied (0 when an existing template was copied), waited_ms the time
 * spent waiting for another process. Errors: MIGC_ERR_ARG for a name that
 * is empty or longer than 63 bytes, or a template name taken by a database
 * migc did not make; MIGC_ERR_CONNECT; MIGC_ERR_QUERY with the server's
 * SQLSTATE (42P04: name exists; 42501: no CREATEDB); a failed build's
 * migc_migrate() code (its half-built template dropped);
 * MIGC_ERR_LOCK_TIMEOUT. Nothing is left open on return. */
MIGC_API enum migc_code migc_create_database(const char *conninfo,
                                             const struct migc_schema *schema,
                                             const char *name,
                                             const struct migc_options *options,
                                             struct migc_report *report,
                                             struct migc_error *error);

enum migc_drop_flags {
    MIGC_DROP_NONE = 0,
    /* DROP DATABASE ... WITH (FORCE): end the sessions connected to it
     * (PostgreSQL 13 and later). Without it a database in use is refused
     * (SQLSTATE 55006). */
    MIGC_DROP_FORCE = 1u << 0,
    /* A database that does not exist is no error. */
    MIGC_DROP_IF_EXISTS = 1u << 1
};

/* Drop database `name` on the server of conninfo (a maintenance database,
 * as for migc_create_database()); flags: enum migc_drop_flags. A template
 * migc made is refused (MIGC_ERR_ARG): migc drops it when the schema
 * changes. MIGC_ERR_QUERY with the server's SQLSTATE otherwise (3D000:
 * does not exist; 55006: in use). */
MIGC_API enum migc_code migc_drop_database(const char *conninfo,
                                           const char *name, uint32_t flags,
                                           struct migc_error *error);

/* ---- Command line ------------------------------------------------------ */
/* In libmigc_cli: link migc::cli (migc_embed() links it) or add
 * `pkg-config --libs migc-cli`. */

/* A command line for any service, in one line:
 *     int main(int argc, char **argv) { return migc_main(argc, argv, &s); }
 * Commands: up, status, check, plan, resolve VERSION, create-db NAME and
 * drop-db NAME (see --help, docs/runtime.md and docs/templates.md). The database comes from --database URL or DATABASE_URL;
 * --embedded[=DIR] runs a private PostgreSQL cluster in DIR instead. With
 * neither, it fails with a message: a service never creates a database
 * implicitly. The password is never printed.
 * Returns a process exit code: 0 success (for check: up to date), 1
 * failure, 2 usage, 3 (check) something is pending, 4 the ledger disagrees
 * with the binary (a migration edited, failed, unknown, a baseline's
 * replaced migrations applied only in part, or with --strict the database
 * ahead), 5 (up or status over a fleet, docs/fleets.md) some target failed
 * or could not be read. */
MIGC_API int migc_main(int argc, char **argv, const struct migc_schema *schema);

/* Initialise with MIGC_MAIN_CONFIG_INIT or MIGC_MAIN_CONFIG(.field =
 * value, ...). */
struct migc_main_config {
    size_t size;               /* sizeof(struct migc_main_config) */
    /* When non-NULL and no database is given, behave as --embedded=DIR with
     * this DIR. Only for demos and local tools; a production service leaves
     * it NULL. */
    const char *embedded_default_dir;
    const char *ledger_schema; /* NULL: "public" */
    const char *ledger_table;  /* NULL: "migc_migrations" */
    /* Where the library's log lines go; NULL: standard error, as
     * "PROG: warning: ..." or "PROG: ...". */
    migc_log_fn *log;
    void *log_ctx;
};

#define MIGC_MAIN_CONFIG_INIT {.size = sizeof(struct migc_main_config)}
#define MIGC_MAIN_CONFIG(...)                                                 \
    {.size = sizeof(struct migc_main_config), __VA_ARGS__}

/* migc_main() with settings; config may be NULL. A config of size 0 is
 * refused: the command prints why and returns 1. */
MIGC_API int migc_main_with(int argc, char **argv,
                            const struct migc_schema *schema,
                            const struct migc_main_config *config);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_H */
