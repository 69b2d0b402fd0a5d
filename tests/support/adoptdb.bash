# adoptdb.bash: reading a database in the adopt tests (adopt*.sh). Source
# it after pgtest.bash and runexpect.bash.
#
#   psql_at DB SQL     one query's rows, unaligned, tuples only
#   ledger DB          migc's ledger as "version:name:adopted_from ..."
#   no_ledger DB       fail unless migc's ledger is absent
#   dump DB TABLE      TABLE's rows as pg_dump writes them (for cmp)

psql_at() { pgtest_psql "$1" -At -c "$2"; }
ledger() {
  psql_at "$1" "SELECT coalesce(string_agg(version || ':' || name || ':' || coalesce(adopted_from, '-'), ' ' ORDER BY version), '') FROM migc_migrations"
}
no_ledger() {
  [ "$(psql_at "$1" "SELECT to_regclass('public.migc_migrations') IS NULL")" = t ] ||
    fail "migc's ledger exists"
}
dump() { pg_dump -d "$1" -t "$2" --data-only --no-owner | grep -v '^\\\(un\)\?restrict'; }
