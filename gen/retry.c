/* retry.c: statements the runtime may retry by itself, and the cleanup
 * before the retry (see retry.h). */
#include "retry.h"

#include <stdlib.h>

#include <pg_query/pg_query.pb-c.h>

#include "migc.h"
#include "xalloc.h"

static int has_text(const char *s)
{
    return s && *s;
}

/* Append ident to out (of room for it) double-quoted, inner quotes doubled:
 * PostgreSQL reads it back as exactly ident, whatever its case or bytes. */
static char *put_quoted(char *out, const char *ident)
{
    *out++ = '"';
    for (; *ident; ident++) {
        if (*ident == '"')
            *out++ = '"';
        *out++ = *ident;
    }
    *out++ = '"';
    return out;
}

/* Room put_quoted() needs for s. */
static size_t quoted_len(const char *s)
{
    size_t n = 2;
    for (; *s; s++)
        n += *s == '"' ? 2 : 1;
    return n;
}

/* "schema"."name", or "name" when schema is NULL or empty. */
static char *quote_qualified(const char *schema, const char *name)
{
    int qualified = has_text(schema);
    size_t n = quoted_len(name) + (qualified ? quoted_len(schema) + 1 : 0);
    char *q = xmalloc(n + 1), *p = q;
    if (qualified) {
        p = put_quoted(p, schema);
        *p++ = '.';
    }
    p = put_quoted(p, name);
    *p = '\0';
    return q;
}

/* CREATE INDEX CONCURRENTLY name ON [schema.]table: the index lives in its
 * table's schema; the statement cannot qualify the index name itself. */
static int create_index(const PgQuery__IndexStmt *s, struct retry *r)
{
    if (!s->concurrent || !has_text(s->idxname))
        return 0;
    const char *schema = s->relation ? s->relation->schemaname : NULL;
    r->index = quote_qualified(schema, s->idxname);
    r->cleanup = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", r->index);
    return 1;
}

static int drop_index(const PgQuery__DropStmt *s)
{
    return s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
           s->concurrent && s->missing_ok;
}

/* ADD VALUE IF NOT EXISTS; RENAME VALUE (old_val set) is not ADD. */
static int add_enum_value(const PgQuery__AlterEnumStmt *s)
{
    return !has_text(s->old_val) && s->skip_if_new_val_exists;
}

static int validate_only(const PgQuery__AlterTableStmt *s)
{
    if (s->n_cmds == 0)
        return 0;
    for (size_t i = 0; i < s->n_cmds; i++) {
        const PgQuery__Node *n = s->cmds[i];
        if (n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
            n->alter_table_cmd->subtype !=
                PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint)
            return 0;
    }
    return 1;
}

void retry_annotate(const struct PgQuery__Node *n, struct retry *r)
{
    int repeatable = 0;
    if (!n)
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        repeatable = create_index(n->index_stmt, r);
        break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        repeatable = drop_index(n->drop_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
        repeatable = add_enum_value(n->alter_enum_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        repeatable = validate_only(n->alter_table_stmt);
        break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT: /* VACUUM and ANALYZE */
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT: repeatable = 1; break;
    default: break;
    }
    if (repeatable)
        r->flags |= MIGC_STMT_REPEATABLE;
}

void retry_free(struct retry *r)
{
    free(r->index);
    free(r->cleanup);
    r->index = r->cleanup = NULL;
}
