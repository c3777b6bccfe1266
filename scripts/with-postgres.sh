#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server in a temporary folder, then removes it.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (sets DATABASE_URL for the command)
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/observatoire-pg.XXXXXX)
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$tmp"
  run_as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${run_as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"${run_as[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-p $port -k $tmp -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$tmp/server.log" >&2; exit 1; }
export DATABASE_URL="postgres://postgres@/observatoire?host=$tmp&port=$port"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') running in $tmp (port $port)"
"$@"
