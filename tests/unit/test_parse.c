/* test_parse.c: statement ranges and syntax errors from parse_sql(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse.h"

enum { MAX_STMTS = 4 };

/* sql parses into exactly the statements listed (NULL-terminated): each
 * range must select that text, byte for byte. */
struct split_case {
    const char *what;
    const char *sql;
    const char *stmts[MAX_STMTS + 1];
};

static const struct split_case split_cases[] = {
    {"one statement", "SELECT 1;", {"SELECT 1"}},
    {"leading and trailing trivia",
     "  -- lead\n/* c */\t SELECT 1 ; -- trail\n/* end */\n\n",
     {"SELECT 1"}},
    {"comment between statements",
     "SELECT 1;\n-- between\n/* and */\nSELECT 2;\n",
     {"SELECT 1", "SELECT 2"}},
    {"no final semicolon", "SELECT 1; SELECT 2", {"SELECT 1", "SELECT 2"}},
    {"no final semicolon, trailing comment",
     "CREATE TABLE t (a int)\n-- the end, no semicolon\n",
     {"CREATE TABLE t (a int)"}},
    {"no final semicolon, trailing whitespace",
     "SELECT 1 \n\t\n",
     {"SELECT 1"}},
    {"comment before the semicolon", "SELECT 1 /* x */;", {"SELECT 1"}},
    {"comment inside a statement stays",
     "SELECT /* keep */ 1 -- keep\n + 2;",
     {"SELECT /* keep */ 1 -- keep\n + 2"}},
    {"nested block comment",
     "/* outer /* inner */ still */ SELECT 1;",
     {"SELECT 1"}},
    {"$$ body with semicolons",
     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
     "BEGIN\n  PERFORM 1;\n  RETURN 1; -- ;\nEND;\n$$;\nSELECT f();\n",
     {"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
      "BEGIN\n  PERFORM 1;\n  RETURN 1; -- ;\nEND;\n$$",
      "SELECT f()"}},
    {"tagged dollar quote",
     "DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$;",
     {"DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$"}},
    {"CREATE RULE with several actions",
     "CREATE RULE r AS ON INSERT TO t DO ALSO (\n"
     "  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2)\n);\n"
     "SELECT 3;",
     {"CREATE RULE r AS ON INSERT TO t DO ALSO (\n"
      "  INSERT INTO a VALUES (1);\n  INSERT INTO b VALUES (2)\n)",
      "SELECT 3"}},
    {"empty statements dropped",
     ";;SELECT 1;;; ;\n;SELECT 2;;",
     {"SELECT 1", "SELECT 2"}},
    {"only semicolons", ";;;", {NULL}},
    {"comments only", "-- only\n/* comments */\n-- here", {NULL}},
    {"empty input", "", {NULL}},
    {"whitespace only", "  \n\t\r\n ", {NULL}},
    {"semicolon and comment in a string",
     "SELECT 'a;b -- not a comment /* nor this';",
     {"SELECT 'a;b -- not a comment /* nor this'"}},
    {"semicolon in a quoted identifier",
     "CREATE TABLE \"a;b\" (x int);",
     {"CREATE TABLE \"a;b\" (x int)"}},
    {"escape string",
     "SELECT E'a\\';b';SELECT 2",
     {"SELECT E'a\\';b'", "SELECT 2"}},
    {"multibyte text",
     "-- caf\xC3\xA9\nSELECT '\xC3\xA9\xE2\x82\xAC';\nSELECT "
     "'\xF0\x9F\x98\x80';",
     {"SELECT '\xC3\xA9\xE2\x82\xAC'", "SELECT '\xF0\x9F\x98\x80'"}},
    {"CRLF line endings",
     "SELECT 1;\r\n\r\nSELECT\r\n 2;\r\n",
     {"SELECT 1", "SELECT\r\n 2"}},
    {"string ending a statement", "SELECT 'x'", {"SELECT 'x'"}},
};

