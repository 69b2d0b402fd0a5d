/* test_builtins.c: builtin_*() against known PostgreSQL 15 names, and every
 * generated table against its own lookup (sorted as strcmp expects). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "builtins.h"
#include "builtins_data.h"

static void test_functions(void **state)
{
    (void)state;
    assert_true(builtin_function("now"));
    assert_true(builtin_function("gen_random_uuid")); /* core since 13 */
    assert_true(builtin_function("lower"));
    assert_true(builtin_function("jsonb_build_object"));
    assert_true(builtin_function("count")); /* an aggregate */
    /* Stored with capitals: reached only by a quoted name. */
    assert_true(builtin_function("RI_FKey_check_ins"));
    assert_false(builtin_function("ri_fkey_check_ins"));
    /* Exact match: no case folding, no prefixes, no extensions. */
    assert_false(builtin_function("NOW"));
    assert_false(builtin_function("no"));
    assert_false(builtin_function("nowx"));
    assert_false(builtin_function(""));
    assert_false(builtin_function(NULL));
    assert_false(builtin_function("uuid_generate_v4"));
    assert_false(builtin_function("migc_no_such_function"));
}

static void test_types(void **state)
{
    (void)state;
    static const char *const known[] = {
        "int4",           "text",    "timestamptz", "jsonb",      "bool",
        "numeric",        "uuid",    "serial",      "bigserial",  "smallserial",
        "serial2",        "serial4", "serial8",     "int2vector", "tstzrange",
        "int4multirange", "record",  "pg_class", /* a catalog's row type */
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        if (!builtin_type(known[i]))
            fail_msg("type %s not found", known[i]);
    }
    /* Array types go by their element; grammar aliases never reach the
     * catalog (integer is pg_catalog.int4 in the parse tree). */
    assert_false(builtin_type("_int4"));
    assert_false(builtin_type("integer"));
    assert_false(builtin_type("citext"));
    assert_false(builtin_type("serial16"));
    assert_false(builtin_type("migc_no_such_type"));
    assert_false(builtin_type(NULL));
}

static void test_relations(void **state)
{
    (void)state;
    assert_true(builtin_relation("pg_catalog", "pg_class"));
    assert_true(builtin_relation(NULL, "pg_class"));
    assert_true(builtin_relation("pg_catalog", "pg_stat_activity")); /* view */
    assert_true(builtin_relation("information_schema", "columns"));
    assert_true(builtin_relation("information_schema", "tables"));
    /* information_schema is not searched for an unqualified name. */
    assert_false(builtin_relation(NULL, "columns"));
    assert_false(builtin_relation("pg_catalog", "columns"));
    assert_false(builtin_relation("information_schema", "pg_class"));
    assert_false(builtin_relation("public", "pg_class"));
    assert_false(builtin_relation("pg_catalog", "pg_clas"));
    assert_false(builtin_relation("pg_catalog", "pg_classes"));
    assert_false(builtin_relation("pg_catalog.pg_class", ""));
    assert_false(builtin_relation("pg", "catalog.pg_class"));
    assert_false(builtin_relation("pg_catalog", "pg_class_oid_index"));
    assert_false(builtin_relation("pg_catalog", NULL));
    assert_false(builtin_relation("pg_catalog", "migc_no_such_table"));
}

static void test_extensions(void **state)
{
    (void)state;
    assert_true(builtin_extension_known("uuid-ossp"));
    assert_true(builtin_extension_known("citext"));
    assert_true(builtin_extension_known("plpgsql"));
    assert_true(builtin_extension_known("pg_stat_statements"));
    assert_false(builtin_extension_known("postgis")); /* not installed */
    assert_false(builtin_extension_known("uuid_ossp"));
    assert_false(builtin_extension_known("CITEXT"));
    assert_false(builtin_extension_known(""));
    assert_false(builtin_extension_known(NULL));

    assert_true(builtin_extension_function("uuid-ossp", "uuid_generate_v4"));
    assert_false(builtin_extension_function("citext", "uuid_generate_v4"));
    assert_false(builtin_extension_function("uuid-ossp", "now"));
    assert_false(builtin_extension_function("postgis", "st_point"));
    assert_false(builtin_extension_function(NULL, "uuid_generate_v4"));
    assert_false(builtin_extension_function("uuid-ossp", NULL));

    assert_true(builtin_extension_type("citext", "citext"));
    assert_false(builtin_extension_type("citext", "text"));
    assert_false(builtin_extension_type("uuid-ossp", "citext"));
    assert_true(builtin_extension_type("hstore", "hstore"));
}

