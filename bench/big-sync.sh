#!/usr/bin/env bash
# Publishes the server and the bench tool in Release, then sends one device's very large sync to one
# server on 127.0.0.1 with its limits raised to fit, and prints the time end to end, the completing
# request's time and the server's peak memory; then the last part's latency of 50 x 100 syncs.
#   bench/big-sync.sh [--provider sqlite|postgres] [--parts 1000] [--records 1000] [--concurrency 4] [--repeat 1] [--keep-data]
# With --provider postgres it starts a PostgreSQL server of its own, as bench/run.sh does (bench/postgres.sh),
# unless BATCHSYNC_BENCH_POSTGRES names a database to use.
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

dotnet "$out/bench/BatchSync.Bench.dll" --big-sync --server "$out/server/BatchSync.Api.dll" ${args[@]+"${args[@]}"}
