/* diag.h: compiler-style diagnostics, collected and printed at the end. */
#ifndef MIGC_GEN_DIAG_H
#define MIGC_GEN_DIAG_H

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

/* Every rule the generator can report, named once, with the rules stage's
 * registration: X(enum suffix, id, fixed, default severity, handler,
 * one-line description). A fixed rule's errors mark input migc cannot
 * compile correctly: --severity changes only its warnings and notes. The
 * handler weighs every event of the semantics (semantics.h) for its rule
 * (gen/rules/); rule_stage: an earlier stage reports the rule itself.
 * A new rule of the rules stage is one line here, one handler in its
 * family's file, a section of docs/rules.md and a golden case. */
#define DIAG_RULE_MAP(X)                                                      \
    X(IO, "io", 1, ERROR, rule_stage,                                         \
      "a file or directory cannot be read or written")                        \
    X(NAMING, "naming", 1, ERROR, rule_stage,                                 \
      "a file or folder name holds no usable version")                        \
    X(LAYOUT, "layout", 1, ERROR, rule_stage,                                 \
      "files of several layouts, or markers the layout's tool would reject")  \
    X(VERSION_GAP, "version-gap", 0, WARNING, rule_stage,                     \
      "a plain version sequence skips a number")                              \
    X(DUPLICATE_VERSION, "duplicate-version", 1, ERROR, rule_stage,           \
      "two migrations share a version")                                       \
    X(ENCODING, "encoding", 1, ERROR, rule_stage,                             \
      "a file holds bytes a UTF-8 server rejects")                            \
    X(SYNTAX, "syntax", 1, ERROR, rule_stage,                                 \
      "a migration does not parse as PostgreSQL SQL")                         \
    X(EMPTY_MIGRATION, "empty-migration", 0, ERROR, rule_stage,               \
      "a migration holds no statement")                                       \
    X(DIRECTIVE, "directive", 1, ERROR, rule_stage,                           \
      "a migc: directive is unknown or malformed")                            \
    X(UNUSED_ALLOW, "unused-allow", 0, WARNING, rule_stage,                   \
      "a migc:allow directive silences nothing")                              \
    X(TRANSACTION_CONTROL, "transaction-control", 1, ERROR, rule_stage,       \
      "BEGIN, COMMIT or ROLLBACK other than a whole-file wrapper")            \
    X(MIXED_TRANSACTION, "mixed-transaction", 0, WARNING, rule_stage,         \
      "a statement that cannot run in a transaction shares its migration")    \
    X(LOCK, "lock", 1, ERROR, rule_stage,                                     \
      "the lock file is malformed or was edited by hand")                     \
    X(IMMUTABLE, "immutable", 1, ERROR, rule_stage,                           \
      "a released (locked) migration was edited, removed or renamed")         \
    X(OUT_OF_ORDER, "out-of-order", 0, ERROR, rule_stage,                     \
      "a new migration sorts before the newest released one")                 \
    X(ARCHIVE, "archive", 1, ERROR, rule_stage,                               \
      "a baseline's archived originals do not fit the chain or the lock")     \
    X(UNKNOWN_RELATION, "unknown-relation", 0, ERROR, rule_unknown_relation,  \
      "a statement uses a relation (or schema, constraint) nothing created")  \
    X(UNKNOWN_COLUMN, "unknown-column", 0, ERROR, rule_unknown_column,        \
      "a statement names a column its table does not have")                   \
    X(UNKNOWN_TYPE, "unknown-type", 0, ERROR, rule_unknown_type,              \
      "a statement uses a type nothing created and PostgreSQL lacks")         \
    X(UNKNOWN_FUNCTION, "unknown-function", 0, ERROR, rule_unknown_function,  \
      "a statement calls a function nothing created and PostgreSQL lacks")    \
    X(DUPLICATE_OBJECT, "duplicate-object", 0, ERROR, rule_duplicate_object,  \
      "CREATE of what exists, without IF NOT EXISTS or OR REPLACE")           \
    X(DEPENDENT_OBJECTS, "dependent-objects", 0, ERROR,                       \
      rule_dependent_objects,                                                 \
      "a DROP or column type change of what a view or policy depends on")     \
    X(CREATED_THEN_DROPPED, "created-then-dropped", 0, NOTE,                  \
      rule_created_then_dropped,                                              \
      "an object one migration creates and a later one drops")                \
    X(CHURN, "churn", 0, NOTE, rule_churn,                                    \
      "a table altered by many later migrations")                             \
    X(SESSION_STATE, "session-state", 0, WARNING, rule_session_state,         \
      "a setting changed for the session leaks into later migrations")        \
    X(LEDGER_COLLISION, "ledger-collision", 0, WARNING, rule_ledger_collision, \
      "a migration touches migc's ledger table or another tool's")            \
    X(BLOCKING_INDEX, "blocking-index", 0, WARNING, rule_blocking_index,      \
      "an index built or dropped on an existing table under a write lock")    \
    X(CONSTRAINT_NOT_VALID, "constraint-not-valid", 0, WARNING,               \
      rule_constraint_not_valid,                                              \
      "a FOREIGN KEY or CHECK added to an existing table without NOT VALID")  \
    X(NOT_NULL_NO_DEFAULT, "not-null-no-default", 0, WARNING,                 \
      rule_not_null_no_default,                                               \
      "a NOT NULL column without a default added to an existing table")       \
    X(SET_NOT_NULL, "set-not-null", 0, WARNING, rule_set_not_null,            \
      "SET NOT NULL scans an existing table under an exclusive lock")         \
    X(NO_LOCK_TIMEOUT, "no-lock-timeout", 0, NOTE, rule_no_lock_timeout,      \
      "ACCESS EXCLUSIVE on an existing table with no lock timeout set")       \
    X(TABLE_REWRITE, "table-rewrite", 0, WARNING, rule_table_rewrite,         \
      "an ALTER TABLE that rewrites an existing table")                       \
    X(COLUMN_TYPE_CHANGE, "column-type-change", 0, WARNING,                   \
      rule_column_type_change,                                                \
      "an existing column's type changed (old readers break; most rewrite)")  \
    X(RENAME, "rename", 0, WARNING, rule_rename,                              \
      "an existing table or column renamed under running binaries")           \
    X(DESTRUCTIVE, "destructive", 0, WARNING, rule_destructive,               \
      "DROP TABLE, COLUMN or SCHEMA, or TRUNCATE, of existing data")          \
    X(ENUM_VALUE_IN_TRANSACTION, "enum-value-in-transaction", 0, ERROR,       \
      rule_enum_value_in_transaction,                                         \
      "an enum value used in the transaction that added it")                  \
    X(ENUM_VALUE_ORDER, "enum-value-order", 0, NOTE, rule_enum_value_order,   \
      "an enum value added without BEFORE or AFTER goes last")                \
    X(PARTITIONED_INDEX_CONCURRENTLY, "partitioned-index-concurrently", 0,    \
      ERROR, rule_partitioned_index_concurrently,                             \
      "CREATE INDEX CONCURRENTLY on a partitioned table")                     \
    X(IDENTIFIER_LENGTH, "identifier-length", 0, WARNING,                     \
      rule_identifier_length,                                                 \
      "a name over 63 bytes, which PostgreSQL truncates")                     \
    X(HARDCODED_PASSWORD, "hardcoded-password", 0, WARNING,                   \
      rule_hardcoded_password,                                                \
      "a role's password written into a migration")                           \
    X(DATA_IN_MIGRATION, "data-in-migration", 0, NOTE, rule_data_in_migration, \
      "INSERT, UPDATE or DELETE in a migration")                              \
    X(BASELINE_DIFFERS, "baseline-differs", 0, ERROR, rule_stage,             \
      "a baseline builds another schema than the migrations it squashes")     \
    X(PACK_SCHEMA, "pack-schema", 1, ERROR, rule_stage,                       \
      "a pack file does not fit the table its folder names")                  \
    X(SQUASH, "squash", 1, ERROR, rule_stage,                                 \
      "migc squash cannot replace the range with a baseline")                 \
    X(SQUASH_DATA, "squash-data", 1, ERROR, rule_stage,                       \
      "rows a squashed range wrote that its baseline cannot carry")

