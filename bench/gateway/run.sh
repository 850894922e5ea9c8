#!/usr/bin/env bash
# Gateway load harness (issue 5): added latency and throughput of the gateway with full governance on.
#
# Starts a fast OpenAI-compatible upstream and odock all-in-one (SQLite, local grains) with bench.yaml.template
# (budgets on the key, the team and the organisation), pins the gateway to one core and the upstream and wrk to the
# other, then runs wrk straight at the upstream and through the gateway at each connection count, non-streamed and
# streamed. Prints a Markdown table: requests/s, p50 and p99 for both paths and their difference (the added latency),
# errors, and the gateway's resident memory afterwards. Then ttfb.py measures the time to the first streamed byte on one
# keep-alive connection (what wrk cannot see), direct and through the gateway. Bounded in time; stops everything on exit.
#
# Usage: bench/gateway/run.sh            (DURATION=10 WARMUP=20 CONNECTIONS="1 16 64" MODES="chat chat-stream" GATEWAY_CORE=0 LOAD_CORE=1
#                                         TTFB_REQUESTS=2000 by default; TTFB_REQUESTS=0 skips the TTFB probe)
# Needs: wrk and taskset (Debian: apt-get install wrk util-linux), python3, the .NET SDK.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-"1 16 64"}
gateway_core=${GATEWAY_CORE:-0}
load_core=${LOAD_CORE:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/odock-gateway-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 3; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null || curl -s -o /dev/null -w '%{http_code}' -X POST "$1" 2>/dev/null | grep -q '^[1-5]'; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

echo "building..." >&2
dotnet build "$root/src/Silo" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/Odock.Bench.Upstream" -c Release -v quiet -nologo -o "$work/upstream" >/dev/null

upstream_port=$(free_port)
gateway_port=$(free_port)
export ODOCK_BENCH_UPSTREAM_PORT=$upstream_port
ODOCK_BENCH_KEY="odk-$(head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)"
export ODOCK_BENCH_KEY
cp "$here/bench.yaml.template" "$work/bench.yaml"

taskset -c "$load_core" dotnet "$work/upstream/Odock.Bench.Upstream.dll" "$upstream_port" >"$work/upstream.log" 2>&1 &
pids+=($!)
(cd "$work" && exec env Logging__LogLevel__Default=Warning DOTNET_PerfMapEnabled="${PERF_MAP:-0}" DOTNET_EnableWriteXorExecute=$(( 1 - ${PERF_MAP:-0} )) \
  taskset -c "$gateway_core" dotnet "$root/src/Silo/bin/Release/net10.0/odock.dll" \
    --listen "http://127.0.0.1:$gateway_port" --config "$work/bench.yaml" --sqlite "$work/odock.db" >"$work/odock.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$upstream_port/v1/chat/completions"
wait_for "http://127.0.0.1:$gateway_port/readyz"
gateway_pid=$(pgrep -f "odock.dll --listen http://127.0.0.1:$gateway_port" | head -n 1)

# wrk prints latency percentiles with units; this turns one into microseconds.
to_us() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v*1000 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000000 } else print v }'; }

run_wrk() { # url script connections -> "rps p50us p99us errors"
  local out
  out=$(taskset -c "$load_core" wrk -t1 -c"$3" -d"${duration}s" --latency -s "$here/$2" "$1" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_us)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_us)
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${errors:-0}"
}

echo "warming up..." >&2
# Long enough for tiered compilation to finish promoting the hot path (it competes with the load for the one core).
taskset -c "$load_core" wrk -t1 -c16 -d"${WARMUP:-20}s" -s "$here/chat.lua" "http://127.0.0.1:$gateway_port/v1/chat/completions" >/dev/null
taskset -c "$load_core" wrk -t1 -c16 -d5s -s "$here/chat-stream.lua" "http://127.0.0.1:$gateway_port/v1/chat/completions" >/dev/null

if [[ -n "${PROFILE_SECONDS:-}" ]]; then
  # A CPU profile of the gateway under 16-connection non-streamed load (needs perf; PERF_MAP=1 names JIT frames).
  taskset -c "$load_core" wrk -t1 -c16 -d"$((PROFILE_SECONDS + 2))s" -s "$here/chat.lua" "http://127.0.0.1:$gateway_port/v1/chat/completions" >/dev/null &
  profiled_load=$!
  perf record -F 999 -g -p "$gateway_pid" -o "${PROFILE_OUT:-$work/perf.data}" -- sleep "$PROFILE_SECONDS" >/dev/null 2>&1
  wait "$profiled_load"
fi

echo "| mode | connections | direct req/s | gateway req/s | direct p50 µs | gateway p50 µs | added p50 µs | direct p99 µs | gateway p99 µs | added p99 µs | gateway errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in ${MODES:-chat chat-stream}; do
  for c in $connections; do
    read -r d_rps d_p50 d_p99 _ <<<"$(run_wrk "http://127.0.0.1:$upstream_port/v1/chat/completions" "$mode.lua" "$c")"
    read -r g_rps g_p50 g_p99 g_err <<<"$(run_wrk "http://127.0.0.1:$gateway_port/v1/chat/completions" "$mode.lua" "$c")"
    printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n' \
      "$mode" "$c" "$d_rps" "$g_rps" "$d_p50" "$g_p50" "$(echo "$g_p50 - $d_p50" | bc -l)" "$d_p99" "$g_p99" "$(echo "$g_p99 - $d_p99" | bc -l)" "$g_err"
  done
done
echo
if [[ ${TTFB_REQUESTS:-2000} -gt 0 ]]; then
  # One keep-alive connection, requests one after another; the first 200 are warm-up.
  ttfb() { taskset -c "$load_core" python3 "$here/ttfb.py" "$1"; }
  d_ttfb=$(ttfb "http://127.0.0.1:$upstream_port/v1/chat/completions") || d_ttfb=""
  g_ttfb=$(ttfb "http://127.0.0.1:$gateway_port/v1/chat/completions") || g_ttfb=""
  if [[ -n $d_ttfb && -n $g_ttfb ]]; then
    read -r _ d_ttfb_p50 _ d_ttfb_p99 _ <<<"${d_ttfb//=/ }" # p50_us=… p99_us=… n=… errors=…
    read -r _ g_ttfb_p50 _ g_ttfb_p99 _ _ _ g_ttfb_err <<<"${g_ttfb//=/ }"
    echo "time to first streamed byte (1 connection): direct p50 $d_ttfb_p50 µs p99 $d_ttfb_p99 µs; gateway p50 $g_ttfb_p50 µs p99 $g_ttfb_p99 µs;" \
      "added p50 $((g_ttfb_p50 - d_ttfb_p50)) µs p99 $((g_ttfb_p99 - d_ttfb_p99)) µs; gateway errors $g_ttfb_err"
  else
    echo "time to first streamed byte: the probe failed (its error is above)"
  fi
fi
echo "gateway resident memory after the run: $(( $(ps -o rss= -p "$gateway_pid") / 1024 )) MiB"
ledger=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from usage_records').fetchone()[0])" "$work/odock.db" 2>/dev/null || echo "?")
echo "ledger rows written: $ledger"
