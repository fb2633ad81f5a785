#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on a free loopback port, e.g.
#   scripts/with-postgres.sh .venv/bin/pytest -q
# The command gets DATABASE_URL, and PGDATA (the data directory, for `pg_ctl restart` in the fault tests);
# the server is stopped and its data directory removed on exit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
have_postgres || { echo "with-postgres: PostgreSQL is not installed (see scripts/install-system-deps.sh)" >&2; exit 3; }
bin=$(pg_bin)
dir=$(mktemp -d "${TMPDIR:-/tmp}/roadshow-pg.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
stop() { as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
port=$(free_port)
as_postgres "$bin/initdb" -D "$dir/data" -A trust -U roadshow --no-sync >/dev/null
# In the server's own configuration, so a plain `pg_ctl start` after a stop (the fault tests) comes back the same.
# Durability is pointless for a database thrown away after the run; turning it off makes tests faster.
cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
unix_socket_directories = '$dir'
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null
export DATABASE_URL="postgresql+psycopg://roadshow@127.0.0.1:$port/postgres"
export PGDATA=$dir/data
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