enum diag_rule {
#define DIAG_X_ENUM(name, id, fixed, sev, handler, text) DIAG_##name,
    DIAG_RULE_MAP(DIAG_X_ENUM)
#undef DIAG_X_ENUM
    DIAG_RULE_COUNT
};

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* A rule's configured level (--severity RULE=LEVEL). */
enum diag_level {
    DIAG_LEVEL_DEFAULT,
    DIAG_LEVEL_OFF,
    DIAG_LEVEL_NOTE,
    DIAG_LEVEL_WARNING,
    DIAG_LEVEL_ERROR
};

struct diag {
    char *path;         /* NULL: the message is about the command itself */
    unsigned line, col; /* 1-based; 0 when the message is about a whole file */
    enum diag_severity severity;
    enum diag_rule rule;
    char *message;
    size_t seq; /* order of reporting: the tie-break of diag_sort() */
    /* The source line at line as an excerpt shows it (tabs expanded,
     * control characters escaped, a long line trimmed around col), kept
     * when the finding was added while its file's text was in memory
     * (diag_sources()); NULL otherwise. caret: the display cell of col in
     * it, 1-based; 0 for none. */
    char *excerpt;
    unsigned caret;
};

struct source;

struct diags {
    struct diag *items;
    size_t n, cap;
    size_t errors, warnings;
    unsigned io_failed; /* errors of rule IO reported: exit code 2 */
    /* enum diag_level of each rule: diag_add() reports at that severity,
     * or drops the finding when OFF */
    unsigned char level[DIAG_RULE_COUNT];
    /* the files whose text is in memory (diag_sources()) */
    const struct source *sources[2];
};

