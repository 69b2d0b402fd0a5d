/* test_catalog.c: the static catalog's table: add, look up, remove (with a
 * relation's parts), rename, growth past many removals, printing; and the
 * indexes the rules look through instead of the whole catalog: a
 * relation's parts, constraint names per schema, functions by name. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static const struct cat_site here = {0, "m/001_a.sql", 1, 1, 0};

static struct cat_object *table(struct catalog *c, const char *schema,
                                const char *name)
{
    struct cat_object *t =
        catalog_add(c, CAT_RELATION, schema, NULL, name, NULL, here);
    t->relkind = CAT_REL_TABLE;
    return t;
}

static void test_kinds_are_separate_namespaces(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    table(c, "public", "x");
    catalog_add(c, CAT_TYPE, "public", NULL, "y", NULL, here);
    assert_non_null(catalog_get(c, CAT_RELATION, "public", NULL, "x", NULL));
    assert_null(catalog_get(c, CAT_TYPE, "public", NULL, "x", NULL));
    assert_null(catalog_get(c, CAT_RELATION, "other", NULL, "x", NULL));
    assert_non_null(catalog_get(c, CAT_TYPE, "public", NULL, "y", NULL));
    /* a relation's owner table is not part of its name */
    catalog_add(c, CAT_RELATION, "public", "x", "x_idx", NULL, here)->relkind =
        CAT_REL_INDEX;
    assert_non_null(
        catalog_get(c, CAT_RELATION, "public", NULL, "x_idx", NULL));
    /* a constraint's table is */
    catalog_add(c, CAT_CONSTRAINT, "public", "x", "k", NULL, here);
    assert_non_null(catalog_get(c, CAT_CONSTRAINT, "public", "x", "k", NULL));
    assert_null(catalog_get(c, CAT_CONSTRAINT, "public", "z", "k", NULL));
    catalog_free(c);
}

static void test_functions_by_signature(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    catalog_add(c, CAT_FUNCTION, "public", NULL, "f", "(integer)", here);
    catalog_add(c, CAT_FUNCTION, "public", NULL, "f", "(text)", here);
    assert_int_equal(catalog_functions_named(c, "public", "f"), 2);
    assert_int_equal(catalog_functions_named(c, "other", "f"), 0);
    assert_non_null(
        catalog_get(c, CAT_FUNCTION, "public", NULL, "f", "(text)"));
    assert_null(catalog_get(c, CAT_FUNCTION, "public", NULL, "f", "()"));
    struct cat_object *any =
        catalog_get(c, CAT_FUNCTION, "public", NULL, "f", NULL);
    assert_non_null(any);
    catalog_remove(c, any);
    assert_int_equal(catalog_functions_named(c, "public", "f"), 1);
    catalog_free(c);
}

static void test_remove_takes_parts(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *t = table(c, "public", "t");
    table(c, "public", "u");
    catalog_add(c, CAT_RELATION, "public", "t", "t_idx", NULL, here)->relkind =
        CAT_REL_INDEX;
    catalog_add(c, CAT_CONSTRAINT, "public", "t", "t_pkey", NULL, here);
    catalog_add(c, CAT_CONSTRAINT, "public", "u", "u_pkey", NULL, here);
    catalog_add(c, CAT_TRIGGER, "public", "t", "trg", NULL, here);
    catalog_remove(c, t);
    assert_null(catalog_get(c, CAT_RELATION, "public", NULL, "t", NULL));
    assert_null(catalog_get(c, CAT_RELATION, "public", NULL, "t_idx", NULL));
    assert_null(catalog_get(c, CAT_CONSTRAINT, "public", "t", "t_pkey", NULL));
    assert_null(catalog_get(c, CAT_TRIGGER, "public", "t", "trg", NULL));
    assert_non_null(
        catalog_get(c, CAT_CONSTRAINT, "public", "u", "u_pkey", NULL));
    size_t n;
    free(catalog_all(c, &n));
    assert_int_equal(n, 2); /* u and its constraint */
    catalog_free(c);
}

static void test_rename_repoints_parts(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *t = table(c, "public", "old");
    catalog_add(c, CAT_CONSTRAINT, "public", "old", "k", NULL, here);
    catalog_add(c, CAT_RELATION, "public", "old", "old_idx", NULL, here)
        ->relkind = CAT_REL_INDEX;
    catalog_rename(c, t, "app", "new");
    assert_null(catalog_get(c, CAT_RELATION, "public", NULL, "old", NULL));
    assert_ptr_equal(catalog_get(c, CAT_RELATION, "app", NULL, "new", NULL),
                     t);
    struct cat_object *k =
        catalog_get(c, CAT_CONSTRAINT, "app", "new", "k", NULL);
    assert_non_null(k);
    assert_string_equal(k->table, "new");
    struct cat_object *ix =
        catalog_get(c, CAT_RELATION, "app", NULL, "old_idx", NULL);
    assert_non_null(ix);
    assert_string_equal(ix->table, "new");
    catalog_free(c);
}

static int holds(struct cat_object **objs, size_t n,
                 const struct cat_object *o)
{
    for (size_t i = 0; i < n; i++)
        if (objs[i] == o)
            return 1;
    return 0;
}

