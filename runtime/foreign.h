/* foreign.h: the ledgers of other migration tools, recognised by table
 * name and columns: what `up` refuses to run over (plan.c, libmigc) and
 * what `adopt` reads (adopt*.c, the cli library). Pure C, no libpq: each
 * library runs foreign_find_sql on its own connection wrapper. */
#ifndef MIGC_RUNTIME_FOREIGN_H
#define MIGC_RUNTIME_FOREIGN_H

#include <stddef.h>

enum foreign_tool {
    FT_SQLX,
    FT_DBMATE,
    FT_GOLANG_MIGRATE,
    FT_GOOSE,
    FT_KYSELY,
    FT_FLYWAY,
    FT_DIESEL,
    FT_PRISMA,
    FT_POSTGRATOR,
    FT_NODE_PG_MIGRATE,
    FT_COUNT,
    FT_NONE = -1
};

struct foreign_tool_info {
    const char *name;  /* as --from takes it: "sqlx", "golang-migrate" */
    const char *table; /* the tool's default ledger table */
    /* Columns the table must have, "name" or "name type" (format_type()
     * of the column without its modifier), separated by ','. */
    const char *columns;
    const char *also_drop; /* a companion table, or NULL */
};

extern const struct foreign_tool_info foreign_tools[FT_COUNT];

/* The tool named name (--from), or FT_NONE. */
enum foreign_tool foreign_tool_named(const char *name);

/* The query listing candidate tables: its one parameter is a text[] of
 * table names; its rows: schema, table, columns ("name type,name type"),
 * the search_path's schema first, then public. */
extern const char foreign_find_sql[];

/* The text[] literal of every tool's default table name, for
 * foreign_find_sql, into out; 0, or -1 when it does not fit. */
int foreign_default_tables(char *out, size_t size);

/* Which tool's ledger a table of that name and those columns is; with
 * any_name, by the columns alone (--ledger-table); with only != FT_NONE,
 * that tool's or none. When several match, the one whose list names the
 * most columns. FT_NONE when none. */
enum foreign_tool foreign_classify(const char *table, const char *columns,
                                   int any_name, enum foreign_tool only);

#endif
