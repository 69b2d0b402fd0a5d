/* names.re: classify migration file names; re2c turns this into names.c. */
#include "names.h"

enum name_kind name_classify(const char *name, struct name_parts *parts)
{
    const unsigned char *const start = (const unsigned char *)name;
    const unsigned char *YYCURSOR = start, *YYMARKER = start;
    const unsigned char *v1, *v2, *d1, *d2;
    /*!stags:re2c format = 'const unsigned char *@@;\n'; */
    (void)YYMARKER;

    /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;
        re2c:tags = 1;

        end   = "\x00";
        digit = [0-9];
        any   = [^\x00];

        @v1 digit+ @v2 "_" @d1 any+ @d2 ".sql" end {
            parts->version_off = (size_t)(v1 - start);
            parts->version_len = (size_t)(v2 - v1);
            parts->desc_off = (size_t)(d1 - start);
            parts->desc_len = (size_t)(d2 - d1);
            return NAME_MIGRATION;
        }
        any* ".sql" end { return NAME_BAD; }
        any* end        { return NAME_OTHER; }
        *               { return NAME_OTHER; }
    */
}
