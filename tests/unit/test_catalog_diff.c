/* test_catalog_diff.c: two catalogs compared (gen/catalog_diff.h): equal
 * ones give nothing; each fact compared gives one difference in the form
 * `subject: a vs b`; unsure names and roles are left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_diff.h"

static const struct cat_site here = {0, "m/001_a.sql", 1, 1, 0};

/* public.orders (id integer not null, total TYPE), its key, an index. */
static struct catalog *orders(const char *total_type, int with_index)
{
    struct catalog *c = catalog_new();
    struct cat_object *t =
        catalog_add(c, CAT_RELATION, "public", NULL, "orders", NULL, here);
    t->relkind = CAT_REL_TABLE;
    catalog_add_column(t, "id", "integer", here)->not_null = 1;
    catalog_add_column(t, "total", total_type, here);
    struct cat_object *k = catalog_add(c, CAT_CONSTRAINT, "public", "orders",
                                       "orders_pkey", NULL, here);
    k->contype = 'p';
    cat_names_add(&k->uses, "id");
    if (with_index) {
        struct cat_object *ix = catalog_add(c, CAT_RELATION, "public",
                                            "orders", "orders_total_idx",
                                            NULL, here);
        ix->relkind = CAT_REL_INDEX;
        cat_names_add(&ix->idx_cols, "total");
    }
    return c;
}

/* The differences of a against b, each "text\n". */
static char *diff_text(struct catalog *a, struct catalog *b,
                       cat_diff_unsure_fn *unsure)
{
    struct cat_diff_side sa = {a, unsure, NULL}, sb = {b, NULL, NULL};
    struct cat_diffs d = {0};
    catalog_diff(&sa, &sb, &d);
    char *out = calloc(1, 1);
    size_t len = 0;
    for (size_t i = 0; i < d.n; i++) {
        char *t = cat_diff_text(&d.items[i]);
        out = realloc(out, len + strlen(t) + 2);
        len += (size_t)sprintf(out + len, "%s\n", t);
        free(t);
    }
    cat_diffs_free(&d);
    return out;
}

static void test_equal_is_quiet(void **state)
{
    (void)state;
    struct catalog *a = orders("numeric(10,2)", 1), *b = orders("numeric(10,2)", 1);
    char *t = diff_text(a, b, NULL);
    assert_string_equal(t, "");
    free(t);
    catalog_free(a);
    catalog_free(b);
}

static void test_type_and_missing_index(void **state)
{
    (void)state;
    struct catalog *a = orders("numeric(10,2)", 1), *b = orders("numeric", 0);
    char *t = diff_text(a, b, NULL);
    assert_string_equal(
        t, "table public.orders: column total: numeric(10,2) vs numeric\n"
           "index public.orders_total_idx: present vs absent\n");
    free(t);
    catalog_free(a);
    catalog_free(b);
}

static void test_columns_order_nullability(void **state)
{
    (void)state;
    struct catalog *a = orders("text", 0), *b = catalog_new();
    struct cat_object *t =
        catalog_add(b, CAT_RELATION, "public", NULL, "orders", NULL, here);
    t->relkind = CAT_REL_TABLE;
    catalog_add_column(t, "total", "text", here)->has_default = 1;
    catalog_add_column(t, "id", "integer", here);
    struct cat_object *k = catalog_add(b, CAT_CONSTRAINT, "public", "orders",
                                       "orders_pkey", NULL, here);
    k->contype = 'u';
    cat_names_add(&k->uses, "id");
    char *s = diff_text(a, b, NULL);
    assert_string_equal(
        s, "table public.orders: column id: not null vs null\n"
           "table public.orders: column total: no default vs a default\n"
           "table public.orders: column order: (id, total) vs (total, id)\n"
           "table public.orders: constraint orders_pkey: kind: p vs u\n");
    free(s);
    catalog_free(a);
    catalog_free(b);
}

static void test_enum_labels_in_order(void **state)
{
    (void)state;
    struct catalog *a = catalog_new(), *b = catalog_new();
    struct cat_object *ea =
        catalog_add(a, CAT_TYPE, "public", NULL, "mood", NULL, here);
    struct cat_object *eb =
        catalog_add(b, CAT_TYPE, "public", NULL, "mood", NULL, here);
    ea->flags = eb->flags = CAT_ENUM;
    catalog_add_label(ea, "sad", NULL, 0);
    catalog_add_label(ea, "ok", NULL, 0);
    catalog_add_label(eb, "ok", NULL, 0);
    catalog_add_label(eb, "sad", NULL, 0);
    catalog_add(a, CAT_ROLE, NULL, NULL, "app", NULL, here); /* not compared */
    char *t = diff_text(a, b, NULL);
    assert_string_equal(t, "type public.mood: labels: (sad, ok) vs (ok, sad)\n");
    free(t);
    catalog_free(a);
    catalog_free(b);
}

static int total_unsure(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "total") == 0 || strcmp(name, "orders_total_idx") == 0;
}

static void test_unsure_names_are_skipped(void **state)
{
    (void)state;
    struct catalog *a = orders("numeric(10,2)", 1), *b = orders("numeric", 0);
    char *t = diff_text(a, b, total_unsure);
    assert_string_equal(t, "");
    free(t);
    catalog_free(a);
    catalog_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_is_quiet),
        cmocka_unit_test(test_type_and_missing_index),
        cmocka_unit_test(test_columns_order_nullability),
        cmocka_unit_test(test_enum_labels_in_order),
        cmocka_unit_test(test_unsure_names_are_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
