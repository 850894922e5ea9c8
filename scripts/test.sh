#!/usr/bin/env bash
# Runs the whole Odock test suite on a fresh machine.
#
# Provisions what the tests need: PostgreSQL binaries (Debian's `postgresql` package when none are present),
# a throwaway cluster in a temporary directory on a free loopback port, a headless Chromium (Debian's
# `chromium-headless-shell` when no Chromium is present) for the tests that drive a real browser, then
# `dotnet test Odock.sln`.
# The cluster is stopped and removed whatever happens; the exit status is the tests' status.
#
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Storage]
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

log() { printf '[test.sh] %s\n' "$*" >&2; }

# apt_install PACKAGE WHAT: installs a Debian package the suite needs, or stops saying why it could not.
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    log "error: $2 is missing and installing it needs root (run as root, or: apt-get install -y $1)"
    exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; then
    log "error: could not install the $1 package with apt-get"
    exit 3
  fi
}

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      printf '%s\n' "$dir"
    fi
  done | sort -V | tail -n 1
}

pg_bin=$(find_pg_bin)
if [[ -z "$pg_bin" ]]; then
  log "no PostgreSQL server binaries found; installing Debian's postgresql package"
  apt_install postgresql PostgreSQL
  pg_bin=$(find_pg_bin)
  if [[ -z "$pg_bin" ]]; then
    log "error: the postgresql package installed no server binaries under /usr/lib/postgresql"
    exit 3
  fi
fi
log "using PostgreSQL from $pg_bin"

find_chromium() {
  local name
  for name in chromium-headless-shell chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
}

chromium=$(find_chromium || true)
if [[ -z "$chromium" ]]; then
  log "no Chromium found; installing Debian's chromium-headless-shell package"
  apt_install chromium-headless-shell Chromium
  chromium=$(find_chromium || true)
  if [[ -z "$chromium" ]]; then
    log "error: the chromium-headless-shell package installed no browser on the PATH"
    exit 3
  fi
fi
log "using Chromium at $chromium"
export ODOCK_TEST_CHROMIUM="$chromium"

# initdb refuses to run as root: run the server as the postgres user on a directory it owns.
run_as=()
if [[ $(id -u) -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  run_as=(runuser -u postgres --)
fi

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/odock-pg.XXXXXX")
chmod 755 "$pg_dir"
if [[ ${#run_as[@]} -gt 0 ]]; then chown postgres "$pg_dir"; fi

stop_cluster() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_cluster EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; log "error: initdb failed"; exit 3; }

started=""
for _ in 1 2 3; do
  pg_port=$(free_port) || { log "error: no free loopback port found"; exit 3; }
  # fsync off: a throwaway test cluster trades durability for speed. Tests that need durability semantics
  # (crash, restart) stop and start this same cluster, which keeps its files.
  if "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB" >/dev/null; then
    started=yes
    break
  fi
done
if [[ -z "$started" ]]; then
  cat "$pg_dir/server.log" >&2 || true
  log "error: PostgreSQL did not start"
  exit 3
fi
log "PostgreSQL listening on 127.0.0.1:$pg_port (data in $pg_dir)"

export ODOCK_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100;Timeout=15;Command Timeout=60"
# Tests that stop and restart the database (outage tests) use these.
export ODOCK_TEST_PG_BIN="$pg_bin"
export ODOCK_TEST_PG_DATA="$pg_dir/data"
export ODOCK_TEST_PG_RUN_AS="${run_as[*]}"
export ODOCK_TEST_PG_PORT="$pg_port"
export ODOCK_TEST_PG_SOCKET_DIR="$pg_dir"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

results_dir="$pg_dir/results"
mkdir -p "$results_dir"
set +e
dotnet test Odock.sln --nologo -c Release --logger "console;verbosity=normal" --logger "trx" --results-directory "$results_dir" "$@" 2>&1 | tee "$pg_dir/test-output.log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, summed over every test assembly.
passed=0; failed=0; skipped=0
for trx in "$results_dir"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
printf '%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
exit "$status"
