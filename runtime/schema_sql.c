/* schema_sql.c: the catalog queries behind schema_read() (schema_sql.h).
 *
 * All the knowledge of the catalogs is here, in SQL: each query turns one
 * kind of object into rows (kind, name, sub, attr, value, how) whose text
 * is PostgreSQL's own canonical form (format_type, pg_get_expr,
 * pg_get_*def), so that equal objects read equal however they were built.
 * The read runs with search_path = pg_catalog, so every name outside
 * pg_catalog comes out schema-qualified the same way on both sides.
 *
 * Never read: OIDs, owners, creation order (except the order of a table's
 * live columns), a sequence's current value, attislocal/conislocal and
 * other traces of how an object came to be. */
#include "schema_sql.h"

/* SQL laid out by hand: clang-format would break it mid-word. */
/* clang-format off */

/* A schema that holds user objects: not a system one, not a temporary one,
 * not left out by the caller. */
#define NSP_KEPT(n)                                                           \
    "(" n ".nspname NOT IN ('pg_catalog', 'information_schema')"              \
    " AND " n ".nspname NOT LIKE 'pg\\_toast%'"                               \
    " AND " n ".nspname NOT LIKE 'pg\\_temp\\_%'"                             \
    " AND " n ".nspname <> ALL ($2::text[]))"

/* Not created by an extension (pg_dump leaves those to CREATE EXTENSION). */
#define NOT_MEMBER(catalog, oid)                                              \
    "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" catalog       \
    "'::regclass AND e.objid = " oid " AND e.deptype = 'e')"

/* A relation kept: its schema kept, not an extension's, not left out. */
#define REL_KEPT(c, n)                                                        \
    NSP_KEPT(n) " AND " NOT_MEMBER("pg_class", c ".oid") " AND (" n           \
                ".nspname || '.' || " c ".relname) <> ALL ($1::text[])"

#define QNAME(n, x) "quote_ident(" n ".nspname) || '.' || quote_ident(" x ")"

#define COMMENT(oid, catalog)                                                 \
    "quote_literal(obj_description(" oid ", '" catalog "'))"

/* Privileges as "grantee: PRIV, PRIV; grantee: ..." when $3 asks for
 * them: what GRANT and REVOKE left (NULL acl: the kind's default), without
 * the grantor and the owner's own entry (owners are not compared). */
#define ACL(acl, owner)                                                       \
    "CASE WHEN $3 THEN (SELECT string_agg(g, '; ' ORDER BY g COLLATE \"C\")"  \
    " FROM"                                                                   \
    " (SELECT CASE a.grantee WHEN 0 THEN 'PUBLIC'"                            \
    " ELSE quote_ident(pg_get_userbyid(a.grantee)) END || ': ' ||"            \
    " string_agg(a.privilege_type || CASE WHEN a.is_grantable"                \
    " THEN ' WITH GRANT OPTION' ELSE '' END, ', ' ORDER BY a.privilege_type"  \
    " COLLATE \"C\")"                                                         \
    " AS g FROM aclexplode(" acl ") a WHERE a.grantee <> " owner              \
    " GROUP BY a.grantee) x) END"

#define ACL_DEFAULT(acl, kind, owner)                                         \
    ACL("coalesce(" acl ", acldefault(" kind ", " owner "))", owner)

/* A property row is kept only when it has a value. */
#define KEEP_ROW "(v.sub IS NULL OR v.value IS NOT NULL)"

static const char schemas_sql[] =
    "SELECT 'schema', quote_ident(n.nspname), v.sub, NULL, v.value, v.how"
    " FROM pg_namespace n CROSS JOIN LATERAL (VALUES"
    " (NULL, '', 'o'),"
    " ('comment', " COMMENT("n.oid", "pg_namespace") ", 'p'),"
    " ('privileges', " ACL_DEFAULT("n.nspacl", "'n'", "n.nspowner") ", 'p')"
    ") v(sub, value, how)"
    " WHERE " NSP_KEPT("n") " AND " NOT_MEMBER("pg_namespace", "n.oid")
    " AND " KEEP_ROW;

/* Name and schema; not the version (the servers' packages decide it). */
static const char extensions_sql[] =
    "SELECT 'extension', quote_ident(x.extname), NULL, NULL,"
    " 'schema ' || quote_ident(n.nspname), 'o'"
    " FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace"
    " WHERE n.nspname <> ALL ($2::text[])";

