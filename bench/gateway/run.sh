#!/usr/bin/env bash
# Gateway load harness (issue 5): added latency and throughput of the gateway with full governance on.
#
# Starts a fast OpenAI-compatible upstream and odock all-in-one (SQLite, local grains) with bench.yaml.template
# (budgets on the key, the team and the organisation), pins the gateway to one core and the upstream and wrk to the
# other, then runs wrk straight at the upstream and through the gateway at each connection count, non-streamed and
# streamed, and paced (chat-paced.lua: each connection pauses PACE_MS=5 between requests, a steady load below
# capacity, where latency is the added work rather than the queue a closed loop at saturation builds), and open-loop
# (chat-open: openloop.c sends requests at OPEN_RATES requests/s on a Poisson schedule over OPEN_CONNECTIONS
# connections, each latency counted from the request's due time; wrk's paced requests leave on its millisecond timer
# ticks, in clumps). Prints a Markdown table: requests/s, p50 and p99 for both paths and their difference (the added latency),
# errors, and the gateway's resident memory afterwards. Then ttfb.py measures the time to the first streamed byte on one
# keep-alive connection (what wrk cannot see), direct and through the gateway, and idle.py sends requests one at a
# time after idle gaps of 0 to 20 ms while coldloop.c times a fixed piece of work on the gateway's core after the same
# gaps: how much of a trickle's latency comes from the host rather than from the gateway. Bounded in time; stops
# everything on exit, even on failure.
#
# TOPOLOGY=split runs the gateway and the silo as separate processes instead (odock --roles silo, which imports
# bench.yaml, and odock --roles gateway) on a throwaway PostgreSQL (bench/lib/postgres.sh), as a cluster is deployed:
# every admission, reservation and settlement is a grain call from the gateway process to the silo over HTTP/2. The
# gateway is pinned to GATEWAY_CORE; the silo, PostgreSQL, the upstream, wrk and ttfb.py all share LOAD_CORE. The
# gateway core is what is measured: the silo and PostgreSQL compete with the load generator for the other core, so
# split numbers are a lower bound on what a gateway in front of dedicated silos would do. Ledger rows are then counted
# in PostgreSQL, and both processes' resident memory is printed.
#
# Usage: bench/gateway/run.sh            (DURATION=10 WARMUP=20 CONNECTIONS="1 16 64" MODES="chat chat-stream chat-paced chat-open"
#                                         OPEN_RATES="1000 3000 5000" OPEN_CONNECTIONS=16 GATEWAY_CORE=0 LOAD_CORE=1
#                                         TOPOLOGY=all-in-one GATEWAY_WORKERS=1 TIERING_MULTIPLIER=1 TTFB_REQUESTS=2000 by default;
#                                         TTFB_REQUESTS=0 skips the TTFB probe; LOGS_DIR=dir keeps the processes' logs;
#                                         IDLE_REQUESTS=300 requests per gap of IDLE_GAPS_MS="0 1 2 5 20" for the idle-gap
#                                         probe (idle.py beside coldloop.c), IDLE_REQUESTS=0 skips it;
#                                         GATEWAY_ARGS="--Odock:…=…" adds settings to the gateway's command line;
#                                         OPENLOOP_LOG_DIR=dir keeps chat-open's per-request times, see openloop.c;
#                                         STALL_TRACE=1 traces the gateway with dotnet-trace when a row completes nothing;
#                                         OPEN_ROUNDS=N pools N alternating rounds per chat-open rate, see run_open_rounds;
#                                         FLOOR=1 adds a "bare proxy" row after each gateway row: the same load through
#                                         Odock.Bench.Passthrough, a Kestrel and HttpClient proxy with no governance, on
#                                         the gateway core, against the same direct run, and its time to first byte)
# Needs: wrk and taskset (Debian: apt-get install wrk util-linux), python3, the .NET SDK, a C compiler for chat-open
# (Debian: apt-get install gcc); for TOPOLOGY=split the
# PostgreSQL server binaries (Debian: apt-get install postgresql).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-"1 16 64"}
gateway_core=${GATEWAY_CORE:-0}
load_core=${LOAD_CORE:-1}
topology=${TOPOLOGY:-all-in-one}
# The gateway gets one core, so by default one thread-pool worker (Odock:MaxWorkerThreads, docs/CONFIG.md);
# GATEWAY_WORKERS= (empty) leaves the runtime's own limit.
gateway_workers=()
read -r -a gateway_args <<<"${GATEWAY_ARGS:-}"
if [[ -n "${GATEWAY_WORKERS-1}" ]]; then gateway_workers=(--Odock:MaxWorkerThreads="${GATEWAY_WORKERS-1}"); fi
# On one core .NET waits 1 s of quiet before optimising hot code, and a loaded gateway never gets it (docs/CONFIG.md,
# "One CPU"); TIERING_MULTIPLIER= (empty) leaves the runtime's default of 10.
tiering=()
if [[ -n "${TIERING_MULTIPLIER-1}" ]]; then tiering=(DOTNET_TC_DelaySingleProcMultiplier="${TIERING_MULTIPLIER-1}"); fi
case $topology in
  all-in-one | split) ;;
  *) echo "TOPOLOGY must be all-in-one or split, not '$topology'" >&2; exit 2 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/odock-gateway-bench.XXXXXX")
