/* test_names.c: name_classify() on good, bad and foreign file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "names.h"

struct name_case {
    const char *name;
    enum name_kind kind;
    const char *version;     /* NAME_MIGRATION only */
    const char *description; /* NAME_MIGRATION only */
};

static const struct name_case cases[] = {
    /* V_description.sql: V is the digits before the first '_'. */
    {"001_init.sql", NAME_MIGRATION, "001", "init"},
    {"20250101000001_x.sql", NAME_MIGRATION, "20250101000001", "x"},
    {"1_a_b.c.sql", NAME_MIGRATION, "1", "a_b.c"},
    {"0_zero.sql", NAME_MIGRATION, "0", "zero"},
    {"2_a.sql.sql", NAME_MIGRATION, "2", "a.sql"},
    {"3_with space.sql", NAME_MIGRATION, "3", "with space"},
    {"4_\xC3\xA9t\xC3\xA9.sql", NAME_MIGRATION, "4", "\xC3\xA9t\xC3\xA9"},
    {"5__.sql", NAME_MIGRATION, "5", "_"},
    {"6_.sql.sql", NAME_MIGRATION, "6", ".sql"},
    {"99999999999999999999_big.sql", NAME_MIGRATION, "99999999999999999999",
     "big"}, /* too big for int64: discover's job, not the lexer's */

    /* .sql files that are not V_description.sql. */
    {"init.sql", NAME_BAD, NULL, NULL},
    {"001.sql", NAME_BAD, NULL, NULL},
    {"001_.sql", NAME_BAD, NULL, NULL},
    {"abc_1.sql", NAME_BAD, NULL, NULL},
    {"001-x.sql", NAME_BAD, NULL, NULL},
    {"_001_x.sql", NAME_BAD, NULL, NULL},
    {"V001_x.sql", NAME_BAD, NULL, NULL},
    {"001a_x.sql", NAME_BAD, NULL, NULL},
    {" 001_x.sql", NAME_BAD, NULL, NULL},
    {".sql", NAME_BAD, NULL, NULL},

    /* Not .sql: not ours. */
    {"README.md", NAME_OTHER, NULL, NULL},
    {"001_x.sql.bak", NAME_OTHER, NULL, NULL},
    {"001_x.SQL", NAME_OTHER, NULL, NULL},
    {"001_x.sq", NAME_OTHER, NULL, NULL},
    {"001_x.sql~", NAME_OTHER, NULL, NULL},
    {"migc.lock", NAME_OTHER, NULL, NULL},
    {"", NAME_OTHER, NULL, NULL},
};

static const char *kind_name(enum name_kind k)
{
    switch (k) {
    case NAME_OTHER: return "NAME_OTHER";
    case NAME_MIGRATION: return "NAME_MIGRATION";
    case NAME_BAD: return "NAME_BAD";
    }
    return "?";
}

static void test_classify_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct name_case *c = &cases[i];
        /* Poison: offsets must come from name_classify, not from chance. */
        struct name_parts p;
        memset(&p, 0xA5, sizeof p);
        enum name_kind got = name_classify(c->name, &p);
        if (got != c->kind) {
            print_error("\"%s\": kind %s, expected %s\n", c->name,
                        kind_name(got), kind_name(c->kind));
            failures++;
            continue;
        }
        if (c->kind != NAME_MIGRATION)
            continue;
        size_t vlen = strlen(c->version), dlen = strlen(c->description);
        size_t voff = (size_t)(strstr(c->name, c->version) - c->name);
        size_t doff = voff + vlen + 1;
        if (p.version_off != voff || p.version_len != vlen ||
            p.desc_off != doff || p.desc_len != dlen) {
            print_error("\"%s\": version %zu+%zu desc %zu+%zu, expected "
                        "%zu+%zu %zu+%zu\n",
                        c->name, p.version_off, p.version_len, p.desc_off,
                        p.desc_len, voff, vlen, doff, dlen);
            failures++;
            continue;
        }
        /* The offsets select exactly the expected text. */
        if (memcmp(c->name + p.version_off, c->version, vlen) != 0 ||
            memcmp(c->name + p.desc_off, c->description, dlen) != 0) {
            print_error("\"%s\": parts do not select the expected text\n",
                        c->name);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* The three names of the brief, spelled out as literal offsets. */
static void test_classify_offsets(void **state)
{
    (void)state;
    struct name_parts p;
    assert_int_equal(name_classify("001_init.sql", &p), NAME_MIGRATION);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 3);
    assert_int_equal(p.desc_off, 4);
    assert_int_equal(p.desc_len, 4);

    assert_int_equal(name_classify("20250101000001_x.sql", &p), NAME_MIGRATION);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 14);
    assert_int_equal(p.desc_off, 15);
    assert_int_equal(p.desc_len, 1);

    assert_int_equal(name_classify("1_a_b.c.sql", &p), NAME_MIGRATION);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 1);
    assert_int_equal(p.desc_off, 2);
    assert_int_equal(p.desc_len, 5);
}

/* A long name is classified without any fixed-size limit. */
static void test_classify_long(void **state)
{
    (void)state;
    char name[5000];
    memset(name, 'd', sizeof name);
    memcpy(name, "42_", 3);
    memcpy(name + sizeof name - 5, ".sql", 5); /* with the NUL */
    struct name_parts p;
    assert_int_equal(name_classify(name, &p), NAME_MIGRATION);
    assert_int_equal(p.version_len, 2);
    assert_int_equal(p.desc_off, 3);
    assert_int_equal(p.desc_len, sizeof name - 5 - 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_classify_offsets),
        cmocka_unit_test(test_classify_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
