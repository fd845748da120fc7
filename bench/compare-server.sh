#!/usr/bin/env bash
# Publishes the server in Release and runs it on 127.0.0.1 with a fresh data folder (SQLite) and one
# admin token, as the side-by-side comparison with the seed's PHP design expects; Ctrl+C stops it.
#   bench/compare-server.sh [--port 5080] [--token compare-token]
# Then, from another shell:
#   compare.sh --url http://127.0.0.1:5080/batch-sync.php --token compare-token --rounds 3 --duration 15
# Two limits are raised, as operations.md advises for a fleet: compare.sh's 16 devices share that one
# token, and the default per-token bucket (RequestsPerSecondPerToken 1000) would answer 429 once the
# load passes 100,000 records/s; and every wrk run stops its 16 devices mid-sync, leaving their syncs
# open until they expire, so after three rounds the default MaxSyncSessions (100) would refuse new ones.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=5080
token=compare-token
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish "$root/src/BatchSync.Api" -c Release -o "$out/server" --nologo -v quiet
cd "$out/server"
BatchSync__DataDirectory="$out/data" \
BatchSync__Auth__Tokens__0__Name=compare \
BatchSync__Auth__Tokens__0__Role=admin \
BatchSync__Auth__Tokens__0__Sha256="$(printf %s "$token" | sha256sum | cut -d' ' -f1)" \
BatchSync__Limits__RequestsPerSecondPerToken=1000000 \
BatchSync__Limits__RequestBurstPerToken=1000000 \
BatchSync__Limits__MaxSyncSessions=100000 \
  dotnet BatchSync.Api.dll --urls "http://127.0.0.1:$port"