pids=()
# shellcheck source=bench/lib/postgres.sh
source "$root/bench/lib/postgres.sh"

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${LOGS_DIR:-}" ]]; then mkdir -p "$LOGS_DIR" && cp "$work"/*.log "$LOGS_DIR"/ 2>/dev/null || true; fi
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 3; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # url [pid log]: until the url answers; fails early, showing the log, if the process exits
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null || curl -s -o /dev/null -w '%{http_code}' -X POST "$1" 2>/dev/null | grep -q '^[1-5]'; then return 0; fi
    if [[ -n "${2:-}" ]] && ! kill -0 "$2" 2>/dev/null; then
      echo "the process behind $1 exited; its log:" >&2
      tail -n 40 "$3" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  if [[ -n "${3:-}" ]]; then tail -n 40 "$3" >&2; fi
  return 1
}

start_odock() { # name core odock-arguments...: starts odock in $work/name, logging to $work/name.log; sets odock_pid
  local name=$1 core=$2
  shift 2
  mkdir -p "$work/$name"
  # exec all the way down, so the subshell's pid is odock's own.
  (cd "$work/$name" && exec env Logging__LogLevel__Default=Warning "${tiering[@]}" DOTNET_PerfMapEnabled="${PERF_MAP:-0}" DOTNET_EnableWriteXorExecute=$(( 1 - ${PERF_MAP:-0} )) \
    taskset -c "$core" dotnet "$root/src/Silo/bin/Release/net10.0/odock.dll" "$@" >"$work/$name.log" 2>&1) &
  odock_pid=$!
  pids+=("$odock_pid")
}

echo "building..." >&2
dotnet build "$root/src/Silo" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/Odock.Bench.Upstream" -c Release -v quiet -nologo -o "$work/upstream" >/dev/null
floor=${FLOOR:-0}
if [[ $floor == 1 ]]; then
  dotnet build "$here/Odock.Bench.Passthrough" -c Release -v quiet -nologo -o "$work/passthrough" >/dev/null
fi
if [[ " ${MODES:-chat-open} " == *" chat-open "* ]]; then
  command -v cc >/dev/null || { echo "cc is missing for the chat-open mode (apt-get install gcc)" >&2; exit 3; }
  cc -O2 -o "$work/openloop" "$here/openloop.c" -lm
fi
idle_requests=${IDLE_REQUESTS:-300}
if [[ $idle_requests -gt 0 ]]; then
  command -v cc >/dev/null || { echo "cc is missing for the idle-gap probe (apt-get install gcc; IDLE_REQUESTS=0 skips it)" >&2; exit 3; }
  cc -O2 -o "$work/coldloop" "$here/coldloop.c"
fi
# chat.lua's body, for the readiness check and openloop.c.
printf '%s' '{"model":"bench-chat","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark."}]}' >"$work/chat.json"

