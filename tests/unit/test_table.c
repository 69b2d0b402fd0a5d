/* test_table.c: the shared string-keyed hash table: add, look up, delete
 * (probing past tombstones), growth, and the set use (values absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "table.h"

static void test_add_get_del(void **state)
{
    (void)state;
    struct table t = {0};
    int one = 1, two = 2;
    assert_null(table_get(&t, "a"));
    table_add(&t, "a", &one);
    table_add(&t, "b", &two);
    assert_ptr_equal(table_get(&t, "a"), &one);
    assert_ptr_equal(table_get(&t, "b"), &two);
    assert_int_equal(t.n, 2);
    assert_ptr_equal(table_del(&t, "a"), &one);
    assert_null(table_get(&t, "a"));
    assert_null(table_del(&t, "a"));
    assert_ptr_equal(table_get(&t, "b"), &two);
    assert_int_equal(t.n, 1);
    table_free(&t);
    assert_int_equal(t.cap, 0);
}

/* Many keys, every other one deleted and added again: lookups probe past
 * the tombstones, and the table grows without losing a key. */
static void test_growth_and_tombstones(void **state)
{
    (void)state;
    struct table t;
    table_init(&t, 16);
    char key[32];
    static int v[5000];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        table_add(&t, key, &v[i]);
    }
    for (int i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "k%d", i);
        assert_ptr_equal(table_del(&t, key), &v[i]);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(table_has(&t, key), i % 2);
    }
    for (int i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "k%d", i);
        table_add(&t, key, &v[i]);
    }
    assert_int_equal(t.n, 5000);
    size_t seen = 0;
    for (size_t i = 0; i < t.cap; i++)
        seen += t.slots[i].key != NULL;
    assert_int_equal(seen, 5000);
    table_free(&t);
}

static void test_set_of_keys(void **state)
{
    (void)state;
    struct table t = {0};
    table_add_key(&t, "x");
    table_add_key(&t, "x");
    assert_int_equal(t.n, 1);
    assert_true(table_has(&t, "x"));
    assert_null(table_get(&t, "x"));
    assert_false(table_has(&t, "y"));
    table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_get_del),
        cmocka_unit_test(test_growth_and_tombstones),
        cmocka_unit_test(test_set_of_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
