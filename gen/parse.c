/* parse.c: split SQL into statements with libpg_query. */
#include "parse.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int is_trivia(const PgQuery__ScanToken *t)
{
    return t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
           t->token == PG_QUERY__TOKEN__C_COMMENT;
}

static int set_error(struct parse_result *out, const PgQueryError *e)
{
    out->error = xstrdup(e->message ? e->message : "syntax error");
    out->error_has_pos = e->cursorpos > 0;
    out->error_char = e->cursorpos > 0 ? (size_t)e->cursorpos - 1 : 0;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* End of token i. The scanner's own end is wrong for some tokens (U&"..."
 * ends after its U, U&'...' is empty), so a token is taken to run up to the
 * next token or the end of input, less the whitespace between: nothing but
 * whitespace separates tokens once comments are tokens too. */
static size_t token_end(const PgQuery__ScanResult *scan, size_t i,
                        const char *text, size_t len)
{
    size_t start = (size_t)scan->tokens[i]->start;
    size_t end = i + 1 < scan->n_tokens ? (size_t)scan->tokens[i + 1]->start
                                        : len;
    while (end > start && is_space(text[end - 1]))
        end--;
    return end;
}

/* Narrow [begin, end) to its first and last significant token, so that a
 * statement starts at its first keyword and ends at its last token: the
 * parser's ranges include the whitespace and comments before a statement. */
static struct stmt_range trim(const PgQuery__ScanResult *scan,
                              const char *text, size_t len, size_t *cursor,
                              size_t begin, size_t end)
{
    struct stmt_range r = {.off = begin};
    int found = 0;
    size_t i = *cursor;
    while (i < scan->n_tokens && (size_t)scan->tokens[i]->start < begin)
        i++;
    for (; i < scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = scan->tokens[i];
        size_t t_end = token_end(scan, i, text, len);
        if (t_end > end)
            break;
        if (is_trivia(t) || t->token == PG_QUERY__TOKEN__ASCII_59)
            continue;
        if (!found) {
            r.off = (size_t)t->start;
            found = 1;
        }
        r.len = t_end - r.off;
    }
    *cursor = i;
    return r;
}

/* PostgreSQL folds unquoted identifiers and keywords to lower case. */
static int folds_case(const PgQuery__ScanToken *t, const char *s)
{
    if (t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
        return 1;
    return t->token == PG_QUERY__TOKEN__IDENT && s[0] != '"';
}

/* Feed one token and the 0x00 separator, folded to ASCII lower case. */
static void hash_token(struct hash_ctx *h, const char *s, size_t n, int fold)
{
    char buf[256];
    while (fold && n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        for (size_t j = 0; j < k; j++)
            buf[j] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a')
                                                : s[j];
        hash_update(h, buf, k);
        s += k;
        n -= k;
    }
    hash_update(h, s, n);
    hash_update(h, "", 1);
}

/* The canonical hash of every statement and of the file (see parse.h). */
static void canonicalize(const PgQuery__ScanResult *scan, const char *text,
                         size_t len, struct parse_result *out)
{
    struct hash_ctx file;
    hash_init(&file);
    size_t i = 0;
    for (size_t k = 0; k < out->n_stmts; k++) {
        struct stmt_range *r = &out->stmts[k];
        struct hash_ctx stmt;
        hash_init(&stmt);
        while (i < scan->n_tokens && (size_t)scan->tokens[i]->start < r->off)
            i++;
        for (; i < scan->n_tokens &&
               (size_t)scan->tokens[i]->start < r->off + r->len;
             i++) {
            const PgQuery__ScanToken *t = scan->tokens[i];
            if (is_trivia(t))
                continue;
            const char *s = text + t->start;
            size_t n = token_end(scan, i, text, len) - (size_t)t->start;
            hash_token(&stmt, s, n, folds_case(t, s));
            hash_token(&file, s, n, folds_case(t, s));
        }
        hash_token(&file, ";", 1, 0);
        hash_final_hex(&stmt, r->canonical);
    }
    hash_final_hex(&file, out->canonical);
}

/* Transaction classes (parse.h). Each STMT_TXN_NONE below names the
 * PostgreSQL 15 function that calls PreventInTransactionBlock() for it, and
 * its string is the one that function passes. */
struct txn_class {
    enum stmt_txn txn;
    const char *what;
};

static const struct txn_class TXN_OK = {STMT_TXN_OK, NULL};

static struct txn_class txn_none(const char *what)
{
    return (struct txn_class){STMT_TXN_NONE, what};
}

/* s equals the lower-case word w, ignoring ASCII case (pg_strcasecmp). */
static int word_is(const char *s, const char *w)
{
    for (; *w; s++, w++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *w)
            return 0;
    }
    return *s == '\0';
}