upstream_port=$(free_port)
gateway_port=$(free_port)
export ODOCK_BENCH_UPSTREAM_PORT=$upstream_port
ODOCK_BENCH_KEY="odk-$(head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)"
export ODOCK_BENCH_KEY
cp "$here/bench.yaml.template" "$work/bench.yaml"

# The mock upstream shares the load core with the load generator, so whatever it does besides answering shows up in
# the latencies measured: it compiles each method fully once (no background tier-up competing with the load later)
# and watches no configuration files.
taskset -c "$load_core" env DOTNET_TieredCompilation=0 DOTNET_ReadyToRun=0 DOTNET_hostBuilder__reloadConfigOnChange=false \
  dotnet "$work/upstream/Odock.Bench.Upstream.dll" "$upstream_port" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$upstream_port/v1/chat/completions" "$!" "$work/upstream.log"

if [[ $topology == all-in-one ]]; then
  start_odock gateway "$gateway_core" "${gateway_workers[@]}" "${gateway_args[@]}" --listen "http://127.0.0.1:$gateway_port" --config "$work/bench.yaml" --sqlite "$work/odock.db"
  gateway_pid=$odock_pid
  wait_for "http://127.0.0.1:$gateway_port/readyz" "$gateway_pid" "$work/gateway.log"
else
  PG_LAUNCHER=(taskset -c "$load_core")
  # Server defaults for durability; room for the silo's and the gateway's connection pools.
  pg_start odock-gateway-bench-pg max_connections=300
  # Every process of a cluster needs the same master key (provider keys are encrypted with it at rest).
  ODOCK__SECRETS__MASTERKEY=$(head -c 32 /dev/urandom | base64)
  export ODOCK__SECRETS__MASTERKEY
  silo_port=$(free_port)
  # As tests/Odock.Silo.Tests/GatewayClusterTests.cs does: the silo imports the configuration before it listens, and the
  # gateway, which holds no grains, starts once the silo is ready.
  start_odock silo "$load_core" --roles silo --listen "http://127.0.0.1:$silo_port" --postgres "$PG_CONNECTION" --config "$work/bench.yaml"
  silo_pid=$odock_pid
  wait_for "http://127.0.0.1:$silo_port/readyz" "$silo_pid" "$work/silo.log"
  # Until the silo holds every partition, some grain calls would wait for an owner.
  for attempt in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$silo_port/cluster" 2>/dev/null | python3 -c '
import json, sys
status = json.load(sys.stdin)
sys.exit(0 if sum(m["partition_count"] for m in status["members"] if m["alive"]) == status["partition_count"] else 1)'; then break; fi
    if [[ $attempt -eq 300 ]]; then echo "the silo did not take every partition:" >&2; curl -sS "http://127.0.0.1:$silo_port/cluster" >&2; exit 1; fi
    sleep 0.1
  done
  start_odock gateway "$gateway_core" "${gateway_workers[@]}" "${gateway_args[@]}" --roles gateway --listen "http://127.0.0.1:$gateway_port" --postgres "$PG_CONNECTION"
  gateway_pid=$odock_pid
  wait_for "http://127.0.0.1:$gateway_port/readyz" "$gateway_pid" "$work/gateway.log"
fi
# Readiness is storage and schema; a governed request end to end is what the load needs.
for attempt in $(seq 1 100); do
  code=$(curl -s -o "$work/first-response" -w '%{http_code}' -H "Authorization: Bearer $ODOCK_BENCH_KEY" -H 'Content-Type: application/json' \
    --data @"$work/chat.json" \
    "http://127.0.0.1:$gateway_port/v1/chat/completions" || true)
  if [[ $code == 200 ]]; then break; fi
  if [[ $attempt -eq 100 ]]; then echo "the gateway never answered a chat completion with 200 (last: $code):" >&2; cat "$work/first-response" >&2; tail -n 40 "$work/gateway.log" >&2; exit 1; fi
  sleep 0.1
done

# wrk prints latency percentiles with units; this turns one into microseconds.
to_us() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v*1000 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000000 } else print v }'; }

