#!/usr/bin/env bash
# Publishes the server and the load tool in Release, then runs the load test against 127.0.0.1.
#   bench/run.sh [--provider sqlite|postgres] [--instances N] [load options]
# Load options go to the load tool: --clients 16 --parts 10 --records 100 --seconds 20 --warmup 10
# With --provider postgres the bench starts a PostgreSQL server of its own in a temporary folder (from
# the machine's PostgreSQL binaries, as the postgres user when run as root), durable as in production
# (fsync, synchronous_commit on), unless BATCHSYNC_BENCH_POSTGRES names a database to use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/postgres.sh"
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
  start_bench_postgres "$out"
  args+=(--postgres "$BATCHSYNC_BENCH_POSTGRES")
fi

dotnet "$out/bench/BatchSync.Bench.dll" --server "$out/server/BatchSync.Api.dll" ${args[@]+"${args[@]}"}