/* defGetBoolean(): no value is true; 0, false and off (any case) are false.
 * Anything PostgreSQL would reject counts as true, so that it classifies
 * as the option switched on. */
static int def_bool(const PgQuery__DefElem *d)
{
    const PgQuery__Node *a = d->arg;
    const char *s = NULL;
    if (!a)
        return 1;
    switch (a->node_case) {
    case PG_QUERY__NODE__NODE_INTEGER: return a->integer->ival != 0;
    case PG_QUERY__NODE__NODE_BOOLEAN: return a->boolean->boolval;
    case PG_QUERY__NODE__NODE_STRING: s = a->string->sval; break;
    case PG_QUERY__NODE__NODE_TYPE_NAME: /* a bare word: create_slot = off */
        if (a->type_name->n_names == 1 && !a->type_name->n_array_bounds &&
            !a->type_name->pct_type &&
            a->type_name->names[0]->node_case == PG_QUERY__NODE__NODE_STRING)
            s = a->type_name->names[0]->string->sval;
        break;
    default: break;
    }
    return !(s && (word_is(s, "false") || word_is(s, "off")));
}

/* The last option called name (the one that counts where repeats are
 * allowed), or NULL. */
static const PgQuery__DefElem *find_def(PgQuery__Node *const *items, size_t n,
                                        const char *name)
{
    const PgQuery__DefElem *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (items[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
            strcmp(items[i]->def_elem->defname, name) == 0)
            found = items[i]->def_elem;
    return found;
}

/* An option's Boolean value, dflt when it is not given. */
static int def_option(PgQuery__Node *const *items, size_t n, const char *name,
                      int dflt)
{
    const PgQuery__DefElem *d = find_def(items, n, name);
    return d ? def_bool(d) : dflt;
}

/* By kind; standard_ProcessUtility() refuses COMMIT/ROLLBACK PREPARED. */
static struct txn_class txn_transaction(const PgQuery__TransactionStmt *s)
{
    static const struct txn_class kinds[] = {
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN] =
            {STMT_TXN_BEGIN, "BEGIN"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START] =
            {STMT_TXN_BEGIN, "START TRANSACTION"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT] =
            {STMT_TXN_COMMIT, "COMMIT"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK] =
            {STMT_TXN_ROLLBACK, "ROLLBACK"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT] =
            {STMT_TXN_CONTROL, "SAVEPOINT"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE] =
            {STMT_TXN_CONTROL, "RELEASE SAVEPOINT"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO] =
            {STMT_TXN_CONTROL, "ROLLBACK TO SAVEPOINT"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE] =
            {STMT_TXN_CONTROL, "PREPARE TRANSACTION"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED] =
            {STMT_TXN_NONE, "COMMIT PREPARED"},
        [PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED] =
            {STMT_TXN_NONE, "ROLLBACK PREPARED"},
    };
    size_t k = (size_t)s->kind;
    if (k >= sizeof kinds / sizeof kinds[0] || !kinds[k].what)
        return TXN_OK; /* not a kind PostgreSQL 15 has */
    struct txn_class c = kinds[k];
    if (s->chain && c.txn == STMT_TXN_COMMIT)
        c.what = "COMMIT AND CHAIN";
    else if (s->chain && c.txn == STMT_TXN_ROLLBACK)
        c.what = "ROLLBACK AND CHAIN";
    return c;
}