run_wrk() { # url script connections -> "rps p50us p99us errors"
  local out
  out=$(taskset -c "$load_core" wrk -t1 -c"$3" -d"${duration}s" --latency -s "$here/$2" "$1" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_us)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_us)
  # Non-2xx answers plus wrk's socket errors (connect, read, write, and requests with no answer within 2 s).
  errors=$(awk '/Non-2xx or 3xx responses/ {n += $5} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
  echo "${rps:-0} ${p50:-0} ${p99:-0} $errors"
}

stalled() { # mode connections: a row that completed nothing; what each process was doing, on stderr
  echo "no request completed in the $1 row at $2 connections; the processes right after it:" >&2
  local pid
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "process $pid has exited" >&2; continue; }
    { ps -L -o tid=,stat=,pcpu=,wchan:24=,comm= -p "$pid" | sort -k3 -rn | head -n 8 >&2; } || true
  done
  if [[ -n "${STALL_TRACE:-}" ]] && command -v dotnet-trace >/dev/null; then
    # Three seconds of the gateway's managed stacks, every thread (dotnet-trace convert --format speedscope reads it).
    mkdir -p "${LOGS_DIR:-$work}"
    timeout 60 dotnet-trace collect -p "$gateway_pid" --providers Microsoft-DotNETCore-SampleProfiler --duration 00:00:00:03 \
      -o "${LOGS_DIR:-$work}/stall-$1-$2.nettrace" >"${LOGS_DIR:-$work}/stall-$1-$2.trace.log" 2>&1 || true
  fi
  curl -s -m 2 -o /dev/null -w 'gateway /readyz: %{http_code} in %{time_total} s\n' "http://127.0.0.1:$gateway_port/readyz" >&2 || true
  if [[ $topology == split ]]; then
    curl -s -m 2 -o /dev/null -w 'silo /readyz: %{http_code} in %{time_total} s\n' "http://127.0.0.1:$silo_port/readyz" >&2 || true
  fi
}

if [[ $floor == 1 ]]; then
  # Same core and the same tiering setting as the gateway, so the two differ only in what runs per request.
  floor_port=$(free_port)
  (cd "$work" && exec env "${tiering[@]}" taskset -c "$gateway_core" dotnet "$work/passthrough/Odock.Bench.Passthrough.dll" "$floor_port" "$upstream_port" \
    >"$work/passthrough.log" 2>&1) &
  floor_pid=$!
  pids+=("$floor_pid")
  wait_for "http://127.0.0.1:$floor_port/v1/chat/completions" "$floor_pid" "$work/passthrough.log"
fi

echo "warming up..." >&2
if [[ $floor == 1 ]]; then
  taskset -c "$load_core" wrk -t1 -c16 -d"${WARMUP:-20}s" -s "$here/chat.lua" "http://127.0.0.1:$floor_port/v1/chat/completions" >/dev/null