/* earthdistance requires cube: cube's objects are cube's, not its own. */
static void test_extension_cascade(void **state)
{
    (void)state;
    assert_true(builtin_extension_type("earthdistance", "earth"));
    assert_true(builtin_extension_function("earthdistance", "ll_to_earth"));
    assert_false(builtin_extension_type("earthdistance", "cube"));
    assert_false(builtin_extension_function("earthdistance", "cube_distance"));
    assert_true(builtin_extension_type("cube", "cube"));
    assert_true(builtin_extension_function("cube", "cube_distance"));
}

static void test_extension_relations(void **state)
{
    (void)state;
    const char *pss = "pg_stat_statements";
    assert_true(builtin_extension_relation(pss, "public", pss));
    assert_true(builtin_extension_relation(pss, NULL, pss));
    assert_true(
        builtin_extension_relation(pss, NULL, "pg_stat_statements_info"));
    assert_false(builtin_extension_relation(pss, "pg_catalog", pss));
    assert_false(builtin_extension_relation(pss, NULL, "pg_stat"));
    assert_false(
        builtin_extension_relation(pss, NULL, "public.pg_stat_statements"));
    assert_false(builtin_extension_relation(pss, NULL, NULL));
    assert_false(builtin_extension_relation("citext", NULL, pss));
    assert_false(
        builtin_extension_relation("postgis", NULL, "spatial_ref_sys"));
    assert_true(builtin_extension_relation("pg_buffercache", "public",
                                           "pg_buffercache"));
    /* Extension relations are not built in. */
    assert_false(builtin_relation("public", pss));
    assert_false(builtin_relation(NULL, pss));
}

/* Strictly increasing by strcmp, or bsearch misses names. */
static void assert_sorted(const struct builtin_list *l, const char *what)
{
    assert_true((l->n == 0) == (l->names == NULL));
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(l->names[i - 1], l->names[i]) >= 0)
            fail_msg("%s: \"%s\" before \"%s\"", what, l->names[i - 1],
                     l->names[i]);
    }
}

/* Look a "schema.name" entry up through the API that takes the two parts. */
static int find_relation(const char *ext, const char *qualified)
{
    char schema[128];
    const char *dot = strchr(qualified, '.');
    assert_non_null(dot);
    size_t len = (size_t)(dot - qualified);
    assert_true(len < sizeof schema);
    memcpy(schema, qualified, len);
    schema[len] = '\0';
    if (ext == NULL)
        return builtin_relation(schema, dot + 1);
    return builtin_extension_relation(ext, schema, dot + 1) &&
           builtin_extension_relation(ext, NULL, dot + 1);
}

static void test_core_tables_roundtrip(void **state)
{
    (void)state;
    assert_sorted(&builtin_core_functions, "core functions");
    assert_sorted(&builtin_core_types, "core types");
    assert_sorted(&builtin_core_relations, "core relations");
    for (size_t i = 0; i < builtin_core_functions.n; i++)
        assert_true(builtin_function(builtin_core_functions.names[i]));
    for (size_t i = 0; i < builtin_core_types.n; i++)
        assert_true(builtin_type(builtin_core_types.names[i]));
    for (size_t i = 0; i < builtin_core_relations.n; i++)
        assert_true(find_relation(NULL, builtin_core_relations.names[i]));
}

static void test_extension_tables_roundtrip(void **state)
{
    (void)state;
    assert_true(builtin_extension_count > 0);
    for (size_t i = 0; i < builtin_extension_count; i++) {
        const struct builtin_extension *e = &builtin_extensions[i];
        if (i > 0 && strcmp(builtin_extensions[i - 1].name, e->name) >= 0)
            fail_msg("extension %s out of order", e->name);
        assert_true(builtin_extension_known(e->name));
        assert_sorted(&e->functions, e->name);
        assert_sorted(&e->types, e->name);
        assert_sorted(&e->relations, e->name);
        for (size_t j = 0; j < e->functions.n; j++)
            assert_true(
                builtin_extension_function(e->name, e->functions.names[j]));
        for (size_t j = 0; j < e->types.n; j++)
            assert_true(builtin_extension_type(e->name, e->types.names[j]));
        for (size_t j = 0; j < e->relations.n; j++)
            assert_true(find_relation(e->name, e->relations.names[j]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_relations),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_extension_cascade),
        cmocka_unit_test(test_extension_relations),
        cmocka_unit_test(test_core_tables_roundtrip),
        cmocka_unit_test(test_extension_tables_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