/* ExecSetVariableStmt(): SET TRANSACTION sets up the open transaction. */
static struct txn_class txn_set(const PgQuery__VariableSetStmt *s)
{
    if (s->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI)
        return TXN_OK;
    if (strcmp(s->name, "TRANSACTION") == 0)
        return (struct txn_class){STMT_TXN_CONTROL, "SET TRANSACTION"};
    if (strcmp(s->name, "TRANSACTION SNAPSHOT") == 0)
        return (struct txn_class){STMT_TXN_CONTROL,
                                  "SET TRANSACTION SNAPSHOT"};
    return TXN_OK; /* SESSION CHARACTERISTICS */
}

/* ProcessUtilitySlow(). */
static struct txn_class txn_index(const PgQuery__IndexStmt *s)
{
    return s->concurrent ? txn_none("CREATE INDEX CONCURRENTLY") : TXN_OK;
}

/* ExecDropStmt(). */
static struct txn_class txn_drop(const PgQuery__DropStmt *s)
{
    return s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
                   s->concurrent
               ? txn_none("DROP INDEX CONCURRENTLY")
               : TXN_OK;
}

/* ExecReindex(), checking CONCURRENTLY first as it does. ReindexPartitions()
 * refuses REINDEX TABLE/INDEX of a partitioned relation too: not seen here. */
static struct txn_class txn_reindex(const PgQuery__ReindexStmt *s)
{
    if (def_option(s->params, s->n_params, "concurrently", 0))
        return txn_none("REINDEX CONCURRENTLY");
    switch (s->kind) {
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
        return txn_none("REINDEX SCHEMA");
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM:
        return txn_none("REINDEX SYSTEM");
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE:
        return txn_none("REINDEX DATABASE");
    default: return TXN_OK;
    }
}

/* vacuum(): VACUUM in any form; ANALYZE alone runs either way. */
static struct txn_class txn_vacuum(const PgQuery__VacuumStmt *s)
{
    return s->is_vacuumcmd ? txn_none("VACUUM") : TXN_OK;
}

/* cluster(): without a table (a partitioned one too: not seen here). */
static struct txn_class txn_cluster(const PgQuery__ClusterStmt *s)
{
    return s->relation ? TXN_OK : txn_none("CLUSTER");
}

/* ProcessUtilitySlow(): DETACH PARTITION ... CONCURRENTLY (not FINALIZE). */
static struct txn_class txn_alter_table(const PgQuery__AlterTableStmt *s)
{
    for (size_t i = 0; i < s->n_cmds; i++) {
        const PgQuery__Node *n = s->cmds[i];
        if (n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
            continue;
        const PgQuery__AlterTableCmd *c = n->alter_table_cmd;
        if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition &&
            c->def && c->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
            c->def->partition_cmd->concurrent)
            return txn_none("ALTER TABLE ... DETACH CONCURRENTLY");
    }
    return TXN_OK;
}

/* AlterDatabase(): SET TABLESPACE (or WITH TABLESPACE = ...). */
static struct txn_class txn_alter_database(const PgQuery__AlterDatabaseStmt *s)
{
    return find_def(s->options, s->n_options, "tablespace")
               ? txn_none("ALTER DATABASE SET TABLESPACE")
               : TXN_OK;
}

/* DiscardCommand(): DISCARD ALL only. */
static struct txn_class txn_discard(const PgQuery__DiscardStmt *s)
{
    return s->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL
               ? txn_none("DISCARD ALL")
               : TXN_OK;
}

/* CreateSubscription(): creating a slot, the default unless create_slot or
 * connect is false (parse_subscription_options()). */
