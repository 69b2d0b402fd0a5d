/* names.re: classify migration file and folder names; re2c turns this into
 * names.c. Rules are tried longest match first, then in order, so the more
 * specific shapes (.up.sql, .do.sql) come before the plain V_desc.sql. */
#include "names.h"

static enum name_kind found(enum name_kind kind, const unsigned char *start,
                            const unsigned char *v1, const unsigned char *v2,
                            const unsigned char *d1, const unsigned char *d2,
                            struct name_parts *parts)
{
    parts->version_off = (size_t)(v1 - start);
    parts->version_len = (size_t)(v2 - v1);
    parts->desc_off = (size_t)(d1 - start);
    parts->desc_len = (size_t)(d2 - d1);
    return kind;
}

enum name_kind name_classify(const char *name, struct name_parts *parts)
{
    const unsigned char *const s = (const unsigned char *)name;
    const unsigned char *YYCURSOR = s, *YYMARKER = s;
    const unsigned char *v1, *v2, *d1, *d2;
    /*!stags:re2c:files format = 'const unsigned char *@@;\n'; */
    (void)YYMARKER;

    /*!re2c:files
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;
        re2c:tags = 1;

        end   = "\x00";
        digit = [0-9];
        any   = [^\x00];

        /* pop / popx: a dialect pop knows and/or .autocommit before the
           direction, or fizz (pop's own language); V_name.up.sql without
           them is NAME_UP, which the pop layout reads too */
        dialect = "postgres" | "postgresql" | "pg" | "pgx" | "cockroach"
                | "cockroachdb" | "crdb" | "mysql" | "mariadb" | "sqlite3"
                | "sqlite" | "mssql";
        popx_tag = "." dialect (".autocommit")? | ".autocommit";
        updown = "." ("up" | "down");
        @v1 digit+ @v2 "_" @d1 [^.\x00]+ @d2 popx_tag updown ".sql" end {
            return found(NAME_POPX, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 "_" @d1 [^.\x00]+ @d2 ("." [a-z0-9]+)? (".autocommit")?
            updown ".fizz" end {
            return found(NAME_POPX, s, v1, v2, d1, d2, parts);
        }
        /* Flyway: a prefix (V versioned, U undo, B baseline), a version
           (digits, parts separated by one '.' or '_'), the first "__",
           the description (may be empty) and .sql in any case; R__desc.sql
           (repeatable, no version) and the callbacks (an event's name,
           then optionally "__" and a description) */
        fver = digit+ ([._] digit+)*;
        callback = "beforeClean" | "afterClean" | "afterCleanError"
                 | "beforeMigrate" | "beforeEachMigrate"
                 | "beforeEachMigrateStatement" | "afterEachMigrateStatement"
                 | "afterEachMigrateStatementError" | "afterEachMigrate"
                 | "afterEachMigrateError" | "beforeRepeatables"
                 | "afterVersioned" | "afterMigrateApplied" | "afterMigrate"
                 | "afterMigrateError" | "beforeUndo" | "beforeEachUndo"
                 | "beforeEachUndoStatement" | "afterEachUndoStatement"
                 | "afterEachUndoStatementError" | "afterEachUndo"
                 | "afterEachUndoError" | "afterUndo" | "afterUndoError"
                 | "beforeValidate" | "afterValidate" | "afterValidateError"
                 | "beforeBaseline" | "afterBaseline" | "afterBaselineError"
                 | "beforeRepair" | "afterRepair" | "afterRepairError"
                 | "beforeInfo" | "afterInfo" | "afterInfoError"
                 | "afterMigrateOperationFinish" | "afterInfoOperationFinish"
                 | "createSchema" | "beforeCreateSchema" | "beforeConnect"
                 | "afterConnect";
        [VUB] @v1 fver @v2 "__" @d1 any* @d2 '.sql' end {
            return found(NAME_FLYWAY, s, v1, v2, d1, d2, parts);
        }
        "R" @v1 @v2 "__" @d1 any* @d2 '.sql' end {
            return found(NAME_FLYWAY, s, v1, v2, d1, d2, parts);
        }
        @v1 @v2 callback "__" @d1 any* @d2 '.sql' end {
            return found(NAME_FLYWAY, s, v1, v2, d1, d2, parts);
        }
        @v1 @v2 callback @d1 @d2 '.sql' end {
            return found(NAME_FLYWAY, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 "_" @d1 any* @d2 ".up.sql" end {
            return found(NAME_UP, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 "_" @d1 any* @d2 ".down.sql" end {
            return found(NAME_DOWN, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 ".do" @d1 @d2 ".sql" end {
            return found(NAME_DO, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 ".do." @d1 any+ @d2 ".sql" end {
            return found(NAME_DO, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 ".undo" @d1 @d2 ".sql" end {
            return found(NAME_UNDO, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 ".undo." @d1 any+ @d2 ".sql" end {
            return found(NAME_UNDO, s, v1, v2, d1, d2, parts);
        }
        @v1 digit+ @v2 "_" @d1 any+ @d2 ".sql" end {
            return found(NAME_SQL, s, v1, v2, d1, d2, parts);
        }
        /* postgres-migrations (npm): ID-name.sql; the underscore form is
           NAME_SQL, which that layout reads too */
        @v1 digit+ @v2 "-" @d1 any+ @d2 ".sql" end {
            return found(NAME_DASH, s, v1, v2, d1, d2, parts);
        }
        any* ".sql" end { return NAME_BAD; }
        any* end        { return NAME_OTHER; }
        *               { return NAME_OTHER; }
    */
}

enum name_kind name_classify_dir(const char *name, struct name_parts *parts)
{
    const unsigned char *const s = (const unsigned char *)name;
    const unsigned char *YYCURSOR = s, *YYMARKER = s;
    const unsigned char *v1, *v2, *d1, *d2;
    /*!stags:re2c:dirs format = 'const unsigned char *@@;\n'; */
    (void)YYMARKER;

    /*!re2c:dirs
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;
        re2c:tags = 1;

        @v1 digit [0-9-]* @v2 "_" @d1 any+ @d2 end {
            return found(NAME_DIR, s, v1, v2, d1, d2, parts);
        }
        any* end { return NAME_OTHER; }
        *        { return NAME_OTHER; }
    */
}
