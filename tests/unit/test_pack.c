/* test_pack.c: packs: YAML scalars under the core schema, SQL literals, and
 * values of every column type a pack file can set, tagged or not, turned
 * into SQL or refused (gen/pack_scalar.c, gen/pack_value.c), table by
 * table; how deep the YAML may nest (gen/pack_yaml.c). */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "compile.h"
#include "diag.h"
#include "pack.h"

/* ---- scalars and literals -------------------------------------------- */

static void test_resolve_plain(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum pack_scalar want;
    } cases[] = {
        {"", PACK_NULL},       {"~", PACK_NULL},      {"null", PACK_NULL},
        {"NULL", PACK_NULL},   {"nULL", PACK_STR},    {"true", PACK_BOOL},
        {"False", PACK_BOOL},  {"yes", PACK_STR},     {"off", PACK_STR},
        {"0", PACK_INT},       {"-12", PACK_INT},     {"+7", PACK_INT},
        {"007", PACK_INT},     {"0x1F", PACK_INT},    {"0o17", PACK_INT},
        {"0o8", PACK_STR},     {"-0x1", PACK_STR},    {"0b1", PACK_STR},
        {"1.5", PACK_FLOAT},   {".5", PACK_FLOAT},    {"1.", PACK_FLOAT},
        {"1e3", PACK_FLOAT},   {"-1E+3", PACK_FLOAT}, {"1e", PACK_STR},
        {".", PACK_STR},       {".inf", PACK_FLOAT},  {"-.Inf", PACK_FLOAT},
        {".NaN", PACK_FLOAT},  {"1.0.0", PACK_STR},   {"1_000", PACK_STR},
        {"text", PACK_STR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        enum pack_scalar got =
            pack_resolve_plain(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fail_msg("'%s': resolved %d, expected %d", cases[i].text,
                     (int)got, (int)cases[i].want);
    }
}

static void test_json_number(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"0", "0"},       {"+7", "7"},           {"-12", "-12"},
        {"007", "7"},     {"0x1F", "31"},        {"0o17", "15"},
        {".5", "0.5"},    {"1.", "1.0"},         {"-1E+03", "-1e3"},
        {"2.50", "2.50"}, {"1e-5", "1e-5"},      {".inf", NULL},
        {".nan", NULL},   {"0xFFFFFFFFFFFFFFFF", "18446744073709551615"},
        {"0x10000000000000000", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = pack_json_number(cases[i].text, strlen(cases[i].text));
        if (!cases[i].want)
            assert_null(got);
        else {
            assert_non_null(got);
            assert_string_equal(got, cases[i].want);
        }
        free(got);
    }
}

