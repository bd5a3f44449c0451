#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: initdb into a temporary folder, start
# it on 127.0.0.1 on a free port, export TEST_DATABASE_URL (the server's maintenance database:
# the tests make their own databases beside it), run the command, and stop and remove the
# cluster however the command ends. PostgreSQL is installed from Debian's packages when its
# server binaries are missing. initdb refuses root, so the cluster runs as the `postgres` user
# (created by the Debian package).
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# A free port: the kernel picks one, then the cluster binds it (a race with another process
# taking it in between only makes pg_ctl fail loudly).
PORT=${PGPORT_FOR_TESTS:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGDIR=$(mktemp -d /tmp/with-postgres.XXXXXX)
chown postgres:postgres "$PGDIR"
as_postgres() { runuser -u postgres -- "$@"; }

stop() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
# Durability off: the cluster lives for one run (fsync, full-page writes, synchronous commit).
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-c listen_addresses=127.0.0.1 \
  -p $PORT -k $PGDIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off \
  -c max_connections=200" start >/dev/null || { cat "$PGDIR/log" >&2; exit 1; }
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
"$@"