const char *diag_rule_id(enum diag_rule rule);
const char *diag_rule_text(enum diag_rule rule);
int diag_rule_fixed(enum diag_rule rule);

/* Set a rule's level from "RULE=LEVEL" (LEVEL: error, warning, note, off
 * or default). Returns 0, or -1 with *why set to a static explanation. */
int diag_set_level(struct diags *d, const char *spec, const char **why);

/* The rule is switched off (its findings are dropped). */
int diag_rule_off(const struct diags *d, enum diag_rule rule);
/* The rule whose id is the len bytes at id; -1 when none. */
int diag_rule_from_id(const char *id, size_t len, enum diag_rule *out);

/* The files whose text is in memory now (NULL: none): a finding added with
 * a line of one of them keeps that line for the excerpt of diag_print().
 * The text is read only inside diag_add(): call again with NULLs before it
 * is freed. */
void diag_sources(struct diags *d, const struct source *a,
                  const struct source *b);

void diag_add(struct diags *d, const char *path, unsigned line, unsigned col,
              enum diag_severity severity, enum diag_rule rule,
              const char *fmt, ...) GEN_PRINTF(7, 8);

/* Order findings by path, then line and column (a whole-file finding
 * first), then the order they were reported in. */
void diag_sort(struct diags *d);

enum diag_print_flags {
    DIAG_PRINT_COLOR = 1,  /* ANSI colours (only for a terminal) */
    DIAG_PRINT_EXCERPT = 2 /* the source line and a caret, as gcc prints */
};

/* One line per diagnostic: path:line:col: severity: message [rule]. With
 * DIAG_PRINT_EXCERPT, a finding that kept its line (struct diag) is
 * followed by it and a caret under the column:
 *       3 | SELECT id FROM acount;
 *         |                ^
 * flags: enum diag_print_flags, or'ed. */
void diag_print(const struct diags *d, FILE *out, unsigned flags);

/* The same findings as one JSON document: {"diagnostics": [...]}. */
void diag_print_json(const struct diags *d, FILE *out);

/* The same findings as a SARIF 2.1.0 log (for code-scanning upload). */
void diag_print_sarif(const struct diags *d, FILE *out);

void diags_free(struct diags *d);

#endif
