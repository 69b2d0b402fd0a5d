/* schema_sql.h: the catalog queries schema_read.c runs, one per kind of
 * object, each returning rows (kind, name, sub, attr, value, how) that
 * become snapshot items as they are (schema_int.h). */
#ifndef MIGC_RUNTIME_SCHEMA_SQL_H
#define MIGC_RUNTIME_SCHEMA_SQL_H

#include <stddef.h>

/* One query and what it reads, for error messages. Parameters: $1 text[]
 * tables left out ("schema.table"), $2 text[] schemas left out, $3 boolean
 * privileges wanted. */
struct schema_query {
    const char *what;
    const char *sql;
};

extern const struct schema_query schema_queries[];
extern const size_t schema_n_queries;

/* The tables whose rows are compared: one row each, the name quoted. */
extern const char schema_data_tables_sql[];

#endif