/* catalog_parts() follows adds, removes and renames, in the order added. */
static void test_parts_follow_changes(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *t = table(c, "public", "t");
    struct cat_object *u = table(c, "public", "u");
    struct cat_object *ix =
        catalog_add(c, CAT_RELATION, "public", "t", "t_idx", NULL, here);
    ix->relkind = CAT_REL_INDEX;
    struct cat_object *k =
        catalog_add(c, CAT_CONSTRAINT, "public", "t", "t_pkey", NULL, here);
    struct cat_object *trg =
        catalog_add(c, CAT_TRIGGER, "public", "t", "trg", NULL, here);
    struct cat_object *uk =
        catalog_add(c, CAT_CONSTRAINT, "public", "u", "u_pkey", NULL, here);
    /* the same table name in another schema is another table */
    table(c, "other", "t");
    catalog_add(c, CAT_CONSTRAINT, "other", "t", "t_pkey", NULL, here);
    size_t n;
    struct cat_object **p = catalog_parts(c, t, &n);
    assert_int_equal(n, 3);
    assert_ptr_equal(p[0], ix);
    assert_ptr_equal(p[1], k);
    assert_ptr_equal(p[2], trg);
    free(p);
    p = catalog_parts(c, ix, &n); /* an index has none */
    assert_int_equal(n, 0);
    free(p);
    catalog_remove(c, k);
    p = catalog_parts(c, t, &n);
    assert_int_equal(n, 2);
    assert_false(holds(p, n, k));
    free(p);
    catalog_rename(c, t, NULL, "t2");
    p = catalog_parts(c, t, &n);
    assert_int_equal(n, 2);
    assert_true(holds(p, n, ix) && holds(p, n, trg));
    free(p);
    catalog_remove(c, t);
    p = catalog_parts(c, u, &n);
    assert_int_equal(n, 1);
    assert_ptr_equal(p[0], uk);
    free(p);
    catalog_free(c);
}

/* Constraint names are unique per schema, whatever their table. */
static void test_constraint_names(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *t = table(c, "public", "t");
    catalog_add(c, CAT_CONSTRAINT, "public", "t", "t_fkey", NULL, here);
    catalog_add(c, CAT_TRIGGER, "public", "t", "t_trg", NULL, here);
    assert_true(catalog_constraint_named(c, "public", "t_fkey"));
    assert_false(catalog_constraint_named(c, "other", "t_fkey"));
    assert_false(catalog_constraint_named(c, "public", "t_trg"));
    catalog_rename(c, t, "app", NULL); /* it moves with its table */
    assert_false(catalog_constraint_named(c, "public", "t_fkey"));
    assert_true(catalog_constraint_named(c, "app", "t_fkey"));
    catalog_remove(c, t);
    assert_false(catalog_constraint_named(c, "app", "t_fkey"));
    catalog_free(c);
}

/* Without a signature, a lookup finds the first function created of that
 * name, and a renamed one under its new name. */
static void test_functions_by_name(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *f1 =
        catalog_add(c, CAT_FUNCTION, "public", NULL, "f", "(integer)", here);
    struct cat_object *f2 =
        catalog_add(c, CAT_FUNCTION, "public", NULL, "f", "(text)", here);
    assert_ptr_equal(catalog_get(c, CAT_FUNCTION, "public", NULL, "f", NULL),
                     f1);
    catalog_rename(c, f1, NULL, "g");
    assert_ptr_equal(catalog_get(c, CAT_FUNCTION, "public", NULL, "f", NULL),
                     f2);
    assert_ptr_equal(catalog_get(c, CAT_FUNCTION, "public", NULL, "g", NULL),
                     f1);
    assert_int_equal(catalog_functions_named(c, "public", "f"), 1);
    assert_int_equal(catalog_functions_named(c, "public", "g"), 1);
    catalog_remove(c, f2);
    assert_null(catalog_get(c, CAT_FUNCTION, "public", NULL, "f", NULL));
    assert_int_equal(catalog_functions_named(c, "public", "f"), 0);
    catalog_free(c);
}

/* Many adds and removes: tombstones must not hide live objects, and the
 * table must keep growing correctly. */
static void test_churn_through_growth(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "t%d", i);
        table(c, "public", name);
    }
    for (int i = 0; i < 5000; i += 2) {
        snprintf(name, sizeof name, "t%d", i);
        catalog_remove(c, catalog_get(c, CAT_RELATION, "public", NULL, name,
                                      NULL));
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "t%d", i);
        struct cat_object *o =
            catalog_get(c, CAT_RELATION, "public", NULL, name, NULL);
        if (i % 2)
            assert_non_null(o);
        else
            assert_null(o);
    }
    size_t n;
    free(catalog_all(c, &n));
    assert_int_equal(n, 2500);
    catalog_free(c);
}

static void test_columns(void **state)
{
    (void)state;
    struct catalog *c = catalog_new();
    struct cat_object *t = table(c, "public", "t");
    catalog_add_column(t, "a", "integer", here)->not_null = 1;
    catalog_add_column(t, "b", "text", here);
    catalog_add_column(t, "c", "text[]", here);
    catalog_drop_column(t, catalog_column(t, "b"));
    assert_null(catalog_column(t, "b"));
    assert_string_equal(catalog_column(t, "c")->type, "text[]");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    catalog_print(c, out);
    fclose(out);
    assert_string_equal(buf, "column public.t.a integer not null\n"
                             "column public.t.c text[]\n"
                             "table public.t\n");
    free(buf);
    catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_are_separate_namespaces),
        cmocka_unit_test(test_functions_by_signature),
        cmocka_unit_test(test_remove_takes_parts),
        cmocka_unit_test(test_rename_repoints_parts),
        cmocka_unit_test(test_churn_through_growth),
        cmocka_unit_test(test_parts_follow_changes),
        cmocka_unit_test(test_constraint_names),
        cmocka_unit_test(test_functions_by_name),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
