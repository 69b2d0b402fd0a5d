/* parse.h: split SQL into statements with libpg_query (its only user). */
#ifndef MIGC_GEN_PARSE_H
#define MIGC_GEN_PARSE_H

#include <stddef.h>

#include "hash.h"

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
};

struct parse_result {
    struct stmt_range *stmts;
    size_t n_stmts;
    /* Of the whole file: each statement's tokens then the token ";", so
     * that empty statements and a missing final ';' do not count. */
    char canonical[HASH_HEX_LEN + 1];
    /* On a syntax error: */
    char *error;         /* server-style message, NULL when parsing worked */
    size_t error_char;   /* 0-based character index of the error position */
    int error_has_pos;   /* error_char is meaningful */
};

/* Parse the NUL-terminated text of len bytes. Returns 0 on success, -1 on a
 * syntax error (described in out). Leading/trailing comments and whitespace
 * are not part of any statement. */
int parse_sql(const char *text, size_t len, struct parse_result *out);

void parse_result_free(struct parse_result *r);

#endif
