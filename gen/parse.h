/* parse.h: split SQL into statements with libpg_query (its only user). */
#ifndef MIGC_GEN_PARSE_H
#define MIGC_GEN_PARSE_H

#include <stddef.h>

struct stmt_range {
    size_t off; /* byte offset of the statement's first token */
    size_t len; /* up to the end of its last token (no ';', no comment) */
};

struct parse_result {
    struct stmt_range *stmts;
    size_t n_stmts;
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
