/* test_suggest.c: the edit distance behind "did you mean" and the choice of
 * the one closest name (gen/suggest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "suggest.h"

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("kitten", "sitting", 10, 0), 3);
    assert_int_equal(suggest_distance("acount", "account", 10, 0), 1);
    assert_int_equal(suggest_distance("account", "acount", 10, 0), 1);
    assert_int_equal(suggest_distance("same", "same", 10, 0), 0);
    assert_int_equal(suggest_distance("", "abc", 10, 0), 3);
    assert_int_equal(suggest_distance("abc", "", 10, 0), 3);
    /* a swap of two neighbours is one edit */
    assert_int_equal(suggest_distance("teh", "the", 10, 0), 1);
    assert_int_equal(suggest_distance("uesrs", "users", 10, 0), 1);
    /* optimal string alignment: no edit of a swapped pair (ca -> abc is 3,
     * not the 2 of unrestricted Damerau-Levenshtein) */
    assert_int_equal(suggest_distance("ca", "abc", 10, 0), 3);
}

static void test_distance_case(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("Users", "users", 10, 1), 0);
    assert_int_equal(suggest_distance("Users", "users", 10, 0), 1);
    assert_int_equal(suggest_distance("USERS", "users", 10, 0), 5);
    /* only ASCII letters fold: É and é stay two characters */
    assert_int_equal(
        suggest_distance("\xc3\x89t\xc3\xa9", "\xc3\xa9t\xc3\xa9", 10, 1), 1);
}

/* Characters, not bytes: one multibyte character is one edit. */
static void test_distance_utf8(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("caf\xc3\xa9", "cafe", 10, 0), 1);
    assert_int_equal(suggest_distance("na\xc3\xafve", "naive", 10, 0), 1);
    assert_int_equal(suggest_distance("\xe6\x97\xa5\xe6\x9c\xac",
                                      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                                      10, 0),
                     1);
    /* a byte that starts no valid sequence counts as one character */
    assert_int_equal(suggest_distance("a\xff", "ab", 10, 0), 1);
    assert_int_equal(suggest_distance("a\xe6", "a", 10, 0), 1);
}

/* Over the limit, the count stops at limit + 1. */
static void test_distance_limit(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("abcdef", "uvwxyz", 2, 0), 3);
    assert_int_equal(suggest_distance("a", "abcdef", 2, 0), 3);
    assert_int_equal(suggest_distance("kitten", "sitting", 3, 0), 3);
    assert_int_equal(suggest_distance("kitten", "sitting", 2, 0), 3);
    assert_int_equal(suggest_distance("kitten", "sitting", 1, 0), 2);
}

static const char *pick(const char *want, const char *const *names, size_t n)
{
    struct suggest s;
    suggest_begin(&s, want);
    for (size_t i = 0; i < n; i++)
        suggest_offer(&s, names[i]);
    return suggest_result(&s);
}

#define PICK(want, ...)                                                        \
    pick(want, (const char *const[]){__VA_ARGS__},                             \
         sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_choice(void **state)
{
    (void)state;
    assert_string_equal(PICK("acount", "session", "account", "accounts"),
                        "account");
    /* the limit: a third of the characters, at least one */
    assert_null(PICK("accnt", "account")); /* 2 edits, 5 characters */
    assert_string_equal(PICK("acnt", "acct"), "acct");
    assert_string_equal(PICK("sesions", "sessions"), "sessions");
    assert_string_equal(PICK("ab", "abc"), "abc");
    /* never every character replaced: a one-letter name gets nothing */
    assert_null(PICK("x", "y", "z"));
    /* nothing close */
    assert_null(PICK("old_session", "account", "session_token"));
    /* the name itself is not a suggestion */
    assert_null(PICK("account", "account"));
}

/* Two names equally close: no guess, whatever the order. The same name
 * from two places is one name. Case decides between case variants. */
static void test_ties(void **state)
{
    (void)state;
    assert_null(PICK("cart", "card", "care"));
    assert_null(PICK("cart", "care", "card"));
    assert_null(PICK("cart", "card", "care", "carts"));
    assert_string_equal(PICK("cart", "card", "care", "Cart"), "Cart");
    assert_string_equal(PICK("cart", "Cart", "card", "care"), "Cart");
    assert_string_equal(PICK("cart", "card", "card"), "card");
    assert_string_equal(PICK("Users", "USERS", "users"), "users");
    assert_string_equal(PICK("Users", "users", "USERS"), "users");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_distance_case),
        cmocka_unit_test(test_distance_utf8),
        cmocka_unit_test(test_distance_limit),
        cmocka_unit_test(test_choice),
        cmocka_unit_test(test_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
