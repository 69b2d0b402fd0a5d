/* test_schema_diff.c: schema_diff() on snapshots built by hand (no server):
 * which lines an item only one side has gives, which it hides, order lists,
 * multi-line values, escapes, and every allocation failing in turn
 * (runtime/schema_diff.c with tests/support/failalloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "failalloc.h"
#include "schema_int.h"

/* Items of a snapshot written as rows: kind, rank, how, name, sub, attr,
 * value. */
#define ITEM(kind, rank, how, name, sub, attr, value)                          \
    {                                                                          \
        kind, rank, how, name, sub, attr, value                                \
    }

struct side {
    struct schema_item items[16];
    struct schema_item *ptrs[16];
    struct schema_snapshot s;
};

static void make(struct side *side, const struct schema_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        side->items[i] = items[i];
        side->ptrs[i] = &side->items[i];
    }
    side->s = (struct schema_snapshot){side->ptrs, n, n};
    /* The reader sorts; so must a hand-made snapshot. */
    for (size_t i = 1; i < n; i++)
        assert_true(schema_key_cmp(side->ptrs[i - 1], side->ptrs[i]) < 0);
}

struct lines {
    char text[4096];
    size_t n;
};

static void collect(void *ctx, const char *text)
{
    struct lines *l = ctx;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s%s", len ? "\n" : "",
             text);
    l->n++;
}

static const char *diff(const struct schema_item *a, size_t na,
                        const struct schema_item *b, size_t nb,
                        struct lines *got)
{
    static struct side sa, sb;
    make(&sa, a, na);
    make(&sb, b, nb);
    *got = (struct lines){"", 0};
    size_t n = schema_diff(&sa.s, &sb.s, "A", "B", collect, got);
    assert_int_equal(n, got->n);
    return got->text;
}

#define N(x) (sizeof x / sizeof *x)

/* A table only A has is one line, its columns and comments hidden; its
 * index is an object of its own. */
static void object_hides_parts(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("table", 6, 'o', "public.t", NULL, NULL, ""),
        ITEM("table", 6, 'm', "public.t", "column a", NULL, "integer"),
        ITEM("table", 6, 'p', "public.t", "column a", "comment", "'x'"),
        ITEM("table", 6, 'l', "public.t", "column order", NULL, "a"),
        ITEM("table", 6, 'p', "public.t", "comment", NULL, "'t'"),
        ITEM("index", 9, 'o', "public.t_a", NULL, NULL, "CREATE INDEX"),
    };
    struct lines got;
    assert_string_equal(diff(a, N(a), NULL, 0, &got),
                        "table public.t: only in A\n"
                        "index public.t_a: only in A");
    assert_string_equal(diff(NULL, 0, a, N(a), &got),
                        "table public.t: only in B\n"
                        "index public.t_a: only in B");
}

/* A column only one side has hides its comment, not its neighbours';
 * properties read "VALUE vs none" either way round. */
static void parts_and_properties(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("table", 6, 'o', "public.t", NULL, NULL, ""),
        ITEM("table", 6, 'm', "public.t", "column a", NULL, "integer"),
        ITEM("table", 6, 'p', "public.t", "column a", "comment", "'x'"),
        ITEM("table", 6, 'm', "public.t", "column b", NULL, "text"),
        ITEM("table", 6, 'l', "public.t", "column order", NULL,
             "a\x1f"
             "b"),
    };
    static const struct schema_item b[] = {
        ITEM("table", 6, 'o', "public.t", NULL, NULL, ""),
        ITEM("table", 6, 'm', "public.t", "column b", NULL, "text"),
        ITEM("table", 6, 'p', "public.t", "column b", "comment", "'y'"),
        ITEM("table", 6, 'l', "public.t", "column order", NULL, "b"),
        ITEM("table", 6, 'p', "public.t", "comment", NULL, "'t'"),
    };
    struct lines got;
    assert_string_equal(diff(a, N(a), b, N(b), &got),
                        "table public.t: column a: only in A\n"
                        "table public.t: column b: comment: none vs 'y'\n"
                        "table public.t: comment: none vs 't'");
}

