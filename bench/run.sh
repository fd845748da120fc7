#!/usr/bin/env bash
# Publishes the server and the load tool in Release, then runs the load test against 127.0.0.1.
# Extra arguments go to the load tool: --clients 16 --parts 10 --records 100 --seconds 20 --warmup 10
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
dotnet publish "$root/src/BatchSync.Api" -c Release -o "$out/server" --nologo -v quiet
dotnet publish "$root/bench/BatchSync.Bench" -c Release -o "$out/bench" --nologo -v quiet
dotnet "$out/bench/BatchSync.Bench.dll" --server "$out/server/BatchSync.Api.dll" "$@"