static struct txn_class
txn_create_subscription(const PgQuery__CreateSubscriptionStmt *s)
{
    int connect = def_option(s->options, s->n_options, "connect", 1);
    int slot = def_option(s->options, s->n_options, "create_slot", 1);
    return connect && slot
               ? txn_none("CREATE SUBSCRIPTION ... WITH (create_slot = true)")
               : TXN_OK;
}

/* AlterSubscription(): REFRESH PUBLICATION always (copy_data = false too);
 * SET/ADD/DROP PUBLICATION unless refresh = false. */
static struct txn_class
txn_alter_subscription(const PgQuery__AlterSubscriptionStmt *s)
{
    switch (s->kind) {
    case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_REFRESH:
        return txn_none("ALTER SUBSCRIPTION ... REFRESH");
    case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_SET_PUBLICATION:
    case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_ADD_PUBLICATION:
    case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_DROP_PUBLICATION:
        return def_option(s->options, s->n_options, "refresh", 1)
                   ? txn_none("ALTER SUBSCRIPTION with refresh")
                   : TXN_OK;
    default: return TXN_OK;
    }
}

/* Whether text holds the lower-case word w in any ASCII case. */
static int has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] &&
               (p[i] == w[i] || (p[i] >= 'A' && p[i] <= 'Z' &&
                                 (char)(p[i] - 'A' + 'a') == w[i])))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* A DO block whose PL/pgSQL runs COMMIT or ROLLBACK: _SPI_commit() refuses
 * it ("invalid transaction termination") when the block runs inside a
 * transaction block, and allows it at top level outside one, so it is
 * classed with the statements a transaction block refuses. A body that
 * does not compile, or in another language, is left alone. */
static struct txn_class txn_do(const PgQuery__DoStmt *s)
{
    const char *body = NULL, *lang = "plpgsql";
    for (size_t i = 0; i < s->n_args; i++) {
        const PgQuery__Node *n = s->args[i];
        if (n->node_case != PG_QUERY__NODE__NODE_DEF_ELEM || !n->def_elem->arg ||
            n->def_elem->arg->node_case != PG_QUERY__NODE__NODE_STRING)
            continue;
        if (strcmp(n->def_elem->defname, "as") == 0)
            body = n->def_elem->arg->string->sval;
        else if (strcmp(n->def_elem->defname, "language") == 0)
            lang = n->def_elem->arg->string->sval;
    }
    if (!body || !word_is(lang, "plpgsql") ||
        (!has_word(body, "commit") && !has_word(body, "rollback")))
        return TXN_OK; /* the common case: nothing to compile */
    char *json = parse_plpgsql_do(body);
    int ends = json && (strstr(json, "\"PLpgSQL_stmt_commit\"") ||
                        strstr(json, "\"PLpgSQL_stmt_rollback\""));
    free(json);
    return ends ? txn_none("a DO block that runs COMMIT or ROLLBACK") : TXN_OK;
}