/* Enums (labels in order), composites, domains, ranges, base types; not
 * the array and multirange types PostgreSQL makes beside them, nor the row
 * types of tables. */
static const char types_sql[] =
    "SELECT 'type', " QNAME("n", "t.typname") ", v.sub, NULL, v.value, v.how"
    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
    " LEFT JOIN pg_class r ON r.oid = t.typrelid"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'c' THEN 'composite'"
    "  WHEN 'd' THEN 'domain over ' || format_type(t.typbasetype, t.typtypmod)"
    "   || CASE WHEN t.typcollation <> (SELECT b.typcollation FROM pg_type b"
    "   WHERE b.oid = t.typbasetype) THEN ' COLLATE ' || (SELECT "
    QNAME("cn", "co.collname")
    "   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace"
    "   WHERE co.oid = t.typcollation) ELSE '' END"
    "   || coalesce(' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), '')"
    "   || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END"
    "  WHEN 'r' THEN (SELECT 'range of ' || format_type(g.rngsubtype, NULL)"
    "   || CASE WHEN g.rngcollation <> 0 THEN ' COLLATE ' || (SELECT "
    QNAME("cn", "co.collname")
    "   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace"
    "   WHERE co.oid = g.rngcollation) ELSE '' END"
    "   || ' SUBTYPE_OPCLASS ' || (SELECT " QNAME("on_", "oc.opcname")
    "   FROM pg_opclass oc JOIN pg_namespace on_ ON on_.oid = oc.opcnamespace"
    "   WHERE oc.oid = g.rngsubopc)"
    "   || CASE WHEN g.rngcanonical <> 0 THEN ' CANONICAL '"
    "   || g.rngcanonical::regproc::text ELSE '' END"
    "   || CASE WHEN g.rngsubdiff <> 0 THEN ' SUBTYPE_DIFF '"
    "   || g.rngsubdiff::regproc::text ELSE '' END"
    "   FROM pg_range g WHERE g.rngtypid = t.oid)"
    "  ELSE 'base type INPUT ' || t.typinput::regproc::text || ' OUTPUT '"
    "   || t.typoutput::regproc::text || ' INTERNALLENGTH ' || t.typlen"
    "   || ' ALIGNMENT ' || t.typalign::text || ' STORAGE '"
    "   || t.typstorage::text"
    "  END, 'o'),"
    " ('labels', (SELECT string_agg(quote_literal(e.enumlabel), E'\\x1f'"
    "  ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),"
    "  'p'),"
    " ('comment', " COMMENT("t.oid", "pg_type") ", 'p'),"
    " ('privileges', " ACL_DEFAULT("t.typacl", "'T'", "t.typowner") ", 'p')"
    ") v(sub, value, how)"
    " WHERE " NSP_KEPT("n") " AND " NOT_MEMBER("pg_type", "t.oid")
    " AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND"
    " r.relkind = 'c') OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM"
    " pg_type a WHERE a.typarray = t.oid)))"
    " AND " KEEP_ROW;

/* A column's (or a composite's attribute's) definition as CREATE TABLE
 * would give it; COLLATE only when not the type's own, STORAGE only when
 * not the type's default. Not the compression method: pg_dump does not
 * carry it to an inheritance child, so a restored dump would differ. */
#define COLUMN_DEF                                                            \
    "format_type(a.atttypid, a.atttypmod)"                                    \
    " || CASE WHEN a.attcollation <> ty.typcollation THEN ' COLLATE ' ||"     \
    " (SELECT " QNAME("cn", "co.collname")                                    \
    " FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace" \
    " WHERE co.oid = a.attcollation) ELSE '' END"                             \
    " || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' ||"     \
    " pg_get_expr(d.adbin, d.adrelid) || ') STORED'"                          \
    " WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' ||"                           \
    " pg_get_expr(d.adbin, d.adrelid) ELSE '' END"                            \
    " || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'"    \
    " WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END"          \
    " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"                 \
    " || CASE WHEN a.attstorage <> ty.typstorage THEN ' STORAGE ' ||"         \
    " CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'"       \
    " WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END ELSE '' END"                   \
    " || CASE WHEN a.attstattarget >= 0 THEN ' STATISTICS ' ||"               \
    " a.attstattarget ELSE '' END"

#define REL_KIND(c)                                                           \
    "CASE " c ".relkind WHEN 'v' THEN 'view' WHEN 'm' THEN"                   \
    " 'materialized view' WHEN 'c' THEN 'type' ELSE 'table' END"