fi
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
run_open() { # port rate connections [log] -> "rps p50us p99us errors", as run_wrk; each request's times go to log if given
  local out log=${4:-}
  if [[ -z $log && -n "${OPENLOOP_LOG_DIR:-}" ]]; then
    mkdir -p "$OPENLOOP_LOG_DIR"
    local side=direct
    if [[ $1 == "$gateway_port" ]]; then side=gateway; elif [[ $1 == "${floor_port:-}" ]]; then side=floor; fi
    log="$OPENLOOP_LOG_DIR/$side-$2-$3.txt"
  fi
  out=$(OPENLOOP_LOG="$log" taskset -c "$load_core" "$work/openloop" 127.0.0.1 "$1" /v1/chat/completions "$2" "$duration" "$3" "$work/chat.json")
  local -A field
  local pair
  for pair in $out; do field[${pair%%=*}]=${pair#*=}; done
  echo "${field[rps]:-0} ${field[p50_us]:-0} ${field[p99_us]:-0} ${field[errors]:-0}"
}

# OPEN_ROUNDS=N runs each chat-open rate N times, the sides alternating (direct, gateway, bare proxy, direct, ...), and
# pools every request of a side into one row: host drift then falls on every side alike, and one spell of the host
# weighs a third as much in three rounds' requests as in one round's. The pooled p99.9 of each side is printed after
# the table.
open_rounds=${OPEN_ROUNDS:-1}
pooled_notes=()
run_open_rounds() { # rate connections: prints the pooled rows
  local rate=$1 c=$2 round side port result
  local -a sides=(direct gateway)
  if [[ $floor == 1 ]]; then sides+=(floor); fi
  rm -rf "$work/rounds" && mkdir -p "$work/rounds"
  for round in $(seq 1 "$open_rounds"); do
    for side in "${sides[@]}"; do
      case $side in direct) port=$upstream_port ;; gateway) port=$gateway_port ;; *) port=$floor_port ;; esac
      result=$(run_open "$port" "$rate" "$c" "$work/rounds/$side-$round.txt")
      echo "${result##* }" >"$work/rounds/$side-$round.errors"
      if [[ -n "${OPENLOOP_LOG_DIR:-}" ]]; then mkdir -p "$OPENLOOP_LOG_DIR" && cp "$work/rounds/$side-$round.txt" "$OPENLOOP_LOG_DIR/$side-$rate-$c-round$round.txt"; fi
    done
  done
  local -A pooled
  for side in "${sides[@]}"; do
    # "rps p50us p99us errors p999us", percentiles by nearest rank as openloop.c computes them.
    pooled[$side]=$(python3 - "$work/rounds" "$side" "$open_rounds" "$duration" <<'PY'
import glob, math, sys
folder, side, rounds, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
latencies, errors = [], 0
for name in glob.glob(f"{folder}/{side}-*.txt"):
    for line in open(name):
        due, done, status = line.split()
        if status == "200":
            latencies.append((int(done) - int(due)) / 1000)
for name in glob.glob(f"{folder}/{side}-*.errors"):
    errors += int(open(name).read().strip() or 0)
latencies.sort()
def at(p):
    return latencies[max(0, math.ceil(p * len(latencies)) - 1)] if latencies else 0
print(f"{len(latencies) / (rounds * seconds):.0f} {at(0.5):.0f} {at(0.99):.0f} {errors} {at(0.999):.0f}")
PY
)
  done
  row "chat-open $rate/s, $open_rounds rounds pooled" "chat-open-$rate" "$c" "${pooled[direct]% *}" "${pooled[gateway]% *}"
  if [[ $floor == 1 ]]; then row "chat-open $rate/s, $open_rounds rounds pooled, bare proxy" "chat-open-$rate-floor" "$c" "${pooled[direct]% *}" "${pooled[floor]% *}"; fi
  local note="chat-open $rate/s, $open_rounds rounds pooled, p99.9: direct ${pooled[direct]##* } µs, gateway ${pooled[gateway]##* } µs"
  if [[ $floor == 1 ]]; then note+=", bare proxy ${pooled[floor]##* } µs"; fi
  pooled_notes+=("$note")
}

row() { # label name connections direct gateway: one table row from two "rps p50us p99us errors" results
  local d_rps d_p50 d_p99 g_rps g_p50 g_p99 g_err
  read -r d_rps d_p50 d_p99 _ <<<"$4"
  read -r g_rps g_p50 g_p99 g_err <<<"$5"
  if [[ ${g_rps%.*} -eq 0 ]]; then stalled "$2" "$3"; fi
  printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n' \
    "$1" "$3" "$d_rps" "$g_rps" "$d_p50" "$g_p50" "$(echo "$g_p50 - $d_p50" | bc -l)" "$d_p99" "$g_p99" "$(echo "$g_p99 - $d_p99" | bc -l)" "$g_err"
}

for mode in ${MODES:-chat chat-stream chat-paced chat-open}; do
  if [[ $mode == chat-open ]]; then
    for rate in ${OPEN_RATES:-1000 3000 5000}; do
      for c in ${OPEN_CONNECTIONS:-16}; do
        if [[ $open_rounds -gt 1 ]]; then
          run_open_rounds "$rate" "$c"
          continue
        fi
        direct=$(run_open "$upstream_port" "$rate" "$c")
        row "chat-open $rate/s" "chat-open-$rate" "$c" "$direct" "$(run_open "$gateway_port" "$rate" "$c")"
        if [[ $floor == 1 ]]; then row "chat-open $rate/s, bare proxy" "chat-open-$rate-floor" "$c" "$direct" "$(run_open "$floor_port" "$rate" "$c")"; fi
      done
    done
    continue
  fi
  for c in $connections; do
    direct=$(run_wrk "http://127.0.0.1:$upstream_port/v1/chat/completions" "$mode.lua" "$c")
    row "$mode" "$mode" "$c" "$direct" "$(run_wrk "http://127.0.0.1:$gateway_port/v1/chat/completions" "$mode.lua" "$c")"
    if [[ $floor == 1 ]]; then row "$mode, bare proxy" "$mode-floor" "$c" "$direct" "$(run_wrk "http://127.0.0.1:$floor_port/v1/chat/completions" "$mode.lua" "$c")"; fi
  done