static struct txn_class classify(const PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        return txn_transaction(n->transaction_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        return txn_set(n->variable_set_stmt);
    case PG_QUERY__NODE__NODE_INDEX_STMT: return txn_index(n->index_stmt);
    case PG_QUERY__NODE__NODE_DROP_STMT: return txn_drop(n->drop_stmt);
    case PG_QUERY__NODE__NODE_REINDEX_STMT: return txn_reindex(n->reindex_stmt);
    case PG_QUERY__NODE__NODE_VACUUM_STMT: return txn_vacuum(n->vacuum_stmt);
    case PG_QUERY__NODE__NODE_CLUSTER_STMT: return txn_cluster(n->cluster_stmt);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        return txn_alter_table(n->alter_table_stmt);
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
        return txn_alter_database(n->alter_database_stmt);
    case PG_QUERY__NODE__NODE_DISCARD_STMT: return txn_discard(n->discard_stmt);
    case PG_QUERY__NODE__NODE_DO_STMT: return txn_do(n->do_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
        return txn_create_subscription(n->create_subscription_stmt);
    case PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT:
        return txn_alter_subscription(n->alter_subscription_stmt);
    /* Always refused: standard_ProcessUtility(), except DropSubscription(),
     * which refuses when the subscription has a slot (parse.h). */
    case PG_QUERY__NODE__NODE_CREATEDB_STMT: return txn_none("CREATE DATABASE");
    case PG_QUERY__NODE__NODE_DROPDB_STMT: return txn_none("DROP DATABASE");
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
        return txn_none("CREATE TABLESPACE");
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
        return txn_none("DROP TABLESPACE");
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
        return txn_none("ALTER SYSTEM");
    case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT:
        return txn_none("DROP SUBSCRIPTION");
    default: return TXN_OK;
    }
}

const char *parse_flyway_no_transaction(const struct PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATEDB_STMT: return "CREATE DATABASE";
    case PG_QUERY__NODE__NODE_DROPDB_STMT: return "DROP DATABASE";
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
        return "CREATE TABLESPACE";
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT: return "DROP TABLESPACE";
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
        return "CREATE SUBSCRIPTION";
    case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT:
        return "DROP SUBSCRIPTION";
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT: return "ALTER SYSTEM";
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        return n->index_stmt->concurrent ? "CREATE INDEX CONCURRENTLY" : NULL;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        return n->drop_stmt->remove_type ==
                           PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
                       n->drop_stmt->concurrent
                   ? "DROP INDEX CONCURRENTLY"
                   : NULL;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
        switch (n->reindex_stmt->kind) {
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
            return "REINDEX SCHEMA";
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM:
            return "REINDEX SYSTEM";
        case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE:
            return "REINDEX DATABASE";
        default: return NULL;
        }
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
        return n->vacuum_stmt->is_vacuumcmd ? "VACUUM" : NULL;
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
        return n->discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL
                   ? "DISCARD ALL"
                   : NULL;
    default: return NULL;
    }
}

int parse_sql(const char *text, size_t len, struct parse_result *out)
{
    *out = (struct parse_result){0};

    PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text);
    if (parsed.error) {
        set_error(out, parsed.error);
        pg_query_free_protobuf_parse_result(parsed);
        return -1;
    }
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        NULL, parsed.parse_tree.len, (const uint8_t *)parsed.parse_tree.data);
    PgQueryScanResult scanned = pg_query_scan(text);
    PgQuery__ScanResult *scan =
        scanned.error ? NULL
                      : pg_query__scan_result__unpack(
                            NULL, scanned.pbuf.len,
                            (const uint8_t *)scanned.pbuf.data);
    if (!tree || !scan) {
        /* The parser accepted text the scanner then rejected: not expected
         * from one library, reported rather than guessed around. */
        out->error = xstrdup("internal error: libpg_query scan failed");
    } else {
        out->stmts = xcalloc(tree->n_stmts, sizeof *out->stmts);
        size_t cursor = 0;
        for (size_t i = 0; i < tree->n_stmts; i++) {
            const PgQuery__RawStmt *raw = tree->stmts[i];
            size_t begin = (size_t)raw->stmt_location;
            /* stmt_len 0 means "to the end of the input" (last statement). */
            size_t end = raw->stmt_len ? begin + (size_t)raw->stmt_len : len;
            struct stmt_range r = trim(scan, text, len, &cursor, begin, end);
            struct txn_class c = raw->stmt ? classify(raw->stmt) : TXN_OK;
            r.txn = c.txn;
            r.txn_what = c.what;
            r.node = raw->stmt;
            if (r.len > 0)
                out->stmts[out->n_stmts++] = r;
        }
        canonicalize(scan, text, len, out);
    }
    if (scan)
        pg_query__scan_result__free_unpacked(scan, NULL);
    pg_query_free_scan_result(scanned);
    if (out->error)
        parse_tree_free(tree);
    else
        out->tree = tree;
    pg_query_free_protobuf_parse_result(parsed);
    return out->error ? -1 : 0;
}

