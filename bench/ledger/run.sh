#!/usr/bin/env bash
# Ledger benchmarks: ingest through the ledger writer (binary COPY) and usage queries over a generated ledger.
#
# Starts a throwaway PostgreSQL (bench/lib/postgres.sh: like scripts/test.sh's, but with the server's default
# durability: fsync and synchronous commit on) on a free loopback port in a temporary directory, runs the benchmarks
# against it, and removes it whatever happens. Needs PostgreSQL server binaries (Debian's postgresql package).
#
# Usage: bench/ledger/run.sh [ingest|query|all] [rows for the query benchmark, default 10000000]
#        bench/ledger/run.sh ingest-sqlite   (the all-in-one's SQLite ledger, pinned to one core; no PostgreSQL)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
what=${1:-all}
rows=${2:-10000000}

log() { printf '[ledger-bench] %s\n' "$*" >&2; }

if [[ $what == ingest-sqlite ]]; then
  dotnet build bench/Odock.Bench.Ledger -c Release --nologo -v quiet >/dev/null
  # One core, as the all-in-one gateway is pinned in bench/gateway; the tier-up multiplier as there (docs/CONFIG.md).
  for run in 1 2 3; do
    DOTNET_TC_DelaySingleProcMultiplier=1 taskset -c "${CORE:-1}" \
      dotnet bench/Odock.Bench.Ledger/bin/Release/net10.0/Odock.Bench.Ledger.dll ingest-sqlite 300000 2000 2 | { [[ $run == 1 ]] && cat || tail -1; }
  done
  exit 0
fi

# shellcheck source=bench/lib/postgres.sh
source "$repo_root/bench/lib/postgres.sh"
trap pg_stop EXIT
# Durability stays at the defaults; memory and WAL sized for a 10-million-row table on a small machine.
pg_start odock-ledger-bench shared_buffers=2GB work_mem=64MB maintenance_work_mem=1GB max_wal_size=8GB effective_cache_size=8GB

export ODOCK_BENCH_POSTGRES="$PG_CONNECTION;Pooling=true;Timeout=30;Command Timeout=0"
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
