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
    const char *version;     /* NAME_SQL only */
    const char *description; /* NAME_SQL only */
};

static const struct name_case cases[] = {
    /* V_description.sql: V is the digits before the first '_'. */
    {"001_init.sql", NAME_SQL, "001", "init"},
    {"20250101000001_x.sql", NAME_SQL, "20250101000001", "x"},
    {"1_a_b.c.sql", NAME_SQL, "1", "a_b.c"},
    {"0_zero.sql", NAME_SQL, "0", "zero"},
    {"2_a.sql.sql", NAME_SQL, "2", "a.sql"},
    {"3_with space.sql", NAME_SQL, "3", "with space"},
    {"4_\xC3\xA9t\xC3\xA9.sql", NAME_SQL, "4", "\xC3\xA9t\xC3\xA9"},
    {"5__.sql", NAME_SQL, "5", "_"},
    {"6_.sql.sql", NAME_SQL, "6", ".sql"},
    {"99999999999999999999_big.sql", NAME_SQL, "99999999999999999999",
     "big"}, /* too big for int64: discover's job, not the lexer's */

    /* Up and down scripts (sqlx reversible, golang-migrate). */
    {"1_init.up.sql", NAME_UP, "1", "init"},
    {"1_init.down.sql", NAME_DOWN, "1", "init"},
    {"000001_a.b.up.sql", NAME_UP, "000001", "a.b"},
    {"2_.up.sql", NAME_UP, "2", ""},
    {"3_x.UP.sql", NAME_SQL, "3", "x.UP"},

    /* postgrator: V.do.desc.sql, V.undo.desc.sql, desc optional. */
    {"0001.do.init.sql", NAME_DO, "0001", "init"},
    {"0001.undo.init.sql", NAME_UNDO, "0001", "init"},
    {"0002.do.sql", NAME_DO, "0002", ""},
    {"0002.undo.sql", NAME_UNDO, "0002", ""},
    {"0003.do.a.b.sql", NAME_DO, "0003", "a.b"},

    /* postgres-migrations (npm): V-description.sql. */
    {"001-x.sql", NAME_DASH, "001", "x"},
    {"0001-initialmigration.sql", NAME_DASH, "0001", "initialmigration"},
    {"00010-search-files.sql", NAME_DASH, "00010", "search-files"},
    {"1-2_file.sql", NAME_DASH, "1", "2_file"},
    {"1-x.up.sql", NAME_DASH, "1", "x.up"},
    {"1--x.sql", NAME_DASH, "1", "-x"},
    {"1-.sql", NAME_BAD, NULL, NULL},

    /* .sql files that are not V_description.sql. */
    {"init.sql", NAME_BAD, NULL, NULL},
    {"001.sql", NAME_BAD, NULL, NULL},
    {"001_.sql", NAME_BAD, NULL, NULL},
    {"abc_1.sql", NAME_BAD, NULL, NULL},
    {"_001_x.sql", NAME_BAD, NULL, NULL},
    {"V001_x.sql", NAME_BAD, NULL, NULL},
    {"001a_x.sql", NAME_BAD, NULL, NULL},
    {" 001_x.sql", NAME_BAD, NULL, NULL},
    {".sql", NAME_BAD, NULL, NULL},
    {"0001.redo.x.sql", NAME_BAD, NULL, NULL},
    {"x.do.y.sql", NAME_BAD, NULL, NULL},
    {"1.up.sql", NAME_BAD, NULL, NULL},

    /* ory/popx: a dialect or .autocommit before the direction, or fizz. */
    {"20150100000001000000_a.postgres.up.sql", NAME_POPX,
     "20150100000001000000", "a"},
    {"1_a.mysql.down.sql", NAME_POPX, "1", "a"},
    {"1_a.sqlite3.up.sql", NAME_POPX, "1", "a"},
    {"1_a.cockroach.autocommit.up.sql", NAME_POPX, "1", "a"},
    {"1_a.autocommit.down.sql", NAME_POPX, "1", "a"},
    {"1_a.up.fizz", NAME_POPX, "1", "a"},
    {"1_a.postgres.down.fizz", NAME_POPX, "1", "a"},
    /* pop's synonyms (pop.CanonicalDialect) name a dialect too */
    {"1_a.pg.up.sql", NAME_POPX, "1", "a"},
    {"1_a.postgresql.down.sql", NAME_POPX, "1", "a"},
    {"1_a.crdb.up.sql", NAME_POPX, "1", "a"},
    {"1_a.mariadb.up.sql", NAME_POPX, "1", "a"},
    {"1_a.PG.up.sql", NAME_UP, "1", "a.PG"},
    {"1_a.oracle.up.sql", NAME_UP, "1", "a.oracle"},
    {"1_a.b.postgres.up.sql", NAME_UP, "1", "a.b.postgres"},
    {"1_a.postgres.sql", NAME_SQL, "1", "a.postgres"},

    /* Flyway: a prefix V (versioned), U (undo) or B (baseline), the
     * version (digits, one '.' or '_' between parts), the first "__", the
     * description (may be empty), .sql in any case. */
    {"V1__init.sql", NAME_FLYWAY, "1", "init"},
    {"V1.2_3__init.sql", NAME_FLYWAY, "1.2_3", "init"},
    {"V001__x.sql", NAME_FLYWAY, "001", "x"},
    {"V20240101120000__stamp.sql", NAME_FLYWAY, "20240101120000", "stamp"},
    {"U7__undo.sql", NAME_FLYWAY, "7", "undo"},
    {"B5__base.sql", NAME_FLYWAY, "5", "base"},
    {"V1__.sql", NAME_FLYWAY, "1", ""},
    {"V1__a__b.sql", NAME_FLYWAY, "1", "a__b"},
    {"V1___x.sql", NAME_FLYWAY, "1", "_x"},
    {"V1_2__x_y.sql", NAME_FLYWAY, "1_2", "x_y"},
    {"V2__Upper.SQL", NAME_FLYWAY, "2", "Upper"},
    {"V3__x.Sql", NAME_FLYWAY, "3", "x"},
    {"V1__x.sql.conf", NAME_OTHER, NULL, NULL},
    {"V__x.sql", NAME_BAD, NULL, NULL},
    {"v1__x.sql", NAME_BAD, NULL, NULL},   /* the prefix is case-sensitive */
    {"V1.__x.sql", NAME_BAD, NULL, NULL},  /* Flyway: version "1." */
    {"V1..2__x.sql", NAME_BAD, NULL, NULL},
    {"V1a__x.sql", NAME_BAD, NULL, NULL},
    {"V.1__x.sql", NAME_BAD, NULL, NULL},
    {"V1_x.sql", NAME_BAD, NULL, NULL},    /* no separator */
    /* R__desc.sql and callbacks: no version (empty, after R; at 0) */
    {"R__views.sql", NAME_FLYWAY, "", "views"},
    {"R1__views.sql", NAME_BAD, NULL, NULL},
    {"beforeMigrate.sql", NAME_FLYWAY, "", ""},
    {"afterMigrate__grants.sql", NAME_FLYWAY, "", "grants"},
    {"afterMigrateError.sql", NAME_FLYWAY, "", ""},
    {"beforeEachMigrateStatement.SQL", NAME_FLYWAY, "", ""},
    {"beforemigrate.sql", NAME_BAD, NULL, NULL},
    {"beforeMigrate_x.sql", NAME_BAD, NULL, NULL},

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
    case NAME_SQL: return "NAME_SQL";
    case NAME_BAD: return "NAME_BAD";
    case NAME_UP: return "NAME_UP";
    case NAME_DOWN: return "NAME_DOWN";
    case NAME_DO: return "NAME_DO";
    case NAME_UNDO: return "NAME_UNDO";
    case NAME_DIR: return "NAME_DIR";
    case NAME_POPX: return "NAME_POPX";
    case NAME_FLYWAY: return "NAME_FLYWAY";
    case NAME_DASH: return "NAME_DASH";
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
        if (c->kind == NAME_OTHER || c->kind == NAME_BAD)
            continue;
        size_t vlen = strlen(c->version), dlen = strlen(c->description);
        size_t voff = (size_t)(strstr(c->name, c->version) - c->name);
        size_t doff = voff + vlen + 1;
        if (c->kind == NAME_FLYWAY) { /* a prefix letter, then "__" */
            int callback = c->name[0] >= 'a' && c->name[0] <= 'z';
            voff = callback ? 0 : 1;
            doff = callback ? strcspn(c->name, "_.") + (dlen ? 2 : 0)
                            : voff + vlen + 2;
        }
        if (c->kind == NAME_DO) /* ".do." or, with no description, ".do" */
            doff = voff + vlen + (dlen ? 4 : 3);
        if (c->kind == NAME_UNDO)
            doff = voff + vlen + (dlen ? 6 : 5);
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
    assert_int_equal(name_classify("001_init.sql", &p), NAME_SQL);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 3);
    assert_int_equal(p.desc_off, 4);
    assert_int_equal(p.desc_len, 4);

    assert_int_equal(name_classify("20250101000001_x.sql", &p), NAME_SQL);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 14);
    assert_int_equal(p.desc_off, 15);
    assert_int_equal(p.desc_len, 1);

    assert_int_equal(name_classify("1_a_b.c.sql", &p), NAME_SQL);
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
    assert_int_equal(name_classify(name, &p), NAME_SQL);
    assert_int_equal(p.version_len, 2);
    assert_int_equal(p.desc_off, 3);
    assert_int_equal(p.desc_len, sizeof name - 5 - 3);
}

/* Folders: diesel writes versions with dashes; prisma and diesel digits. */
static void test_classify_dir(void **state)
{
    (void)state;
    struct name_parts p;
    assert_int_equal(name_classify_dir("2017-08-31-230457_x", &p), NAME_DIR);
    assert_int_equal(p.version_off, 0);
    assert_int_equal(p.version_len, 17);
    assert_int_equal(p.desc_off, 18);
    assert_int_equal(p.desc_len, 1);
    assert_int_equal(name_classify_dir("00000000000000_diesel_initial_setup",
                                       &p),
                     NAME_DIR);
    assert_int_equal(p.version_len, 14);
    assert_int_equal(p.desc_len, 20);
    assert_int_equal(name_classify_dir("20210101000000_init", &p), NAME_DIR);
    assert_int_equal(name_classify_dir("-1_x", &p), NAME_OTHER);
    assert_int_equal(name_classify_dir("1_", &p), NAME_OTHER);
    assert_int_equal(name_classify_dir("archive", &p), NAME_OTHER);
    assert_int_equal(name_classify_dir("1-x_y", &p), NAME_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_classify_offsets),
        cmocka_unit_test(test_classify_long),
        cmocka_unit_test(test_classify_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
