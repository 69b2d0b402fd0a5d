/* test_api.c: the public API a caller checks before any database: the
 * header and the linked library agree on the version, and migc_connect()
 * keeps its contract when no server answers (an error that names the
 * failure and never the password, nothing left to close). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <migc.h>

/* The number is the documented formula over the parts of the string. */
static void test_version_number_formula(void **state)
{
    (void)state;
    char text[32];
    snprintf(text, sizeof text, "%d.%d.%d", MIGC_VERSION_MAJOR,
             MIGC_VERSION_MINOR, MIGC_VERSION_PATCH);
    assert_string_equal(text, MIGC_VERSION_STRING);
    assert_int_equal(MIGC_VERSION_NUMBER,
                     ((unsigned)MIGC_VERSION_MAJOR << 16) |
                         ((unsigned)MIGC_VERSION_MINOR << 8) |
                         (unsigned)MIGC_VERSION_PATCH);
#if MIGC_VERSION_NUMBER < 0x000100
#error "MIGC_VERSION_NUMBER must be usable in #if"
#endif
}

/* The header this test was compiled with and the library it links say the
 * same version, as a number and as text. */
static void test_header_and_library_agree(void **state)
{
    (void)state;
    assert_int_equal(migc_version_number(), MIGC_VERSION_NUMBER);
    assert_string_equal(migc_version(), MIGC_VERSION_STRING);
}

/* A socket folder that does not exist: no server, at once. */
static void test_connect_failure(void **state)
{
    (void)state;
    static const char *const infos[] = {
        "postgresql://migc:s3cret-pw@/db?host=/nonexistent/migc-test",
        "host=/nonexistent/migc-test user=migc password=s3cret-pw dbname=db",
    };
    for (size_t i = 0; i < sizeof infos / sizeof *infos; i++) {
        struct migc_error err = MIGC_ERROR_INIT;
        assert_null(migc_connect(infos[i], "test_api", &err));
        assert_int_equal(err.code, MIGC_ERR_CONNECT);
        assert_non_null(strstr(err.message, "cannot connect to the database"));
        assert_null(strstr(err.message, "s3cret-pw"));
        assert_null(strchr(err.message, '\n'));
    }
    /* First error wins: an earlier error stays. */
    struct migc_error err = MIGC_ERROR_INIT;
    err.code = MIGC_ERR_ARG;
    snprintf(err.message, sizeof err.message, "earlier");
    assert_null(migc_connect(infos[0], NULL, &err));
    assert_int_equal(err.code, MIGC_ERR_ARG);
    assert_string_equal(err.message, "earlier");
    migc_disconnect(NULL); /* a no-op */
}

/* A schema built in memory: no migrations, a name and a fingerprint. */
static const struct migc_schema tpl_schema = {
    .format = MIGC_FORMAT_VERSION,
    .name = "Test_Schema",
    .generator = "test",
    .fingerprint =
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
};

/* migc_template_name(): lower case, the key's 16 hex digits, stable for
 * the same inputs, another key for other ledger names, within 63 bytes
 * for a long schema name; refused for a short buffer. */
static void test_template_name(void **state)
{
    (void)state;
    char a[64], b[64], c[64];
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(migc_template_name(&tpl_schema, NULL, a, sizeof a, &err),
                     MIGC_OK);
    assert_int_equal(strncmp(a, "migc_tpl_test_schema_", 21), 0);
    assert_int_equal(strlen(a), 21 + 16);
    assert_int_equal(migc_template_name(&tpl_schema, NULL, b, sizeof b, &err),
                     MIGC_OK);
    assert_string_equal(a, b);
    struct migc_options o = MIGC_OPTIONS(.ledger_table = "other_ledger");
    assert_int_equal(migc_template_name(&tpl_schema, &o, c, sizeof c, &err),
                     MIGC_OK);
    assert_string_not_equal(a, c);
    struct migc_schema long_name = tpl_schema;
    long_name.name = "a_schema_name_far_longer_than_thirty_seven_bytes_is";
    assert_int_equal(migc_template_name(&long_name, NULL, c, sizeof c, &err),
                     MIGC_OK);
    assert_int_equal(strlen(c), 63);
    assert_int_equal(migc_template_name(&tpl_schema, NULL, c, 63, &err),
                     MIGC_ERR_ARG);
    assert_non_null(strstr(err.message, "at least 64 bytes"));
}

/* migc_create_database() and migc_drop_database() refuse a bad name
 * before they connect (the server named here does not exist). */
static void test_create_database_refusals(void **state)
{
    (void)state;
    const char *nowhere = "host=/nonexistent/migc-test dbname=postgres";
    char name64[65];
    memset(name64, 'x', 64);
    name64[64] = '\0';
    struct migc_error err = MIGC_ERROR_INIT;
    assert_int_equal(
        migc_create_database(nowhere, &tpl_schema, "", NULL, NULL, &err),
        MIGC_ERR_ARG);
    assert_string_equal(err.message, "no database name given");
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(
        migc_create_database(nowhere, &tpl_schema, name64, NULL, NULL, &err),
        MIGC_ERR_ARG);
    assert_non_null(strstr(err.message, "is 64 bytes"));
    err = (struct migc_error)MIGC_ERROR_INIT;
    struct migc_options o = MIGC_OPTIONS(.target_version = 3);
    assert_int_equal(
        migc_create_database(nowhere, &tpl_schema, "t", &o, NULL, &err),
        MIGC_ERR_ARG);
    assert_non_null(strstr(err.message, "target_version must be 0"));
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(
        migc_create_database(nowhere, &tpl_schema, "t", NULL, NULL, &err),
        MIGC_ERR_CONNECT);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_drop_database(nowhere, NULL, 0, &err),
                     MIGC_ERR_ARG);
    err = (struct migc_error)MIGC_ERROR_INIT;
    assert_int_equal(migc_drop_database(nowhere, "t", 0, &err),
                     MIGC_ERR_CONNECT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_number_formula),
        cmocka_unit_test(test_header_and_library_agree),
        cmocka_unit_test(test_connect_failure),
        cmocka_unit_test(test_template_name),
        cmocka_unit_test(test_create_database_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