/* Columns of tables and views, attributes of composite types: live ones
 * only (a dropped column leaves a hole in attnum that never counts). */
static const char columns_sql[] =
    "SELECT " REL_KIND("c") ", " QNAME("n", "c.relname") ","
    " CASE c.relkind WHEN 'c' THEN 'attribute ' ELSE 'column ' END ||"
    " quote_ident(a.attname), v.attr, v.value, v.how"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_type ty ON ty.oid = a.atttypid"
    " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, " COLUMN_DEF ", 'm'),"
    " ('comment', quote_literal(col_description(c.oid, a.attnum)), 'p'),"
    " ('privileges', CASE WHEN a.attacl IS NOT NULL THEN "
    ACL("a.attacl", "c.relowner") " END, 'p')"
    ") v(attr, value, how)"
    " WHERE a.attnum > 0 AND NOT a.attisdropped"
    " AND c.relkind IN ('r', 'p', 'v', 'm', 'c') AND " REL_KEPT("c", "n")
    " AND (c.relkind <> 'c' OR " NOT_MEMBER("pg_type", "c.reltype") ")"
    " AND (v.attr IS NULL OR v.value IS NOT NULL)";

/* The relation's inheritance: the parent and bound of a partition, the
 * parents of an inheriting table in their order. */
#define PARENTS(kind_test)                                                    \
    "(SELECT string_agg(" QNAME("pn", "pc.relname") ", ', '"                  \
    " ORDER BY i.inhseqno) FROM pg_inherits i"                                \
    " JOIN pg_class pc ON pc.oid = i.inhparent"                               \
    " JOIN pg_namespace pn ON pn.oid = pc.relnamespace"                       \
    " WHERE i.inhrelid = c.oid AND " kind_test ")"

/* Tables and partitioned tables with their own properties, and the order
 * of their live columns (and of a composite type's attributes). */
static const char tables_sql[] =
    "SELECT " REL_KIND("c") ", " QNAME("n", "c.relname") ", v.sub, NULL,"
    " v.value, v.how"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, '', 'o'),"
    " ('unlogged', CASE WHEN c.relpersistence = 'u' THEN 'yes' END, 'p'),"
    " ('partition key', CASE WHEN c.relkind = 'p' THEN"
    "  pg_get_partkeydef(c.oid) END, 'p'),"
    " ('partition of', " PARENTS("c.relispartition")
    "  || ' ' || pg_get_expr(c.relpartbound, c.oid), 'p'),"
    " ('inherits', " PARENTS("NOT c.relispartition") ", 'p'),"
    " ('options', array_to_string(c.reloptions, ', '), 'p'),"
    " ('row level security', CASE WHEN c.relrowsecurity OR"
    "  c.relforcerowsecurity THEN concat_ws(', ', CASE WHEN c.relrowsecurity"
    "  THEN 'enabled' END, CASE WHEN c.relforcerowsecurity THEN 'forced' END)"
    "  END, 'p'),"
    " ('replica identity', CASE c.relreplident WHEN 'd' THEN 'DEFAULT'"
    "  WHEN 'f' THEN 'FULL'"
    "  WHEN 'n' THEN 'NOTHING' WHEN 'i' THEN (SELECT 'USING INDEX ' ||"
    "  quote_ident(ic.relname) FROM pg_index x JOIN pg_class ic"
    "  ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND"
    "  x.indisreplident) END, 'p'),"
    " (CASE c.relkind WHEN 'c' THEN 'attribute order' ELSE 'column order'"
    "  END, (SELECT string_agg(quote_ident(a.attname), E'\\x1f' ORDER BY"
    "  a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND"
    "  a.attnum > 0 AND NOT a.attisdropped), 'l'),"
    " ('comment', CASE WHEN c.relkind <> 'c' THEN "
    COMMENT("c.oid", "pg_class") " END, 'p'),"
    " ('privileges', CASE WHEN c.relkind <> 'c' THEN "
    ACL_DEFAULT("c.relacl", "'r'", "c.relowner") " END, 'p')"
    ") v(sub, value, how)"
    " WHERE c.relkind IN ('r', 'p', 'c') AND " REL_KEPT("c", "n")
    " AND (c.relkind <> 'c' OR " NOT_MEMBER("pg_type", "c.reltype") ")"
    " AND (c.relkind <> 'c' OR v.sub IS NOT NULL)"
    " AND " KEEP_ROW;

