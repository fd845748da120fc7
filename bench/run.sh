#!/usr/bin/env bash
# Publishes the server and the load tool in Release, then runs the load test against 127.0.0.1.
#   bench/run.sh [--provider sqlite|postgres] [--instances N] [load options]
# Load options go to the load tool: --clients 16 --parts 10 --records 100 --seconds 20 --warmup 10
# With --provider postgres the bench starts a PostgreSQL server of its own in a temporary folder (from
# the machine's PostgreSQL binaries, as the postgres user when run as root), durable as in production
# (fsync, synchronous_commit on), unless BATCHSYNC_BENCH_POSTGRES names a database to use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
provider=sqlite
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --provider) provider=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

out=$(mktemp -d)
dotnet publish "$root/src/BatchSync.Api" -c Release -o "$out/server" --nologo -v quiet
dotnet publish "$root/bench/BatchSync.Bench" -c Release -o "$out/bench" --nologo -v quiet

if [ "$provider" = postgres ]; then
  if [ -z "${BATCHSYNC_BENCH_POSTGRES:-}" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    chmod 755 "$out"
    pg="$out/pg"
    mkdir -p "$pg"
    as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$pg"; runuser -u postgres -- "$@"; else "$@"; fi; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$pg/data" -A trust -U postgres >/dev/null
    printf "port = %s\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nmax_connections = 300\nshared_buffers = 512MB\n" "$port" "$pg" >> "$pg/data/postgresql.conf"
    as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w start >/dev/null
    trap 'as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true' EXIT
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE batchsync_bench"
    BATCHSYNC_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=batchsync_bench;Maximum Pool Size=100"
  fi
  args+=(--postgres "$BATCHSYNC_BENCH_POSTGRES")
fi

dotnet "$out/bench/BatchSync.Bench.dll" --server "$out/server/BatchSync.Api.dll" ${args[@]+"${args[@]}"}
