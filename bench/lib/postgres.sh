# shellcheck shell=bash disable=SC2034  # PG_* are set here for the scripts that source this file
# A throwaway PostgreSQL for the bench scripts: sourced, not run.
#
# pg_start NAME [server -c options...]  finds the newest server binaries under /usr/lib/postgresql, runs initdb in a
#                                       new temporary directory (as the postgres user when we are root, since initdb
#                                       refuses root), starts the server on a free loopback port with trust auth and
#                                       the server's default durability plus the given options, and sets
#                                       PG_BIN, PG_DIR, PG_PORT and PG_CONNECTION (an Npgsql connection string).
#                                       Prefix commands in the array PG_LAUNCHER (e.g. taskset -c 1) wrap the server,
#                                       so its processes inherit them.
# pg_stop                               stops the server and removes its directory; safe to call twice or before
#                                       pg_start; call it from the caller's EXIT trap.
# pg_psql [psql arguments...]           psql on that server as postgres, unaligned and tuples only.
#
# Exits with status 3 when no server binaries are installed (Debian: apt-get install -y postgresql).

PG_BIN=""
PG_DIR=""
PG_PORT=""
PG_CONNECTION=""
PG_LAUNCHER=()
pg_run_as=()

pg_start() {
  local name=$1
  shift
  local dir options=()
  PG_BIN=$(for dir in /usr/lib/postgresql/*/bin; do [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && printf '%s\n' "$dir"; done | sort -V | tail -n 1)
  if [[ -z "$PG_BIN" ]]; then
    echo "error: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)" >&2
    exit 3
  fi
  pg_run_as=()
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    pg_run_as=(runuser -u postgres --)
  fi

  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
  chmod 755 "$PG_DIR"
  if [[ ${#pg_run_as[@]} -gt 0 ]]; then chown postgres "$PG_DIR"; fi
  "${pg_run_as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1

  PG_PORT=$((20000 + RANDOM % 40000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((20000 + RANDOM % 40000)); done
  local option
  for option in "$@"; do options+=(-c "$option"); done
  "${PG_LAUNCHER[@]}" "${pg_run_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 ${options[*]}" >/dev/null
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
}

pg_stop() {
  [[ -n "$PG_DIR" ]] || return 0
  if [[ -d "$PG_DIR/data" ]]; then
    "${pg_run_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}

pg_psql() {
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -A -t -q "$@"
}
