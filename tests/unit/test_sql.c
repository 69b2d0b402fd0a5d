/* test_sql.c: the runtime's growing SQL buffer and grow_array(): text of
 * any length arrives whole, a part of a text is just that part, running
 * out of memory is remembered, an array
 * keeps its items as it grows and refuses a size that overflows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sql.h"

static void test_empty(void **state)
{
    (void)state;
    struct sql b = SQL_INIT;
    assert_string_equal(sql_text(&b), "");
    char *taken = sql_take(&b);
    assert_non_null(taken);
    assert_string_equal(taken, "");
    free(taken);
    sql_free(&b);
}

/* A name far longer than any fixed buffer the runtime once used. */
static void test_long_text_is_whole(void **state)
{
    (void)state;
    enum { NAME = 100000 };
    char *name = malloc(NAME + 1);
    assert_non_null(name);
    memset(name, '"', NAME);
    name[NAME] = '\0';
    struct sql b = SQL_INIT;
    sql_add(&b, "SELECT name FROM ");
    sql_addf(&b, "%s.%s", name, name);
    sql_addf(&b, " WHERE version = %d", 42);
    const char *text = sql_text(&b);
    assert_non_null(text);
    assert_int_equal(b.len, strlen(text));
    assert_int_equal(b.len, strlen("SELECT name FROM ") + 2 * NAME + 1 +
                                strlen(" WHERE version = 42"));
    assert_true(strncmp(text, "SELECT name FROM \"", 18) == 0);
    assert_string_equal(text + b.len - strlen(" WHERE version = 42"),
                        " WHERE version = 42");
    assert_int_equal(text[17 + NAME], '.');
    char *taken = sql_take(&b);
    assert_ptr_equal(taken, text);
    assert_null(b.text);
    assert_int_equal(b.len, 0);
    assert_string_equal(sql_text(&b), "");
    free(taken);
    free(name);
}

/* Once an append failed the text is incomplete: nothing hands it out. */
/* sql_addn takes n bytes and no more, even from a text that goes on, and
 * keeps the buffer a C string. */
static void test_part_of_a_text(void **state)
{
    (void)state;
    struct sql b = SQL_INIT;
    sql_addn(&b, "", 0);
    assert_string_equal(sql_text(&b), "");
    const char *s = "version = $1 AND name = 'x'";
    sql_addn(&b, s, 10);
    assert_string_equal(sql_text(&b), "version = ");
    sql_addn(&b, "''", 1);
    sql_addn(&b, "''", 1);
    sql_add(&b, "x");
    assert_string_equal(sql_text(&b), "version = ''x");
    assert_int_equal(b.len, 13);
    sql_free(&b);
}

static void test_out_of_memory_is_sticky(void **state)
{
    (void)state;
    struct sql b = SQL_INIT;
    sql_add(&b, "SELECT 1");
    b.nomem = 1; /* as reserve() leaves it when realloc fails */
    sql_add(&b, " FROM t");
    sql_addf(&b, " WHERE x = %d", 1);
    assert_null(sql_text(&b));
    assert_null(sql_take(&b));
    assert_int_equal(b.nomem, 0); /* sql_take emptied it */
    sql_free(&b);
}

static void test_grow_array(void **state)
{
    (void)state;
    size_t cap = 0;
    int *items = grow_array(NULL, &cap, 1, sizeof *items);
    assert_non_null(items);
    assert_int_equal(cap, 16);
    for (int i = 0; i < 16; i++)
        items[i] = i;
    assert_ptr_equal(grow_array(items, &cap, 16, sizeof *items), items);
    int *bigger = grow_array(items, &cap, 100, sizeof *items);
    assert_non_null(bigger);
    assert_int_equal(cap, 128);
    for (int i = 0; i < 16; i++)
        assert_int_equal(bigger[i], i);
    /* A size that overflows size_t: refused, the array untouched. */
    assert_null(grow_array(bigger, &cap, SIZE_MAX / 2 + 2, sizeof *bigger));
    assert_null(grow_array(bigger, &cap, SIZE_MAX / 4, sizeof *bigger));
    assert_int_equal(cap, 128);
    assert_int_equal(bigger[15], 15);
    free(bigger);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_long_text_is_whole),
        cmocka_unit_test(test_part_of_a_text),
        cmocka_unit_test(test_out_of_memory_is_sticky),
        cmocka_unit_test(test_grow_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
