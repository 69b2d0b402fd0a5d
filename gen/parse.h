/* parse.h: split SQL into statements with libpg_query, keeping each
 * statement's parse tree for the catalog (catalog.h). */
#ifndef MIGC_GEN_PARSE_H
#define MIGC_GEN_PARSE_H

#include <stddef.h>

#include "hash.h"

struct PgQuery__Node;
struct PgQuery__ParseResult;

/* How a statement stands to transaction blocks, read from its parse tree.
 * STMT_TXN_NONE is what PostgreSQL 15 hands to PreventInTransactionBlock(). */
enum stmt_txn {
    STMT_TXN_OK,       /* can run inside a transaction block */
    STMT_TXN_NONE,     /* PostgreSQL refuses it inside a transaction block */
    STMT_TXN_BEGIN,    /* BEGIN / START TRANSACTION */
    STMT_TXN_COMMIT,   /* COMMIT / END, with or without AND CHAIN */
    STMT_TXN_ROLLBACK, /* ROLLBACK / ABORT, with or without AND CHAIN */
    /* Acts on the open transaction block without being BEGIN, COMMIT or
     * ROLLBACK: SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE TRANSACTION,
     * SET TRANSACTION, SET TRANSACTION SNAPSHOT. COMMIT PREPARED and
     * ROLLBACK PREPARED act on another transaction and are refused inside a
     * block: STMT_TXN_NONE. */
    STMT_TXN_CONTROL
};

/* Canonical hashes (docs/lock-file.md) identify SQL up to what PostgreSQL
 * ignores: the SHA-256 of the token stream without comments, every token's
 * text followed by a 0x00 byte, unquoted identifiers and keywords folded to
 * ASCII lower case. Whitespace and line breaks between tokens, comments
 * and keyword case do not change it; any constant (line breaks inside one
 * included), identifier or operator does. */
struct stmt_range {
    size_t off; /* byte offset of the statement's first token */
    size_t len; /* up to the end of its last token (no ';', no comment) */
    char canonical[HASH_HEX_LEN + 1]; /* of the tokens in [off, off+len) */
    enum stmt_txn txn;
    /* For diagnostics: a static string naming the construct, for
     * STMT_TXN_NONE PostgreSQL's own word for it ("CREATE INDEX
     * CONCURRENTLY", "VACUUM", "ALTER SUBSCRIPTION with refresh"); NULL
     * when txn is STMT_TXN_OK. Never freed. */
    const char *txn_what;
    /* Its parse tree, owned by parse_result.tree. */
    const struct PgQuery__Node *node;
};

struct parse_result {
    struct stmt_range *stmts;
    size_t n_stmts;
    /* Of the whole file: each statement's tokens then the token ";", so
     * that empty statements and a missing final ';' do not count. */
    char canonical[HASH_HEX_LEN + 1];
    /* Every statement's tree: freed by parse_result_free(), or taken over
     * (set to NULL) and freed with parse_tree_free(). */
    struct PgQuery__ParseResult *tree;
    /* On a syntax error: */
    char *error;         /* server-style message, NULL when parsing worked */
    size_t error_char;   /* 0-based character index of the error position */
    int error_has_pos;   /* error_char is meaningful */
};

/* Parse the NUL-terminated text of len bytes. Returns 0 on success, -1 on a
 * syntax error (described in out). Leading/trailing comments and whitespace
 * are not part of any statement.
 *
 * Each statement's txn is decided from its text alone, as PostgreSQL 15
 * decides at execution. Where the server decides from the catalog, the
 * usual case wins: DROP SUBSCRIPTION is STMT_TXN_NONE (refused only when the
 * subscription has a slot, as subscriptions normally do); CLUSTER t and
 * REINDEX TABLE/INDEX without CONCURRENTLY are STMT_TXN_OK (refused only on
 * a partitioned table or index). An option value PostgreSQL would reject as
 * a Boolean counts as true. What a DO block or a called procedure runs is
 * not looked into: DO and CALL are STMT_TXN_OK. */
int parse_sql(const char *text, size_t len, struct parse_result *out);

void parse_result_free(struct parse_result *r);

/* Whether Flyway (flyway-database-postgresql, PostgreSQL 12 and later)
 * runs the statement outside a transaction: its name ("CREATE INDEX
 * CONCURRENTLY"), or NULL. Flyway detects CREATE/DROP DATABASE,
 * TABLESPACE and SUBSCRIPTION, ALTER SYSTEM, CREATE/DROP INDEX
 * CONCURRENTLY, REINDEX SCHEMA/DATABASE/SYSTEM, VACUUM and DISCARD ALL
 * from the statement's first words; here from its parse tree. */
const char *parse_flyway_no_transaction(const struct PgQuery__Node *node);

/* Compile the PL/pgSQL bodies of the CREATE FUNCTION statements in text
 * (libpg_query's pg_query_parse_plpgsql): a JSON array with one
 * {"PLpgSQL_function": ...} per function, which the caller frees; NULL
 * when text does not parse or a body does not compile. */
char *parse_plpgsql(const char *text);

/* Compile a DO block's PL/pgSQL body as parse_plpgsql() does, wrapped in a
 * function of its own under a dollar quote the body does not hold. */
char *parse_plpgsql_do(const char *body);

void parse_tree_free(struct PgQuery__ParseResult *tree);

/* An identifier whose name is longer than a limit (PostgreSQL truncates a
 * name to NAMEDATALEN - 1 bytes, and its parse tree holds only that). */
struct parse_ident {
    size_t off, len; /* of the token in the text */
    char *name;      /* as PostgreSQL reads it before truncating: unquoted
                        folded to lower case, quoted without its quotes */
};

/* The identifiers of the NUL-terminated text whose name is over max bytes,
 * in *out (the caller frees each name and the array); returns how many.
 * Text that does not scan has none. */
size_t parse_long_idents(const char *text, size_t max,
                         struct parse_ident **out);

#endif