static void test_split(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        const struct split_case *c = &split_cases[i];
        struct parse_result r;
        int rc = parse_sql(c->sql, strlen(c->sql), &r);
        size_t want = 0;
        while (c->stmts[want])
            want++;
        if (rc != 0 || r.error) {
            print_error("%s: rc %d, error %s\n", c->what, rc,
                        r.error ? r.error : "(none)");
            failures++;
        } else if (r.n_stmts != want) {
            print_error("%s: %zu statements, expected %zu\n", c->what,
                        r.n_stmts, want);
            failures++;
        } else {
            for (size_t j = 0; j < want; j++) {
                const struct stmt_range *s = &r.stmts[j];
                size_t n = strlen(c->stmts[j]);
                if (s->len != n || s->off + s->len > strlen(c->sql) ||
                    memcmp(c->sql + s->off, c->stmts[j], n) != 0) {
                    print_error("%s: statement %zu is [%zu, +%zu) \"%.*s\", "
                                "expected \"%s\"\n",
                                c->what, j, s->off, s->len, (int)s->len,
                                c->sql + s->off, c->stmts[j]);
                    failures++;
                }
            }
        }
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* The ranges point into the text given, in order, without overlap. */
static void test_offsets(void **state)
{
    (void)state;
    const char *sql = "-- head\nSELECT 1;\n\nSELECT 22;\nSELECT 333";
    struct parse_result r;
    assert_int_equal(parse_sql(sql, strlen(sql), &r), 0);
    assert_int_equal(r.n_stmts, 3);
    assert_int_equal(r.stmts[0].off, 8);
    assert_int_equal(r.stmts[0].len, 8);
    assert_int_equal(r.stmts[1].off, 19);
    assert_int_equal(r.stmts[1].len, 9);
    assert_int_equal(r.stmts[2].off, 30);
    assert_int_equal(r.stmts[2].len, 10);
    parse_result_free(&r);
}

struct error_case {
    const char *what;
    const char *sql;
    const char *message;
    size_t error_char; /* 0-based character index */
};

static const struct error_case error_cases[] = {
    {"misspelt keyword on line 2", "SELECT 1;\nSELEC 2;",
     "syntax error at or near \"SELEC\"", 10},
    {"error on line 3",
     "CREATE TABLE a (x int);\n-- fine\nCREATE TABLE b (x int,);\n",
     "syntax error at or near \")\"", 54},
    {"after multibyte characters",
     "SELECT '\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80' FORM x;",
     "syntax error at or near \"x\"", 18},
    {"multibyte in an earlier statement",
     "-- \xF0\x9F\x98\x80\xF0\x9F\x98\x80\nSELECT '\xC3\xA9';\nDROP TABLE;",
     "syntax error at or near \";\"", 28},
    {"at end of input", "SELECT 1 +", "syntax error at end of input", 10},
    {"unterminated string", "SELECT 1;\nSELECT 'abc",
     "unterminated quoted string at or near \"'abc\"", 17},
    {"unterminated dollar quote", "DO $$ BEGIN",
     "unterminated dollar-quoted string at or near \"$$ BEGIN\"", 3},
    {"unterminated comment", "SELECT 1; /* open",
     "unterminated /* comment at or near \"/* open\"", 10},
};

static void test_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const struct error_case *c = &error_cases[i];
        struct parse_result r;
        int rc = parse_sql(c->sql, strlen(c->sql), &r);
        if (rc != -1 || !r.error || strcmp(r.error, c->message) != 0 ||
            !r.error_has_pos || r.error_char != c->error_char) {
            print_error("%s: rc %d, error \"%s\" at %s%zu, expected \"%s\" "
                        "at %zu\n",
                        c->what, rc, r.error ? r.error : "(none)",
                        r.error_has_pos ? "" : "(no position) ", r.error_char,
                        c->message, c->error_char);
            failures++;
        }
        parse_result_free(&r);
        /* Freeing twice is harmless: the result is reset. */
        parse_result_free(&r);
    }
    assert_int_equal(failures, 0);
}

/* A statement of 1 MiB keeps its full range. */
static void test_large_statement(void **state)
{
    (void)state;
    size_t body = 1024 * 1024;
    const char *head = "SELECT '", *tail = "';\n-- done\n";
    size_t len = strlen(head) + body + strlen(tail);
    char *sql = malloc(len + 1);
    assert_non_null(sql);
    memcpy(sql, head, strlen(head));
    for (size_t i = 0; i < body; i++)
        sql[strlen(head) + i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
    memcpy(sql + strlen(head) + body, tail, strlen(tail) + 1);
    struct parse_result r;
    assert_int_equal(parse_sql(sql, len, &r), 0);
    assert_int_equal(r.n_stmts, 1);
    assert_int_equal(r.stmts[0].off, 0);
    assert_int_equal(r.stmts[0].len, strlen(head) + body + 1);
    parse_result_free(&r);
    free(sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_large_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
