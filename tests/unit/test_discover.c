/* test_discover.c: discover() on Flyway directories: migc's versions
 * (MAJOR*10^4 + MINOR*100 + PATCH), Flyway's version text and
 * description, sub-folders, undo scripts and .sql.conf flags. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = strchr(path + strlen(root) + 1, '/'); s;
         s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/migc_test_discover.XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

struct want {
    int64_t version;
    const char *name, *flyway_version, *description, *down_name;
    unsigned flags;
};

static void flyway_versions(void **state)
{
    (void)state;
    put("V001__first.sql", "SELECT 1;\n");
    put("U001__first.sql", "SELECT 1;\n");
    put("V1_1__add_users.sql", "SELECT 1;\n");
    put("r/V1.2.0__trailing_zero.sql", "SELECT 1;\n");
    put("r/s/V2.0.3__deep.sql", "SELECT 1;\n");
    put("r/s/V2.0.3__deep.sql.conf", "executeInTransaction=false\n");
    put("V3__.sql", "SELECT 1;\n");
    put("V3__.sql.conf", "executeInTransaction = true\n");
    put("V20240101120000__stamp.sql", "SELECT 1;\n");
    static const struct want want[] = {
        {10000, "V001__first.sql", "001", "first", "U001__first.sql", 0},
        {10100, "V1_1__add_users.sql", "1.1", "add users", NULL, 0},
        {10200, "r/V1.2.0__trailing_zero.sql", "1.2.0", "trailing zero", NULL,
         0},
        {20003, "r/s/V2.0.3__deep.sql", "2.0.3", "deep", NULL,
         MIGRATION_FILE_UP_NO_TRANSACTION | MIGRATION_FILE_UP_TXN_DECLARED},
        {30000, "V3__.sql", "3", "", NULL, MIGRATION_FILE_UP_TXN_DECLARED},
        {INT64_C(202401011200000000), "V20240101120000__stamp.sql",
         "20240101120000", "stamp", NULL, 0},
    };
    struct migration_list l;
    struct diags d = {0};
    assert_int_equal(discover(root, LAYOUT_AUTO, NULL, &l, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(l.layout, LAYOUT_FLYWAY);
    assert_int_equal(l.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l.n; i++) {
        const struct migration_file *f = &l.files[i];
        assert_int_equal(f->version, want[i].version);
        assert_string_equal(f->name, want[i].name);
        assert_string_equal(f->flyway_version, want[i].flyway_version);
        assert_string_equal(f->description, want[i].description);
        if (want[i].down_name)
            assert_string_equal(f->down_name, want[i].down_name);
        else
            assert_null(f->down_name);
        assert_int_equal(f->flags, want[i].flags);
    }
    migration_list_free(&l);
    diags_free(&d);
}

/* Other layouts carry no Flyway version. */
static void other_layouts(void **state)
{
    (void)state;
    put("001_a.sql", "SELECT 1;\n");
    struct migration_list l;
    struct diags d = {0};
    assert_int_equal(discover(root, LAYOUT_AUTO, NULL, &l, &d), 0);
    assert_int_equal(l.layout, LAYOUT_PLAIN);
    assert_int_equal(l.n, 1);
    assert_null(l.files[0].flyway_version);
    migration_list_free(&l);
    diags_free(&d);
}

/* A directory of sub-folders only is Flyway's; --layout flyway reads it
 * too. */
static void subfolders_only(void **state)
{
    (void)state;
    put("a/V2__b.sql", "SELECT 1;\n");
    put("a/b/V1__a.sql", "SELECT 1;\n");
    for (int forced = 0; forced < 2; forced++) {
        struct migration_list l;
        struct diags d = {0};
        assert_int_equal(discover(root, forced ? LAYOUT_FLYWAY : LAYOUT_AUTO,
                                  NULL, &l, &d),
                         0);
        assert_int_equal(d.n, 0);
        assert_int_equal(l.layout, LAYOUT_FLYWAY);
        assert_int_equal(l.n, 2);
        assert_string_equal(l.files[0].name, "a/b/V1__a.sql");
        assert_string_equal(l.files[1].name, "a/V2__b.sql");
        migration_list_free(&l);
        diags_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(flyway_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(other_layouts, setup, teardown),
        cmocka_unit_test_setup_teardown(subfolders_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