/* Constraints of tables (named, with pg_get_constraintdef) and of
 * domains. */
static const char constraints_sql[] =
    "SELECT CASE WHEN k.contypid <> 0 THEN 'type' ELSE 'table' END,"
    " CASE WHEN k.contypid <> 0 THEN " QNAME("tn", "t.typname")
    " ELSE " QNAME("n", "c.relname") " END,"
    " 'constraint ' || quote_ident(k.conname), v.attr, v.value, v.how"
    " FROM pg_constraint k"
    " LEFT JOIN pg_class c ON c.oid = k.conrelid"
    " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_type t ON t.oid = k.contypid"
    " LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, pg_get_constraintdef(k.oid), 'm'),"
    " ('comment', " COMMENT("k.oid", "pg_constraint") ", 'p')"
    ") v(attr, value, how)"
    " WHERE (v.attr IS NULL OR v.value IS NOT NULL) AND"
    " ((k.conrelid <> 0 AND " REL_KEPT("c", "n") ") OR"
    " (k.contypid <> 0 AND " NSP_KEPT("tn") " AND "
    NOT_MEMBER("pg_type", "t.oid") "))";

/* Indexes other than those a constraint owns (the constraint says it). */
static const char indexes_sql[] =
    "SELECT 'index', " QNAME("n", "i.relname") ", v.sub, NULL, v.value,"
    " v.how FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
    " JOIN pg_namespace n ON n.oid = i.relnamespace"
    " JOIN pg_class c ON c.oid = x.indrelid"
    " JOIN pg_namespace cn ON cn.oid = c.relnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, pg_get_indexdef(i.oid), 'o'),"
    " ('clustered', CASE WHEN x.indisclustered THEN 'yes' END, 'p'),"
    " ('invalid', CASE WHEN NOT x.indisvalid THEN 'yes' END, 'p'),"
    " ('comment', " COMMENT("i.oid", "pg_class") ", 'p')"
    ") v(sub, value, how)"
    " WHERE " REL_KEPT("c", "cn") " AND NOT EXISTS (SELECT 1 FROM"
    " pg_constraint k WHERE k.conindid = i.oid AND k.conrelid = c.oid AND"
    " k.contype IN ('p', 'u', 'x')) AND " KEEP_ROW;

/* Sequences with their options and owning column; never their current
 * value. */
static const char sequences_sql[] =
    "SELECT 'sequence', " QNAME("n", "c.relname") ", v.sub, NULL, v.value,"
    " v.how FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_sequence s ON s.seqrelid = c.oid"
    " LEFT JOIN LATERAL (SELECT " QNAME("tn", "t.relname")
    " || '.' || quote_ident(a.attname) AS col,"
    " tn.nspname || '.' || t.relname AS raw FROM pg_depend d"
    " JOIN pg_class t ON t.oid = d.refobjid"
    " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
    " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND"
    " d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND"
    " d.refobjsubid > 0 LIMIT 1) o ON true"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, 'AS ' || format_type(s.seqtypid, NULL) || ' START ' ||"
    "  s.seqstart || ' INCREMENT ' || s.seqincrement || ' MINVALUE ' ||"
    "  s.seqmin || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache ||"
    "  CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END, 'o'),"
    " ('owned by', o.col, 'p'),"
    " ('unlogged', CASE WHEN c.relpersistence = 'u' THEN 'yes' END, 'p'),"
    " ('comment', " COMMENT("c.oid", "pg_class") ", 'p'),"
    " ('privileges', " ACL_DEFAULT("c.relacl", "'s'", "c.relowner") ", 'p')"
    ") v(sub, value, how)"
    " WHERE c.relkind = 'S' AND " REL_KEPT("c", "n")
    " AND (o.raw IS NULL OR o.raw <> ALL ($1::text[])) AND " KEEP_ROW;

/* Views and materialized views by their definition. */
static const char views_sql[] =
    "SELECT " REL_KIND("c") ", " QNAME("n", "c.relname") ", v.sub, NULL,"
    " v.value, v.how"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, pg_get_viewdef(c.oid, true), 'o'),"
    " ('options', array_to_string(c.reloptions, ', '), 'p'),"
    " ('comment', " COMMENT("c.oid", "pg_class") ", 'p'),"
    " ('privileges', " ACL_DEFAULT("c.relacl", "'r'", "c.relowner") ", 'p')"
    ") v(sub, value, how)"
    " WHERE c.relkind IN ('v', 'm') AND " REL_KEPT("c", "n")
    " AND " KEEP_ROW;

