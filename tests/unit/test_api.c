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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_number_formula),
        cmocka_unit_test(test_header_and_library_agree),
        cmocka_unit_test(test_connect_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