done
echo
for note in "${pooled_notes[@]}"; do echo "$note"; done
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
  if [[ $floor == 1 && -n $d_ttfb ]] && f_ttfb=$(ttfb "http://127.0.0.1:$floor_port/v1/chat/completions"); then
    read -r _ f_ttfb_p50 _ f_ttfb_p99 _ _ _ f_ttfb_err <<<"${f_ttfb//=/ }"
    echo "time to first streamed byte through the bare proxy: p50 $f_ttfb_p50 µs p99 $f_ttfb_p99 µs;" \
      "added p50 $((f_ttfb_p50 - d_ttfb_p50)) µs p99 $((f_ttfb_p99 - d_ttfb_p99)) µs; errors $f_ttfb_err"
  fi
fi
if [[ $idle_requests -gt 0 ]]; then
  # One keep-alive connection, each request after an idle gap, beside a fixed piece of work timed on the gateway's
  # core after the same gaps (idle.py, coldloop.c): how much of a trickle's latency the host's idle gaps add.
  export IDLE_GAPS_MS=${IDLE_GAPS_MS:-"0 1 2 5 20"} IDLE_REQUESTS=$idle_requests
  idle() { taskset -c "$load_core" python3 "$here/idle.py" "http://127.0.0.1:$1/v1/chat/completions"; }
  p50_of() { sed -n "s/^gap_ms=$1 p50_us=\([0-9]*\) .*/\1/p" <<<"$2"; }
  field_of() { sed -n "s/^gap_ms=$1 .* $2=\([^ ]*\).*/\1/p" <<<"$3"; }
  if i_cold=$(taskset -c "$gateway_core" "$work/coldloop" $IDLE_GAPS_MS) && i_direct=$(idle "$upstream_port") && i_gateway=$(idle "$gateway_port"); then
    i_floor=""
    if [[ $floor == 1 ]]; then i_floor=$(idle "$floor_port") || i_floor=""; fi
    echo
    echo "| idle gap before each request | fixed work on the gateway core, p50 µs | direct p50 µs | gateway p50 µs | added p50 µs | Odock's own time p50 µs | bare proxy added p50 µs | gateway errors |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for gap in $IDLE_GAPS_MS; do
      d=$(p50_of "$gap" "$i_direct"); g=$(p50_of "$gap" "$i_gateway")
      f="-"; if [[ -n $i_floor ]]; then f=$(( $(p50_of "$gap" "$i_floor") - d )); fi
      echo "| $gap ms | $(p50_of "$gap" "$i_cold") | $d | $g | $((g - d)) | $(field_of "$gap" own_p50_us "$i_gateway") | $f | $(field_of "$gap" errors "$i_gateway") |"
    done
  else
    echo "idle-gap probe: failed (its error is above)"
  fi
fi
rss_mib() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }
if [[ $topology == all-in-one ]]; then
  echo "gateway resident memory after the run: $(rss_mib "$gateway_pid") MiB"
  if [[ $floor == 1 ]]; then echo "bare proxy resident memory after the run: $(rss_mib "$floor_pid") MiB"; fi
  ledger=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from usage_records').fetchone()[0])" "$work/odock.db" 2>/dev/null || echo "?")
else
  echo "resident memory after the run: gateway $(rss_mib "$gateway_pid") MiB, silo $(rss_mib "$silo_pid") MiB"
  ledger=$(pg_psql -c 'select count(*) from usage_records' 2>/dev/null || echo "?")
fi
echo "ledger rows written: $ledger"