/* Functions and procedures by pg_get_functiondef (the body as written);
 * aggregates, which it cannot print, by their parts. */
static const char functions_sql[] =
    "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN"
    " 'aggregate' ELSE 'function' END, " QNAME("n", "p.proname")
    " || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
    " v.sub, NULL, v.value, v.how"
    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, CASE WHEN p.prokind = 'a' THEN (SELECT 'SFUNC ' ||"
    "  g.aggtransfn::regproc::text || ' STYPE ' ||"
    "  format_type(g.aggtranstype, NULL) || CASE WHEN g.aggfinalfn <> 0"
    "  THEN ' FINALFUNC ' || g.aggfinalfn::regproc::text ELSE '' END ||"
    "  coalesce(' INITCOND ' || quote_literal(g.agginitval), '') ||"
    "  CASE WHEN g.aggcombinefn <> 0 THEN ' COMBINEFUNC ' ||"
    "  g.aggcombinefn::regproc::text ELSE '' END || ' RETURNS ' ||"
    "  format_type(p.prorettype, NULL) FROM pg_aggregate g"
    "  WHERE g.aggfnoid = p.oid) ELSE pg_get_functiondef(p.oid) END, 'o'),"
    " ('comment', " COMMENT("p.oid", "pg_proc") ", 'p'),"
    " ('privileges', " ACL_DEFAULT("p.proacl", "'f'", "p.proowner") ", 'p')"
    ") v(sub, value, how)"
    " WHERE " NSP_KEPT("n") " AND " NOT_MEMBER("pg_proc", "p.oid")
    /* not the constructors PostgreSQL makes for a range type */
    " AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid ="
    " 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')"
    " AND " KEEP_ROW;

/* Triggers the user made (not those behind foreign keys). */
static const char triggers_sql[] =
    "SELECT " REL_KIND("c") ", " QNAME("n", "c.relname") ","
    " 'trigger ' || quote_ident(g.tgname), v.attr, v.value, v.how"
    " FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, pg_get_triggerdef(g.oid), 'm'),"
    " ('state', CASE g.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN"
    "  'enabled replica' WHEN 'A' THEN 'enabled always' ELSE 'enabled' END,"
    "  'p'),"
    " ('comment', " COMMENT("g.oid", "pg_trigger") ", 'p')"
    ") v(attr, value, how)"
    " WHERE NOT g.tgisinternal AND " REL_KEPT("c", "n")
    " AND (v.attr IS NULL OR v.value IS NOT NULL)";

/* Row-level security policies, their roles sorted by name. */
static const char policies_sql[] =
    "SELECT " REL_KIND("c") ", " QNAME("n", "c.relname") ","
    " 'policy ' || quote_ident(p.polname), v.attr, v.value, v.how"
    " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " CROSS JOIN LATERAL (VALUES"
    " (NULL, CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE"
    "  'AS RESTRICTIVE' END || ' FOR ' || CASE p.polcmd WHEN 'r' THEN"
    "  'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN"
    "  'DELETE' ELSE 'ALL' END || ' TO ' || (SELECT string_agg(r, ', '"
    "  ORDER BY r COLLATE \"C\") FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC'"
    "  ELSE quote_ident(pg_get_userbyid(o)) END AS r FROM unnest(p.polroles) o)"
    "  roles) || coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid)"
    "  || ')', '') || coalesce(' WITH CHECK (' ||"
    "  pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''), 'm'),"
    " ('comment', " COMMENT("p.oid", "pg_policy") ", 'p')"
    ") v(attr, value, how)"
    " WHERE " REL_KEPT("c", "n")
    " AND (v.attr IS NULL OR v.value IS NOT NULL)";

const struct schema_query schema_queries[] = {
    {"schemas", schemas_sql},         {"extensions", extensions_sql},
    {"types", types_sql},             {"functions", functions_sql},
    {"sequences", sequences_sql},     {"tables", tables_sql},
    {"columns", columns_sql},         {"constraints", constraints_sql},
    {"indexes", indexes_sql},         {"views", views_sql},
    {"triggers", triggers_sql},       {"policies", policies_sql},
};
const size_t schema_n_queries = sizeof schema_queries / sizeof *schema_queries;

const char schema_data_tables_sql[] =
    "SELECT " QNAME("n", "c.relname") " FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND " REL_KEPT("c", "n") " ORDER BY 1";
/* clang-format on */
