/* squash_data.c: what a statement of a squashed range does to rows and to
 * the cluster, from its parse tree. */
#include "squash_data.h"

#include <stdlib.h>
#include <string.h>

#include <pg_query/pg_query.pb-c.h>

#include "semantics.h"
#include "xalloc.h"

/* Functions whose result differs between two runs of one statement:
 * carried as values, one machine's clock or dice would be frozen into
 * every database. nextval() is not among them: a fresh replay numbers
 * rows the same way every time. */
static const char *const volatile_fns[] = {
    "now()",          "clock_timestamp()", "statement_timestamp()",
    "transaction_timestamp()", "timeofday()", "random()",
    "gen_random_uuid()", "uuid_generate_v1()", "uuid_generate_v1mc()",
    "uuid_generate_v4()", "txid_current()", "pg_current_xact_id()",
    "inet_client_addr()", "pg_backend_pid()",
};

static const char *value_fn_name(PgQuery__SQLValueFunctionOp op)
{
    switch (op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
        return "CURRENT_DATE";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
        return "CURRENT_TIME";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
        return "CURRENT_TIMESTAMP";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
        return "LOCALTIME";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
        return "LOCALTIMESTAMP";
    default:
        return NULL;
    }
}

static int find_volatile(void *ctx, const ProtobufCMessage *m)
{
    const char **found = ctx;
    if (*found)
        return 1;
    if (sem_is_msg(m, &pg_query__func_call__descriptor)) {
        const PgQuery__FuncCall *f = (const PgQuery__FuncCall *)m;
        const char *name =
            f->n_funcname ? sem_str_of(f->funcname[f->n_funcname - 1]) : NULL;
        for (size_t i = 0; name && i < sizeof volatile_fns / sizeof *volatile_fns;
             i++)
            if (strlen(name) + 2 == strlen(volatile_fns[i]) &&
                strncmp(name, volatile_fns[i], strlen(name)) == 0)
                *found = volatile_fns[i];
    } else if (sem_is_msg(m, &pg_query__sqlvalue_function__descriptor)) {
        *found = value_fn_name(((const PgQuery__SQLValueFunction *)m)->op);
    }
    return 0;
}

static char *table_name(const PgQuery__RangeVar *rv)
{
    if (!rv || !rv->relname)
        return NULL;
    return xasprintf("%s.%s",
                     rv->schemaname && *rv->schemaname ? rv->schemaname
                                                        : "public",
                     rv->relname);
}

/* The cluster-level statements pg_dump --schema-only leaves out. */
static const char *cluster_stmt(PgQuery__Node__NodeCase c)
{
    switch (c) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT: return "CREATE ROLE";
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT: return "ALTER ROLE";
    case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT: return "ALTER ROLE ... SET";
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT: return "DROP ROLE";
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT: return "GRANT of a role";
    case PG_QUERY__NODE__NODE_CREATEDB_STMT: return "CREATE DATABASE";
    case PG_QUERY__NODE__NODE_DROPDB_STMT: return "DROP DATABASE";
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT: return "ALTER DATABASE";
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_SET_STMT:
        return "ALTER DATABASE ... SET";
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT: return "ALTER SYSTEM";
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
        return "CREATE TABLESPACE";
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT: return "DROP TABLESPACE";
    case PG_QUERY__NODE__NODE_ALTER_TABLE_SPACE_OPTIONS_STMT:
        return "ALTER TABLESPACE";
    default: return NULL;
    }
}

void squash_data_classify(const struct model_statement *st,
                          struct squash_stmt *out)
{
    *out = (struct squash_stmt){0};
    const PgQuery__Node *n = st->node;
    if (!n)
        return;
    const PgQuery__RangeVar *rv = NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        rv = n->insert_stmt->relation;
        break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        rv = n->update_stmt->relation;
        break;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        rv = n->delete_stmt->relation;
        break;
    case PG_QUERY__NODE__NODE_MERGE_STMT:
        rv = n->merge_stmt->relation;
        break;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        if (n->copy_stmt->is_from)
            rv = n->copy_stmt->relation;
        break;
    default:
        out->cluster = cluster_stmt(n->node_case);
        return;
    }
    out->table = table_name(rv);
    if (out->table)
        sem_walk(n, find_volatile, &out->volatile_fn);
}

void squash_stmt_free(struct squash_stmt *s)
{
    free(s->table);
    s->table = NULL;
}
