/* foreign.c: the other migration tools' ledgers (foreign.h), recognised by
 * table name and columns. Compiled into both libraries, each its own
 * hidden copy, like error.c. */
#include "foreign.h"

#include <stdio.h>
#include <string.h>

const struct foreign_tool_info foreign_tools[FT_COUNT] = {
    [FT_SQLX] = {"sqlx", "_sqlx_migrations",
                 "version bigint,description,installed_on,success,"
                 "checksum bytea,execution_time",
                 NULL},
    [FT_DBMATE] = {"dbmate", "schema_migrations", "version character varying",
                   NULL},
    [FT_GOLANG_MIGRATE] = {"golang-migrate", "schema_migrations",
                           "version bigint,dirty boolean", NULL},
    [FT_GOOSE] = {"goose", "goose_db_version",
                  "id,version_id,is_applied,tstamp", NULL},
    [FT_KYSELY] = {"kysely", "kysely_migration", "name,timestamp",
                   "kysely_migration_lock"},
    [FT_FLYWAY] = {"flyway", "flyway_schema_history",
                   "installed_rank,version,script,checksum,success", NULL},
    [FT_DIESEL] = {"diesel", "__diesel_schema_migrations", "version,run_on",
                   NULL},
    [FT_PRISMA] = {"prisma", "_prisma_migrations",
                   "id,checksum,finished_at,migration_name,rolled_back_at",
                   NULL},
    [FT_POSTGRATOR] = {"postgrator", "schemaversion", "version,name,md5,run_at",
                       NULL},
    [FT_NODE_PG_MIGRATE] = {"node-pg-migrate", "pgmigrations", "id,name,run_on",
                            NULL},
};

/* Columns as "name type" joined by ','; the search_path's schema first. */
const char foreign_find_sql[] =
    "SELECT n.nspname, c.relname, string_agg(a.attname || ' ' ||"
    " format_type(a.atttypid, NULL), ',' ORDER BY a.attnum)"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
    " AND NOT a.attisdropped"
    " WHERE c.relkind IN ('r', 'p') AND c.relname = ANY ($1::text[])"
    " AND n.nspname IN (current_schema(), 'public')"
    " GROUP BY n.nspname, c.relname"
    " ORDER BY n.nspname IS DISTINCT FROM current_schema(), c.relname";

enum foreign_tool foreign_tool_named(const char *name)
{
    for (int t = 0; t < FT_COUNT; t++)
        if (strcmp(foreign_tools[t].name, name) == 0)
            return (enum foreign_tool)t;
    return FT_NONE;
}

int foreign_default_tables(char *out, size_t size)
{
    size_t at = 0;
    for (int t = 0; t < FT_COUNT; t++) {
        int n = snprintf(out + at, size - at, "%s%s", t ? "," : "{",
                         foreign_tools[t].table);
        if (n < 0 || (size_t)n >= size - at)
            return -1;
        at += (size_t)n;
    }
    if (at + 2 > size)
        return -1;
    memcpy(out + at, "}", 2);
    return 0;
}

/* Does columns ("name type,...") hold the column want ("name" or "name
 * type")? */
static int has_column(const char *columns, const char *want, size_t len)
{
    const char *p = columns;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *space = memchr(want, ' ', len);
        size_t name_len = space ? (size_t)(space - want) : len;
        /* by name: the column's name then its type */
        if (space ? n == len && memcmp(p, want, len) == 0
                  : n > name_len && memcmp(p, want, name_len) == 0 &&
                        p[name_len] == ' ')
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static int has_columns(const char *columns, const char *wanted)
{
    const char *p = wanted;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (!has_column(columns, p, n))
            return 0;
        if (!end)
            break;
        p = end + 1;
    }
    return 1;
}

/* How many columns a tool's list names. */
static int n_columns(const char *wanted)
{
    int n = 1;
    for (const char *p = wanted; *p; p++)
        n += *p == ',';
    return n;
}

enum foreign_tool foreign_classify(const char *table, const char *columns,
                                   int any_name, enum foreign_tool only)
{
    /* The tool whose columns say the most: by its columns alone, Flyway's
     * table also has dbmate's one varchar version column. */
    enum foreign_tool best = FT_NONE;
    for (int t = 0; t < FT_COUNT; t++) {
        if (only != FT_NONE && t != (int)only)
            continue;
        if (!any_name && strcmp(table, foreign_tools[t].table) != 0)
            continue;
        if (has_columns(columns, foreign_tools[t].columns) &&
            (best == FT_NONE || n_columns(foreign_tools[t].columns) >
                                    n_columns(foreign_tools[best].columns)))
            best = (enum foreign_tool)t;
    }
    return best;
}
