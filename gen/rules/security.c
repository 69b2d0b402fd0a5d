/* security.c: secrets that a migration would embed in every binary:
 * hardcoded-password. */
#include <string.h>

#include "rules/rule.h"

void rule_hardcoded_password(struct rules *r, const struct sem *s,
                             const struct sem_event *ev)
{
    if (ev->kind != SEM_ROLE_OPTIONS)
        return;
    const struct sem_role *role = &ev->u.role;
    for (size_t i = 0; i < role->n; i++) {
        const PgQuery__Node *o = role->options[i];
        if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
            strcmp(o->def_elem->defname, "password") != 0 ||
            !o->def_elem->arg ||
            o->def_elem->arg->node_case != PG_QUERY__NODE__NODE_STRING)
            continue;
        rule_report(r, s, DIAG_HARDCODED_PASSWORD, o->def_elem->location,
                    "role \"%s\" gets a password written in the migration: "
                    "it is embedded in every binary and kept in the "
                    "repository; set it outside migrations (ALTER ROLE ... "
                    "PASSWORD from a secret store)",
                    role->role ? role->role : "?");
    }
}
