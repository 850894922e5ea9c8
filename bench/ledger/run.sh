#!/usr/bin/env bash
# Ledger benchmarks: ingest through the ledger writer (binary COPY) and usage queries over a generated ledger.
#
# Starts a throwaway PostgreSQL (as scripts/test.sh does, but with the server's default durability: fsync and
# synchronous commit on) on a free loopback port in a temporary directory, runs the benchmarks against it, and
# removes it whatever happens. Needs PostgreSQL server binaries (Debian's postgresql package).
#
# Usage: bench/ledger/run.sh [ingest|query|all] [rows for the query benchmark, default 10000000]
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
what=${1:-all}
rows=${2:-10000000}

log() { printf '[ledger-bench] %s\n' "$*" >&2; }

pg_bin=$(for dir in /usr/lib/postgresql/*/bin; do [[ -x "$dir/initdb" ]] && printf '%s\n' "$dir"; done | sort -V | tail -n 1)
if [[ -z "$pg_bin" ]]; then
  log "error: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)"
  exit 3
fi

run_as=()
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  run_as=(runuser -u postgres --)
fi

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/odock-ledger-bench.XXXXXX")
chmod 755 "$pg_dir"
if [[ ${#run_as[@]} -gt 0 ]]; then chown postgres "$pg_dir"; fi
stop_cluster() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_cluster EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1
port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 40000)); done
# Durability stays at the defaults; memory and WAL sized for a 10-million-row table on a small machine.
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
  -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c effective_cache_size=8GB" >/dev/null
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export ODOCK_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Timeout=30;Command Timeout=0"
dotnet build bench/Odock.Bench.Ledger -c Release --nologo -v quiet >/dev/null
bench=(dotnet bench/Odock.Bench.Ledger/bin/Release/net10.0/Odock.Bench.Ledger.dll)

if [[ $what == ingest || $what == all ]]; then
  for batch in 500 2000 5000; do
    "${bench[@]}" ingest 500000 "$batch" 2
  done
  "${bench[@]}" ingest 500000 2000 8
fi
if [[ $what == query || $what == all ]]; then
  "${bench[@]}" query "$rows"
fi