void parse_tree_free(struct PgQuery__ParseResult *tree)
{
    if (tree)
        pg_query__parse_result__free_unpacked(tree, NULL);
}

void parse_result_free(struct parse_result *r)
{
    free(r->stmts);
    free(r->error);
    parse_tree_free(r->tree);
    *r = (struct parse_result){0};
}

/* The name an identifier token stands for, before truncation: unquoted,
 * folded to ASCII lower case (downcase_identifier(): a UTF-8 server folds
 * no other byte); quoted, without its quotes and with "" as ". */
static char *ident_name(const char *s, size_t n)
{
    char *name = xmalloc(n + 1);
    size_t k = 0;
    if (n >= 2 && s[0] == '"') {
        for (size_t j = 1; j + 1 < n; j++) {
            name[k++] = s[j];
            if (s[j] == '"')
                j++; /* "" stands for one " */
        }
    } else {
        for (size_t j = 0; j < n; j++)
            name[k++] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a')
                                                    : s[j];
    }
    name[k] = '\0';
    return name;
}

/* Whether text may hold an identifier of over max bytes: a run of more
 * than max identifier bytes, or a double-quoted span as long (a doubled
 * quote inside it continues it). Most statements hold neither, and are
 * spared a second scan. */
static int may_hold_long_ident(const char *text, size_t max)
{
    size_t run = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"') {
            const unsigned char *q = p + 1;
            for (;; q++) {
                if (!*q)
                    return (size_t)(q - p - 1) > max;
                if (*q == '"' && q[1] != '"')
                    break;
                if (*q == '"')
                    q++; /* "" inside: one quote */
            }
            if ((size_t)(q - p - 1) > max)
                return 1;
            p = q;
            run = 0;
            continue;
        }
        int ident = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '_' || *p == '$' ||
                    *p >= 0x80;
        run = ident ? run + 1 : 0;
        if (run > max)
            return 1;
    }
    return 0;
}

size_t parse_long_idents(const char *text, size_t max,
                         struct parse_ident **out)
{
    *out = NULL;
    if (!may_hold_long_ident(text, max))
        return 0;
    PgQueryScanResult scanned = pg_query_scan(text);
    PgQuery__ScanResult *scan =
        scanned.error ? NULL
                      : pg_query__scan_result__unpack(
                            NULL, scanned.pbuf.len,
                            (const uint8_t *)scanned.pbuf.data);
    size_t n = 0;
    for (size_t i = 0; scan && i < scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = scan->tokens[i];
        size_t len = (size_t)(t->end - t->start);
        /* U&"..." (UIDENT) is left out: its escapes are not decoded. */
        if (t->token != PG_QUERY__TOKEN__IDENT || len <= max)
            continue;
        char *name = ident_name(text + t->start, len);
        if (strlen(name) <= max) {
            free(name);
            continue;
        }
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = (struct parse_ident){(size_t)t->start, len, name};
    }
    if (scan)
        pg_query__scan_result__free_unpacked(scan, NULL);
    pg_query_free_scan_result(scanned);
    return n;
}

char *parse_plpgsql(const char *text)
{
    PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(text);
    char *json = !r.error && r.plpgsql_funcs ? xstrdup(r.plpgsql_funcs) : NULL;
    pg_query_free_plpgsql_parse_result(r);
    return json;
}

char *parse_plpgsql_do(const char *body)
{
    /* a dollar quote tag the body does not hold */
    char *tag = NULL;
    for (unsigned i = 0; !tag; i++) {
        tag = xasprintf("$migc%u$", i);
        if (strstr(body, tag)) {
            free(tag);
            tag = NULL;
        }
    }
    char *def = xasprintf("CREATE FUNCTION migc_do() RETURNS void LANGUAGE "
                          "plpgsql AS %s%s%s",
                          tag, body, tag);
    free(tag);
    char *json = parse_plpgsql(def);
    free(def);
    return json;
}
