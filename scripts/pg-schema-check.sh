#!/usr/bin/env bash
# The whole Alembic history rendered for PostgreSQL (offline: no driver needed) and run through
# psql on a scratch cluster, then the data-generation triggers exercised: the schema's SQL,
# triggers and guards are valid PostgreSQL. Needs PostgreSQL's server binaries (initdb refuses
# root, so the cluster runs as `postgres`). Usage: scripts/pg-schema-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d)
PORT=55433
chown postgres:postgres "$PGDIR"
stop() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap stop EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off" start >/dev/null
DATABASE_URL=postgresql://postgres@127.0.0.1:$PORT/tracker .venv/bin/alembic upgrade head --sql > "$PGDIR/schema.sql"
psql -h 127.0.0.1 -p $PORT -U postgres -qc "create database tracker"
P="psql -h 127.0.0.1 -p $PORT -U postgres -d tracker -v ON_ERROR_STOP=1 -qtA"
$P -f "$PGDIR/schema.sql" >/dev/null
echo "schema at $($P -c 'select version_num from alembic_version') on $($P -c 'show server_version')"
before=$($P -c "select n from data_generation")
$P -c "insert into app_user (email, display_name, password_hash, role, is_active, is_demo, failed_logins, created_at, password_changed_at) values ('a@example.org', 'a', 'x', 'admin', true, false, 0, now(), now())"
$P -c "insert into audit_event (at, action, prev_mac, mac) values (now(), 'check', '0', '1')"
after=$($P -c "select n from data_generation")
test "$after" -eq $((before + 1)) || { echo "data_generation moved $before -> $after, expected one step"; exit 1; }
if $P -c "delete from audit_event" 2>/dev/null; then echo "audit_event accepted a DELETE"; exit 1; fi
echo "data_generation: one step for a user row, none for an audit row; audit_event refuses DELETE"
