#!/usr/bin/env bash
# Install (Debian packages) and start a throw-away PostgreSQL server on 127.0.0.1 for the store tests,
# then export EVENTCODER_TEST_PG. Idempotent: a second run reuses the running server and database.
# Use:  source scripts/pg_ci.sh     (or: eval "$(bash scripts/pg_ci.sh --print)")
# Settings: EVENTCODER_PG_DIR (data folder, default /tmp/eventcoder-pg), EVENTCODER_PG_PORT (54329).
# The server trusts local connections: it is for tests only, and listens on the loopback address only.

_ec_pg_main() {
  local dir="${EVENTCODER_PG_DIR:-/tmp/eventcoder-pg}"
  local port="${EVENTCODER_PG_PORT:-54329}"
  local db="eventcoder_test"
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg_ci: installing PostgreSQL from Debian's packages" >&2
    if [ "$(id -u)" -eq 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
    else
      echo "pg_ci: need root to install postgresql" >&2
      return 1
    fi
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  # PostgreSQL refuses to run as root: run it as the 'postgres' user the package created.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    as=(runuser -u postgres --)
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >&2 || return 1
  fi
  if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >&2 || {
      cat "$dir/server.log" >&2
      return 1
    }
  fi
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $db" >&2 || return 1
  fi
  if ! python -c "import psycopg" 2>/dev/null; then
    python -m pip install -q "psycopg[binary]>=3.1" >&2 || return 1
  fi
  export EVENTCODER_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:$port/$db"
  echo "pg_ci: PostgreSQL ready, EVENTCODER_TEST_PG=$EVENTCODER_TEST_PG" >&2
}

if _ec_pg_main; then
  if [ "${1:-}" = "--print" ]; then
    echo "export EVENTCODER_TEST_PG=$EVENTCODER_TEST_PG"
  fi
else
  echo "pg_ci: PostgreSQL could not be started; the PostgreSQL tests will be skipped" >&2
fi
unset -f _ec_pg_main