/* Column order counts among the columns both sides have only. */
static void order_lists(void **state)
{
    (void)state;
    static const struct schema_item a[] = {ITEM("table", 6, 'l', "public.t",
                                                "column order", NULL,
                                                "a\x1f"
                                                "b\x1f"
                                                "c\x1f"
                                                "d")};
    static const struct schema_item same_order[] = {
        ITEM("table", 6, 'l', "public.t", "column order", NULL,
             "a\x1f"
             "x\x1f"
             "c\x1f"
             "d")};
    static const struct schema_item swapped[] = {
        ITEM("table", 6, 'l', "public.t", "column order", NULL,
             "d\x1f"
             "b\x1f"
             "c\x1f"
             "e")};
    struct lines got;
    assert_string_equal(diff(a, 1, same_order, 1, &got), "");
    assert_string_equal(diff(a, 1, swapped, 1, &got),
                        "table public.t: column order: b, c, d vs d, b, c");
}

/* A multi-line value: the first line that differs, or "end". */
static void multi_line(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("function", 4, 'o', "public.f()", NULL, NULL, "A\nB\nC")};
    static const struct schema_item b[] = {
        ITEM("function", 4, 'o', "public.f()", NULL, NULL, "A\nB\nC\n")};
    static const struct schema_item c[] = {
        ITEM("function", 4, 'o', "public.f()", NULL, NULL, "A\n\tB")};
    struct lines got;
    assert_string_equal(diff(a, 1, b, 1, &got),
                        "function public.f(): line 4: end vs ''");
    assert_string_equal(diff(a, 1, c, 1, &got),
                        "function public.f(): line 2: 'B' vs '\\tB'");
}

/* One line whatever a name or value holds. */
static void escapes(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("table", 6, 'o', "public.\"a\nb\"", NULL, NULL, ""),
        ITEM("table", 6, 'p', "public.\"a\nb\"", "comment", NULL,
             "'x\x01y\r'")};
    static const struct schema_item b[] = {
        ITEM("table", 6, 'o', "public.\"a\nb\"", NULL, NULL, "")};
    struct lines got;
    assert_string_equal(
        diff(a, N(a), b, N(b), &got),
        "table public.\"a\\nb\": comment: 'x\\x01y\\r' vs none");
}

/* NULL snapshots are empty; NULL line counts only. */
static void nulls(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("schema", 1, 'o', "app", NULL, NULL, "")};
    static struct side sa;
    make(&sa, a, 1);
    assert_int_equal(schema_diff(&sa.s, NULL, NULL, NULL, NULL, NULL), 1);
    assert_int_equal(schema_diff(NULL, NULL, NULL, NULL, NULL, NULL), 0);
    struct lines got = {"", 0};
    schema_diff(NULL, &sa.s, NULL, NULL, collect, &got);
    assert_string_equal(got.text, "schema app: only in the second");
}

/* Each allocation failing in turn: still at least one difference (never
 * "equal" by accident), nothing leaked. */
static void allocation_failures(void **state)
{
    (void)state;
    static const struct schema_item a[] = {
        ITEM("table", 6, 'o', "public.t", NULL, NULL, ""),
        ITEM("table", 6, 'l', "public.t", "column order", NULL,
             "a\x1f"
             "b"),
        ITEM("view", 7, 'o', "public.v", NULL, NULL, " SELECT 1\n FROM x")};
    static const struct schema_item b[] = {
        ITEM("table", 6, 'o', "public.t", NULL, NULL, ""),
        ITEM("table", 6, 'l', "public.t", "column order", NULL,
             "b\x1f"
             "a"),
        ITEM("view", 7, 'o', "public.v", NULL, NULL, " SELECT 2\n FROM x")};
    static struct side sa, sb;
    make(&sa, a, N(a));
    make(&sb, b, N(b));
    failalloc_arm(0);
    size_t live = failalloc_live();
    schema_diff(&sa.s, &sb.s, "A", "B", NULL, NULL);
    unsigned long calls = failalloc_calls();
    assert_true(calls > 0);
    for (unsigned long nth = 1; nth <= calls; nth++) {
        struct lines got = {"", 0};
        failalloc_arm(nth);
        size_t n = schema_diff(&sa.s, &sb.s, "A", "B", collect, &got);
        failalloc_arm(0);
        assert_true(n >= 1);
        assert_non_null(strstr(got.text, "out of memory"));
        assert_int_equal(failalloc_live(), live);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(object_hides_parts),
        cmocka_unit_test(parts_and_properties),
        cmocka_unit_test(order_lists),
        cmocka_unit_test(multi_line),
        cmocka_unit_test(escapes),
        cmocka_unit_test(nulls),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