static void test_sql_literal(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "''"},
        {"plain", "'plain'"},
        {"it's", "'it''s'"},
        {"a\\b", "E'a\\\\b'"},
        {"'\\'", "E'''\\\\'''"},
        {"line\nbreak", "'line\nbreak'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = pack_sql_literal(cases[i].text, strlen(cases[i].text));
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

static void test_default_dir(void **state)
{
    (void)state;
    static const struct {
        const char *dir, *want;
    } cases[] = {
        {"migrations", "packs"},      {"migrations/", "packs"},
        {"db/migrations", "db/packs"}, {"/srv/app/m", "/srv/app/packs"},
        {"/m", "/packs"},             {".", "./../packs"},
        {"a/..", "a/../../packs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = pack_default_dir(cases[i].dir);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

/* ---- values against a schema ----------------------------------------- */

static const char schema_sql[] =
    "CREATE TYPE mood AS ENUM ('calm', 'busy');\n"
    "CREATE SCHEMA other;\n"
    "CREATE TYPE other.level AS ENUM ('low', 'high');\n"
    "CREATE TABLE pack (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "    ref text NOT NULL UNIQUE);\n"
    "CREATE TABLE thing (\n"
    "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "    ref text NOT NULL UNIQUE,\n"
    "    pack bigint REFERENCES pack (id), pack_ref text,\n"
    "    t text, v varchar(3), c char(2), i2 smallint, i4 integer,\n"
    "    i8 bigint, b boolean, n numeric, r real, d double precision,\n"
    "    j jsonb, js json, e mood, ol other.level, ta text[], ia integer[],\n"
    "    ea mood[], ja jsonb[], ts timestamptz, nn text NOT NULL DEFAULT '',\n"
    "    g integer GENERATED ALWAYS AS (i4 * 2) STORED);\n";

struct value_case {
    const char *field, *yaml;
    const char *sql;   /* the expression in the upsert, or NULL */
    const char *error; /* part of the message, or NULL */
};

static const struct value_case value_cases[] = {
    {"t", "hello", "'hello'", NULL},
    {"t", "'it''s'", "'it''s'", NULL},
    {"t", "12", "'12'", NULL},
    {"t", "~", "NULL", NULL},
    {"t", "[a]", NULL, "expected a string"},
    {"v", "abc", "'abc'", NULL},
    {"v", "ab\xc3\xa9", "'ab\xc3\xa9'", NULL},
    {"v", "abcd", NULL, "longer than 3 characters"},
    {"c", "abc", NULL, "longer than 2 characters"},
    {"i2", "32767", "32767", NULL},
    {"i2", "32768", NULL, "out of range"},
    {"i4", "-2147483648", "-2147483648", NULL},
    {"i4", "0x7fffffff", "2147483647", NULL},
    {"i4", "2147483648", NULL, "out of range"},
    {"i8", "9223372036854775807", "9223372036854775807", NULL},
    {"i8", "9223372036854775808", NULL, "out of range"},
    {"i8", "'1'", NULL, "found the quoted string '1'"},
    {"i4", "1.0", NULL, "expected an integer"},
    {"b", "true", "true", NULL},
    {"b", "FALSE", "false", NULL},
    {"b", "on", NULL, "YAML 1.2 reads it as a string"},
    {"n", "1.", "1.0", NULL},
    {"n", "-.5e3", "-0.5e3", NULL},
    {"n", "7", "7", NULL},
    {"r", ".inf", "'Infinity'::real", NULL},
    {"d", "-.inf", "'-Infinity'::double precision", NULL},
    {"d", ".nan", "'NaN'::double precision", NULL},
    {"n", "'1'", NULL, "expected a number"},
    {"j", "{a: [1, x, true, null, 1.5]}",
     "'{\"a\": [1, \"x\", true, null, 1.5]}'::jsonb", NULL},
    {"j", "'text'", "'\"text\"'::jsonb", NULL},
    {"j", "\"a\\\\b\\n\"", "E'\"a\\\\\\\\b\\\\n\"'::jsonb", NULL},
    {"j", "\"\\x01\"", "E'\"\\\\u0001\"'::jsonb", NULL},
    {"j", "{1: a}", "'{\"1\": \"a\"}'::jsonb", NULL},
    {"j", "~", "NULL", NULL},
    {"j", "[.inf]", NULL, "JSON has no number .inf"},
    {"js", "[1]", "'[1]'::json", NULL},
    {"e", "calm", "'calm'::\"public\".\"mood\"", NULL},
    {"e", "angry", NULL, "expected one of 'calm', 'busy'"},
    {"ol", "high", "'high'::\"other\".\"level\"", NULL},
    {"ta", "[a, ~, 'b c']", "ARRAY['a', NULL, 'b c']::text[]", NULL},
    {"ta", "[]", "ARRAY[]::text[]", NULL},
    {"ta", "a", NULL, "expected a sequence of strings"},
    {"ta", "[[a]]", NULL, "element 1: expected a string"},
    {"ia", "[1, 0x2]", "ARRAY[1, 2]::integer[]", NULL},
    {"ia", "[1, x]", NULL, "element 2: expected an integer"},
    {"ea", "[busy]", "ARRAY['busy']::\"public\".\"mood\"[]", NULL},
    {"ea", "[nope]", NULL, "element 1: expected one of 'calm', 'busy'"},
    {"ea", "busy", NULL, "a sequence of labels of the enum ('calm', 'busy')"},
    {"ja", "[{a: 1}, [2]]",
     "ARRAY['{\"a\": 1}'::jsonb, '[2]'::jsonb]::jsonb[]", NULL},
    {"ts", "2024-01-01", NULL, "which pack files cannot set"},
    {"nn", "~", NULL, "which is NOT NULL"},
    {"g", "1", NULL, "generated by the database"},
    {"id", "1", NULL, "generated by the database"},
    {"pack", "1", NULL, "is filled from 'pack_ref'"},
    {"nope", "1", NULL, "unknown field 'nope'"},
    /* core tags, as PyYAML reads them, then against the column's type */
    {"t", "!!str 5", "'5'", NULL},
    {"t", "!!int 5", "'5'", NULL},
    {"t", "!!str", "''", NULL},
    {"t", "!!str ~", "'~'", NULL},
    {"t", "!!null ''", "NULL", NULL},
    {"t", "!!null \"null\"", "NULL", NULL},
    {"nn", "!!null ''", NULL, "which is NOT NULL"},
    {"i4", "!!int \"5\"", "5", NULL},
    {"i4", "!!int '0x1F'", "31", NULL},
    {"i4", "!!str 5", NULL, "expected an integer for column thing.i4 "
                            "(integer), found !!str '5'"},
    {"i4", "!!float 5", NULL, "found !!float '5'"},
    {"i4", "!!int abc", NULL,
     "tag !!int: 'abc' is not an integer in the YAML 1.2 core schema"},
    {"i4", "!!int 1_000", NULL, "tag !!int: '1_000' is not an integer"},
    {"b", "!!bool 'True'", "true", NULL},
    {"b", "!!str true", NULL, "found !!str 'true'"},
    {"b", "!!bool yes", NULL, "tag !!bool: 'yes' is not a boolean"},
    {"n", "!!float '1e3'", "1e3", NULL},
    {"n", "!!float 5", "5", NULL},
    {"n", "!!float 0x1F", NULL, "tag !!float: '0x1F' is not a float"},
    {"d", "!!float '-.INF'", "'-Infinity'::double precision", NULL},
    {"e", "!!str busy", "'busy'::\"public\".\"mood\"", NULL},
    {"j", "!!map {a: !!str 1, b: !!int '2', c: !!null '', d: !!bool TRUE}",
     "'{\"a\": \"1\", \"b\": 2, \"c\": null, \"d\": true}'::jsonb", NULL},
    {"j", "{a: !!null x}", NULL, "tag !!null: 'x' is not a null"},
    {"ta", "!!seq [!!str 1, !!null '']", "ARRAY['1', NULL]::text[]", NULL},
    {"ia", "[1, !!str 2]", NULL, "element 2: expected an integer"},
    {"ja", "!!seq [!!null '']", "ARRAY[NULL]::jsonb[]", NULL},
    {"t", "!!str [a]", NULL, "tag !!str on a sequence: !!str tags scalars"},
    {"ta", "!!map {}", NULL, "expected a sequence of strings"},
    {"ta", "!!seq a", NULL, "tag !!seq on a scalar: !!seq tags sequences"},
    {"j", "!!map [a]", NULL, "tag !!map on a sequence"},
    {"t", "!custom x", NULL, "unsupported tag '!custom': pack files take"},
    {"t", "! x", NULL, "unsupported tag '!':"},
    {"t", "!!binary aGk=", NULL, "unsupported tag '!!binary'"},
    {"t", "!!timestamp 2024-01-01", NULL, "unsupported tag '!!timestamp'"},
    {"j", "!!set {a}", NULL, "unsupported tag '!!set'"},
    /* a control character in a tag is escaped in the message */
    {"t", "!<tag:x.org,2000:%01> a", NULL,
     "unsupported tag 'tag:x.org,2000:\\x01'"},
};

struct fixture {
    char dir[64];
    char *migrations;
    struct compile *c; /* the migrations, through the pipeline */
    const struct catalog *cat;
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *path_in(const struct fixture *fx, const char *rel)
{
    size_t n = strlen(fx->dir) + strlen(rel) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", fx->dir, rel);
    return p;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    strcpy(fx->dir, "/tmp/migc-test-pack.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    const char *dirs[] = {"migrations", "packs", "packs/p", "packs/p/things"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char *p = path_in(fx, dirs[i]);
        assert_int_equal(mkdir(p, 0700), 0);
        free(p);
    }
    char *p = path_in(fx, "migrations/001_schema.sql");
    write_file(p, schema_sql);
    free(p);
    p = path_in(fx, "packs/p/pack.yaml");
    write_file(p, "ref: p\n");
    free(p);
    fx->migrations = path_in(fx, "migrations");
    struct compile_options co = {.dir = fx->migrations,
                                 .source_root = fx->dir};
    fx->c = compile_open(&co);
    assert_int_equal(compile_run(fx->c), 0);
    fx->cat = compile_catalog(fx->c);
    assert_non_null(fx->cat);
    assert_int_equal(compile_diags(fx->c)->errors, 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    const char *files[] = {"packs/p/things/a.yaml", "packs/p/pack.yaml",
                           "migrations/001_schema.sql", "packs/p/things",
                           "packs/p", "packs", "migrations", ""};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = path_in(fx, files[i]);
        remove(p);
        free(p);
    }
    compile_free(fx->c);
    free(fx->migrations);
    free(fx);
    return 0;
}

/* The upsert's VALUES list holds the value's expression on a line of its
 * own: "        EXPR,\n" or "        EXPR)\n". */
static int has_value(const char *sql, const char *expr)
{
    for (const char *p = strstr(sql, expr); p; p = strstr(p + 1, expr)) {
        char after = p[strlen(expr)];
        if ((p[-1] == ' ' || p[-1] == '(') && (after == ',' || after == ')'))
            return 1;
    }
    return 0;
}

static void test_values(void **state)
{
    struct fixture *fx = *state;
    char *row = path_in(fx, "packs/p/things/a.yaml");
    char *packs = path_in(fx, "packs");
    for (size_t i = 0; i < sizeof value_cases / sizeof *value_cases; i++) {
        const struct value_case *c = &value_cases[i];
        char text[256];
        snprintf(text, sizeof text, "ref: p.a\n%s: %s\n", c->field, c->yaml);
        write_file(row, text);
        struct diags d = {0};
        struct pack_set ps;
        struct pack_options po = {.dir = packs, .source_root = fx->dir};
        int rc = pack_load(&po, fx->cat, &ps, &d);
        if (c->sql) {
            if (rc != 0)
                fail_msg("%s: %s: %s", c->field, c->yaml,
                         d.n ? d.items[0].message : "failed");
            assert_int_equal(ps.n, 1);
            assert_int_equal(ps.packs[0].n_rows, 2);
            const char *sql = ps.packs[0].rows[1].sql;
            if (!has_value(sql, c->sql))
                fail_msg("%s: %s: no value %s in\n%s", c->field, c->yaml,
                         c->sql, sql);
            assert_string_equal(ps.packs[0].rows[1].path,
                                "packs/p/things/a.yaml");
        } else {
            if (rc == 0 || d.n != 1)
                fail_msg("%s: %s: expected one error, got %zu", c->field,
                         c->yaml, d.n);
            assert_int_equal(d.items[0].rule, DIAG_PACK_SCHEMA);
            if (!strstr(d.items[0].message, c->error))
                fail_msg("%s: %s: message '%s' lacks '%s'", c->field,
                         c->yaml, d.items[0].message, c->error);
            assert_int_equal(d.items[0].line, 2);
            assert_int_equal(ps.n, 0);
        }
        pack_set_free(&ps);
        diags_free(&d);
    }
    free(row);
    free(packs);
}

/* Nesting: a json value may nest 64 levels below its field or array
 * element (its 65th level is refused when converted), the YAML 67 levels
 * (the reader refuses the 68th node as it comes, at that node). */
static void test_depth(void **state)
{
    static const struct {
        const char *field, *prefix;
        int levels; /* "[" this many times, then as many "]" */
        const char *error;
        unsigned col;
    } cases[] = {
        {"j", "", 65, NULL, 0},
        {"j", "", 66, "field 'j': the value nests deeper than 64 levels", 69},
        {"j", "", 67, "the YAML nests deeper than 67 levels", 70},
        {"ja", "[", 65, NULL, 0},
        {"ja", "[", 66, "the YAML nests deeper than 67 levels", 71},
        {"ja", "[", 100000, "the YAML nests deeper than 67 levels", 71},
    };
    struct fixture *fx = *state;
    char *row = path_in(fx, "packs/p/things/a.yaml");
    char *packs = path_in(fx, "packs");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int n = cases[i].levels;
        FILE *f = fopen(row, "w");
        assert_non_null(f);
        fprintf(f, "ref: p.a\n%s: %s", cases[i].field, cases[i].prefix);
        for (int k = 0; k < n; k++)
            fputc('[', f);
        for (int k = 0; k < n; k++)
            fputc(']', f);
        fprintf(f, "%s\n", *cases[i].prefix ? "]" : "");
        fclose(f);
        struct diags d = {0};
        struct pack_set ps;
        struct pack_options po = {.dir = packs, .source_root = fx->dir};
        int rc = pack_load(&po, fx->cat, &ps, &d);
        if (!cases[i].error) {
            if (rc != 0)
                fail_msg("%s, %d levels: %s", cases[i].field, n,
                         d.n ? d.items[0].message : "failed");
        } else {
            if (rc == 0 || d.n != 1)
                fail_msg("%s, %d levels: expected one error, got %zu",
                         cases[i].field, n, d.n);
            if (!strstr(d.items[0].message, cases[i].error))
                fail_msg("%s, %d levels: message '%s' lacks '%s'",
                         cases[i].field, n, d.items[0].message,
                         cases[i].error);
            assert_int_equal(d.items[0].line, 2);
            assert_int_equal(d.items[0].col, cases[i].col);
        }
        pack_set_free(&ps);
        diags_free(&d);
    }
    free(row);
    free(packs);
}

/* The pack row first, a foreign key filled from its _ref column, the
 * orphans query of the table, and a checksum that follows the bytes. */
static void test_rows_and_checksum(void **state)
{
    struct fixture *fx = *state;
    char *row = path_in(fx, "packs/p/things/a.yaml");
    char *packs = path_in(fx, "packs");
    struct pack_options po = {.dir = packs, .source_root = fx->dir};
    char first[HASH_HEX_LEN + 1] = "";
    for (int round = 0; round < 3; round++) {
        write_file(row, round == 1 ? "ref: p.a\nt: x \n" : "ref: p.a\nt: x\n");
        struct diags d = {0};
        struct pack_set ps;
        assert_int_equal(pack_load(&po, fx->cat, &ps, &d), 0);
        const struct pack *p = &ps.packs[0];
        assert_string_equal(p->name, "p");
        assert_string_equal(p->path, "packs/p");
        assert_string_equal(p->rows[0].table, "\"public\".\"pack\"");
        assert_string_equal(p->rows[0].ref, "p");
        assert_string_equal(p->rows[1].table, "\"public\".\"thing\"");
        assert_non_null(strstr(p->rows[1].sql,
                               "(SELECT \"id\" FROM \"public\".\"pack\" "
                               "WHERE \"ref\" = 'p')"));
        assert_true(has_value(p->rows[1].sql, "'p'")); /* pack_ref filled */
        assert_int_equal(p->n_tables, 1);
        assert_string_equal(p->tables[0].orphans,
                            "SELECT \"ref\" FROM \"public\".\"thing\" WHERE "
                            "\"pack_ref\" = 'p' AND \"ref\" <> ALL "
                            "(ARRAY['p.a']::text[]) ORDER BY \"ref\"");
        assert_int_equal(strncmp(p->tables[0].prune,
                                 "DELETE FROM \"public\".\"thing\" WHERE ", 34),
                         0);
        if (round == 0)
            strcpy(first, p->checksum);
        else if (round == 1)
            assert_string_not_equal(first, p->checksum);
        else
            assert_string_equal(first, p->checksum);
        pack_set_free(&ps);
        diags_free(&d);
    }
    free(row);
    free(packs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_plain),
        cmocka_unit_test(test_json_number),
        cmocka_unit_test(test_sql_literal),
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_and_checksum, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
