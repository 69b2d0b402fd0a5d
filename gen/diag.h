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

/* Every rule the generator can report, named once:
 * X(enum suffix, id, one-line description). */
#define DIAG_RULE_MAP(X)                                                      \
    X(IO, "io", "a file or directory cannot be read or written")              \
    X(NAMING, "naming", "a file or folder name holds no usable version")      \
    X(LAYOUT, "layout",                                                       \
      "files of several layouts, or markers the layout's tool would reject") \
    X(VERSION_GAP, "version-gap", "a plain version sequence skips a number")  \
    X(DUPLICATE_VERSION, "duplicate-version",                                 \
      "two migrations share a version")                                       \
    X(ENCODING, "encoding",                                                   \
      "a file holds bytes a UTF-8 server rejects")                            \
    X(SYNTAX, "syntax", "a migration does not parse as PostgreSQL SQL")       \
    X(EMPTY_MIGRATION, "empty-migration", "a migration holds no statement")   \
    X(DIRECTIVE, "directive", "a migc: directive is unknown or malformed")    \
    X(TRANSACTION_CONTROL, "transaction-control",                             \
      "BEGIN, COMMIT or ROLLBACK other than a whole-file wrapper")            \
    X(MIXED_TRANSACTION, "mixed-transaction",                                 \
      "a statement that cannot run in a transaction shares its migration")    \
    X(LOCK, "lock", "the lock file is malformed or was edited by hand")       \
    X(IMMUTABLE, "immutable",                                                 \
      "a released (locked) migration was edited, removed or renamed")         \
    X(OUT_OF_ORDER, "out-of-order",                                           \
      "a new migration sorts before the newest released one")

enum diag_rule {
#define DIAG_X_ENUM(name, id, text) DIAG_##name,
    DIAG_RULE_MAP(DIAG_X_ENUM)
#undef DIAG_X_ENUM
    DIAG_RULE_COUNT
};

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag {
    char *path;         /* NULL: the message is about the command itself */
    unsigned line, col; /* 1-based; 0 when the message is about a whole file */
    enum diag_severity severity;
    enum diag_rule rule;
    char *message;
    size_t seq; /* order of reporting: the tie-break of diag_sort() */
};

struct diags {
    struct diag *items;
    size_t n, cap;
    size_t errors, warnings;
    int io_failed; /* an error of rule IO was reported: exit code 2 */
};

const char *diag_rule_id(enum diag_rule rule);
const char *diag_rule_text(enum diag_rule rule);
/* The rule whose id is the len bytes at id; -1 when none. */
int diag_rule_from_id(const char *id, size_t len, enum diag_rule *out);

void diag_add(struct diags *d, const char *path, unsigned line, unsigned col,
              enum diag_severity severity, enum diag_rule rule,
              const char *fmt, ...) GEN_PRINTF(7, 8);

/* Order findings by path, then line and column (a whole-file finding
 * first), then the order they were reported in. */
void diag_sort(struct diags *d);

/* One line per diagnostic: path:line:col: severity: message [rule].
 * color: use ANSI colours (only for a terminal). */
void diag_print(const struct diags *d, FILE *out, int color);

/* The same findings as one JSON document: {"diagnostics": [...]}. */
void diag_print_json(const struct diags *d, FILE *out);

/* The same findings as a SARIF 2.1.0 log (for code-scanning upload). */
void diag_print_sarif(const struct diags *d, FILE *out);

void diags_free(struct diags *d);

#endif
