# peers.bash: the real migration tools of npm (dbmate, node-pg-migrate,
# postgrator, Kysely), installed once at pinned versions into a cache and
# reused, so that tests can let them write their own ledgers. Source it, then:
#
#   peers_install TOOL    install TOOL (dbmate, node-pg-migrate, postgrator,
#                         kysely) unless its cache folder is complete;
#                         PEERS_DIR gets the folder (node_modules below it).
#                         No node/npm, or npm failing (no network): the test
#                         exits 77 (skipped), saying why.
#   peers_url NAME        the postgres:// URL of database NAME on pgtest's
#                         server (dbmate takes URLs, not conninfo strings)
#
# Cache: $MIGC_PEERS_CACHE, else $XDG_CACHE_HOME/migc-peers, else
# $HOME/.cache/migc-peers; one folder per tool@version, marked complete by
# a file written after npm succeeded (an interrupted install is redone).
# npm gets $MIGC_PEERS_TIMEOUT seconds (default 240) per tool, so that a
# registry that hangs costs CI minutes, not an hour.

# shellcheck disable=SC2034 # PEERS_DIR is set for the caller

# The pinned versions; all run on node 20 (Kysely 0.29 needs node 22).
declare -A PEERS_PACKAGES=(
  [dbmate]="dbmate@2.36.0"
  [node-pg-migrate]="node-pg-migrate@9.0.0 pg@8.16.3"
  [postgrator]="postgrator@8.0.0 pg@8.16.3"
  [kysely]="kysely@0.28.20 pg@8.16.3"
)

peers_skip() {
  echo "SKIPPED: $*" >&2
  exit 77
}

peers_install() {
  local tool=$1 pkgs first cache dir log rc
  pkgs=${PEERS_PACKAGES[$tool]:-}
  [ -n "$pkgs" ] || {
    echo "peers: unknown tool $tool" >&2
    exit 1
  }
  command -v node >/dev/null || peers_skip "$tool: node is not installed"
  command -v npm >/dev/null || peers_skip "$tool: npm is not installed"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] ||
    peers_skip "$tool: node $(node --version) is older than 20, which the pinned versions need"
  first=${pkgs%% *}
  cache=${MIGC_PEERS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/migc-peers}
  dir="$cache/$first"
  PEERS_DIR=$dir
  [ -f "$dir/.complete" ] && return 0
  mkdir -p "$cache"
  # One installer at a time per tool (ctest runs tests in parallel).
  exec {PEERS_LOCK}>"$cache/.$first.lock"
  flock "$PEERS_LOCK"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    log="$cache/$first.npm.log"
    # A registry that cannot be reached is found in seconds, not after
    # npm's retries (two minutes): ping it once, without retries.
    rc=0
    timeout 40 npm ping --fetch-retries=0 --fetch-timeout=30000 \
      --loglevel=error >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
      rm -rf "$dir"
      flock -u "$PEERS_LOCK"
      peers_skip "$tool: the npm registry ($(npm config get registry))" \
        "does not answer (npm ping exit $rc): $(tail -n 2 "$log" | tr '\n' ' ')"
    fi
    # shellcheck disable=SC2086 # pkgs is a list of package specs
    timeout "${MIGC_PEERS_TIMEOUT:-240}" npm install --no-audit --no-fund \
      --no-save --prefer-offline --fetch-retries=1 --loglevel=error \
      --prefix "$dir" $pkgs >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
      rm -rf "$dir"
      flock -u "$PEERS_LOCK"
      [ "$rc" = 124 ] && peers_skip "$tool: npm install $pkgs took over" \
        "${MIGC_PEERS_TIMEOUT:-240} s (no registry?); see $log"
      peers_skip "$tool: npm install $pkgs failed (exit $rc; no registry?):" \
        "$(tail -n 3 "$log" | tr '\n' ' ')"
    fi
    date -u +%FT%TZ >"$dir/.complete"
  fi
  flock -u "$PEERS_LOCK"
}

# peers_url NAME: the postgres:// URL of database NAME on pgtest's server,
# as dbmate (lib/pq) takes it: a socket folder goes in `socket=`.
peers_url() {
  local user=${PGUSER:-postgres} host=${PGHOST:-localhost}
  case $host in
  /*) printf 'postgres://%s@/%s?socket=%s&sslmode=disable' "$user" "$1" "$host" ;;
  *) printf 'postgres://%s@%s%s/%s?sslmode=disable' "$user" "$host" \
    "${PGPORT:+:$PGPORT}" "$1" ;;
  esac
}
