# lib.sh: shared by scripts/demo and scripts/test: install what is missing,
# configure and build. Sourced, not run.

# Debian packages migc builds, tests and runs with.
MIGC_PACKAGES=(
  gcc clang cmake ninja-build pkg-config
  libpg-query-dev libprotobuf-c-dev libyaml-dev re2c
  libpq-dev libssl-dev libcmocka-dev
  postgresql postgresql-client
  # tests/integration/platform_packs.sh reads the pack YAML with PyYAML,
  # independently of migc's libyaml reader
  python3 python3-yaml
  # tests/reliability: 32 processes through a transaction-pooling PgBouncer
  pgbouncer
  # tests/integration/peers.sh: the real npm tools (dbmate, postgrator,
  # Kysely, node-pg-migrate) write the ledgers `adopt` reads; node 20 with
  # npm (this machine's nodejs package carries npm)
  nodejs
)

migc_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Install the missing packages (as root), or print the exact command.
migc_install_deps() {
  local missing=() p
  for p in "${MIGC_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "migc needs these Debian packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  # The server package may try to start a cluster; no init system in a
  # container is fine: migc runs its own servers.
  export DEBIAN_FRONTEND=noninteractive
  # A machine whose last dpkg run was cut short refuses every install
  # until its packages are configured.
  dpkg --configure -a >/dev/null 2>&1 || true
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# migc_build DIR [cmake options...]
migc_build() {
  local dir=$1; shift
  say "configuring $dir"
  cmake -S "$migc_root" -B "$dir" -G Ninja "$@" >/dev/null
  say "building $dir"
  cmake --build "$dir" -- -j"$(nproc)"
}
