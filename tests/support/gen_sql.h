/* gen_sql.h: the generator library (gen/compile.h) run in-process on
 * migrations given as SQL text, for unit tests of its stages and rules:
 * "compile this SQL and give me the findings". */
#ifndef MIGC_TESTS_GEN_SQL_H
#define MIGC_TESTS_GEN_SQL_H

#include <stddef.h>

#include "compile.h"

/* One migration file: its name in the migrations folder (a layout's name:
 * 001_create.sql, 001_x.up.sql, ...) and its text. The name may hold
 * folders, which are created (001_x/up.sql; ../packs/core/pack.yaml for a
 * file beside the migrations folder). */
struct gen_sql_file {
    const char *name;
    const char *sql;
};

/* A run over a temporary folder: ROOT/migrations holds the files. */
struct gen_sql {
    char root[64];      /* the temporary folder */
    char *dir;          /* ROOT/migrations */
    struct compile *c;  /* the run, done */
    char *findings;     /* gen_sql_findings(), once asked */
    char *brief;        /* gen_sql_brief(), once asked */
};

/* Write the n files into ROOT/migrations of a new temporary folder and run
 * the pipeline on it with the options of o (NULL: every default: the
 * checks of `migc check`, nothing written); dir and source_root are this
 * folder's. Aborts when the folder cannot be written. Free the result
 * with gen_sql_free(). */
struct gen_sql *gen_sql_run(const struct gen_sql_file *files, size_t n,
                            const struct compile_options *o);

/* The same for one migration, 001_test.sql, with the default options. */
struct gen_sql *gen_sql_one(const char *sql);

/* Write (or overwrite) one more file into ROOT/migrations and run the
 * pipeline again with the options of the first run (the lock file, say,
 * stays from the run before). */
void gen_sql_rerun(struct gen_sql *g, const struct gen_sql_file *file,
                   const struct compile_options *o);

/* Write (or overwrite) one more file into ROOT/migrations without
 * running the pipeline: the next gen_sql_rerun() reads it. */
void gen_sql_write(struct gen_sql *g, const struct gen_sql_file *file);

/* The findings as `migc check` prints them, one a line, paths relative to
 * the migrations folder ("001_test.sql:1:1: error: ... [rule]\n"); ""
 * when there is none. Owned by g. */
const char *gen_sql_findings(struct gen_sql *g);

/* The findings by place, severity and rule only, one a line:
 * "001_test.sql:2:32: warning [blocking-index]\n" ("PATH: error [rule]"
 * for a whole file), paths relative to the migrations folder, or else to
 * ROOT ("packs/core/pack.yaml"); "" when there is none. What a rule's
 * table-driven test compares, without the wording of its messages. Owned
 * by g, until the next run. */
const char *gen_sql_brief(struct gen_sql *g);

/* How many findings of rule the run reported. */
size_t gen_sql_count(const struct gen_sql *g, enum diag_rule rule);

/* Remove the temporary folder and free g. NULL is a no-op. */
void gen_sql_free(struct gen_sql *g);

#endif
